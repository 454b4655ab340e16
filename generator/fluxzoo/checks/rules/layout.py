"""FZ1xx: the entry's files: what must be there, what must be readable, what must not be there."""

from __future__ import annotations

from collections.abc import Iterator

from fluxzoo import metadata
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import Applies, Edits, FixKind, Severity, fixer, rule
from fluxzoo.entries import GITIGNORE, MANIFEST, PROJECT, README, RUNTESTS

OS_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
CHECKPOINT_SUFFIXES = (".jld2", ".jld", ".bson")
DATA_SUFFIXES = (
    ".csv", ".tsv", ".npz", ".npy", ".h5", ".hdf5", ".parquet", ".arrow", ".feather",
    ".pkl", ".pickle", ".mat", ".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", "-ubyte",
)  # fmt: skip
MAX_FILE_BYTES = 1024 * 1024
ASSETS_DIR = "docs/"


def _name(rel: str) -> str:
    return rel.rsplit("/", 1)[-1]


def _is_clutter(rel: str) -> bool:
    return _name(rel) in OS_CLUTTER


def _is_checkpoint(rel: str) -> bool:
    return rel.lower().endswith(CHECKPOINT_SUFFIXES)


def _is_data(rel: str) -> bool:
    return not rel.startswith(ASSETS_DIR) and rel.lower().endswith(DATA_SUFFIXES)


@rule(
    code="FZ100",
    name="legacy-entry",
    severity=Severity.ERROR,
    summary="a folder of the zoo from before the standard (no tutorial.toml)",
    applies=Applies.LEGACY,
)
def legacy_entry(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports a folder of the zoo that holds Julia code or a `Project.toml` but no
    `tutorial.toml`: an example written before the entry standard.

    ## Why is this bad?
    Such an entry has no metadata, no notebook, no tests and no derived docs page, so neither
    the index nor CI can treat it like the others. `fluxzoo adopt` converts it. The rules that
    make sense without the standard (Project.toml, Julia syntax, stray files) still run on it.

    ## Example
    `vision/conv_mnist/` holding only `conv_mnist.jl`, `Project.toml` and `README.md`.
    """
    missing = (
        metadata.FILENAME if entry.exists(PROJECT) else f"{metadata.FILENAME}, no {PROJECT} either"
    )
    yield Finding(
        "",
        f"not in the entry standard (no {missing}); "
        f"run 'fluxzoo adopt {entry.path.as_posix()}' to convert it",
    )


_MISSING_ADVICE = {
    README: "run 'fluxzoo sync' to derive it from the script",
    PROJECT: "create it with Julia's package manager (`] activate .` then `] add Flux`)",
    RUNTESTS: "add a smoke test that includes the script and trains for a few steps",
    metadata.FILENAME: "",
    GITIGNORE: "ignore runs/, checkpoints (*.jld2, *.bson) and data caches",
}


@rule(
    code="FZ101",
    name="missing-file",
    severity=Severity.ERROR,
    summary="a file the standard requires is missing",
    fix=FixKind.SAFE,
)
def missing_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks that the entry has every file of the standard: `<slug>.jl`, `<slug>.ipynb`,
    `README.md`, `Project.toml`, `test/runtests.jl`, `tutorial.toml` and `.gitignore`, and
    the page in its docs flavor: `<slug>.md` for documenter, `<slug>.qmd` for quarto.

    ## Why is this bad?
    Readers open the notebook or the docs page, CI runs the tests in the entry's environment,
    and the index reads the metadata; each missing file breaks one of them.

    ## Example
    An entry with `my_tutorial.jl` but no `my_tutorial.ipynb`: run `fluxzoo sync` to derive it.

    ## Fix (safe)
    Derives a missing notebook or docs page from the script, as `fluxzoo sync` does. The
    other files need a person (or `fluxzoo adopt` for a folder from before the standard).
    """
    for rel in entry.required_files:
        if not entry.exists(rel):
            if rel in (entry.notebook_file, entry.flavor_page):
                advice = "run 'fluxzoo sync' to derive it from the script"
            elif rel == entry.script:
                advice = "it is the entry's Literate source; every other file derives from it"
            else:
                advice = _MISSING_ADVICE[rel]
            yield Finding(rel, f"missing {rel}" + (f"; {advice}" if advice else ""))


@fixer("FZ101")
def derive_missing(entry: EntryContext, findings: list[Finding]) -> Edits:
    from fluxzoo.checks.rules.docs import derive

    return derive(entry, findings)


@rule(
    code="FZ102",
    name="unreadable-file",
    severity=Severity.ERROR,
    summary="a file of the entry cannot be read as UTF-8 text, or is empty",
    applies=Applies.ALL,
)
def unreadable_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reads every text file the other rules look at (the required files, all Julia code,
    `Project.toml`, `Manifest.toml`) and reports those that cannot be read, are not UTF-8, or
    are empty.

    ## Why is this bad?
    Julia, Jupyter and the docs build read these files as UTF-8; a file in another encoding or an
    empty one fails there. The other rules skip a file they cannot read, so this is the finding
    that names it.

    ## Example
    A `README.md` saved as Latin-1 with an `é`: `not UTF-8 text (byte 0xe9)` at its line and column.
    """
    texts = [] if entry.legacy else list(entry.required_files)
    texts += [*entry.julia_files, PROJECT, MANIFEST]
    for rel in dict.fromkeys(texts):
        if not entry.exists(rel):
            continue
        text = entry.text(rel)
        if rel in entry.unreadable:
            yield entry.unreadable[rel]
        elif text is not None and not text.strip():
            yield Finding(rel, "the file is empty")


@rule(
    code="FZ103",
    name="os-clutter",
    severity=Severity.ERROR,
    summary="operating-system clutter such as .DS_Store is committed",
    applies=Applies.ALL,
    fix=FixKind.SAFE,
)
def os_clutter(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports `.DS_Store`, `Thumbs.db` and `desktop.ini` files anywhere in the entry.

    ## Why is this bad?
    They are written by file browsers, say nothing about the tutorial, and show up in every
    reader's checkout.

    ## Example
    `vision/my_tutorial/.DS_Store`: delete it and add `.DS_Store` to your global gitignore.

    ## Fix (safe)
    Deletes the file.
    """
    for rel in entry.files:
        if _is_clutter(rel):
            yield Finding(
                rel, f"{_name(rel)} is file-browser clutter; delete it and ignore it globally"
            )


@fixer("FZ103")
def delete_clutter(_entry: EntryContext, findings: list[Finding]) -> Edits:
    return {f.path: None for f in findings}


@rule(
    code="FZ104",
    name="checkpoint-file",
    severity=Severity.ERROR,
    summary="a model checkpoint (*.jld2, *.bson) is committed",
    applies=Applies.ALL,
)
def checkpoint_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports saved models and states (`*.jld2`, `*.jld`, `*.bson`) that are not ignored by the
    entry's `.gitignore`.

    ## Why is this bad?
    A tutorial trains its model; a committed checkpoint is large, goes stale with every Flux
    release, and hides whether the code still trains.

    ## Example
    `runs/model.jld2` with no `.gitignore` line covering it: delete it; the standard
    `.gitignore` ignores `*.jld2` and `*.bson`.
    """
    for rel in entry.files:
        if _is_checkpoint(rel):
            yield Finding(
                rel,
                "model checkpoints are not committed; "
                "delete it and ignore *.jld2 and *.bson in .gitignore",
            )


@rule(
    code="FZ105",
    name="data-file",
    severity=Severity.ERROR,
    summary="a data file (csv, npz, archives, ...) is committed outside docs/",
    applies=Applies.ALL,
)
def data_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports data files (`.csv`, `.npz`, `.h5`, archives, MNIST `-ubyte` files, ...) outside
    `docs/` that the entry's `.gitignore` does not exclude.

    ## Why is this bad?
    Datasets belong to their publisher: the script downloads them (MLDatasets.jl, DataDeps.jl,
    `Downloads.download`), which records where they come from and keeps the zoo small.

    ## Example
    `housing.csv` beside the script: download it in the script and delete the copy.
    """
    for rel in entry.files:
        if _is_data(rel) and not _is_checkpoint(rel):
            yield Finding(
                rel,
                "data files are downloaded by the script, not committed; "
                "fetch it at run time and delete it",
            )


@rule(
    code="FZ106",
    name="large-file",
    severity=Severity.ERROR,
    summary="a file over 1 MB outside docs/",
    applies=Applies.ALL,
)
def large_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports files larger than 1 MB (1,048,576 bytes) outside `docs/`, other than those already
    reported as clutter, checkpoints or data.

    ## Why is this bad?
    Every clone of the zoo carries every byte forever. Figures for the docs page go to `docs/`
    (and should be small there too); generated output belongs in `.gitignore`d folders.

    ## Example
    A 4 MB `output/animation.gif`: shrink it and move it to `docs/`, or stop committing it.
    """
    for rel in entry.files:
        if rel.startswith(ASSETS_DIR) or _is_clutter(rel) or _is_checkpoint(rel) or _is_data(rel):
            continue
        size = entry.size(rel)
        if size > MAX_FILE_BYTES:
            yield Finding(
                rel,
                f"the file is {size / 1e6:.1f} MB; files over 1 MB belong nowhere but docs/ "
                "(shrink it, move a figure to docs/, or generate it at run time)",
            )
