"""The Jinja filters the template uses, loaded by cookiecutter through `_extensions`.

They make the template render the same under `fluxzoo new` and plain cookiecutter:
`answers` completes and validates the raw context exactly as fluxzoo does before rendering
(stripped text, the kind's dataset defaults, no GPU backend for CPU-only entries), `slug` is
fluxzoo's own slug rule, and `julia_str` turns any answer into a safe Julia string literal.
"""

from __future__ import annotations

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


def slug(title: object) -> str:
    """The slug fluxzoo suggests for a title (so plain cookiecutter suggests the same one)."""
    from fluxzoo.answers import slugify

    return slugify(str(title))


def answers(context: Mapping[str, Any]) -> dict[str, Any]:
    """The validated, completed answers of a cookiecutter context (its `_` keys left out)."""
    from fluxzoo.answers import resolve

    return resolve({k: v for k, v in context.items() if not k.startswith("_")})


class FluxzooExtension(Extension):
    """Adds the `julia_str`, `slug` and `answers` filters, and the entry's commands
    (`install_command`, `test_command`) as written everywhere else."""

    def __init__(self, environment: Environment) -> None:
        from fluxzoo import commands

        super().__init__(environment)
        environment.filters.update(julia_str=julia_str, slug=slug, answers=answers)
        environment.globals.update(
            install_command=commands.INSTALL_COMMAND, test_command=commands.TEST_COMMAND
        )
