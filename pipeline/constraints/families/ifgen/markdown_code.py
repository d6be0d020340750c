"""Code in markdown: a fenced block in a named language, inline code spans, or no code fences at all."""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from . import define
from ._common import strip_fenced

# language -> the fence tags accepted for it
CODE_LANGUAGES = {
    "python": ("python", "py", "python3"),
    "javascript": ("javascript", "js", "node"),
    "typescript": ("typescript", "ts"),
    "bash": ("bash", "sh", "shell", "zsh"),
    "sql": ("sql", "postgresql", "mysql", "sqlite"),
    "rust": ("rust", "rs"),
    "go": ("go", "golang"),
    "java": ("java",),
    "c++": ("cpp", "c++", "cxx"),
}


def code_block_language(response: str, code_language: str) -> bool:
    aliases = CODE_LANGUAGES.get(code_language.lower(), (code_language.lower(),))
    ls = response.split("\n")
    for i, ln in enumerate(ls):
        m = re.match(r"^\s*```\s*([\w+#.-]+)", ln)
        if m and m.group(1).lower() in aliases and any(re.match(r"^\s*```\s*$", x) for x in ls[i + 1 :]):
            return True
    return False


define(
    "ifgen:code_block_language",
    category="format",
    description="A fenced code block tagged with the given language.",
    params=[Param("code_language", "choice", choices=tuple(CODE_LANGUAGES))],
    phrasings=[
        "Put the code in a fenced code block marked as {code_language} (```{code_language}).",
        "Write your solution in {code_language} inside a fenced markdown code block labelled with the language.",
        "Include at least one ``` code block whose opening fence names the language {code_language}.",
    ],
    check=code_block_language,
    tags=("code", "code_only"),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=F.one_value("code_language", lambda p: F.Facts().need("char:`", 6).need("lines", 2)),
    examples=[
        passes("Here:\n```py\nprint(1)\n```\n", "a common alias of the language counts", code_language="python"),
        passes("```cpp\nint main(){}\n```", code_language="c++"),
        fails("```js\nx()\n```", code_language="python"),
        fails("```python\nprint(1)\n", "the fence must be closed", code_language="python"),
    ],
)


def inline_code_count(response: str, num_inline_code: int) -> bool:
    spans = re.findall(r"(?<!`)`[^`\n]+`(?!`)", strip_fenced(response))
    return len(spans) >= num_inline_code


define(
    "ifgen:inline_code_count",
    category="format",
    description="At least n `inline code` spans.",
    params=[Param("num_inline_code", "int", 1, 6, sample=S.int_range(2, 5))],
    phrasings=[
        "Mark at least {num_inline_code} identifiers as `inline code` with backticks.",
        "Use `backtick` inline code formatting at least {num_inline_code} times.",
        "Your answer needs {num_inline_code} or more inline code spans like `this`.",
    ],
    check=inline_code_count,
    tags=("code",),
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("char:`", 2) if int(p["num_inline_code"]) else F.Facts(),
    examples=[
        passes("Use `ls` and `cd`.", num_inline_code=2),
        fails("Use `ls` only.\n```\n`x` `y`\n```", "spans inside a code fence do not count", num_inline_code=2),
    ],
)


def no_code_blocks(response: str) -> bool:
    return not any(re.match(r"^\s*(```|~~~)", ln) for ln in response.split("\n"))


define(
    "ifgen:no_code_blocks",
    category="format",
    description="No fenced code blocks at all.",
    phrasings=[
        "Do not use any fenced code blocks.",
        "Answer in prose only; no ``` code blocks anywhere.",
        "Avoid code fences entirely in your response.",
    ],
    check=no_code_blocks,
    tags=("no_code", "prose"),
    conflicts=Conflicts(ids={"ifgen:code_block_language": "no code fences vs a fenced code block"}),
    facts=None,
    examples=[
        passes("Just `inline` code and prose."),
        fails("```\ncode\n```"),
        fails("~~~\ncode\n~~~", "tilde fences count too"),
    ],
)
