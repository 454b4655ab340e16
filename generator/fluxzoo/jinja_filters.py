"""The Jinja filters the template uses, loaded by cookiecutter through `_extensions`.

They make the template render the same under `fluxzoo new` and plain cookiecutter:
`answers` completes and validates the raw context exactly as fluxzoo does before rendering
(stripped text, the kind's dataset defaults, no GPU backend for CPU-only entries), `slug` is
fluxzoo's own slug rule, `julia_str` turns any answer into a safe Julia string literal,
`markdown_text` any answer into Markdown that shows it as written, and `about` the answers
into the script's "About this tutorial" list.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

_JULIA_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def julia_str(value: object) -> str:
    """A Julia string literal for `value`: `\\`, `"`, `$` and control characters escaped."""
    out = []
    for c in str(value):
        if c in _JULIA_ESCAPES:
            out.append(_JULIA_ESCAPES[c])
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>#!|~&${}]|(?<=\])\(")
"""Characters that can start markup anywhere in a line: emphasis, code, links and images, raw
HTML and entities, headings, tables, strikethrough, math (`$`, in notebooks and Documenter),
Franklin's `{{ }}`; `(` only after `]`, where Literate.jl's `[x](@ref)` filter would act."""
_MARKDOWN_LINE_START = re.compile(r"[-+=]|\d{1,9}(?=[.)])")
"""What makes a block only at the start of a line: list items, setext underlines, `1.`/`1)`."""


def markdown_text(value: object) -> str:
    """`value` as Markdown (and HTML) that renders as exactly its text, on one line.

    Every ASCII punctuation character may be backslash-escaped in CommonMark, so escaping the
    ones that can start markup keeps the text literal in the docs page, the notebook's
    markdown cells and the site, whatever the renderer, while the rest stays readable.
    """
    text = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(0), str(value))
    start = _MARKDOWN_LINE_START.match(text)
    if start:
        end = start.end()
        text = text[:end] + "\\" + text[end:] if start.group(0)[0].isdigit() else "\\" + text
    return text


def slug(title: object) -> str:
    """The slug fluxzoo suggests for a title (so plain cookiecutter suggests the same one)."""
    from fluxzoo.answers import slugify

    return slugify(str(title))


def answers(context: Mapping[str, Any]) -> dict[str, Any]:
    """The validated, completed answers of a cookiecutter context (its `_` keys left out)."""
    from fluxzoo.answers import resolve

    return resolve({k: v for k, v in context.items() if not k.startswith("_")})


def about(answers: Mapping[str, Any]) -> str:
    """The script's "About this tutorial" lines for completed answers (`fluxzoo.about`), as
    `check` (FZ408) derives them from the `tutorial.toml` the same answers make."""
    from fluxzoo import about, metadata

    return "\n".join(about.lines(metadata.from_answers(dict(answers), template_version="")))


def entry_folder(context: Mapping[str, Any]) -> str:
    """The name of the entry's folder, its slug, once every answer of the context is valid.

    The template's entry folder is named `{{entry_folder(cookiecutter)}}`, and cookiecutter
    renders that name before it creates anything or runs a hook (cookiecutter 2.7.1,
    `generate.py:359`, then the pre_gen_project hook at `:381`). So under plain cookiecutter
    a refused answer ends here, as `fluxzoo new` ends: one line, exit 2. A failing hook would
    not: cookiecutter logs its `FailedHookException` with a traceback (`hooks.py:172`).
    `fluxzoo new` and `update` render contexts they resolved, which this never refuses.
    Archived templates call it too: keep the name.
    """
    from fluxzoo.errors import FluxzooError
    from fluxzoo.hooks_impl import pre_gen

    try:
        return str(pre_gen(context)["slug"])
    except FluxzooError as e:
        print(f"fluxzoo: error: {e}", file=sys.stderr)
        raise SystemExit(e.exit_code) from None


class FluxzooExtension(Extension):
    """Adds the `julia_str`, `markdown_text`, `slug`, `answers` and `about` filters, the
    entry's commands (`install_command`, `test_command`) as written everywhere else, and
    `entry_folder`, which checks the answers first."""

    def __init__(self, environment: Environment) -> None:
        from fluxzoo import commands

        super().__init__(environment)
        environment.filters.update(
            julia_str=julia_str,
            markdown_text=markdown_text,
            slug=slug,
            answers=answers,
            about=about,
        )
        environment.globals.update(
            install_command=commands.INSTALL_COMMAND,
            test_command=commands.TEST_COMMAND,
            entry_folder=entry_folder,
        )
