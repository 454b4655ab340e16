"""`fluxzoo update` over a whole zoo across a template change.

The zoo holds entries made with the previous released template (rendered from
`template_history/<version>/`, as `fluxzoo new` made them then), one of them edited where the
template changed, and entries adopted from `fixtures/legacy_zoo` and recorded as adopted under
that version. Updating the zoo merges the fresh entries, brings what the standard owns in the
adopted ones up to date without touching their code, and prints one line per entry.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
import sys
from pathlib import Path

import pytest
from docs_page import about
from fluxzoo import _paths, answers, migrations
from fluxzoo.checks.registry import Rule
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main
from fluxzoo.literate import markdown
from fluxzoo.render import render_entry
from fluxzoo.sync import derived_files, entry_options
from markdown_it import MarkdownIt

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HISTORY = _paths.repo_root() / "template_history"
NEW = answers.template_version()
OLD = max(
    (p.name for p in HISTORY.iterdir() if (p / "cookiecutter.json").is_file()),
    key=migrations.parse,
)
OLD_CONFIG = json.loads((HISTORY / OLD / "cookiecutter.json").read_text(encoding="utf-8"))
LEGACY_ZOO = Path(__file__).parent / "fixtures" / "legacy_zoo"
ADOPTED = ("text/old_rnn", "vision/old_convnet")
MY_LINE = "# My own words, where the template changed its own"


def made_with_old_template(zoo: Path, category: str, slug: str, kind: str, **given: str) -> Path:
    """An entry as `fluxzoo new` made it with template OLD (its defaults, its files)."""
    resolved = answers.resolve(
        {
            "title": f"The {slug} tutorial",
            "slug": slug,
            "kind": kind,
            "category": category,
            "created": "2024-05-01",
            "author_name": "A. Person",
            "expected_runtime": OLD_CONFIG["expected_runtime"],
            **given,
        }
    )
    return render_entry(resolved, zoo / category / slug, template=HISTORY / OLD)


def render_new(entry: Path) -> dict[str, str]:
    """What the current template makes from the entry's recorded answers."""
    meta = tomllib.loads((entry / "tutorial.toml").read_text(encoding="utf-8"))
    out = entry.parent.parent.parent / "fresh" / entry.name
    render_entry(answers.resolve(meta["fluxzoo"]["answers"]), out)
    return {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.jl")}


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def changed_line(entry: Path, slug: str) -> str:
    """A line of the entry's script where the current template changed it: the first line it
    no longer writes, or the line its first addition follows (a change there conflicts too)."""
    new = render_new(entry)[f"{slug}.jl"].splitlines()
    script = (entry / f"{slug}.jl").read_text(encoding="utf-8").splitlines()
    matcher = difflib.SequenceMatcher(a=script, b=new, autojunk=False)
    tag, start, _, _, _ = next(op for op in matcher.get_opcodes() if op[0] != "equal")
    line = script[start if tag != "insert" else start - 1]
    assert line.strip() and script.count(line) == 1, line
    return line


@pytest.fixture
def zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    assert migrations.parse(OLD) < migrations.parse(NEW)
    zoo = tmp_path / "zoo"
    shutil.copytree(LEGACY_ZOO, zoo)
    monkeypatch.chdir(zoo)
    for rel in ADOPTED:
        assert main(["adopt", rel]) == 0
        entry = zoo / rel
        # As adopted under OLD: that version recorded, no tests, a shorter .gitignore,
        # a stale notebook, and comments of the maintainer's own in the TOML files.
        edit(entry / "tutorial.toml", f'template_version = "{NEW}"', f'template_version = "{OLD}"')
        edit(entry / "tutorial.toml", "[tested]\n", "[tested]  # as the Manifest said\n")
        (entry / "test" / "runtests.jl").unlink()
        (entry / "test").rmdir()
        (entry / ".gitignore").write_text("runs/\n", encoding="utf-8")
        (entry / f"{entry.name}.ipynb").unlink()
        project = entry / "Project.toml"
        text = project.read_text(encoding="utf-8")
        for line in ('Test = "8dfed614-e22c-5e08-85e1-65c5234f0b40"\n', 'test = ["Test"]\n'):
            text = text.replace(line, "")
        project.write_text("# kept by update\n" + text, encoding="utf-8")
    made_with_old_template(zoo, "other", "line_fit", "blank")
    tl = made_with_old_template(zoo, "vision", "pretrained", "transfer_learning")
    edit(tl / "pretrained.jl", "    seed::Int = 42\n", "    seed::Int = 7  # the contributor's\n")
    mine = made_with_old_template(zoo, "other", "mine", "blank")
    edit(mine / "mine.jl", changed_line(mine, "mine"), MY_LINE)
    (zoo / "contrib" / "not_yet").mkdir(parents=True)
    (zoo / "contrib" / "not_yet" / "game.jl").write_text("using Flux\n", encoding="utf-8")
    capsys.readouterr()
    return zoo


def test_update_of_a_zoo_across_a_template_change(zoo: Path, capsys: pytest.CaptureFixture[str]):
    adopted_code = {rel: (zoo / rel / f"{Path(rel).name}.jl").read_bytes() for rel in ADOPTED}
    fresh_line_fit = render_new(zoo / "other" / "line_fit")
    made_by_new = ("other/line_fit", "other/mine", "vision/pretrained")
    migrated = {
        rel: migrations.migrate((zoo / rel / "tutorial.toml").read_text("utf-8"), OLD, NEW)
        for rel in made_by_new
    }

    assert main(["update", "."]) == 1  # one entry conflicts
    status: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    entry = ""
    for line in capsys.readouterr().err.splitlines():
        if line.startswith("  note: "):
            notes[entry].append(line)
        else:
            entry, said = line.split(": ", 1)
            status[entry], notes[entry] = said, []
    assert sorted(status) == [
        "contrib/not_yet",
        "other/line_fit",
        "other/mine",
        "text/old_rnn",
        "vision/old_convnet",
        "vision/pretrained",
    ]
    assert status["contrib/not_yet"].startswith("skipped: not in the standard yet")
    assert "fluxzoo adopt contrib/not_yet" in status["contrib/not_yet"]
    assert status["other/mine"].startswith("conflicts in mine.jl (1)")
    for rel in ("other/line_fit", "vision/pretrained", *ADOPTED):
        assert status[rel].startswith(f"updated (template {OLD} -> {NEW}): "), status[rel]
    for rel, (_, said) in migrated.items():  # the migration's notes, before the merge's own
        assert notes[rel][: len(said)] == [f"  note: {n}" for n in said], rel

    # Fresh entries: the template's change merged, the contributor's kept.
    assert {
        rel: (zoo / "other" / "line_fit" / rel).read_text("utf-8") for rel in fresh_line_fit
    } == fresh_line_fit
    script = (zoo / "vision" / "pretrained" / "pretrained.jl").read_text("utf-8")
    assert "seed::Int = 7  # the contributor's" in script
    meta = tomllib.loads((zoo / "vision" / "pretrained" / "tutorial.toml").read_text("utf-8"))
    assert meta["fluxzoo"]["template_version"] == NEW
    assert meta == tomllib.loads(migrated["vision/pretrained"][0])
    assert meta["fluxzoo"]["answers"]["expected_runtime"] == meta["expected_runtime"]

    # The conflict is in the file, reported by FZ303 at the block, not as syntax errors.
    mine = zoo / "other" / "mine"
    text = (mine / "mine.jl").read_text("utf-8")
    assert MY_LINE in text and "<<<<<<< mine.jl (yours)" in text
    found = check_entry(mine, [Rule.from_code(c) for c in ("FZ301", "FZ303")])
    start = text.splitlines().index("<<<<<<< mine.jl (yours)") + 1
    assert [(d.code, d.line) for d in found] == [("FZ303", start)]

    # Adopted entries: what the standard owns is current, their code is untouched.
    for rel in ADOPTED:
        entry = zoo / rel
        assert (entry / f"{entry.name}.jl").read_bytes() == adopted_code[rel]
        assert (entry / "test" / "runtests.jl").is_file()
        project_text = (entry / "Project.toml").read_text("utf-8")
        assert project_text.startswith("# kept by update\n")
        project = tomllib.loads(project_text)
        assert "Test" in project["extras"] and "Test" in project["targets"]["test"]
        ignore = (entry / ".gitignore").read_text("utf-8").splitlines()
        assert ignore[0] == "runs/" and "*.bson" in ignore
        meta_text = (entry / "tutorial.toml").read_text("utf-8")
        assert "[tested]  # as the Manifest said" in meta_text
        assert tomllib.loads(meta_text)["fluxzoo"] == {"template_version": NEW}
    for rel in ("other/line_fit", "vision/pretrained", *ADOPTED):
        for name, wanted in derived_files(zoo / rel).items():
            assert (zoo / rel / name).read_text("utf-8") == wanted, f"{rel}/{name} is stale"

    # Everything is current now: a second run changes no byte.
    before = snapshot(zoo)
    assert main(["update"]) == 0
    err = capsys.readouterr().err
    assert err.count(": already current") == 5 and "other/mine: already current" in err
    assert "mine.jl has merge-conflict markers (FZ303)" in err
    assert snapshot(zoo) == before


def test_dry_run_over_the_zoo_writes_nothing(zoo: Path, capsys: pytest.CaptureFixture[str]):
    before = snapshot(zoo)
    assert main(["update", "--dry-run", "other", "text"]) == 1
    out, err = capsys.readouterr()
    assert snapshot(zoo) == before
    assert "+++ b/text/old_rnn/test/runtests.jl" in out
    assert "+++ b/other/line_fit/line_fit.jl" in out
    assert "vision/" not in out + err
    assert "Nothing was written (--dry-run)." in err


def test_a_readme_in_the_documenter_flavor_becomes_commonmark_beside_its_own_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before 1.2.0, README.md was the docs page in the entry's flavor, so GitHub showed
    Documenter's `@example` blocks; update makes it CommonMark and writes `<slug>.md`."""
    entry = made_with_old_template(
        tmp_path, "vision", "digits", "image_classification", docs_flavor="documenter"
    )
    source, options = entry_options(entry)
    old_readme = markdown(source.read_text(encoding="utf-8"), options)  # as fluxzoo 0.1 wrote it
    (entry / "README.md").write_text(old_readme, encoding="utf-8")
    (entry / "digits.md").unlink()
    assert main(["sync", "--check", str(entry)]) == 1
    capsys.readouterr()

    assert main(["update", str(entry)]) == 0
    said, *notes = capsys.readouterr().err.splitlines()
    assert f"updated (template {OLD} -> {NEW}): " in said, said
    assert not [note for note in notes if "digits.md" in note], notes  # derived, not merged
    assert "README.md" in said and "digits.md" in said
    wanted = derived_files(entry)
    assert sorted(wanted) == ["README.md", "digits.ipynb", "digits.md"]
    assert {name: (entry / name).read_text("utf-8") for name in wanted} == wanted
    page = wanted["digits.md"]
    assert page.startswith('```@meta\nEditURL = "digits.jl"\n```\n') and "````@example" in page
    readme = wanted["README.md"]
    fences = {t.info for t in MarkdownIt("commonmark").parse(readme) if t.type == "fence"}
    assert fences == {"julia"}
    assert about(readme) == about(page) and about(readme)["Authors"].startswith("A. Person")
    assert main(["sync", "--check", str(entry)]) == 0
