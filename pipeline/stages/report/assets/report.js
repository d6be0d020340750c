/* ifgen report: draws every chart as inline SVG from the JSON block in the page.
   No libraries, no network. Text goes in through textContent only (never innerHTML),
   so labels taken from the data cannot inject markup. When done, the body gets
   data-charts-drawn = number of charts drawn (the headless-browser test reads it). */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#3b6ea5", "#e0892f", "#4f9a5c", "#b94a48", "#7a5fa8", "#6b7b8c"];
  var data = JSON.parse(document.getElementById("ifgen-data").textContent);

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]); }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fmt(v, pct) {
    if (pct) return (100 * v).toFixed(1) + "%";
    if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
    return (Math.round(v * 10000) / 10000).toString();
  }

  /* Horizontal bars. rows: [{label, values: [..], note}], series: names (legend), pct: values in 0..1 */
  function hbar(box, rows, series, pct) {
    var labelW = 230, barW = 380, noteW = 150, rowH = 18, gap = 6;
    var groupH = rows.length ? series.length * rowH + gap : 0;
    var legendH = series.length > 1 ? 22 : 0;
    var height = legendH + rows.length * groupH + 8;
    var svg = svgEl("svg", {viewBox: "0 0 " + (labelW + barW + noteW) + " " + height, width: "100%",
                             role: "img", "class": "chart"});
    var max = 0;
    rows.forEach(function (r) { r.values.forEach(function (v) { if (v > max) max = v; }); });
    if (pct) max = Math.max(max, 1);
    if (max <= 0) max = 1;
    if (series.length > 1) {
      var step = Math.min(130, Math.floor((barW + noteW) / series.length));
      series.forEach(function (s, i) {
        svg.appendChild(svgEl("rect", {x: labelW + i * step, y: 4, width: 12, height: 12, fill: COLORS[i % 6]}));
        svg.appendChild(svgEl("text", {x: labelW + i * step + 16, y: 14, "class": "legend"}, s));
      });
    }
    rows.forEach(function (r, i) {
      var y0 = legendH + i * groupH;
      var label = svgEl("text", {x: labelW - 6, y: y0 + (series.length * rowH) / 2 + 4, "text-anchor": "end",
                                 "class": "label"}, r.label.length > 34 ? r.label.slice(0, 33) + "\u2026" : r.label);
      label.appendChild(svgEl("title", {}, r.label));
      svg.appendChild(label);
      r.values.forEach(function (v, j) {
        var w = Math.max(0, (v / max) * barW);
        var bar = svgEl("rect", {x: labelW, y: y0 + j * rowH + 2, width: w.toFixed(1), height: rowH - 4,
                                 fill: COLORS[j % 6], "class": "bar"});
        bar.appendChild(svgEl("title", {}, r.label + " \u2014 " + series[j] + ": " + fmt(v, pct)));
        svg.appendChild(bar);
        svg.appendChild(svgEl("text", {x: labelW + w + 4, y: y0 + j * rowH + rowH - 5, "class": "value"},
                              fmt(v, pct)));
      });
      if (r.note) {
        svg.appendChild(svgEl("text", {x: labelW + barW + noteW - 4, y: y0 + (series.length * rowH) / 2 + 4,
                                       "text-anchor": "end", "class": "note"}, r.note));
      }
    });
    box.appendChild(svg);
  }

  function entries(obj) { return Object.keys(obj || {}).map(function (k) { return [k, obj[k]]; }); }

  var charts = {
    funnel: function () {
      return {series: ["records"], rows: data.funnel.map(function (s) {
        return {label: s.stage, values: [s.records], note: s.done + " done, " + s.failed + " failed"};
      })};
    },
    constraints: function () {
      return {series: ["instructions"], rows: entries(data.constraint_hist).slice(0, 40).map(function (e) {
        return {label: e[0], values: [e[1]]};
      })};
    },
    per_instruction: function () {
      return {series: ["instructions"], rows: entries(data.constraints_per_instruction).map(function (e) {
        return {label: e[0] + " constraint" + (e[0] === "1" ? "" : "s"), values: [e[1]]};
      })};
    },
    pass_constraint: function () {
      return {pct: true, series: ["pass rate"], rows: entries(data.pass_by_constraint)
        .filter(function (e) { return e[1].n > 0; })
        .sort(function (a, b) { return a[1].rate - b[1].rate || (a[0] < b[0] ? -1 : 1); })
        .slice(0, 50).map(function (e) {
          return {label: e[0], values: [e[1].rate], note: "n=" + e[1].n + (e[1].unverifiable ? ", " +
                  e[1].unverifiable + " unverifiable" : "")};
        })};
    },
    pass_model: function () {
      return {pct: true, series: ["all constraints pass", "mean fraction"], rows: entries(data.pass_by_model)
        .map(function (e) { return {label: e[0], values: [e[1].all_pass, e[1].mean_fraction], note: "n=" + e[1].n}; })};
    },
    pass_shape: function () {
      return {pct: true, series: ["all constraints pass", "mean fraction"], rows: entries(data.shapes)
        .filter(function (e) { return e[1].instructions > 0; })
        .map(function (e) {
          return {label: e[0], values: [e[1].all_pass, e[1].mean_fraction],
                  note: e[1].instructions + " instr., n=" + e[1].responses};
        })};
    },
    routes: function () {
      return {series: ["constraints"], rows: entries(data.routes).map(function (e) {
        return {label: e[0].replace(/_/g, " "), values: [e[1]]};
      })};
    },
    prompt_passrate: function () {
      var pr = data.passrate || {};
      return {series: ["prompts"], rows: (pr.prompts ? pr.bins : []).map(function (b) {
        return {label: "pass rate " + b, values: [pr.overall[b]],
                note: (100 * pr.overall[b] / pr.prompts).toFixed(0) + "% of " + pr.prompts};
      })};
    },
    prompt_passrate_by_constraints: function () {
      var pr = data.passrate || {};
      var rows = entries(pr.by_constraints).sort(function (a, b) { return parseInt(a[0], 10) - parseInt(b[0], 10); });
      return {pct: true, series: pr.bins || [], rows: rows.map(function (e) {
        var n = 0;
        pr.bins.forEach(function (b) { n += e[1][b]; });
        return {label: e[0] + " constraint" + (e[0] === "1" ? "" : "s"),
                values: pr.bins.map(function (b) { return n ? e[1][b] / n : 0; }), note: "n=" + n};
      })};
    },
    lengths: function () {
      var models = Object.keys(data.lengths);
      var bins = models.length ? Object.keys(data.lengths[models[0]]) : [];
      return {series: models, rows: bins.map(function (b) {
        return {label: b + " words", values: models.map(function (m) { return data.lengths[m][b]; })};
      })};
    },
    checker_agreement: function () {
      return {pct: true, series: ["precision", "recall"], rows: data.checkers.agreement.map(function (a) {
        return {label: a.id, values: [a.precision || 0, a.recall || 0], note: "n=" + a.n};
      })};
    },
    checker_accuracy: function () {
      return {series: ["checkers"], rows: entries(data.checkers.accuracy).map(function (e) {
        return {label: "accuracy \u2265 " + e[0], values: [e[1]]};
      })};
    },
    tokens: function () {
      return {series: ["prompt tokens", "completion tokens"], rows: entries(data.usage).map(function (e) {
        var u = e[1];
        return {label: e[0], values: [u.prompt_tokens || 0, u.completion_tokens || 0],
                note: "$" + (u.cost || 0).toFixed(4) + ", " + (u.requests || 0) + " req"};
      })};
    },
    export_rows: function () {
      return {series: ["train", "test"], rows: entries(data.export.rows).map(function (e) {
        return {label: e[0], values: [e[1].train || 0, e[1].test || 0]};
      })};
    }
  };

  var drawn = 0;
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (box) {
    var name = box.getAttribute("data-chart");
    var spec = charts[name] ? charts[name]() : null;
    if (!spec || !spec.rows.length) {
      var p = document.createElement("p");
      p.className = "empty";
      p.textContent = "No data for this chart in this run.";
      box.appendChild(p);
      box.setAttribute("data-state", "empty");
      return;
    }
    hbar(box, spec.rows, spec.series, !!spec.pct);
    box.setAttribute("data-state", "drawn");
    drawn += 1;
  });
  document.body.setAttribute("data-charts-drawn", String(drawn));
})();
