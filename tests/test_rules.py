"""Every rule on a clean entry (passes) and on small mutations of it (fails, at the right place).

The clean entry is `fixtures/rules/tutorials/tiny_mlp`, a complete standard entry whose notebook
and docs page were derived by `fluxzoo sync`. Each failing case copies it, changes one thing, and
checks the findings of one rule: their files, lines and what the message says.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fluxzoo.checks.diagnostics import Diagnostic
from fluxzoo.checks.registry import Lifecycle, Rule, Severity, all_rules
from fluxzoo.checks.runner import check_entry

FIXTURE = Path(__file__).parent / "fixtures" / "rules" / "tutorials" / "tiny_mlp"
SLUG = "tiny_mlp"


def copy_entry(root: Path, category: str = "tutorials", folder: str = SLUG) -> Path:
    dest = root / category / folder
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    return copy_entry(tmp_path)


def run(entry: Path, code: str) -> list[Diagnostic]:
    return check_entry(entry, [Rule.from_code(code)])


def located(diagnostics: list[Diagnostic], entry: Path) -> list[tuple[str, int | None]]:
    """(file relative to the entry, line) of each finding."""
    return [(os.path.relpath(d.path, entry).replace(os.sep, "/"), d.line) for d in diagnostics]


# Mutations -------------------------------------------------------------------------------


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def mutate(entry: Path) -> None:
        path = entry / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return mutate


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(entry: Path) -> None:
        path = entry / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def remove(rel: str) -> Callable[[Path], None]:
    return lambda entry: (entry / rel).unlink()


def both(*mutations: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(entry: Path) -> None:
        for m in mutations:
            m(entry)

    return mutate


def notebook_edit(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def mutate(entry: Path) -> None:
        path = entry / f"{SLUG}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        change(nb)
        path.write_text(json.dumps(nb, indent=1), encoding="utf-8")

    return mutate


def first_code_cell(nb: dict) -> dict:
    """Cell 4 of the fixture; the rewritten notebook has its "cell_type" key on line 30."""
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def line_of(rel: str, needle: str) -> int:
    for number, line in enumerate(
        (FIXTURE / rel).read_text(encoding="utf-8").splitlines(), start=1
    ):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def about_list(entry: Path, runtime: str) -> None:
    """Give the script the list the template writes under the description (line 5 on)."""
    replace(
        f"{SLUG}.jl",
        "explicit gradients.\n",
        "explicit gradients.\n#\n# ## About this tutorial\n#\n"
        "# - Authors: Ada Tester \\<ada@example.org\\>\n# - Hardware: a CPU is enough\n"
        f"# - Expected runtime of a full run: {runtime}\n"
        "# - References: https://fluxml.ai/Flux.jl/stable/\n",
    )(entry)


UNIFORM_GITIGNORE = write(".gitignore", "runs/\n")
WRONG_UUID = "00000000-0000-4000-8000-000000000000"


@dataclass
class Case:
    code: str
    mutate: Callable[[Path], None]
    expect: list[tuple[str, int | None]]
    """(file, line) of each finding, in order."""
    says: str = ""
    """A phrase the first finding's message contains."""
    marks: list[pytest.MarkDecorator] = field(default_factory=list)


FAILING: dict[str, Case] = {
    "legacy-no-metadata": Case("FZ100", remove("tutorial.toml"), [(".", None)], "fluxzoo adopt"),
    "missing-readme": Case("FZ101", remove("README.md"), [("README.md", None)], "fluxzoo sync"),
    "missing-tests": Case(
        "FZ101", remove("test/runtests.jl"), [("test/runtests.jl", None)], "smoke test"
    ),
    "missing-gitignore": Case("FZ101", remove(".gitignore"), [(".gitignore", None)]),
    "latin1-readme": Case(
        "FZ102",
        write("README.md", "# Caf\u00e9\n".encode("latin-1")),
        [("README.md", 1)],
        "not UTF-8",
    ),
    "empty-project": Case("FZ102", write("Project.toml", "\n"), [("Project.toml", None)], "empty"),
    "dangling-symlink": Case(
        "FZ102",
        both(remove("README.md"), lambda e: (e / "README.md").symlink_to(e / "nowhere.md")),
        [("README.md", None)],
        "cannot read",
    ),
    "ds-store": Case(
        "FZ103", write("docs/.DS_Store", b"\0\0\0\1Bud1"), [("docs/.DS_Store", None)], "clutter"
    ),
    "checkpoint-not-ignored": Case(
        "FZ104",
        both(UNIFORM_GITIGNORE, write("model.bson", b"\0")),
        [("model.bson", None)],
        "checkpoint",
    ),
    "csv-beside-script": Case(
        "FZ105", write("housing.csv", "a,b\n1,2\n"), [("housing.csv", None)], "download"
    ),
    "big-gif": Case(
        "FZ106",
        write("output/anim.gif", b"\0" * (1024 * 1024 + 1)),
        [("output/anim.gif", None)],
        "1.0 MB",
    ),
    "project-syntax": Case(
        "FZ201",
        replace("Project.toml", "[compat]", "[compat"),
        [("Project.toml", 6)],
        "not valid TOML",
    ),
    "short-uuid": Case(
        "FZ201",
        replace("Project.toml", '"587475ba-b771-5e3f-ad9e-33799f191a9c"', '"587475ba"'),
        [("Project.toml", 2)],
        "not a UUID",
    ),
    "compat-number": Case(
        "FZ201",
        replace("Project.toml", 'Flux = "0.16"', "Flux = 0.16"),
        [("Project.toml", 7)],
        "string",
    ),
    "wrong-uuid": Case(
        "FZ202",
        replace("Project.toml", "587475ba-b771-5e3f-ad9e-33799f191a9c", WRONG_UUID),
        [("Project.toml", 2)],
        "587475ba-b771-5e3f-ad9e-33799f191a9c",
    ),
    "unknown-package": Case(
        "FZ203",
        replace("Project.toml", "[compat]\n", f'Fluxx = "{WRONG_UUID}"\n\n[compat]\n'),
        [("Project.toml", 6)],
        "Fluxx",
    ),
    "no-julia-compat": Case(
        "FZ204", replace("Project.toml", 'julia = "1.10"\n', ""), [("Project.toml", 6)], "julia"
    ),
    "no-flux-compat": Case(
        "FZ204", replace("Project.toml", 'Flux = "0.16"\n', ""), [("Project.toml", 2)], "Flux"
    ),
    "undeclared-in-script": Case(
        "FZ205",
        replace(f"{SLUG}.jl", "using Statistics\n", "using Statistics\nusing Plots: plot\n"),
        [(f"{SLUG}.jl", line_of(f"{SLUG}.jl", "using Statistics") + 1)],
        "Plots",
    ),
    "undeclared-in-tests": Case(
        "FZ205",
        replace("test/runtests.jl", "using Test\n", "using Test, Aqua\n"),
        [("test/runtests.jl", 1)],
        "[extras]",
    ),
    "unused-dep": Case(
        "FZ206",
        replace(
            "Project.toml",
            "Random =",
            'Optimisers = "3bd65402-5787-11e9-1adc-39752487f4e2"\nRandom =',
        ),
        [("Project.toml", 3)],
        "Optimisers",
    ),
    "manifest-1.6": Case(
        "FZ207",
        write("Manifest.toml", '[[Flux]]\nuuid = "x"\n'),
        [("Manifest.toml", None)],
        "julia_version",
    ),
    "manifest-syntax": Case(
        "FZ207",
        write("Manifest.toml", "julia_version = \n"),
        [("Manifest.toml", 1)],
        "not valid TOML",
    ),
    "script-syntax": Case(
        "FZ301",
        replace(f"{SLUG}.jl", "Dense(32 => 1))", "Dense(32 => 1)"),
        # Reported once, where the unclosed call opens (tree-sitter trips at two later lines).
        [(f"{SLUG}.jl", line_of(f"{SLUG}.jl", "build_model() ="))],
        "unclosed '(': no matching ')'",
    ),
    "test-syntax": Case(
        "FZ301",
        replace("test/runtests.jl", "@testset", "@testset ("),
        [("test/runtests.jl", 5)],
        "unclosed '('",
    ),
    "todo-in-script": Case(
        "FZ302",
        replace(f"{SLUG}.jl", "# ## Model\n", "# ## Model\n# TODO(fluxzoo): explain the model\n"),
        [(f"{SLUG}.jl", line_of(f"{SLUG}.jl", "# ## Model") + 1)],
        "explain the model",
    ),
    "conflict-in-script": Case(
        "FZ303",
        replace(
            f"{SLUG}.jl",
            "    epochs::Int = 200\n",
            "<<<<<<< tiny_mlp.jl (yours)\n    epochs::Int = 200\n||||||| base\n"
            "    epochs::Int = 100\n=======\n    epochs::Int = 150\n>>>>>>> tiny_mlp.jl (new)\n",
        ),
        [(f"{SLUG}.jl", line_of(f"{SLUG}.jl", "epochs::Int = 200"))],
        "lines 19-25",
    ),
    "conflicts-in-toml-and-readme": Case(
        "FZ303",
        both(
            replace("Project.toml", "[compat]\n", "[compat]\n<<<<<<< ours\n=======\n>>>>>>>\n"),
            replace("README.md", "## Model", ">>>>>>> theirs\n## Model"),
        ),
        [("Project.toml", 7), ("README.md", line_of("README.md", "## Model"))],
    ),
    "todo-in-metadata": Case(
        "FZ302",
        replace(
            "tutorial.toml",
            'description = "Fit',
            'description = "TODO(fluxzoo): one line. TODO(fluxzoo): Fit',
        ),
        [("tutorial.toml", 5), ("tutorial.toml", 5)],
        "one line.",
    ),
    "notebook-json": Case(
        "FZ311",
        replace(f"{SLUG}.ipynb", '"cells": [', '"cells": [,'),
        [(f"{SLUG}.ipynb", 2)],
        "JSON",
    ),
    "notebook-schema": Case(
        "FZ311",
        notebook_edit(lambda nb: first_code_cell(nb).update(outputs="none")),
        [(f"{SLUG}.ipynb", 30)],
        "outputs",
    ),
    "notebook-4.5-without-ids": Case(
        "FZ311",
        notebook_edit(lambda nb: nb.update(nbformat_minor=5)),
        [(f"{SLUG}.ipynb", None)],
        "no id",
    ),
    "notebook-version": Case(
        "FZ311",
        notebook_edit(lambda nb: nb.update(nbformat=None)),
        [(f"{SLUG}.ipynb", None)],
        "nbformat None",
    ),
    "python-kernel": Case(
        "FZ312",
        notebook_edit(
            lambda nb: nb["metadata"].update(kernelspec={"name": "python3", "language": "python"})
        ),
        [(f"{SLUG}.ipynb", None)],
        "python3",
    ),
    "no-kernel": Case(
        "FZ312",
        notebook_edit(lambda nb: nb["metadata"].pop("kernelspec")),
        [(f"{SLUG}.ipynb", None)],
    ),
    "cell-outputs": Case(
        "FZ313",
        notebook_edit(
            lambda nb: first_code_cell(nb).update(
                outputs=[{"output_type": "stream", "name": "stdout", "text": ["1\n"]}]
            )
        ),
        [(f"{SLUG}.ipynb", 30)],
        "cell 4 has saved outputs",
    ),
    "execution-count": Case(
        "FZ314",
        notebook_edit(lambda nb: first_code_cell(nb).update(execution_count=3)),
        [(f"{SLUG}.ipynb", 30)],
        "cell 4 has execution count 3",
    ),
    "no-title": Case(
        "FZ321",
        replace("README.md", "# A tiny multilayer perceptron", "A tiny"),
        [("README.md", 1)],
        "title",
    ),
    "no-training-section": Case(
        "FZ321",
        replace("README.md", "## Training", "## Fitting"),
        [("README.md", None)],
        "Training",
    ),
    "readme-edited": Case(
        "FZ322",
        replace("README.md", "## Model", "## The model"),
        [("README.md", line_of("README.md", "## Model"))],
        "fluxzoo sync",
    ),
    "notebook-stale": Case(  # the first line that differs, in each derived file
        "FZ322",
        replace(f"{SLUG}.jl", "epochs::Int = 200", "epochs::Int = 100"),
        [
            ("README.md", line_of("README.md", "epochs::Int = 200")),
            (f"{SLUG}.ipynb", line_of(f"{SLUG}.ipynb", "epochs::Int = 200")),
        ],
    ),
    "unterminated-comment": Case(
        "FZ322",
        replace(f"{SLUG}.jl", "build_model() =", '%% {"tags": }\nbuild_model() ='),
        [(f"{SLUG}.jl", None)],
        "cell metadata",
    ),
    "metadata-syntax": Case(
        "FZ400",
        replace("tutorial.toml", 'kind = "blank"', "kind = blank"),
        [("tutorial.toml", 4)],
        "TOML",
    ),
    "no-difficulty": Case(
        "FZ401",
        replace("tutorial.toml", 'difficulty = "beginner"\n', ""),
        [("tutorial.toml", None)],
        "difficulty",
    ),
    "no-tested-flux": Case(
        "FZ401",
        replace("tutorial.toml", 'flux = "0.16"\n', ""),
        [("tutorial.toml", 23)],
        "tested.flux",
    ),
    "gpu-without-backend": Case(
        "FZ401",
        replace("tutorial.toml", 'hardware = "cpu"', 'hardware = "gpu-optional"'),
        [("tutorial.toml", None)],
        "gpu_backend",
    ),
    "easy": Case(
        "FZ402",
        replace("tutorial.toml", '"beginner"', '"easy"'),
        [("tutorial.toml", 10)],
        "beginner",
    ),
    "tags-as-text": Case(
        "FZ402",
        replace(
            "tutorial.toml",
            'tags = [\n    "regression",\n    "mlp",\n]',
            'tags = "regression, mlp"',
        ),
        [("tutorial.toml", 6)],
        "list",
    ),
    "updated-before-created": Case(
        "FZ402",
        replace("tutorial.toml", 'updated = "2025-01-15"', "updated = 2024-12-31"),
        [("tutorial.toml", 15)],
        "before",
    ),
    "old-julia": Case(
        "FZ402",
        replace("tutorial.toml", 'julia = "1.10"', 'julia = "1.6"'),
        [("tutorial.toml", 24)],
        "1.10",
    ),
    "no-authors": Case(
        "FZ402",
        replace("tutorial.toml", '[\n    "Ada Tester <ada@example.org>",\n]', "[]"),
        [("tutorial.toml", 11)],
        "non-empty",
    ),
    "bad-template-version": Case(
        "FZ402",
        replace("tutorial.toml", 'template_version = "1.2.0"', 'template_version = "one"'),
        [("tutorial.toml", 28)],
        "version",
    ),
    "bad-recorded-answer": Case(
        "FZ402",
        replace("tutorial.toml", 'docs_flavor = "commonmark"\njulia', 'docs_flavor = "rst"\njulia'),
        [("tutorial.toml", 48)],
        "rst",
    ),
    "misspelt-field": Case(
        "FZ403",
        replace("tutorial.toml", "[tested]\n", "[dataset]\nlicence = 'MIT'\n\n[tested]\n"),
        [("tutorial.toml", 24)],
        "dataset.licence",
    ),
    "renamed-folder": Case("FZ404", lambda e: None, [("tutorial.toml", 2)], "tiny-mlp"),
    "wrong-category": Case("FZ405", lambda e: None, [("tutorial.toml", 3)], "vision/"),
    "description-differs": Case(
        "FZ407",
        replace(f"{SLUG}.jl", "# Fit a small MLP", "# Fit a tiny MLP"),
        [("tutorial.toml", 5)],
        "the script is the source",
    ),
    "description-placeholder-in-metadata": Case(
        "FZ407",
        replace(
            "tutorial.toml",
            'description = "Fit a small MLP to a noisy sine curve with explicit gradients."\ntags',
            'description = "TODO(fluxzoo): say in one line what this tutorial teaches."\ntags',
        ),
        [("tutorial.toml", 5)],
        "line 3 of tiny_mlp.jl",
    ),
    "title-placeholder-in-script": Case(
        "FZ407",
        replace(f"{SLUG}.jl", "# # A tiny multilayer perceptron", "# # TODO(fluxzoo): a title"),
        [(f"{SLUG}.jl", 1)],
        'tutorial.toml has "A tiny multilayer perceptron"',
    ),
    "about-list-differs": Case(
        "FZ408",
        lambda e: about_list(e, "an hour, I think"),
        [(f"{SLUG}.jl", 9)],
        "`# - Expected runtime of a full run: under a minute on a laptop CPU`",
    ),
    "older-template": Case(
        "FZ406",
        replace("tutorial.toml", 'template_version = "1.2.0"', 'template_version = "0.9.0"'),
        [("tutorial.toml", 28)],
        "fluxzoo update",
    ),
}
"""Cases whose entry is not the plain copy are placed by `_place` below."""


def _place(name: str, root: Path) -> Path:
    if name == "renamed-folder":
        return copy_entry(root, folder="tiny-mlp")
    if name == "wrong-category":
        return copy_entry(root, category="vision")
    return copy_entry(root)


@pytest.mark.parametrize("name", FAILING)
def test_rule_fails_on_its_fixture(name: str, tmp_path: Path) -> None:
    case = FAILING[name]
    entry = _place(name, tmp_path)
    case.mutate(entry)
    found = run(entry, case.code)
    assert located(found, entry) == case.expect, [d.message for d in found]
    assert all(d.code == case.code for d in found)
    if case.says:
        assert case.says in found[0].message


def test_clean_entry_passes_every_rule(entry: Path) -> None:
    """The passing fixture of every rule, preview ones included."""
    rules = [r for r in all_rules() if r.lifecycle is not Lifecycle.DEPRECATED]
    assert check_entry(entry, rules) == []


def test_every_rule_has_a_failing_case() -> None:
    from test_api_rules import FAILING as API_FAILING

    cases = [*FAILING.values(), *API_FAILING.values()]
    assert {r.code for r in all_rules()} <= {c.code for c in cases if c.expect}


PASSING: dict[str, tuple[str, Callable[[Path], None]]] = {
    "ignored-checkpoint": ("FZ104", write("runs/model.jld2", b"\0")),
    "data-in-docs": ("FZ105", write("docs/table.csv", "a,b\n")),
    "ignored-data-folder": ("FZ105", write("data/mnist.npz", b"\0")),
    "exactly-1-MiB": ("FZ106", write("output/loss.png", b"\0" * 1024 * 1024)),
    "big-figure-in-docs": ("FZ106", write("docs/anim.gif", b"\0" * 2 * 1024 * 1024)),
    "stdlib-without-compat": ("FZ204", replace("Project.toml", 'Random = "1"\n', "")),
    "relative-and-base-imports": (
        "FZ205",
        replace(
            f"{SLUG}.jl",
            "using Random\n",
            "using Random\nusing Base.Threads\nusing LinearAlgebra: norm\n",
        ),
    ),
    "stdlib-test-dep-without-target": (
        "FZ205",
        replace("Project.toml", 'test = ["Test"]', "test = []"),
    ),
    "multi-line-using": (
        "FZ206",
        replace(f"{SLUG}.jl", "using Random\nusing Statistics", "using Random,\n    Statistics"),
    ),
    "manifest-with-version": (
        "FZ207",
        write("Manifest.toml", 'julia_version = "1.10.4"\nmanifest_format = "2.0"\n'),
    ),
    "setext-heading-is-no-marker": (
        "FZ303",
        replace("README.md", "## Model", "Model\n=======\n\n## Model"),
    ),
    "markers-not-at-line-start": (
        "FZ303",
        replace(f"{SLUG}.jl", "# ## Model\n", "# ## Model\n# a <<<<<<< b, x >>>>>>> 1\n"),
    ),
    "todo-in-readme-only": ("FZ302", replace("README.md", "## Model", "## Model TODO(fluxzoo)")),
    "todo-in-recorded-answers": (
        "FZ302",
        replace(
            "tutorial.toml",
            "[fluxzoo.answers]\n",
            '[fluxzoo.answers]\nexpected_runtime = "TODO(fluxzoo)"\n',
        ),
    ),
    "headings-in-code-are-ignored": (
        "FZ321",
        replace("README.md", "```julia\n", "```julia\n# ## Training\n"),
    ),
    "cpu-without-backend": ("FZ401", lambda e: None),
    "escaped-title-in-script": (
        "FZ407",
        both(
            replace(f"{SLUG}.jl", "# # A tiny multilayer perceptron", "# # A \\*tiny\\* MLP: 1\\."),
            replace(
                "tutorial.toml",
                'title = "A tiny multilayer perceptron"',
                'title = "A *tiny* MLP: 1."',
            ),
        ),
    ),
    "both-descriptions-placeholders": (
        "FZ407",
        both(
            replace(
                f"{SLUG}.jl",
                "# Fit a small MLP to a noisy sine curve with explicit gradients.",
                "# TODO(fluxzoo): describe",
            ),
            replace(
                "tutorial.toml", 'description = "Fit a small MLP', 'description = "TODO(fluxzoo): '
            ),
        ),
    ),
    "adopted-prose-under-the-title": (
        "FZ407",
        both(
            replace(f"{SLUG}.jl", "# Fit a small MLP", "# This folder fits a small MLP"),
            replace("tutorial.toml", "[fluxzoo.answers]", "[fluxzoo.previous_answers]"),
        ),
    ),
    "about-list-as-tutorial-toml-says": (
        "FZ408",
        lambda e: about_list(e, "under a minute on a laptop CPU"),
    ),
    "dates-as-toml-dates": (
        "FZ402",
        replace("tutorial.toml", 'created = "2025-01-15"', "created = 2025-01-15"),
    ),
}


@pytest.mark.parametrize("name", PASSING)
def test_rule_passes_on_variant(name: str, entry: Path) -> None:
    code, mutate = PASSING[name]
    mutate(entry)
    assert run(entry, code) == []


def test_category_rule_skips_entries_outside_the_zoo(tmp_path: Path) -> None:
    entry = copy_entry(tmp_path, category="scratch")
    assert run(entry, "FZ405") == []


def test_legacy_entry_gets_the_rules_that_apply(tmp_path: Path) -> None:
    legacy = tmp_path / "vision" / "old_mnist"
    write("old_mnist.jl", "using Flux, Plots\nmodel = Chain(Dense(2, 1)\n")(legacy)
    write("Project.toml", '[deps]\nFlux = "587475ba-b771-5e3f-ad9e-33799f191a9c"\n')(legacy)
    write(".DS_Store", b"\0")(legacy)
    found = check_entry(legacy, list(all_rules()))
    assert sorted({d.code for d in found}) == ["FZ100", "FZ103", "FZ204", "FZ205", "FZ301"]
    assert all(d.severity is Severity.ERROR for d in found)


def test_findings_report_paths_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_entry(tmp_path)
    monkeypatch.chdir(tmp_path)
    remove("README.md")(Path("tutorials", SLUG))
    [d] = run(Path("tutorials", SLUG), "FZ101")
    assert d.path == "tutorials/tiny_mlp/README.md"


def test_each_file_is_read_once(entry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.relative_to(entry).as_posix())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    rules = [r for r in all_rules() if r.code != "FZ322"]  # deriving files reads through sync
    check_entry(entry, rules)
    assert sorted(reads) == sorted(set(reads))


def test_a_conflict_replaces_the_syntax_and_todo_errors_it_causes(entry: Path) -> None:
    """The block's markers break the parse and its template side has a TODO: one FZ303 only."""
    script = f"{SLUG}.jl"
    replace(
        script,
        "build_model() = Chain(Dense(1 => 32, tanh), Dense(32 => 1))\n",
        "<<<<<<< yours\nbuild_model() = Chain(Dense(1 => 32, tanh), Dense(32 => 1))\n"
        "=======\n# TODO(fluxzoo): define the model\nbuild_model() = Chain(\n>>>>>>> template\n",
    )(entry)
    todo = "# TODO(fluxzoo): say where the data is from\n"
    replace(script, "# ## Data\n", f"# ## Data\n{todo}")(entry)
    rules = [Rule.from_code(c) for c in ("FZ301", "FZ302", "FZ303")]
    found = check_entry(entry, rules)
    start = (entry / script).read_text(encoding="utf-8").splitlines().index("<<<<<<< yours") + 1
    assert [(d.code, d.line) for d in found] == [
        ("FZ302", line_of(script, "# ## Data") + 1),  # outside the block: still reported
        ("FZ303", start),
    ]
    # Without FZ303's cause, the same rules report the syntax error and both TODOs.
    replace(script, "<<<<<<< yours\n", "")(entry)
    for marker in ("=======\n", ">>>>>>> template\n"):
        replace(script, marker, "")(entry)
    codes = [d.code for d in check_entry(entry, rules)]
    assert "FZ301" in codes and codes.count("FZ302") == 2 and "FZ303" not in codes
