"""`fluxzoo new`: gather the answers, render the entry, say where it is and what comes next."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from fluxzoo import answers
from fluxzoo.errors import UsageError


def run_new(args: argparse.Namespace) -> int:
    given: dict[str, Any] = load_answers_file(args.answers) if args.answers else {}
    for assignment in args.assignments:
        key, value = answers.parse_assignment(assignment)
        given[key] = value
    answers.refuse_unfollowed(given)
    if args.zoo is not None and args.output_dir is not None:
        raise UsageError("--zoo and --output-dir both say where the entry goes: give one of them")
    if args.zoo is not None and not args.zoo.is_dir():
        raise UsageError(f"--zoo {args.zoo}: no such folder (give the model-zoo checkout)")
    zoo = args.zoo
    if zoo is None and args.output_dir is None:
        from fluxzoo.entries import find_zoo

        zoo = find_zoo(Path.cwd())  # run inside a zoo checkout: the entry goes in its category
    if not args.no_input and not sys.stdin.isatty():
        missing = [name for name in answers.NEEDS_AN_ANSWER if answers.unset(name, given.get(name))]
        if missing:
            raise UsageError(
                f"no terminal to ask the questions on, and no {' or '.join(missing)} given: "
                f"give it with --set {missing[0]}='...' or --answers FILE (the other answers "
                "take their defaults), or pass --no-input to take every default"
            )
    if args.no_input or not sys.stdin.isatty():
        resolved = answers.resolve(given)
    else:
        from fluxzoo.prompts import ask

        resolved = ask(given, zoo=zoo, cwd=Path.cwd(), output_dir=args.output_dir)

    from fluxzoo.render import render_entry

    entry = render_entry(resolved, destination(resolved, zoo=zoo, output_dir=args.output_dir))
    print(next_steps(entry, resolved["slug"]))
    return 0


def destination(resolved: answers.Answers, *, zoo: Path | None, output_dir: Path | None) -> Path:
    """`<zoo>/<category>/<slug>/` inside a zoo checkout, else `<output-dir>/<slug>/`."""
    if zoo is not None:
        return zoo / resolved["category"] / resolved["slug"]
    return (output_dir or Path()) / resolved["slug"]


def load_answers_file(path: Path) -> dict[str, Any]:
    """Answers from a JSON, YAML or TOML file (by its suffix), as a mapping of answer names."""
    from fluxzoo import reading

    suffix = path.suffix.lower()
    if suffix not in {".json", ".yaml", ".yml", ".toml"}:
        raise UsageError(f"--answers {path}: use a .json, .yaml, .yml or .toml file")
    parse = {".json": reading.parse_json, ".toml": reading.parse_toml}.get(
        suffix, reading.parse_yaml
    )
    try:
        data = parse(reading.read_text(path, limit=reading.ANSWERS_LIMIT), path)
    except reading.ReadError as e:
        raise UsageError(f"--answers {e}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--answers {path}: expected a mapping of answer names to values")
    return data


def next_steps(entry: Path, slug: str) -> str:
    shown = _shown(entry)
    quoted = shlex.quote(shown)
    return "\n".join(
        [
            f"Created the tutorial entry {shown}/",
            "Next steps:",
            f"  1. Edit {shown}/{slug}.jl: fill in every TODO(fluxzoo) marker.",
            f"  2. Run 'fluxzoo sync {quoted}' to update {slug}.ipynb and README.md from it.",
            "  3. Run its tests with Julia:",
            f"       cd {quoted} && julia --project=. -e 'using Pkg; Pkg.instantiate(); "
            'include("test/runtests.jl")\'',
            f"  4. Run 'fluxzoo check {quoted}' before opening the pull request.",
        ]
    )


def _shown(path: Path) -> str:
    """`path` relative to the current folder when it is inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
