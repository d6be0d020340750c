"""Prompt templates: jinja2 files in the shipped `prompts/` folder (see prompts/README.md), or `$IFGEN_PROMPTS_DIR`.

Rendering is strict (StrictUndefined): a template that uses a variable the caller did not pass fails
loudly with the template name instead of silently sending "" to the model.

Roles: a template may be split into chat messages with marker lines `{# system #}`, `{# user #}` and
`{# assistant #}` (each alone on its line). `render_messages` renders every section separately and
returns `[{"role": ..., "content": ...}, ...]`; text before the first marker belongs to `user`.
`render` renders the whole file as one string (markers are jinja comments, so they vanish).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..resources import resource_dir

_MARKER = re.compile(r"^[ \t]*\{#-?\s*(system|user|assistant)\s*-?#\}[ \t]*\r?\n?", re.MULTILINE)


class PromptError(ValueError):
    pass


def prompts_dir() -> Path:
    env = os.environ.get("IFGEN_PROMPTS_DIR")
    return Path(env).resolve() if env else resource_dir("prompts")


def template_digests(names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """{template path under the prompts folder: sha256 of its bytes} for template names, or folders given with
    a trailing '/' (every file below). A missing template maps to "missing" (rendering it will fail loudly)."""
    import hashlib

    from jinja2 import meta

    base = prompts_dir()
    out: dict[str, str] = {}
    todo: list[Path] = []
    for name in names:
        if name.endswith("/"):
            todo += sorted(f for f in (base / name).rglob("*") if f.is_file() and f.suffix == ".j2")
        else:
            todo.append(base / _name(name))
    while todo:  # the named templates and every template they include, import or extend
        f = todo.pop()
        key = f.relative_to(base).as_posix()
        if key in out:
            continue
        if not f.is_file():
            out[key] = "missing"
            continue
        data = f.read_bytes()
        out[key] = hashlib.sha256(data).hexdigest()[:16]
        try:
            refs = meta.find_referenced_templates(_env(str(base)).parse(data.decode("utf-8")))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            continue  # rendering it will fail loudly, naming the line
        todo += [base / r for r in refs if r]
    return dict(sorted(out.items()))


@lru_cache(maxsize=8)
def _env(directory: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _name(name: str) -> str:
    return name if name.endswith((".j2", ".jinja", ".txt", ".md")) else name + ".j2"


def _fail(name: str, directory: str, exc: Exception) -> PromptError:
    if isinstance(exc, jinja2.TemplateNotFound):
        return PromptError(f"prompt template {name!r} not found in {directory}")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return PromptError(f"{directory}/{exc.filename or name}:{exc.lineno}: template syntax error: {exc.message}")
    if isinstance(exc, jinja2.UndefinedError):
        return PromptError(f"{directory}/{name}: {exc.message} (pass it to render())")
    return PromptError(f"{directory}/{name}: {type(exc).__name__}: {exc}")


def render(name: str, **variables: Any) -> str:
    """The whole template rendered to one string (stripped)."""
    directory = str(prompts_dir())
    fname = _name(name)
    try:
        return _env(directory).get_template(fname).render(**variables).strip()
    except jinja2.TemplateError as e:
        raise _fail(fname, directory, e) from None


def _pad(source: str, pos: int) -> str:
    """Leading newlines so a section's line numbers (in errors) match the file's."""
    return "\n" * source.count("\n", 0, pos)


@lru_cache(maxsize=256)
def _sections(directory: str, fname: str, mtime_ns: int) -> list[tuple[str, jinja2.Template]]:
    env = _env(directory)
    assert env.loader is not None  # a FileSystemLoader (_env)
    source, _filename, _ = env.loader.get_source(env, fname)
    sections: list[tuple[str, str]] = []
    pos, role = 0, "user"
    for m in _MARKER.finditer(source):
        sections.append((role, _pad(source, pos) + source[pos : m.start()]))
        role, pos = m.group(1), m.end()
    sections.append((role, _pad(source, pos) + source[pos:]))
    out: list[tuple[str, jinja2.Template]] = []
    for role, text in sections:
        if not text.strip() and not out and role == "user":
            continue  # nothing before the first marker
        try:
            out.append((role, env.from_string(text)))
        except jinja2.TemplateSyntaxError as e:
            e.filename = fname
            raise
    return out


def render_messages(name: str, **variables: Any) -> list[dict[str, str]]:
    """Chat messages from a template with role markers; sections that render empty are dropped."""
    directory = str(prompts_dir())
    fname = _name(name)
    path = Path(directory) / fname
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise PromptError(f"prompt template {fname!r} not found in {directory}") from None
    try:
        messages = []
        for role, tmpl in _sections(directory, fname, mtime):
            text = tmpl.render(**variables).strip()
            if text:
                messages.append({"role": role, "content": text})
        return messages
    except jinja2.TemplateError as e:
        raise _fail(fname, directory, e) from None
