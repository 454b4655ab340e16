"""The `fluxzoo` command: parses arguments, calls the package, maps errors to exit codes.

This is the only module that prints errors and picks exit codes. Work happens in the modules
each subcommand names; they are imported only when that subcommand runs, so `--help` is fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from fluxzoo import __version__, completion
from fluxzoo.errors import Aborted, FluxzooError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its one-line message, drop the usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"fluxzoo: error: {message} (see '{self.prog} --help')\n")


class _Version(argparse.Action):
    """`--version` names the template version too; it is read only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs["help"])
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from fluxzoo.answers import template_version

        print(f"fluxzoo {__version__} (template {template_version()})")
        parser.exit(0)


def _runs(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """A subcommand handler that imports its module only when that subcommand runs."""

    def run(args: argparse.Namespace) -> int:
        return int(getattr(importlib.import_module(module), function)(args))

    return run


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="entries, categories or a zoo (default: .)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fluxzoo",
        description="Scaffold, sync and check standard tutorial entries for the FluxML model zoo.",
    )
    parser.add_argument(
        "--version", action=_Version, help="print the fluxzoo and template versions, then exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("new", help="create a new tutorial entry")
    p.add_argument(
        "--no-input", action="store_true", help="ask nothing; use defaults, --set and --answers"
    )
    p.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="give one answer (repeatable); e.g. --set title='Digits with a CNN'",
    ).completer = completion.answer_assignments  # type: ignore[attr-defined]
    p.add_argument(
        "--answers", type=Path, metavar="FILE", help="answers from a JSON, YAML or TOML file"
    )
    p.add_argument(
        "--zoo",
        type=Path,
        metavar="DIR",
        help="a model-zoo checkout: place the entry at <category>/<slug>/",
    )
    p.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="create the entry folder inside DIR (default: .)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the answers and the files it would write; write nothing",
    )
    p.add_argument(
        "--list-kinds", action="store_true", help="print the tutorial kinds, one a line, then exit"
    )
    p.set_defaults(func=_runs("fluxzoo.new", "run_new"))

    p = sub.add_parser(
        "sync", help="regenerate the notebook and docs page from each entry's script"
    )
    _add_paths(p)
    p.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 naming each stale derived file"
    )
    p.set_defaults(func=_runs("fluxzoo.sync", "run_sync"))

    p = sub.add_parser("check", help="check entries against the standard")
    _add_paths(p)
    p.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format"
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--select", metavar="CODES", help="only these rule codes or prefixes, comma-separated"
    ).completer = completion.rule_codes  # type: ignore[attr-defined]
    p.add_argument(
        "--ignore", metavar="CODES", help="skip these rule codes or prefixes, comma-separated"
    ).completer = completion.rule_codes  # type: ignore[attr-defined]
    p.add_argument(
        "--list-rules", action="store_true", help="print every rule with its id and explanation"
    )
    p.add_argument(
        "--fix", action="store_true", help="apply the safe fixes, then report what is left"
    )
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff: also the mechanical API renames (check them with --diff)",
    )
    p.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    p.add_argument(
        "--explain", metavar="CODE", help="print the documentation of one rule"
    ).completer = completion.rule_code  # type: ignore[attr-defined]
    p.add_argument(
        "--statistics", action="store_true", help="print the number of findings per rule"
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="check every entry again, neither reading nor writing the result cache",
    )
    p.set_defaults(func=_runs("fluxzoo.checks.runner", "run_check"))

    p = sub.add_parser("index", help="write the catalog of all entries")
    p.add_argument(
        "--zoo", type=Path, default=Path(), metavar="DIR", help="the zoo checkout (default: .)"
    )
    p.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )
    p.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    p.add_argument("--check", action="store_true", help="exit 1 when FILE is not up to date")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=(
            "only the entries holding these files or folders "
            "(CI passes a pull request's changed files)"
        ),
    )
    p.set_defaults(func=_runs("fluxzoo.index", "run_index"))

    p = sub.add_parser("site", help="build the zoo's static gallery website")
    p.add_argument(
        "--zoo", type=Path, default=Path(), metavar="DIR", help="the zoo checkout (default: .)"
    )
    p.add_argument(
        "--output",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="the folder to write (default: ./site); an earlier site there is replaced",
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="the address the site is served from, for canonical links and sitemap.xml",
    )
    p.set_defaults(func=_runs("fluxzoo.site.build", "run_site"))

    p = sub.add_parser(
        "adopt", help="bring existing model-zoo entries (or a category, or a zoo) into the standard"
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="legacy entries, or a category or zoo: every legacy entry under it",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.add_argument("--force", action="store_true", help="overwrite files the standard derives")
    p.set_defaults(func=_runs("fluxzoo.adopt.write", "run_adopt"))

    p = sub.add_parser(
        "update", help="re-apply the current template, keeping the contributor's edits"
    )
    _add_paths(p)
    p.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    p.set_defaults(func=_runs("fluxzoo.update", "run_update"))

    p = sub.add_parser(
        "init-zoo", help="write the zoo's CI workflow, PR template and CONTRIBUTING.md"
    )
    p.add_argument("zoo", type=Path, metavar="DIR")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.set_defaults(func=_runs("fluxzoo.zoo_setup", "run_init_zoo"))

    p = sub.add_parser(
        "completion",
        help="print the shell completion script; e.g. in ~/.bashrc: "
        "source <(fluxzoo completion bash)",
    )
    p.add_argument("shell", choices=completion.SHELLS)
    p.set_defaults(func=_runs("fluxzoo.completion", "run_completion"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from fluxzoo import interrupts

    previous = interrupts.install_handlers()
    interrupts.completed.clear()
    try:
        return _run(argv)
    except KeyboardInterrupt as e:  # while a message was being printed
        return _interrupted(e)
    finally:
        interrupts.restore_handlers(previous)


def _interrupted(e: KeyboardInterrupt) -> int:
    """Stopping is not an error: no "error:" prefix, and the line says what was written."""
    from fluxzoo import interrupts

    with interrupts.ignored():
        print(interrupts.interrupted_message(), file=sys.stderr)
    return interrupts.exit_status(e)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    completion.complete_if_asked(parser)
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        return int(args.func(args))
    except KeyboardInterrupt as e:
        return _interrupted(e)
    except Aborted as e:
        print(e.message, file=sys.stderr)
        return EXIT_INTERRUPTED
    except FluxzooError as e:
        print(f"fluxzoo: error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # the one place an unexpected error is reported, with its traceback
        import traceback

        traceback.print_exc()
        print(
            "fluxzoo: unexpected error (a bug in fluxzoo); "
            "please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
