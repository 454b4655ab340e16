"""`fluxzoo adopt`: bring an entry written before the standard into it, losing nothing.

Decisions, and why:

- The README's prose moves into the Literate source, as markdown comment lines after the title.
  In the standard `README.md` is derived from `<slug>.jl`; keeping the old README beside the
  script would make `fluxzoo check` report it as stale on every run, and renaming it would split
  the text readers see from the code. Moved, the prose appears in the derived README and the
  notebook, and a contributor edits one file from then on.
- The code is kept byte for byte, except comment lines that Literate would otherwise read as
  markdown in the middle of a statement (an indented `# note` inside a function, a `#-` inside a
  call): they get one more `#`, which Literate removes again in the derived files. Comments at
  the top level between statements become the tutorial's prose, as Literate intends.
- The main script is `<folder>.jl` when there is one, otherwise the Julia file that no other
  file includes and that looks most like training (`train!`, `gradient`, epochs), renamed to
  `<slug>.jl`. The other Julia files are kept where they are; those the main script does not
  include are named in a `TODO(fluxzoo):` line for a person to fold in, include or move.
- Metadata comes from what the entry says about itself: the title from the README's first
  heading, the description from its first paragraph, the Julia and Flux versions it was last
  tested with from Manifest.toml (what it was really resolved with), else from `[compat]`.
  Values are recorded honestly even when the standard wants newer ones, so `fluxzoo check` then
  reports what the legacy code lacks; what cannot be known is a `TODO(fluxzoo):` marker.
- `[fluxzoo]` gets the template version the entry was adopted into and no `answers`: the entry
  was not rendered from the template, so `fluxzoo update` has nothing to re-apply to it.
- Missing files are added (tutorial.toml, test/runtests.jl, .gitignore, notebook and docs page);
  existing ones are kept or extended (Project.toml gains Test, .gitignore the standard patterns
  that match no committed file). A file whose content would be lost (a legacy notebook, a
  `<slug>.jl` that is not the main script) is replaced only with `--force`.
- All or nothing: the adopted entry is built in a copy beside the original and checked there;
  the two folders are swapped only when everything succeeded, and `--dry-run` stops before it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluxzoo import answers, entries, metadata
from fluxzoo.entries import GITIGNORE, MANIFEST, PROJECT, README, RUNTESTS
from fluxzoo.errors import FluxzooError, UsageError

TODO = "TODO(fluxzoo):"

_LITERATE_SPECIAL = re.compile(r"^([ \t]*)#(?= |$|-|\+)")
"""A comment line Literate reads as markdown (`# x`, `#`) or as a chunk break (`#-`, `#+`)."""
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://[^\s<>\"()\[\]]+")
_INCLUDE = re.compile(
    r"""\binclude\(\s*(?:joinpath\(\s*@__DIR__\s*,\s*)?"([^"]+\.jl)"\s*\)?\s*\)"""
)
_TRAINING = re.compile(r"\b(train!|withgradient|gradient|Flux\.setup|update!|epoch)s?\b")
_TRAIN_FUNCTION = re.compile(r"^\s*function\s+train\s*\(|^\s*train\s*\([^)]*\)\s*=", re.MULTILINE)
_GUARD = re.compile(r"abspath\(\s*PROGRAM_FILE\s*\)\s*==\s*@__FILE__")
_GPU = re.compile(r"\b(CUDA|cuDNN|AMDGPU|Metal)\b|\bgpu\b|gpu_device\(")
_MLDATASET = re.compile(r"\b(FashionMNIST|MNIST|CIFAR100|CIFAR10|SVHN2|Iris|BostonHousing)\b")
"""Datasets MLDatasets.jl downloads, by the name a script loading MLDatasets uses."""
_DESCRIPTION_MAX = 200
_TITLE_MAX = 100


@dataclass
class Change:
    """One file the adoption writes, and what a person reading the summary should know."""

    action: str
    """created, rewrote, renamed, updated or removed"""
    path: str
    note: str = ""


@dataclass
class Plan:
    """Everything adopt will do to one entry, computed before anything is written."""

    entry: Path
    slug: str
    category: str
    main_script: str
    files: dict[str, str] = field(default_factory=dict)
    """Relative path -> new text."""
    removed: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was guessed; shown so a person can check it."""


# Reading the legacy entry ------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        raise FluxzooError(
            f"not UTF-8 text (byte {e.start}); save it as UTF-8 and run adopt again", path=path
        ) from None
    except OSError as e:
        raise FluxzooError(f"cannot read: {e.strerror}", path=path) from None


def _table(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def _toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return metadata.tomllib.loads(_read(path))
    except metadata.tomllib.TOMLDecodeError as e:
        raise FluxzooError(f"invalid TOML: {e}; fix it and run adopt again", path=path) from None


def category_of(entry: Path) -> str:
    """The nearest enclosing category folder (contrib entries may sit one level deeper)."""
    for parent in entry.parents:
        if parent.name in entries.CATEGORIES:
            return parent.name
    raise UsageError(
        f"{entry}: not inside a category folder ({', '.join(entries.CATEGORIES)}); "
        "adopt works on entries of a model-zoo checkout"
    )


def _includes(source: str) -> set[str]:
    return set(_INCLUDE.findall(source))


def choose_main_script(folder: str, sources: dict[str, str]) -> str:
    """`<folder>.jl`, else the file nothing includes that trains the most (ties: by name)."""
    if f"{folder}.jl" in sources:
        return f"{folder}.jl"
    included = {name for text in sources.values() for name in _includes(text)}

    def rank(name: str) -> tuple[bool, int, str]:
        return (name in included, -len(_TRAINING.findall(sources[name])), name)

    return min(sources, key=rank)


# The README ----------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Markdown inline text as plain text: links and images by their text, no emphasis marks."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|\*|`)", "", text)
    text = re.sub(r"(?<![\w\\])__?([^_]+?)__?(?!\w)", r"\1", text)
    return " ".join(text.split())


@dataclass
class Readme:
    title: str = ""
    body: list[str] = field(default_factory=list)
    """The lines after the title heading, leading and trailing blank lines removed."""
    description: str = ""
    references: list[str] = field(default_factory=list)


def parse_readme(text: str) -> Readme:
    lines = text.split("\n")
    readme = Readme()
    fence = ""
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fence = "" if fence else "x"
        if fence:
            continue
        m = _HEADING.match(line)
        if m and len(m.group(1)) == 1:
            readme.title, start = _plain(m.group(2)), i + 1
            break
        if (
            line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and lines[i + 1].strip()[0] == "="
        ):
            readme.title, start = _plain(line), i + 2
            break
    else:
        start = 0
    body = lines[start:] if readme.title else lines
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    readme.body = [line.rstrip() for line in body]
    readme.description = _first_sentence(readme.body)
    readme.references = _references(readme.body)
    return readme


_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:al|e\.g|i\.e|etc|vs|Fig|cf)\.$")


def _sentence(text: str) -> str:
    """The first sentence of a paragraph; `et al.` and `e.g.` do not end one."""
    for m in re.finditer(r"[.!?](?=\s+\S|$)", text):
        head = text[: m.end()]
        if not _ABBREVIATION.search(head):
            return head
    return text


def _first_sentence(body: list[str]) -> str:
    """The first sentence of the first paragraph of prose (not a heading, image or link list)."""
    paragraph: list[str] = []
    fence = False
    for line in [*body, ""]:
        if _FENCE.match(line):
            fence = not fence
            paragraph = []
            continue
        if fence:
            continue
        if line.strip():
            paragraph.append(line.strip())
            continue
        raw = " ".join(paragraph)
        paragraph = []
        prose = _URL.sub("", _LINK.sub("", re.sub(r"<[^>]+>", "", raw)))
        if (
            raw.lstrip().startswith(("#", "|", ">", "-", "*", "<", "!"))
            or len(re.findall(r"[A-Za-z]", prose)) < 25
        ):
            continue
        sentence = _sentence(_plain(raw))
        if len(sentence) > _DESCRIPTION_MAX:
            sentence = sentence[: _DESCRIPTION_MAX - 3].rsplit(" ", 1)[0] + "..."
        return sentence
    return ""


def script_prose(script: str) -> list[str]:
    """The markdown comment lines a Literate-style script opens with, without their `# `."""
    lines = []
    for line in script.split("\n"):
        if line.startswith("# ") or line == "#":
            lines.append(line[2:])
        elif line.strip():
            break
        else:
            lines.append("")
    return lines


def _references(body: list[str]) -> list[str]:
    """URLs listed under a heading that mentions references or sources."""
    urls: list[str] = []
    in_refs = False
    for line in body:
        m = _HEADING.match(line)
        if m:
            in_refs = bool(re.search(r"reference|source|further reading|credit", m.group(2), re.I))
            continue
        if in_refs:
            urls.extend(u.rstrip(".,;") for u in _URL.findall(line))
    return [u for u in dict.fromkeys(urls) if answers.URL_RE.match(u)]


# The Literate source -------------------------------------------------------------------------


def _statement_rows(source: str) -> tuple[set[int], int]:
    """Rows (0-based) strictly inside a multi-line top-level statement, and how many there are."""
    from fluxzoo import julia_syntax

    tree, _ = julia_syntax._parse(source)
    inside: set[int] = set()
    for node in tree.root_node.children:
        if node.type in {"line_comment", "block_comment"}:
            continue
        first, last = node.start_point[0], node.end_point[0]
        inside.update(range(first + 1, last + 1))
    return inside, len(inside)


def escape_comments(source: str) -> tuple[str, int]:
    """The code with Literate-special comment lines inside statements (or indented) escaped.

    Returns the new text and how many lines changed.
    """
    inside, _ = _statement_rows(source)
    out = []
    changed = 0
    for row, line in enumerate(source.split("\n")):
        m = _LITERATE_SPECIAL.match(line)
        if m and (row in inside or m.group(1)):
            line = f"{m.group(1)}#{line[len(m.group(1)) :]}"
            changed += 1
        out.append(line)
    return "\n".join(out), changed


def _as_markdown_comments(lines: list[str]) -> list[str]:
    return [f"# {line}" if line.strip() else "#" for line in lines]


def literate_source(
    title: str, readme: Readme, script: str, others: list[str], background: bool
) -> tuple[str, int]:
    """The entry's Literate source: title, README prose, a note on other files, then the code."""
    code, escaped = escape_comments(script.rstrip("\n"))
    code_lines = code.split("\n")
    first = next((i for i, line in enumerate(code_lines) if line.strip()), None)
    if first is not None and re.match(r"^# # ", code_lines[first]):
        code_lines[first] = "# ## " + code_lines[first][4:]  # the page has one title
    head = [f"# # {title}", "#"]
    body = list(readme.body)
    if body and background and not _HEADING.match(body[0]):
        head += ["# ## Background", "#"]
    head += _as_markdown_comments(body)
    if others:
        if body:
            head.append("#")
        listed = ", ".join(f"`{name}`" for name in others)
        head.append(
            f"# {TODO} this entry also has {listed}, which this script does not include; "
            "fold them in, include them, or move them to entries of their own."
        )
    lines = [*head, "", *code_lines] if len(head) > 2 else [head[0], "", *code_lines]
    return "\n".join(lines).rstrip("\n") + "\n", escaped


# Metadata ------------------------------------------------------------------------------------


def _major_minor(version: str) -> str | None:
    m = re.match(r"^\s*[\^~=]?\s*(\d+)\.(\d+)", version)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _newest(spec: object) -> str | None:
    """The newest major.minor a `[compat]` entry names ("0.13.9, 0.14" -> "0.14")."""
    if not isinstance(spec, str):
        return None
    found = [v for v in (_major_minor(part) for part in spec.split(",")) if v]
    return max(found, key=lambda v: tuple(int(x) for x in v.split("."))) if found else None


def _manifest_versions(manifest: dict[str, Any]) -> tuple[str | None, str | None]:
    """(julia, Flux) as major.minor from a Manifest.toml, either format."""
    julia = manifest.get("julia_version")
    deps = manifest.get("deps") if "manifest_format" in manifest else manifest
    flux = None
    if isinstance(deps, dict) and isinstance(deps.get("Flux"), list) and deps["Flux"]:
        flux = deps["Flux"][0].get("version")
    return (
        _major_minor(julia) if isinstance(julia, str) else None,
        _major_minor(flux) if isinstance(flux, str) else None,
    )


def guess_kind(slug: str, category: str, code: str) -> str:
    text = f"{slug} {code}".lower()
    if re.search(r"gan\b|gan_|vae|diffusion|generative|autoencoder", text):
        return "generative_model"
    if "metalhead" in text or "transfer" in slug:
        return "transfer_learning"
    if category == "vision":
        return "image_classification"
    if category == "text":
        return "sequence_model"
    return "blank"


def _created(entry: Path, today: dt.date) -> str:
    """The date the folder first appears in git history, when there is one; else today."""
    try:
        out = subprocess.run(
            ["git", "log", "--reverse", "--format=%as", "--", "."],
            cwd=entry,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return today.isoformat()
    first = out.stdout.split("\n", 1)[0].strip()
    return (
        first
        if out.returncode == 0 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", first)
        else today.isoformat()
    )


def build_metadata(
    entry: Path,
    slug: str,
    category: str,
    readme: Readme,
    code: str,
    project: dict[str, Any],
    manifest: dict[str, Any],
    today: dt.date,
    plan: Plan,
) -> dict[str, Any]:
    """tutorial.toml for an adopted entry: what the entry says, else a TODO marker."""
    from fluxzoo.kinds import KINDS, MNIST

    kind = guess_kind(slug, category, code)
    plan.notes.append(f"kind guessed as {kind} (the skeleton it is closest to)")
    title = readme.title[:_TITLE_MAX] or " ".join(re.split(r"[-_]+", slug)).capitalize()
    if not readme.title:
        plan.notes.append(f"title taken from the folder name: {title!r}")
    compat = _table(project, "compat")
    m_julia, m_flux = _manifest_versions(manifest)
    julia = (
        m_julia or _newest(compat.get("julia")) or f"{TODO} the Julia version it was last run with"
    )
    flux = m_flux or _newest(compat.get("Flux")) or f"{TODO} the Flux version it was last run with"
    deps = _table(project, "deps")
    gpu = bool(_GPU.search(code)) or any(
        name in deps for name in ("CUDA", "cuDNN", "AMDGPU", "Metal")
    )
    authors = project.get("authors")
    meta: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "category": category,
        "kind": kind,
        "description": readme.description or f"{TODO} say in one line what this tutorial teaches.",
        "tags": list(dict.fromkeys([category, *KINDS[kind].tags])),
        "difficulty": "beginner" if category == "tutorials" else "intermediate",
        "authors": [str(a) for a in authors]
        if isinstance(authors, list) and authors
        else [f"{TODO} the original authors (see the git history of this folder)"],
        "created": _created(entry, today),
        "updated": today.isoformat(),
        "hardware": "gpu-optional" if gpu else "cpu",
    }
    if gpu:
        meta["gpu_backend"] = (
            "AMDGPU" if "AMDGPU" in code else "Metal" if "Metal" in deps else "CUDA"
        )
    meta |= {
        "expected_runtime": f"{TODO} how long a full run takes, and on what hardware",
        "references": readme.references,
        "docs_flavor": "commonmark",
        "tested": {"julia": julia, "flux": flux},
    }
    if KINDS[kind].needs_dataset:
        m = _MLDATASET.search(code) if "MLDatasets" in code else None
        licences = {"MNIST": MNIST.license}
        if m:
            name = m.group(1)
            meta["dataset"] = {
                "name": name,
                "source": f"downloaded on first use by MLDatasets.jl (`MLDatasets.{name}`)",
                "license": licences.get(name, f"{TODO} the dataset's licence"),
            }
        else:
            meta["dataset"] = {
                "name": f"{TODO} the dataset's name",
                "source": f"{TODO} where the data comes from and how it is fetched",
                "license": f"{TODO} the dataset's licence",
            }
    meta["fluxzoo"] = {"template_version": answers.template_version()}
    return meta


# Project.toml, tests, .gitignore ---------------------------------------------------------------


def project_with_test(
    project: dict[str, Any], imported: set[str], plan: Plan
) -> dict[str, Any] | None:
    """Project.toml with Test as a test-only dependency (or a new one); None when unchanged."""
    from fluxzoo import registry

    test_uuid = registry.uuid("Test")
    if not project:
        deps = {name: registry.uuid(name) for name in sorted(imported) if registry.uuid(name)}
        unknown = sorted(name for name in imported if not registry.uuid(name))
        project = {"deps": deps, "compat": {}}
        plan.notes.append(
            "Project.toml was missing: [deps] made from the packages the code loads"
            + (f" (not found in the registry: {', '.join(unknown)})" if unknown else "")
        )
    deps = project.get("deps", {})
    extras = dict(project.get("extras", {}))
    targets = dict(project.get("targets", {}))
    test_target = list(targets.get("test", []))
    compat = dict(project.get("compat", {}))
    if "Test" in deps or ("Test" in extras and "Test" in test_target and "Test" in compat):
        return None
    extras["Test"] = test_uuid
    if "Test" not in test_target:
        test_target.append("Test")
    compat.setdefault("Test", "1")
    updated = {k: v for k, v in project.items() if k not in ("compat", "extras", "targets")}
    updated["compat"] = dict(sorted(compat.items()))
    updated["extras"] = extras
    updated["targets"] = {**targets, "test": test_target}
    return updated


_TEST_GUARDED = """\
# Smoke test written by `fluxzoo adopt`: the script is included inside a module, where its
# `PROGRAM_FILE` guard keeps it from training.
# TODO(fluxzoo): train for a few steps on a tiny subset and check the output shapes, a finite
# loss and that it decreases, as the tests of entries made by `fluxzoo new` do.
# Run it with `julia --project=. test/runtests.jl` from the entry's folder.

using Test

module Tutorial
include(joinpath(@__DIR__, "..", "{slug}.jl"))
end

@testset "{slug}" begin
    @test Tutorial isa Module{train}
end
"""

_TEST_UNGUARDED = """\
# Smoke test written by `fluxzoo adopt`. The script trains as soon as it is included, so this
# test can only check that it parses.
# TODO(fluxzoo): put the training behind `if abspath(PROGRAM_FILE) == @__FILE__`, then include
# the script here and train for a few steps on a tiny subset, checking the output shapes, a
# finite loss and that it decreases.
# Run it with `julia --project=. test/runtests.jl` from the entry's folder.

using Test

@testset "{slug}" begin
    source = joinpath(@__DIR__, "..", "{slug}.jl")
    parsed = Meta.parseall(read(source, String); filename = source)
    @test !any(ex -> Meta.isexpr(ex, (:error, :incomplete)), parsed.args)
end
"""


def runtests(slug: str, script: str) -> str:
    """test/runtests.jl for an adopted script (the slug needs no escaping in a Julia string)."""
    if not _GUARD.search(script):
        return _TEST_UNGUARDED.format(slug=slug)
    train = "\n    @test isdefined(Tutorial, :train)" if _TRAIN_FUNCTION.search(script) else ""
    return _TEST_GUARDED.format(slug=slug, train=train)


def _standard_gitignore() -> list[str]:
    from fluxzoo import _paths

    path = _paths.template_dir() / "{{cookiecutter.slug}}" / GITIGNORE
    return _read(path).splitlines()


def gitignore(existing: str | None, files: list[str]) -> tuple[str | None, list[str]]:
    """The .gitignore with the standard's patterns added, and the patterns left out.

    A pattern that matches a committed file is left out (and reported): adding it would hide
    that file from git and from `fluxzoo check`.
    """
    import pathspec

    have = {line.strip() for line in (existing or "").splitlines()}
    groups: list[tuple[str, list[str]]] = []
    for line in _standard_gitignore():
        if line.startswith("#") or not groups:
            groups.append((line if line.startswith("#") else "", []))
        if line.strip() and not line.startswith("#"):
            groups[-1][1].append(line.strip())
    added: list[str] = []
    skipped: list[str] = []
    for comment, patterns in groups:
        new = [p for p in patterns if p not in have]
        hiding = [
            p
            for p in new
            if any(pathspec.GitIgnoreSpec.from_lines([p]).match_file(f) for f in files)
        ]
        skipped += hiding
        kept = [p for p in new if p not in hiding]
        if kept:
            added += ([comment] if comment else []) + kept
    if not added:
        return None, skipped
    prefix = existing.rstrip("\n") + "\n\n" if existing and existing.strip() else ""
    return prefix + "\n".join(added) + "\n", skipped


# Planning ------------------------------------------------------------------------------------


def _files(entry: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(entry):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        rel = Path(dirpath).relative_to(entry)
        found += [(rel / f).as_posix() for f in filenames]
    return sorted(found)


def plan_adoption(entry: Path, *, force: bool = False, today: dt.date | None = None) -> Plan:
    """Everything adopting `entry` would write; raises before anything is written."""
    from fluxzoo import julia_syntax
    from fluxzoo.kinds import KINDS

    today = today or dt.date.today()
    if not entry.is_dir():
        raise UsageError(f"{entry}: not a folder; give the folder of a model-zoo entry")
    if entries.is_entry(entry):
        raise UsageError(
            f"{entry}: already in the standard (it has {metadata.FILENAME}); "
            "use 'fluxzoo update' or 'fluxzoo sync' instead"
        )
    entry = entry.resolve()
    slug = entry.name
    try:
        answers.validate("slug", slug)
    except FluxzooError:
        suggestion = answers.slugify(slug)
        raise UsageError(
            f"{entry}: the folder name {slug!r} cannot be a slug "
            "(lowercase letters, digits, '_' and '-'); "
            f"rename the folder (e.g. git mv {slug} {suggestion}) and run adopt again"
        ) from None
    category = category_of(entry)
    sources = {p.name: _read(p) for p in sorted(entry.glob("*.jl")) if p.is_file()}
    if not sources:
        raise UsageError(f"{entry}: no Julia file (*.jl) in the folder; nothing to adopt")
    main = choose_main_script(slug, sources)
    plan = Plan(entry=entry, slug=slug, category=category, main_script=main)
    existing = set(_files(entry))
    target = f"{slug}.jl"
    notebook = f"{slug}.ipynb"
    clobbered = [n for n in (notebook,) if n in existing]
    if main != target and target in existing:
        clobbered.append(target)
    if clobbered and not force:
        raise FluxzooError(
            f"{entry}: adopting would replace {', '.join(clobbered)}, whose content is not kept; "
            "move it away or pass --force"
        )

    readme = parse_readme(_read(entry / README)) if README in existing else Readme()
    opening = parse_readme("\n".join(script_prose(sources[main])))
    readme.title = readme.title or opening.title
    readme.description = readme.description or opening.description
    if README not in existing:
        plan.notes.append("no README.md: the tutorial has no prose yet")
    project = _toml(entry / PROJECT)
    manifest = _toml(entry / MANIFEST)
    code = "\n".join(sources.values())
    meta = build_metadata(entry, slug, category, readme, code, project, manifest, today, plan)
    others = sorted(n for n in sources if n != main and n not in _includes(sources[main]))
    included = sorted(n for n in sources if n != main and n not in others)
    kind = KINDS[meta["kind"]]
    text, escaped = literate_source(
        meta["title"], readme, sources[main], others, "Background" in kind.sections
    )
    plan.files[target] = text
    note = "README prose moved in as Literate markdown" if readme.body else "title added"
    if escaped:
        note += f"; {escaped} comment line(s) inside code escaped as `##`"
    if main != target:
        plan.removed.append(main)
        plan.changes.append(Change("renamed", f"{main} -> {target}", note))
    else:
        plan.changes.append(Change("rewrote", target, note))
    if included:
        plan.notes.append(f"kept {', '.join(included)}, which {target} includes")
    plan.files[metadata.FILENAME] = metadata.dumps(meta)
    plan.changes.append(Change("created", metadata.FILENAME))

    imported = set().union(*(julia_syntax.imported_packages(s) for s in sources.values()))
    updated_project = project_with_test(project, imported, plan)
    if updated_project is not None:
        import tomli_w

        plan.files[PROJECT] = tomli_w.dumps(updated_project)
        plan.changes.append(
            Change(
                "updated" if project else "created", PROJECT, "Test added to [extras] and [targets]"
            )
        )
    if RUNTESTS not in existing:
        plan.files[RUNTESTS] = runtests(slug, sources[main])
        plan.changes.append(Change("created", RUNTESTS))
    ignore_text, skipped = gitignore(
        _read(entry / GITIGNORE) if GITIGNORE in existing else None, sorted(existing)
    )
    if ignore_text is not None:
        plan.files[GITIGNORE] = ignore_text
        plan.changes.append(
            Change(
                "updated" if GITIGNORE in existing else "created", GITIGNORE, "standard patterns"
            )
        )
    if skipped:
        plan.notes.append(
            f".gitignore: left out {', '.join(skipped)}, which would hide committed files"
        )
    plan.changes.append(
        Change("rewrote" if README in existing else "created", README, f"derived from {target}")
    )
    plan.changes.append(
        Change(
            "replaced" if notebook in existing else "created", notebook, f"derived from {target}"
        )
    )
    return plan


# Writing -------------------------------------------------------------------------------------


def _apply(plan: Plan, staged: Path) -> None:
    from fluxzoo.sync import derived_files

    for rel in plan.removed:
        (staged / rel).unlink()
    for rel, text in plan.files.items():
        path = staged / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    for rel, text in derived_files(staged).items():
        (staged / rel).write_text(text, encoding="utf-8", newline="\n")


def _remaining(staged: Path, shown_as: Path) -> list[str]:
    """What `fluxzoo check` still reports on the adopted entry, as lines naming `shown_as`."""
    from fluxzoo.checks.registry import all_rules
    from fluxzoo.checks.runner import check_entry

    found = check_entry(staged, all_rules().select())
    prefix = staged.as_posix()
    return [
        f"{shown_as.as_posix()}{d.path[len(prefix) :]}"
        + (f":{d.line}" if d.line else "")
        + f": {d.code} {d.message}"
        for d in found
    ]


@dataclass
class Result:
    plan: Plan
    todos: list[str]
    gaps: list[str]


def adopt(
    entry: Path, *, force: bool = False, dry_run: bool = False, today: dt.date | None = None
) -> Result:
    """Adopt `entry` (or, with `dry_run`, only work out what adopting it would do)."""
    plan = plan_adoption(entry, force=force, today=today)
    real = plan.entry
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".fluxzoo-adopt-", dir=real.parent))
    except OSError as e:
        raise FluxzooError(
            f"cannot write next to the entry: {e.strerror}", path=real.parent
        ) from None
    try:
        staged = tmp / real.name
        shutil.copytree(real, staged, symlinks=True)
        _apply(plan, staged)
        findings = _remaining(staged, entry)
        result = Result(
            plan,
            todos=[f for f in findings if TODO[:-1] in f],
            gaps=[f for f in findings if TODO[:-1] not in f],
        )
        if not dry_run:
            _swap(real, staged, tmp / f"{real.name}.orig")
    except OSError as e:
        raise FluxzooError(f"cannot adopt: {e.strerror}", path=e.filename) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _swap(real: Path, staged: Path, backup: Path) -> None:
    """Put `staged` where `real` is; on any failure (or Ctrl-C) the original stays in place."""
    real.rename(backup)
    try:
        staged.rename(real)
    except BaseException:
        backup.rename(real)
        raise


def report(result: Result, entry: Path, dry_run: bool) -> str:
    plan = result.plan
    verb = "Would adopt" if dry_run else "Adopted"
    lines = [
        f"{verb} {entry} (slug {plan.slug}, category {plan.category}, "
        f"main script {plan.main_script}):"
    ]
    width = max(len(c.action) for c in plan.changes)
    for c in plan.changes:
        lines.append(f"  {c.action:<{width}}  {c.path}" + (f"  ({c.note})" if c.note else ""))
    if plan.notes:
        lines.append("Guessed or kept; check these:")
        lines += [f"  - {n}" for n in plan.notes]
    if result.todos:
        lines.append(f"Left for a person ({TODO[:-1]} markers):")
        lines += [f"  {t}" for t in result.todos]
    if result.gaps:
        lines.append("What the legacy entry itself lacks (fluxzoo check):")
        lines += [f"  {g}" for g in result.gaps]
    if dry_run:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines) + "\n"


def run_adopt(args: argparse.Namespace) -> int:
    result = adopt(args.path, force=args.force, dry_run=args.dry_run)
    sys.stdout.write(report(result, args.path, args.dry_run))
    return 0
