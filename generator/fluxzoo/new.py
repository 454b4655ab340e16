"""`fluxzoo new`: gather the answers, render the entry, say where it is and what comes next."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

from fluxzoo import answers
from fluxzoo.errors import UsageError


def run_new(args: argparse.Namespace) -> int:
    if args.list_kinds:
        print(list_kinds())
        return 0
    given: dict[str, Any] = load_answers_file(args.answers) if args.answers else {}
    for assignment in args.assignments:
        key, value = answers.parse_assignment(assignment)
        given[key] = value
    answers.refuse_unfollowed(given)
    if args.zoo is not None and args.output_dir is not None:
        raise UsageError("--zoo and --output-dir both say where the entry goes: give one of them")
    if args.zoo is not None and not args.zoo.is_dir():
        raise UsageError(f"--zoo {args.zoo}: no such folder (give the model-zoo checkout)")
    zoo, output_dir = args.zoo, args.output_dir
    if zoo is None and output_dir is None:
        from fluxzoo.entries import find_zoo

        zoo = find_zoo(Path.cwd())  # run inside a zoo checkout: the entry goes in its category
        output_dir = None if zoo is not None else _outside_own_checkout(Path.cwd())
    beside_checkout = output_dir is not None and args.output_dir is None
    if args.no_input or not sys.stdin.isatty():
        from fluxzoo.entries import category_at

        category = category_at(Path.cwd(), zoo)
        if category is not None and "category" not in given:
            given["category"] = category  # the suggestion the questions would make
        resolved = answers.resolve(given)
        missing = [name for name in answers.NEEDS_AN_ANSWER if answers.unset(name, given.get(name))]
        if missing:
            why = "--no-input asks nothing" if args.no_input else "no terminal to ask on"
            raise UsageError(
                f"{why}, and no {' or '.join(missing)} given: give it with "
                f"--set {missing[0]}='...' or --answers FILE (the other answers take defaults)"
            )
        if beside_checkout:
            print(_BESIDE_CHECKOUT.format(output_dir), file=sys.stderr)
    else:
        from fluxzoo.prompts import ask

        if beside_checkout:
            print(_BESIDE_CHECKOUT.format(output_dir), file=sys.stderr)

        resolved = ask(given, zoo=zoo, cwd=Path.cwd(), output_dir=output_dir)

    from fluxzoo.render import render_entry

    dest = destination(resolved, zoo=zoo, output_dir=output_dir)
    if args.dry_run:
        print(dry_run(resolved, dest))
        return 0
    entry = render_entry(resolved, dest)
    print(next_steps(entry, resolved["slug"]))
    return 0


def list_kinds() -> str:
    """`--list-kinds`: each kind's name and what its skeleton is, one a line."""
    from fluxzoo.kinds import KINDS

    width = max(len(name) for name in KINDS)
    return "\n".join(f"{k.name:<{width}}  {k.summary}" for k in KINDS.values())


def dry_run(resolved: answers.Answers, dest: Path) -> str:
    """`--dry-run`: the answers, and the files `new` would write at `dest` (rendered in a
    temporary folder, so the list is what a real run writes; nothing is left behind)."""
    import os
    import tempfile

    from fluxzoo.errors import FluxzooError
    from fluxzoo.render import render_entry

    if os.path.lexists(dest):
        raise FluxzooError(
            "already exists; nothing was changed (choose another slug or folder)", path=dest
        )
    with tempfile.TemporaryDirectory(prefix=".fluxzoo-dry-run-") as tmp:
        built = render_entry(resolved, Path(tmp) / resolved["slug"], scratch=True)
        files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    width = max(len(name) for name in resolved)
    lines = ["Answers:"]
    for name, value in resolved.items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        lines.append(f"  {name:<{width}}  {shown or '(none)'}")
    lines.append(f"Files it would write in {_shown(dest)}/ (nothing was written: --dry-run):")
    lines += [f"  {name}" for name in files]
    return "\n".join(lines)


def destination(resolved: answers.Answers, *, zoo: Path | None, output_dir: Path | None) -> Path:
    """`<zoo>/<category>/<slug>/` inside a zoo checkout, else `<output-dir>/<slug>/`."""
    if zoo is not None:
        return zoo / resolved["category"] / resolved["slug"]
    return (output_dir or Path()) / resolved["slug"]


def _outside_own_checkout(cwd: Path) -> Path | None:
    """Beside fluxzoo's checkout when run inside it (entries are not fluxzoo's files), else None.

    `--output-dir .` still writes where it is told.
    """
    from fluxzoo import _paths

    own = _paths.checkout()
    if own is None or not cwd.resolve().is_relative_to(own.resolve()):
        return None
    return own.parent


_BESIDE_CHECKOUT = (
    "This is fluxzoo's own checkout, so the entry goes beside it, in {}/ "
    "(--output-dir DIR puts it elsewhere)."
)


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


def next_steps(entry: Path, slug: str, *, width: int | None = None) -> str:
    """What to do after `new`: prose wrapped to the terminal, each command on its own line.

    Commands are printed as they can be run here: `fluxzoo` as `commands.fluxzoo_command()`
    finds it, the test commands as `commands` writes them everywhere else.
    """
    from fluxzoo import commands

    width = min(width or shutil.get_terminal_size((80, 24)).columns, 100) - 1
    shown = shlex.quote(_shown(entry))
    fluxzoo = commands.fluxzoo_command()
    lines = _wrapped(f"Created the tutorial entry {_shown(entry)}/", width, "")
    lines.append("Next steps:")
    steps = [
        (f"Fill in every TODO(fluxzoo) marker in {_shown(entry)}/{slug}.jl and tutorial.toml.", []),
        (
            f"Update {slug}.ipynb and README.md from the script:",
            [f"{fluxzoo} sync {shown}"],
        ),
        ("Check it before opening the pull request:", [f"{fluxzoo} check {shown}"]),
        (
            "Install its Julia packages once, then run its tests:",
            [f"cd {shown}", commands.INSTALL_COMMAND, commands.TEST_COMMAND],
        ),
    ]
    for number, (text, runs) in enumerate(steps, 1):
        lines += _wrapped(text, width, f"  {number}. ")
        lines += [f"       {run}" for run in runs]
    return "\n".join(lines)


def _wrapped(text: str, width: int, lead: str) -> list[str]:
    """`text` wrapped at word boundaries (never inside a word or a path), after `lead`."""
    return textwrap.wrap(
        text,
        max(width, 40),
        initial_indent=lead,
        subsequent_indent=" " * len(lead),
        break_long_words=False,
        break_on_hyphens=False,
    )


def _shown(path: Path) -> str:
    """`path` relative to the current folder when it is inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
