"""Shell completion for bash, zsh and fish, through argcomplete.

The shell asks the `fluxzoo` command itself for candidates at each Tab (argcomplete's protocol),
so completions follow the installed fluxzoo: subcommands and options from the parser, `--set`
answer names and their choices (kind names, categories...) from the template, and rule codes
for `--select`, `--ignore` and `--explain` from the check registry.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable

SHELLS = ("bash", "zsh", "fish")


def answer_assignments(prefix: str, **_: object) -> list[str]:
    """`--set` candidates: `name=` for each answer, then the choices of the named answer."""
    from fluxzoo.answers import questions

    name, eq, _value = prefix.partition("=")
    if not eq:
        return [f"{q.name}=" for q in questions()]
    return [f"{name}={choice}" for q in questions() if q.name == name for choice in q.choices]


def _codes() -> list[str]:
    from fluxzoo.checks.registry import all_rules

    return [rule.code for rule in all_rules()]


def rule_code(prefix: str, **_: object) -> list[str]:
    """`--explain` candidates: every rule code."""
    return [code for code in _codes() if code.startswith(prefix)]


def rule_codes(prefix: str, **_: object) -> list[str]:
    """`--select`/`--ignore` candidates: the last item of a comma-separated list completes to a
    rule code or a family prefix (FZ1, FZ2...)."""
    done, _, last = prefix.rpartition(",")
    head = f"{done}," if done else ""
    codes = _codes()
    families = sorted({code[:3] for code in codes})
    return [head + c for c in families + codes if c.startswith(last)]


def complete_if_asked(parser: argparse.ArgumentParser) -> None:
    """When the shell asks for candidates (argcomplete sets _ARGCOMPLETE), answer and exit."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    argcomplete.autocomplete(parser, always_complete_options=False)


def script(shell: str, executables: Iterable[str] = ("fluxzoo",)) -> str:
    """The code that registers fluxzoo's completion in `shell`."""
    import argcomplete

    return argcomplete.shellcode(list(executables), shell=shell)


def run_completion(args: argparse.Namespace) -> int:
    sys.stdout.write(script(args.shell))
    return 0
