"""Where ifgen's runtime files are: prompt templates, run configs and seed sets.

They live in the top-level folders `prompts/`, `configs/` and `seeds/` of a checkout, where people edit them.
Building the wheel copies them into the package as `pipeline/_resources/<kind>/` (pyproject.toml, hatch
`force-include`), so an installed ifgen has them too. Code finds them only through this module, never through a
path relative to its own file, so a checkout (or an editable install) and an installed wheel behave the same.
(Files that belong to one stage, such as the report's CSS and JS, sit in that stage's package and are read with
`importlib.resources` there.)

`find` is for paths users write (`--config configs/demo.yaml`, `seeds.path: seeds/tiny.jsonl`): the path as
given when it exists, relative to the working directory as always; otherwise the shipped file of that name, so
those lines work from any directory and from an installed wheel (`--config demo` too).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

Kind = Literal["prompts", "configs", "seeds"]
KINDS: tuple[Kind, ...] = ("prompts", "configs", "seeds")
_SUFFIX: dict[Kind, str] = {"prompts": ".j2", "configs": ".yaml", "seeds": ".jsonl"}


def resource_dir(kind: Kind) -> Path:
    """The folder holding the shipped files of one kind: in the installed package, else in the checkout."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of runtime file {kind!r} (known: {', '.join(KINDS)})")
    package = resources.files(__package__ or "pipeline")
    packaged = package / "_resources" / kind
    if packaged.is_dir():
        if not isinstance(packaged, Path):  # e.g. imported from a zip file: jinja2 and yaml need real files
            raise RuntimeError(f"ifgen's {kind} are not on the file system ({packaged}); install ifgen unzipped")
        return packaged
    return Path(str(package)).parent / kind


def find(path: str | Path, kind: Kind) -> Path:
    """A file (or folder) a user named: as given if it exists, else the shipped one of that name.

    'configs/demo.yaml', 'demo.yaml' and 'demo' all name the shipped demo config when the working directory
    has no such file. A name found nowhere comes back unchanged, so the caller's error names what the user
    wrote.
    """
    given = Path(path)
    if given.exists() or given.is_absolute():
        return given
    parts = given.parts[1:] if given.parts[:1] == (kind,) else given.parts
    shipped = resource_dir(kind).joinpath(*parts)
    candidates = [shipped]
    if parts and not shipped.suffix:
        candidates.append(shipped.with_name(shipped.name + _SUFFIX[kind]))
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return given


def shipped(kind: Kind) -> list[str]:
    """Names of the shipped files of one kind (without suffix), for error messages and listings."""
    folder = resource_dir(kind)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob(f"*{_SUFFIX[kind]}") if not p.name.startswith("_"))
