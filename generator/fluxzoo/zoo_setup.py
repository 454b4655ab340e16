"""`fluxzoo init-zoo`: what a zoo checkout needs beside its entries to live by the standard.

It writes the CI workflow, the pull-request template with the reviewer checklist, and
CONTRIBUTING.md. The pull-request template is copied verbatim from `zoo_files/`; the workflow
gets this fluxzoo's version pinned in; CONTRIBUTING.md is filled in from the standard as this
version of fluxzoo knows it (categories, kinds, hardware classes, the rules `fluxzoo check`
runs), so regenerating it after an upgrade keeps it truthful.
Existing files are kept unless `--force` is given, and nothing is written unless all of them can
be: a zoo never ends up with half of the setup.
"""

from __future__ import annotations

import argparse
import contextlib
import string
import sys
from importlib import resources
from pathlib import Path

from fluxzoo import __version__
from fluxzoo.errors import FluxzooError, UsageError

FILES = {
    ".github/workflows/fluxzoo.yml": "fluxzoo.yml",
    ".github/pull_request_template.md": "pull_request_template.md",
    "CONTRIBUTING.md": "CONTRIBUTING.md",
}
"""Destination in the zoo -> source in `zoo_files/`."""

CATEGORY_HELP = {
    "vision": "models over images: classification, generation, detection",
    "text": "models over text and other token sequences",
    "other": "everything else: tabular data, time series, small puzzles",
    "tutorials": "tutorials that teach one concept of Flux rather than one model",
    "contrib": "community contributions that follow the standard more loosely",
}
HARDWARE_HELP = {
    "cpu": "runs anywhere in minutes; CI runs its tests",
    "gpu-optional": "faster on a GPU but fine on a CPU; CI runs its tests on a CPU",
    "gpu-required": "too slow without a GPU; CI skips its tests on the CPU runners",
}


def _source(name: str) -> str:
    return resources.files("fluxzoo").joinpath("zoo_files", name).read_text(encoding="utf-8")


def _bullets(rows: dict[str, str]) -> str:
    return "\n".join(f"- `{key}`: {text}" for key, text in rows.items())


def _rules_table() -> str:
    from fluxzoo.checks.registry import Lifecycle, all_rules

    lines = ["| Code | Rule | Severity | What it checks |", "| --- | --- | --- | --- |"]
    for rule in all_rules():
        if rule.lifecycle is Lifecycle.STABLE:
            summary = rule.summary.replace("|", "\\|")
            lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | {summary} |")
    return "\n".join(lines)


def contributing() -> str:
    """CONTRIBUTING.md for the standard as this fluxzoo implements it."""
    from fluxzoo import answers, commands, entries
    from fluxzoo.kinds import KINDS

    return string.Template(_source("CONTRIBUTING.md")).substitute(
        install_command=commands.INSTALL_COMMAND,
        test_command=commands.TEST_COMMAND,
        manifest_policy=commands.MANIFEST_POLICY,
        template_version=answers.template_version(),
        version=__version__,
        categories=_bullets({c: CATEGORY_HELP[c] for c in entries.CATEGORIES}),
        kinds=_bullets({k.name: f"{k.label}: {k.summary}" for k in KINDS.values()}),
        hardware=_bullets(HARDWARE_HELP),
        rules=_rules_table(),
    )


VERSION_PLACEHOLDER = "__FLUXZOO_VERSION__"
"""Stands for this fluxzoo's version in `zoo_files/fluxzoo.yml`, which is full of `${{ }}`."""


def workflow() -> str:
    """The zoo's workflow, installing exactly this release of fluxzoo (`fluxzoo==X.Y.Z`).

    An unpinned name would let a new fluxzoo release fail every open pull request at once; the
    pin moves when the zoo reruns `init-zoo --force` with a newer fluxzoo.
    """
    return _source("fluxzoo.yml").replace(VERSION_PLACEHOLDER, __version__)


def files() -> dict[str, str]:
    """Every file init-zoo writes, by its path in the zoo."""
    made = {"CONTRIBUTING.md": contributing, "fluxzoo.yml": workflow}
    return {dest: made[src]() if src in made else _source(src) for dest, src in FILES.items()}


def init_zoo(zoo: Path, *, force: bool = False) -> list[Path]:
    """Write the zoo's setup files into `zoo`; returns the files written."""
    if zoo.exists() and not zoo.is_dir():
        raise UsageError(f"{zoo}: not a folder; pass the root of a model-zoo checkout")
    planned = {zoo / rel: text for rel, text in files().items()}
    existing = [p for p in planned if p.exists() or p.is_symlink()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise FluxzooError(f"already exists: {names}; pass --force to overwrite")
    for path in planned:
        if path.is_dir():
            raise UsageError(f"{path}: is a folder; move it away first")
    staged: list[tuple[Path, Path]] = []
    new_folders = sorted(  # created here (the zoo itself too), so removed again on failure
        {d for path in planned for d in path.parents if not d.exists()},
        key=lambda d: len(d.parts),
        reverse=True,
    )
    try:
        for path, text in planned.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.fluxzoo-tmp")
            tmp.write_text(text, encoding="utf-8", newline="\n")
            staged.append((tmp, path))
        for tmp, path in staged:
            tmp.replace(path)
    except OSError as e:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in new_folders:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise FluxzooError(f"cannot write: {e.strerror}", path=e.filename) from None
    return list(planned)


def run_init_zoo(args: argparse.Namespace) -> int:
    created = not args.zoo.exists()
    for path in init_zoo(args.zoo, force=args.force):
        print(f"wrote {path}", file=sys.stderr)
    if created:
        print(f"created the folder {args.zoo}; put the zoo's entries in it", file=sys.stderr)
    print(
        f"Next: commit these files; the workflow installs fluxzoo=={__version__} "
        "(FLUXZOO_PACKAGE in it says so).",
        file=sys.stderr,
    )
    return 0
