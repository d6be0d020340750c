"""How a run config is loaded: the YAML file read with its line marks, `--set` overrides applied, and every
validation error turned into one line naming the key and where it was set.

Origins, most specific first: the last `--set KEY=VALUE` (or `--run NAME`) that touched the key or a section
holding it; else the key's line in the YAML file (PyYAML's node marks: `FILE:LINE`); else the file (the value is
a default). A check on several keys (min <= max) names them all (`invalid(key, message, *also)` in the models)
and is blamed on the first that was set. A key written twice in one YAML mapping, which YAML itself keeps
silently, is an error naming both lines. The models live in pipeline.config; this module knows none of them.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A one-line, user-facing config problem (CLI exits with code 2)."""


def error_keys(err: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys a model-level check names (`invalid(key, ..., *also)`), relative to the error's loc."""
    keys = (err.get("ctx") or {}).get("ifgen_keys")
    return tuple(k for k in keys if k) if keys else ()


def message(err: Mapping[str, Any], root: type[BaseModel] | None = None) -> str:
    """The error's text for a user: "unknown key (did you mean ...)" for a misspelt key, pydantic's words else."""
    if err.get("type") == "extra_forbidden":
        return "unknown key" + _did_you_mean(root, tuple(str(p) for p in err.get("loc", ())))
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _error_paths(err: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The full key paths an error is about (the first is the one to show)."""
    loc = tuple(str(p) for p in err.get("loc", ()) if p != "[key]")
    return [loc + tuple(k.split(".")) for k in error_keys(err)] or [loc]


def first_error(e: ValidationError) -> str:
    """`key.path: message` of a validation error's first problem."""
    err = e.errors()[0]
    where = ".".join(_error_paths(err)[0])
    return f"{where}: {message(err)}" if where else message(err)


def _model_at(root: type[BaseModel], path: tuple[str, ...]) -> type[BaseModel] | None:
    """The settings model a key path leads to from `root` (RunConfig -> section -> ...), or None."""
    model: Any = root
    for part in path:
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            if part.isdigit():
                continue  # a list item: the item type is already unwrapped
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(ann: Any) -> Any:
    """The model inside Optional[...] / list[...] / Annotated[...] annotations."""
    for arg in getattr(ann, "__args__", ()) or ():
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return ann


def _did_you_mean(root: type[BaseModel] | None, path: tuple[str, ...]) -> str:
    model = _model_at(root, path[:-1]) if root is not None and path else None
    if model is None:
        return ""
    close = difflib.get_close_matches(path[-1], list(model.model_fields), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Origins:
    """Where each key of a config was set: the last `--set` (or `--run`) touching it, else its line in the YAML
    file (from PyYAML's node marks), else the file itself (a default)."""

    def __init__(self, root: type[BaseModel], file: Path, lines: dict[tuple[str, ...], int]):
        self.root = root
        self.file = file
        self.lines = lines
        self.flags: list[tuple[tuple[str, ...], str]] = []  # (key path, the flag as typed), in order

    def add_flag(self, path: list[str], flag: str) -> None:
        self.flags.append((tuple(path), flag))

    def of(self, paths: list[tuple[str, ...]]) -> str:
        for path in paths:
            for fpath, flag in reversed(self.flags):
                n = min(len(fpath), len(path))
                if path and fpath[:n] == path[:n]:
                    return flag
        for path in paths:  # a key written in the file, else the nearest section that is
            if path in self.lines:
                return f"{self.file}:{self.lines[path]}"
        for path in paths:
            for n in range(len(path) - 1, 0, -1):
                if path[:n] in self.lines:
                    return f"{self.file}:{self.lines[path[:n]]}"
        return str(self.file)

    def error(self, e: ValidationError) -> ConfigError:
        err = e.errors()[0]
        paths = _error_paths(err)
        where = ".".join(paths[0])
        text = f"{self.of(paths)}: {where + ': ' if where else ''}{message(err, self.root)}"
        return ConfigError(" ".join(text.split()))


def _yaml_lines(node: yaml.Node, file: Path, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Key path -> line (1-based) of every key and list item in a composed YAML document. A key given twice in
    one mapping (YAML keeps the last silently) is an error naming both lines."""
    out: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            p = (*path, str(key_node.value))
            line = key_node.start_mark.line + 1
            if p in out:
                raise ConfigError(f"{file}:{line}: duplicate key {'.'.join(p)} (first at line {out[p]})")
            out[p] = line
            out.update(_yaml_lines(value_node, file, p))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            p = (*path, str(i))
            out[p] = item.start_mark.line + 1
            out.update(_yaml_lines(item, file, p))
    return out


def parse_override(text: str) -> tuple[list[str], Any]:
    """`section.key=value` -> (["section", "key"], parsed value). Values are YAML scalars/lists."""
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected section.key=value")
    key, raw = text.split("=", 1)
    path = [p for p in key.strip().split(".") if p]
    if not path:
        raise ConfigError(f"--set {text!r}: empty key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return path, value


def apply_override(data: dict, path: list[str], value: Any) -> None:
    node: Any = data
    for i, part in enumerate(path[:-1]):
        if isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                raise ConfigError(f"--set {'.'.join(path)}: no list item {part!r}") from None
            continue
        if not isinstance(node, dict):
            raise ConfigError(f"--set {'.'.join(path)}: {'.'.join(path[:i])} is not a section")
        node = node.setdefault(part, {})
    last = path[-1]
    if isinstance(node, list):
        try:
            node[int(last)] = value
        except (ValueError, IndexError):
            raise ConfigError(f"--set {'.'.join(path)}: no list item {last!r}") from None
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ConfigError(f"--set {'.'.join(path)}: {'.'.join(path[:-1])} is not a section")


def _merge(base: Any, top: Any) -> Any:
    if isinstance(base, dict) and isinstance(top, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in top.items()}}
    return top


def _with_defaults(root: type[BaseModel], data: dict) -> dict:
    """The file's values over the full defaults, so `--set` can reach keys the file leaves out (including list
    items such as sample.models.0.batch). Sections whose fields exclude each other (seeds: path OR hf_dataset)
    are taken whole from the file when it has them."""
    defaults = root().model_dump(mode="json")
    merged = _merge(defaults, {k: v for k, v in data.items() if k != "seeds"})
    if "seeds" in data:
        merged["seeds"] = data["seeds"]
    return merged


def load(root: type[M], path: Path, overrides: list[str], run_name: str | None = None) -> M:
    """Read the YAML file, apply `--set` overrides (and `--run`), validate as `root`; see the module docstring."""
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: top level must be a mapping of sections")
    origins = _Origins(root, path, _yaml_lines(node, path) if node is not None else {})
    data = _with_defaults(root, copy.deepcopy(data)) if overrides else copy.deepcopy(data)
    for o in overrides:
        key_path, value = parse_override(o)
        apply_override(data, key_path, value)
        origins.add_flag(key_path, f"--set {o.strip()}")
    if run_name:
        data.setdefault("run", {})["name"] = run_name
        origins.add_flag(["run", "name"], f"--run {run_name}")
    try:
        return root(**data)
    except ValidationError as e:
        raise origins.error(e) from None
