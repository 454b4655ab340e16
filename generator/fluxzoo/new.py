"""`fluxzoo new`: gather the answers, render the entry, say where it is and what comes next."""

from __future__ import annotations

import argparse
import json
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
    suffix = path.suffix.lower()
    if suffix not in {".json", ".yaml", ".yml", ".toml"}:
        raise UsageError(f"--answers {path}: use a .json, .yaml, .yml or .toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "not UTF-8 text"
        raise UsageError(f"--answers {path}: cannot read: {reason}") from None
    try:
        data = _parse(text, suffix)
    except ValueError as e:  # each parser's error is a ValueError subclass
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UsageError(f"--answers {path}: not valid {suffix[1:].upper()}: {first}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--answers {path}: expected a mapping of answer names to values")
    return data


def _parse(text: str, suffix: str) -> Any:
    if suffix == ".json":
        return json.loads(text)
    if suffix == ".toml":
        from fluxzoo.metadata import tomllib

        return tomllib.loads(text)
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ValueError(" ".join(str(e).split())) from None


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
