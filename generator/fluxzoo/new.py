"""`fluxzoo new`: gather the answers, render the entry, say where it is and what comes next."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
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
            _say_beside_checkout(output_dir)
    else:
        from fluxzoo.prompts import ask

        if beside_checkout:
            _say_beside_checkout(output_dir)

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
        folder = zoo / resolved["category"]
        real, top = Path(os.path.realpath(folder)), Path(os.path.realpath(zoo))
        if top not in real.parents:  # a category folder linked out of the zoo
            raise UsageError(
                f"{folder}: a link out of the zoo ({real}); entries go inside the checkout, "
                "so replace the link with a folder"
            )
        return folder / resolved["slug"]
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


def _say_beside_checkout(output_dir: Path | None) -> None:
    from fluxzoo.wrapping import lines

    text = (
        f"This is fluxzoo's own checkout, so the entry goes beside it, in {output_dir}/ "
        "(--output-dir DIR puts it elsewhere)."
    )
    print("\n".join(lines(text, _columns() - 1)), file=sys.stderr)


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


def next_steps(entry: Path, slug: str, *, width: int | None = None) -> str:
    """What to do after `new`: prose wrapped to the terminal, each command on its own line.

    Commands are printed as they can be run here: `fluxzoo` as `commands.fluxzoo_command()`
    finds it, the test commands as `commands` writes them everywhere else.
    """
    from fluxzoo import commands
    from fluxzoo.wrapping import command_lines, lines

    width = min(width or _columns(), 100) - 1
    shown = shlex.quote(_shown(entry))
    fluxzoo = commands.fluxzoo_command()
    out = lines(f"Created the tutorial entry {_shown(entry)}/", width)
    out.append("Next steps:")
    steps = [
        (f"Fill in every TODO(fluxzoo) marker in its {slug}.jl and tutorial.toml.", []),
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
        out += lines(text, width, f"  {number}. ")
        for run in runs:
            out += command_lines(run, width, " " * 7)
    return "\n".join(out)


def _columns() -> int:
    """The width the terminal reports (as the questions read it: an exported $COLUMNS can be
    stale), else $COLUMNS, else 80."""
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return shutil.get_terminal_size((80, 24)).columns


def _shown(path: Path) -> str:
    """`path` relative to the current folder when it is inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
