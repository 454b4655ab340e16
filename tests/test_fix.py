"""`fluxzoo check --fix`: each fix repairs its rule, keeps the rest of the file, writes atomically,
changes nothing the second time and never loses a line of code.

The zoo here is `fixtures/legacy_zoo`: two examples written for the fluxzoo tests in the style
of Flux 0.11/0.12 (implicit parameters, `ADAM`, `Flux.Data.DataLoader`, `Dense(in, out)`),
adopted with `fluxzoo adopt` like the real zoo, then fixed.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest
from docs_page import about
from fluxzoo import registry
from fluxzoo.checks import fixes
from fluxzoo.checks.registry import FixKind, Rule, all_rules
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
LEGACY_ZOO = HERE / "fixtures" / "legacy_zoo"
LEGACY_ENTRIES = ("text/old_rnn", "vision/old_convnet")
FIXTURE = HERE / "fixtures" / "rules" / "tutorials" / "tiny_mlp"


def snapshot(root: Path) -> dict[str, str]:
    """Every file under `root` and the hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def adopted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """The legacy zoo, copied and adopted entry by entry, as the working folder."""
    zoo = tmp_path / "zoo"
    shutil.copytree(LEGACY_ZOO, zoo)
    monkeypatch.chdir(zoo)
    for entry in LEGACY_ENTRIES:
        assert main(["adopt", entry]) == 0
    capsys.readouterr()
    return zoo


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    dest = tmp_path / "tutorials" / "tiny_mlp"
    shutil.copytree(FIXTURE, dest)
    return dest


def fix(entry: Path, code: str) -> fixes.FixOutcome:
    outcome = fixes.plan_fixes(entry, [Rule.from_code(code)])
    fixes.apply(outcome)
    return outcome


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The registry says which rules have fixes ----------------------------------------------------


@pytest.mark.parametrize("r", list(all_rules()), ids=str)
def test_fix_kind_is_registry_data_and_documented(r: Rule) -> None:
    has_fixer = all_rules().fixer(r) is not None
    assert has_fixer == (r.fix is not None), f"{r.code}: fix={r.fix} but fixer={has_fixer}"
    documented = [line for line in r.doc.splitlines() if line.startswith("## Fix")]
    if r.fix is None:
        assert documented == []
    else:
        assert documented == [f"## Fix ({r.fix.value})"]
        assert r.doc.index("## Fix") > r.doc.index("## Example")


def test_a_fixer_needs_a_rule_that_declares_a_fix() -> None:
    from fluxzoo.checks.registry import Registry, Severity, fixer, rule

    local = Registry()

    @rule(code="FZ999", name="x-rule", severity=Severity.ERROR, summary="s", registry=local)
    def check(entry):  # type: ignore[no-untyped-def]
        return []

    with pytest.raises(ValueError, match="FZ999"):
        fixer("FZ999", registry=local)(lambda entry, findings: {})


# One rule at a time, on the clean entry made dirty ----------------------------------------


def test_missing_compat_is_added_keeping_comments_and_order(entry: Path) -> None:
    project = entry / "Project.toml"
    text = project.read_text(encoding="utf-8")
    text = "# written by hand\n" + text.replace('Flux = "0.16"\n', "").replace(
        'julia = "1.10"\n', ""
    )
    text = text.replace(
        "[deps]\n", '[deps]\nOptimisers = "3bd65402-5787-11e9-1adc-39752487f4e2"  # keep me\n'
    )
    project.write_text(text, encoding="utf-8")
    before = text.splitlines()
    fix(entry, "FZ204")
    after_text = project.read_text(encoding="utf-8")
    after = after_text.splitlines()
    assert [line for line in after if line in before] == before  # nothing moved or dropped
    compat = tomllib.loads(after_text)["compat"]
    # The policy weighs the entry's other packages and bounds: Optimisers must work with Flux.
    deps = ["Optimisers", "Flux", "Random", "Statistics", "Test"]
    bounds = {"Random": "1", "Statistics": "1", "Test": "1"}
    assert compat["Flux"] == registry.compat_bound("Flux", deps=deps, bounds=bounds)
    wanted = registry.compat_bound("Optimisers", deps=deps, bounds=bounds)
    assert compat["Optimisers"] == wanted != registry.compat_bound("Optimisers")
    assert compat["julia"] == "1.10"  # the tutorial's tested Julia
    assert check_entry(entry, [Rule.from_code("FZ204")]) == []


def test_a_bound_that_works_with_the_entrys_own_is_chosen_or_none(entry: Path) -> None:
    """An entry held at Flux 0.11 gets no Zygote bound that needs a newer Flux: a person picks."""
    project = entry / "Project.toml"
    edit(project, 'Flux = "0.16"', 'Flux = "0.11"')
    edit(project, "[deps]\n", '[deps]\nZygote = "e88e6eb3-aa80-5325-afca-941959d7151f"\n')
    assert registry.compat_bound("Zygote")  # alone, the policy has an answer
    assert fix(entry, "FZ204").changed == []
    [left] = check_entry(entry, [Rule.from_code("FZ204")])
    assert "Zygote" in left.message


def test_undeclared_package_is_added_with_uuid_and_bound(entry: Path) -> None:
    edit(entry / "tiny_mlp.jl", "using Flux", "using Flux\nusing Plots, NotAPackageAtAll")
    fix(entry, "FZ205")
    project = tomllib.loads((entry / "Project.toml").read_text(encoding="utf-8"))
    assert project["deps"]["Plots"] == registry.uuid("Plots")
    assert project["compat"]["Plots"] == registry.compat_bound("Plots")
    left = check_entry(entry, [Rule.from_code("FZ205")])
    assert [d.message.split(",")[0] for d in left] == ["loads NotAPackageAtAll"]


def test_unused_package_is_removed_everywhere(entry: Path) -> None:
    project = entry / "Project.toml"
    edit(project, "[deps]\n", '[deps]\nPlots = "91a5bcdd-55d7-5caf-9e0b-520d859cae80"\n')
    edit(project, "[compat]\n", '[compat]\nPlots = "1"\n')
    edit(project, 'test = ["Test"]', 'test = ["Test", "Plots"]')
    fix(entry, "FZ206")
    assert project.read_text(encoding="utf-8") == (FIXTURE / "Project.toml").read_text(
        encoding="utf-8"
    )


def test_a_package_still_named_in_code_is_not_removed(entry: Path) -> None:
    edit(
        entry / "Project.toml",
        "[deps]\n",
        '[deps]\nPlots = "91a5bcdd-55d7-5caf-9e0b-520d859cae80"\n',
    )
    (entry / "extra").mkdir()
    (entry / "extra" / "plots.jl").write_text("using Plots\nplot(1:3)\n", encoding="utf-8")
    assert fix(entry, "FZ206").changed == []


def test_stale_and_missing_derived_files_are_synced(entry: Path) -> None:
    edit(entry / "tiny_mlp.jl", "# ## Training", "# ## Training\n#\n# One more sentence.")
    (entry / "tiny_mlp.ipynb").unlink()
    assert fix(entry, "FZ322").changed == ["README.md"]
    assert fix(entry, "FZ101").changed == ["tiny_mlp.ipynb"]
    from fluxzoo.sync import derived_files

    for rel, text in derived_files(entry).items():
        assert (entry / rel).read_text(encoding="utf-8") == text


def test_a_documenter_entry_gets_its_own_page_and_a_commonmark_readme(entry: Path) -> None:
    """README.md written in the documenter flavor, as before the page had a file of its own."""
    from fluxzoo.literate import markdown
    from fluxzoo.sync import derived_files, entry_options

    edit(entry / "tutorial.toml", 'docs_flavor = "commonmark"', 'docs_flavor = "documenter"')
    source, options = entry_options(entry)
    (entry / "README.md").write_text(markdown(source.read_text("utf-8"), options), "utf-8")
    found = check_entry(entry, [Rule.from_code("FZ101"), Rule.from_code("FZ322")])
    assert sorted((Path(d.path).name, d.code) for d in found) == [
        ("README.md", "FZ322"),
        ("tiny_mlp.md", "FZ101"),
    ]
    assert all("run 'fluxzoo sync'" in d.message for d in found)
    assert fix(entry, "FZ101").changed == ["tiny_mlp.md"]
    assert fix(entry, "FZ322").changed == ["README.md"]
    wanted = derived_files(entry)
    assert {rel: (entry / rel).read_text(encoding="utf-8") for rel in wanted} == wanted
    assert "```@meta" in wanted["tiny_mlp.md"] and "@meta" not in wanted["README.md"]


def test_the_about_list_is_written_again_from_tutorial_toml(tmp_path: Path) -> None:
    """A runtime timed and written into tutorial.toml reaches the script's list and the page."""
    from fluxzoo.sync import derived_files

    given = ["--set", "title=Timed", "--set", "kind=blank", "--set", "references=https://a.org/x_y"]
    assert main(["new", "--no-input", "--output-dir", str(tmp_path), *given]) == 0
    entry = tmp_path / "timed"
    assert check_entry(entry, [Rule.from_code("FZ408")]) == []  # as the template wrote it
    script = (entry / "timed.jl").read_text(encoding="utf-8")
    toml = (entry / "tutorial.toml").read_text(encoding="utf-8")
    runtime = next(line for line in toml.splitlines() if line.startswith("expected_runtime = "))
    (entry / "tutorial.toml").write_text(
        toml.replace(runtime, 'expected_runtime = "8 minutes on a *laptop* CPU"'), "utf-8"
    )
    [found] = check_entry(entry, [Rule.from_code("FZ408")])
    assert "8 minutes on a \\*laptop\\* CPU" in found.message
    assert fix(entry, "FZ408").changed == ["timed.jl"]
    fixed = (entry / "timed.jl").read_text(encoding="utf-8")
    old_line = next(line for line in script.splitlines() if "Expected runtime" in line)
    new_line = "# - Expected runtime of a full run: 8 minutes on a \\*laptop\\* CPU"
    assert fixed == script.replace(old_line, new_line)
    assert check_entry(entry, [Rule.from_code("FZ408")]) == []
    assert fix(entry, "FZ322").changed == ["README.md", "timed.ipynb"]
    readme = (entry / "README.md").read_text(encoding="utf-8")
    assert readme == derived_files(entry)["README.md"]
    assert about(readme)["Expected runtime of a full run"] == "8 minutes on a *laptop* CPU"


def test_an_entry_with_a_merge_conflict_is_not_fixed(
    entry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(entry / "tiny_mlp.jl", "# ## Training", "<<<<<<< a\n# ## Training\n=======\n>>>>>>> b")
    (entry / "Thumbs.db").write_bytes(b"x")
    before = snapshot(entry)
    assert main(["check", "--fix", str(entry)]) == 1
    err = capsys.readouterr().err
    assert "not fixed: unresolved merge conflicts in tiny_mlp.jl" in err
    assert snapshot(entry) == before  # the notebook is not derived from both sides


def test_clutter_is_deleted(entry: Path) -> None:
    (entry / "docs").mkdir()
    (entry / "docs" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (entry / "Thumbs.db").write_bytes(b"x")
    outcome = fix(entry, "FZ103")
    assert outcome.changed == ["Thumbs.db", "docs/.DS_Store"]
    assert not (entry / "Thumbs.db").exists() and (entry / "docs").is_dir()


@pytest.mark.parametrize(
    ("category", "folder", "code", "key", "expected"),
    [
        ("vision", "tiny_mlp", "FZ405", "category", "vision"),
        ("tutorials", "tiny_mlp", "FZ401", "slug", "tiny_mlp"),
        ("tutorials", "tiny_mlp", "FZ401", "category", "tutorials"),
    ],
)
def test_metadata_with_one_right_value_comes_from_the_folder(
    tmp_path: Path, category: str, folder: str, code: str, key: str, expected: str
) -> None:
    entry = tmp_path / category / folder
    shutil.copytree(FIXTURE, entry)
    meta = entry / "tutorial.toml"
    text = meta.read_text(encoding="utf-8")
    if code == "FZ401":
        text = text.replace(f'{key} = "{expected}"\n', "", 1)
    meta.write_text("# metadata\n" + text, encoding="utf-8")
    fix(entry, code)
    fixed = meta.read_text(encoding="utf-8")
    assert fixed.startswith("# metadata\n")
    assert tomllib.loads(fixed)[key] == expected
    assert check_entry(entry, [Rule.from_code(code)]) == []


def test_slug_is_left_alone_when_the_script_has_another_name(tmp_path: Path) -> None:
    entry = tmp_path / "tutorials" / "tiny-mlp"
    shutil.copytree(FIXTURE, entry)
    assert fix(entry, "FZ404").changed == []
    assert check_entry(entry, [Rule.from_code("FZ404")]) != []


# A whole legacy zoo ----------------------------------------------------------------------


def julia_files(zoo: Path) -> dict[str, bytes]:
    return {p.relative_to(zoo).as_posix(): p.read_bytes() for p in sorted(zoo.rglob("*.jl"))}


def test_fix_leaves_only_what_needs_a_person_and_is_idempotent(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code_before = julia_files(adopted)
    main(["check", "--statistics"])
    before = capsys.readouterr().out
    assert "FZ204" in before and "FZ205" in before and "FZ206" in before and "FZ103" in before
    assert main(["check", "--fix", "--format", "json"]) == 1
    import json

    left = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    fixable = {r.code for r in all_rules() if r.fix is FixKind.SAFE}
    assert left and not left & fixable, left & fixable
    assert julia_files(adopted) == code_before  # safe fixes do not touch code
    once = snapshot(adopted)
    assert main(["check", "--fix"]) == 1
    _, err = capsys.readouterr()
    assert "Fixed 0 finding(s) in 0 file(s)" in err
    assert snapshot(adopted) == once
    project = tomllib.loads((adopted / "vision/old_convnet/Project.toml").read_text("utf-8"))
    assert "Plots" not in project["deps"] and "MLDatasets" in project["deps"]
    assert project["compat"]["Flux"] == "0.11"  # a bound someone wrote is never changed


def test_diff_writes_nothing_and_shows_what_fix_does(
    adopted: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = snapshot(adopted)
    assert main(["check", "--diff"]) == 1
    out, err = capsys.readouterr()
    assert snapshot(adopted) == before
    assert "nothing was written" in err
    files = {line[6:] for line in out.splitlines() if line.startswith("+++ b/")}
    files |= {line[6:] for line in out.splitlines() if line.startswith("--- a/")}
    assert "vision/old_convnet/Project.toml" in files
    assert "vision/old_convnet/.DS_Store" in files
    # The diff is what --fix does: applied with `git apply`, it gives the fixed zoo.
    import subprocess

    copy = tmp_path / "copy"
    shutil.copytree(adopted, copy)
    patch = tmp_path / "fix.patch"
    patch.write_text(out, encoding="utf-8")
    subprocess.run(["git", "apply", "--unsafe-paths", str(patch)], cwd=copy, check=True)
    assert main(["check", "--fix"]) == 1
    capsys.readouterr()
    assert snapshot(copy) == snapshot(adopted)
    assert main(["check", "--diff"]) == 0


def test_a_failed_write_leaves_the_file_whole(entry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(entry / "Project.toml", 'julia = "1.10"\n', "")
    original = (entry / "Project.toml").read_bytes()
    outcome = fixes.plan_fixes(entry, [Rule.from_code("FZ204")])

    def broken(self: Path, target: Path) -> Path:  # the disk fills up at the last step
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", broken)
    from fluxzoo.errors import FluxzooError

    with pytest.raises(FluxzooError, match="No space left"):
        fixes.apply(outcome)
    monkeypatch.undo()
    assert (entry / "Project.toml").read_bytes() == original
    assert sorted(p.name for p in entry.iterdir() if p.name.startswith(".Project")) == []


# --explain, --statistics, colour ----------------------------------------------------------


def test_explain_prints_the_rule_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--explain", "fz204"]) == 0
    out = capsys.readouterr().out
    r = Rule.from_code("FZ204")
    assert out.startswith("# FZ204 missing-compat\n")
    assert r.doc in out and "fix: safe, applied by --fix" in out
    assert main(["check", "--explain", "FZ301"]) == 0
    assert "no fix: the findings need a person" in capsys.readouterr().out
    assert main(["check", "--explain", "FZ999"]) == 2
    assert "unknown rule code" in capsys.readouterr().err


def test_statistics_count_the_findings_per_rule(
    adopted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    from collections import Counter

    main(["check", "--format", "json"])
    expected = Counter(d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"])
    main(["check", "--statistics"])
    lines = capsys.readouterr().out.splitlines()
    rows = {}
    for line in lines[: len(expected)]:
        count, code, *rest = line.split()
        rows[code] = int(count)
        assert ("[*]" in rest) == (Rule.from_code(code).fix is FixKind.SAFE)
    assert rows == expected
    assert [rows[c] for c in rows] == sorted(rows.values(), reverse=True)
    main(["check", "--statistics", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert {row["code"]: row["count"] for row in data} == expected


@pytest.mark.parametrize(
    ("tty", "no_color", "coloured"), [(True, "", True), (True, "1", False), (False, "", False)]
)
def test_colour_only_on_a_terminal_without_no_color(
    adopted: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tty: bool,
    no_color: str,
    coloured: bool,
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", no_color)
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    main(["check", "vision"])
    out = capsys.readouterr().out
    assert ("\x1b[" in out) == coloured
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "FZ302 [error] unfilled TODO(fluxzoo)" in plain


def test_unsafe_fixes_need_fix_or_diff(adopted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--unsafe-fixes"]) == 2
    assert "--unsafe-fixes goes with --fix" in capsys.readouterr().err


# FZ407: one text for the title and the description ------------------------------------------

DESCRIPTION = "Fit a small MLP to a noisy sine curve with explicit gradients."
PLACEHOLDER = "TODO(fluxzoo): say in one line what this tutorial teaches."


def test_a_placeholder_in_the_metadata_takes_the_scripts_text(entry: Path) -> None:
    meta = entry / "tutorial.toml"
    edit(meta, f'description = "{DESCRIPTION}"\ntags', f'description = "{PLACEHOLDER}"\ntags')
    script_before = (entry / "tiny_mlp.jl").read_bytes()
    outcome = fix(entry, "FZ407")
    assert outcome.changed == ["tutorial.toml"]
    fixed = tomllib.loads(meta.read_text(encoding="utf-8"))
    assert fixed["description"] == DESCRIPTION
    assert fixed["fluxzoo"]["answers"]["description"] == DESCRIPTION  # untouched: it was this
    assert (entry / "tiny_mlp.jl").read_bytes() == script_before
    assert check_entry(entry, [Rule.from_code("FZ407")]) == []


def test_when_both_are_filled_the_script_wins(entry: Path) -> None:
    edit(entry / "tiny_mlp.jl", "# Fit a small MLP", "# Fit a *small* [MLP]")
    fix(entry, "FZ407")
    fixed = tomllib.loads((entry / "tutorial.toml").read_text(encoding="utf-8"))
    assert (
        fixed["description"] == "Fit a *small* [MLP] to a noisy sine curve with explicit gradients."
    )


def test_a_placeholder_in_the_script_takes_the_metadata_text_escaped(entry: Path) -> None:
    title = 'Cost in $USD: "fast" {{ 7*7 }} #1'
    edit(entry / "tutorial.toml", 'title = "A tiny multilayer perceptron"', f"title = '{title}'")
    edit(entry / "tiny_mlp.jl", "# # A tiny multilayer perceptron", "# # TODO(fluxzoo): a title")
    assert main(["check", "--fix", "--select", "FZ407,FZ322", str(entry)]) == 0
    script = (entry / "tiny_mlp.jl").read_text(encoding="utf-8")
    assert script.split("\n")[0] == '# # Cost in \\$USD: "fast" \\{\\{ 7\\*7 \\}\\} \\#1'
    from markdown_it import MarkdownIt

    readme = (entry / "README.md").read_text(encoding="utf-8")
    heading = MarkdownIt("commonmark").parse(readme)[1]
    assert heading.content == 'Cost in \\$USD: "fast" \\{\\{ 7\\*7 \\}\\} \\#1'
    assert "".join(t.content for t in heading.children or []) == title  # shows as typed
    assert check_entry(entry, [Rule.from_code(c) for c in ("FZ407", "FZ322")]) == []
