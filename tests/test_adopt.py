"""`fluxzoo adopt` on small legacy entries shaped like the real model zoo's."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from fluxzoo import metadata
from fluxzoo.checks.registry import Severity, all_rules
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main
from fluxzoo.julia_syntax import syntax_errors
from fluxzoo.kinds import KINDS
from fluxzoo.sync import derived_files

README = """\
# LeNet-5

![LeNet-5](../conv_mnist/docs/LeNet-5.png)

[Source](https://d2l.ai/chapter_convolutional-neural-networks/lenet.html)

## Model Info

At a high level LeNet (LeNet-5) consists of two parts, as Lecun et al. describe: a
_convolutional encoder_ and a **dense block**. It is the classic first CNN.

## Training

```shell
cd vision/conv_mnist
julia --project conv_mnist.jl
```

## References

* [Gradient-based learning applied to document recognition](http://yann.lecun.com/exdb/publis/pdf/lecun-01a.pdf)
* [Dive into Deep Learning](https://d2l.ai/chapter_convolutional-neural-networks/lenet.html)
"""

SCRIPT = '''\
# Classic LeNet on MNIST.

using MLDatasets, Flux, CUDA
using Statistics: mean

"""
    loader(data; batchsize)

# Arguments
- `data`: a dataset from MLDatasets
"""
function loader(data::MNIST=MNIST(:train); batchsize::Int=64)
    # the images as 28x28x1xN
    x4dim = reshape(data.features, 28,28,1,:)
    yhot = Flux.onehotbatch(data.targets, 0:9)
    Flux.DataLoader((x4dim, yhot); batchsize, shuffle=true) |> gpu
end

lenet = Chain(
    Conv((5, 5), 1=>6, relu),
    MeanPool((2, 2)),
#-
    Flux.flatten,
    Dense(256 => 10),
) |> gpu

# Train it:

opt_state = Flux.setup(Adam(3e-4), lenet)
for epoch in 1:2
    Flux.train!(lenet, loader(), opt_state) do m, x, y
        Flux.logitcrossentropy(m(x), y)
    end
end
'''

PROJECT = """\
[deps]
CUDA = "052768ef-5323-5732-b1bb-66c8b64840ba"
Flux = "587475ba-b771-5e3f-ad9e-33799f191a9c"
MLDatasets = "eb30cadb-4394-5ae3-aed4-317e484a6458"
Statistics = "10745b16-79ce-11e8-11f9-7d13ad32a3b2"

[compat]
CUDA = "3, 4"
Flux = "0.13.16, 0.14"
MLDatasets = "0.7"
julia = "1.6"
"""

MANIFEST = """\
julia_version = "1.9.2"
manifest_format = "2.0"

[[deps.Flux]]
deps = ["Adapt"]
uuid = "587475ba-b771-5e3f-ad9e-33799f191a9c"
version = "0.14.6"
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def conv_mnist(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "zoo" / "vision" / "conv_mnist",
        {
            "README.md": README,
            "conv_mnist.jl": SCRIPT,
            "Project.toml": PROJECT,
            "Manifest.toml": MANIFEST,
            ".gitignore": "runs/\n",
            "docs/LeNet-5.png": "png",
        },
    )


@pytest.fixture
def phonemes(tmp_path: Path) -> Path:
    """Several scripts, none named like the folder, no README, an old Flux."""
    return write_tree(
        tmp_path / "zoo" / "text" / "phonemes",
        {
            "0-data.jl": "using DelimitedFiles\nconst DATA = [1, 2, 3]\n",
            "1-model.jl": 'using Flux\ninclude("0-data.jl")\n\nmodel = Dense(3 => 1)\n'
            "for epoch in 1:10\n    gs = gradient(m -> sum(m(Float32.(DATA))), model)\nend\n",
            "plot.jl": "using Plots\nplot([1, 2])\n",
            "Project.toml": '[deps]\nFlux = "587475ba-b771-5e3f-ad9e-33799f191a9c"\n\n'
            '[compat]\nFlux = "0.11.4"\njulia = "1.5"\n',
        },
    )


def adopt(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["adopt", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_metadata_is_inferred_from_the_readme_project_and_manifest(conv_mnist, capsys):
    code, _, err = adopt(capsys, str(conv_mnist))
    assert code == 0, err
    meta = metadata.read(conv_mnist)
    assert meta["title"] == "LeNet-5"
    assert meta["slug"] == "conv_mnist" and meta["category"] == "vision"
    assert meta["description"] == (
        "At a high level LeNet (LeNet-5) consists of two parts, as Lecun et al. describe: "
        "a convolutional encoder and a dense block."
    )
    assert meta["tested"] == {"julia": "1.9", "flux": "0.14"}, "versions it was resolved with"
    assert meta["references"] == [
        "http://yann.lecun.com/exdb/publis/pdf/lecun-01a.pdf",
        "https://d2l.ai/chapter_convolutional-neural-networks/lenet.html",
    ]
    assert meta["hardware"] == "gpu-optional" and meta["gpu_backend"] == "CUDA"
    assert meta["dataset"]["name"] == "MNIST"
    assert meta["fluxzoo"].keys() == {"template_version"}, "adopted, not rendered: no answers"


def test_code_and_prose_are_kept_in_the_literate_source(conv_mnist, capsys):
    assert adopt(capsys, str(conv_mnist))[0] == 0
    source = (conv_mnist / "conv_mnist.jl").read_text(encoding="utf-8")
    lines = source.splitlines()
    assert lines[0] == "# # LeNet-5"
    for prose in README.splitlines()[1:]:
        assert (f"# {prose}" if prose.strip() else "#") in lines, prose
    for code in SCRIPT.splitlines():
        stripped = code.lstrip()
        escaped = code[: len(code) - len(stripped)] + "#" + stripped
        assert code in lines or escaped in lines, code
    assert "    ## the images as 28x28x1xN" in lines
    assert "## Arguments" in lines, "a docstring line Literate would read as markdown"
    assert "##-" in lines
    assert "# Train it:" in lines, "comments between statements stay prose"
    assert not syntax_errors(source)


def test_derived_files_are_in_sync_and_each_notebook_cell_parses(conv_mnist, capsys):
    assert adopt(capsys, str(conv_mnist))[0] == 0
    for rel, text in derived_files(conv_mnist).items():
        assert (conv_mnist / rel).read_text(encoding="utf-8") == text
    readme = (conv_mnist / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# LeNet-5")
    assert "## Model Info" in readme and "![LeNet-5](../conv_mnist/docs/LeNet-5.png)" in readme
    nb = nbformat.reads((conv_mnist / "conv_mnist.ipynb").read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(nb)
    cells = ["".join(c.source) for c in nb.cells if c.cell_type == "code"]
    assert all(not syntax_errors(c) for c in cells), [c for c in cells if syntax_errors(c)]
    (loader,) = [c for c in cells if "function loader" in c]
    assert "    # the images as 28x28x1xN\n    x4dim" in loader
    assert "shuffle=true) |> gpu\nend\n" in loader


def test_missing_files_are_added_and_existing_ones_extended(conv_mnist, capsys):
    assert adopt(capsys, str(conv_mnist))[0] == 0
    project = metadata.tomllib.loads((conv_mnist / "Project.toml").read_text(encoding="utf-8"))
    assert project["deps"]["CUDA"] == "052768ef-5323-5732-b1bb-66c8b64840ba"
    assert project["compat"]["Flux"] == "0.13.16, 0.14" and project["compat"]["julia"] == "1.6"
    assert project["extras"] == {"Test": "8dfed614-e22c-5e08-85e1-65c5234f0b40"}
    assert project["targets"] == {"test": ["Test"]}
    ignore = (conv_mnist / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ignore[0] == "runs/" and "*.jld2" in ignore and ignore.count("runs/") == 1
    tests = (conv_mnist / "test" / "runtests.jl").read_text(encoding="utf-8")
    assert not syntax_errors(tests)
    assert "Meta.parseall" in tests and "TODO(fluxzoo): put the training behind" in tests
    assert (conv_mnist / "Manifest.toml").read_text(encoding="utf-8") == MANIFEST
    assert (conv_mnist / "docs" / "LeNet-5.png").read_text(encoding="utf-8") == "png"


def test_check_afterwards_finds_only_todos_and_what_adopt_named(conv_mnist, capsys):
    code, out, _ = adopt(capsys, str(conv_mnist))
    assert code == 0
    found = check_entry(conv_mnist, all_rules().select())
    errors = [d for d in found if d.severity is Severity.ERROR]
    assert errors, "a legacy entry does lack things (e.g. Julia 1.9 < 1.10)"
    for d in found:
        assert f"{d.code} {d.message}" in out, f"adopt did not name: {d.code} {d.message}"
    assert {d.code for d in errors} - {"FZ302", "FZ402", "FZ204", "FZ205", "FZ321"} == set()
    todo_section = out.split("Left for a person", 1)[1].split(
        "What the legacy entry itself lacks", 1
    )[0]
    assert "TODO(fluxzoo)" in todo_section
    assert 'tested.julia = "1.9"' in out.split("What the legacy entry itself lacks", 1)[1]


def test_multi_file_entry_picks_the_training_script_and_keeps_the_rest(phonemes, capsys):
    code, out, err = adopt(capsys, str(phonemes))
    assert code == 0, err
    assert "main script 1-model.jl" in out
    files = snapshot(phonemes)
    assert "1-model.jl" not in files and "phonemes.jl" in files
    assert files["0-data.jl"] == b"using DelimitedFiles\nconst DATA = [1, 2, 3]\n"
    assert files["plot.jl"] == b"using Plots\nplot([1, 2])\n"
    source = files["phonemes.jl"].decode()
    assert 'include("0-data.jl")' in source
    assert "# TODO(fluxzoo): this entry also has `plot.jl`" in source
    meta = metadata.read(phonemes)
    assert meta["title"] == "Phonemes"
    assert meta["description"].startswith("TODO(fluxzoo):")
    assert meta["tested"] == {"julia": "1.5", "flux": "0.11"}, "honest, even if too old"
    assert meta["kind"] == "sequence_model"
    assert meta["hardware"] == "cpu" and "gpu_backend" not in meta


def test_a_guarded_script_gets_a_test_that_includes_it(tmp_path, capsys):
    entry = write_tree(
        tmp_path / "vision" / "dcgan",
        {
            "dcgan.jl": "using Flux\n\nfunction train(; epochs = 1)\n    epochs\nend\n\n"
            "if abspath(PROGRAM_FILE) == @__FILE__\n    train()\nend\n"
        },
    )
    assert adopt(capsys, str(entry))[0] == 0
    tests = (entry / "test" / "runtests.jl").read_text(encoding="utf-8")
    assert not syntax_errors(tests)
    assert 'module Tutorial\ninclude(joinpath(@__DIR__, "..", "dcgan.jl"))\nend' in tests
    assert "@test isdefined(Tutorial, :train)" in tests


def test_dry_run_lists_changes_and_writes_nothing(conv_mnist, capsys):
    before = snapshot(conv_mnist.parent.parent)
    code, out, _ = adopt(capsys, str(conv_mnist), "--dry-run")
    assert code == 0
    assert snapshot(conv_mnist.parent.parent) == before
    assert out.startswith("Would adopt")
    for rel in (
        "tutorial.toml",
        "test/runtests.jl",
        "conv_mnist.ipynb",
        "README.md",
        "Project.toml",
    ):
        assert rel in out
    assert "Nothing was written" in out


def test_a_legacy_notebook_is_replaced_only_with_force(conv_mnist, capsys):
    (conv_mnist / "conv_mnist.ipynb").write_text('{"cells": []}', encoding="utf-8")
    before = snapshot(conv_mnist)
    code, _, err = adopt(capsys, str(conv_mnist))
    assert code == 1 and "--force" in err and "conv_mnist.ipynb" in err
    assert snapshot(conv_mnist) == before
    assert adopt(capsys, str(conv_mnist), "--force")[0] == 0
    assert json.loads((conv_mnist / "conv_mnist.ipynb").read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("vision/Conv MNIST", "git mv"),
        ("elsewhere/conv_mnist", "not inside a category folder"),
    ],
)
def test_folders_that_cannot_be_entries_are_refused(tmp_path, capsys, where, message):
    entry = write_tree(tmp_path / where, {"conv_mnist.jl": SCRIPT})
    before = snapshot(tmp_path)
    code, _, err = adopt(capsys, str(entry))
    assert code == 2 and message in err and "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_adopting_twice_is_refused(conv_mnist, capsys):
    assert adopt(capsys, str(conv_mnist))[0] == 0
    code, _, err = adopt(capsys, str(conv_mnist))
    assert code == 2 and "already in the standard" in err


def test_bad_input_leaves_the_entry_untouched(conv_mnist, capsys):
    (conv_mnist / "Project.toml").write_text("[deps\n", encoding="utf-8")
    before = snapshot(conv_mnist.parent)
    code, _, err = adopt(capsys, str(conv_mnist))
    assert code == 1 and "Project.toml" in err and "not valid TOML" in err
    assert snapshot(conv_mnist.parent) == before
    assert [p.name for p in conv_mnist.parent.iterdir()] == ["conv_mnist"], (
        "no temporary folder left"
    )


# A whole zoo, or a category ------------------------------------------------------------------

LEGACY_ZOO = Path(__file__).parent / "fixtures" / "legacy_zoo"


@pytest.fixture
def legacy_zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    zoo = tmp_path / "zoo"
    shutil.copytree(LEGACY_ZOO, zoo)
    monkeypatch.chdir(zoo)
    return zoo


def test_adopt_on_a_zoo_dry_run_plans_every_entry_and_writes_nothing(legacy_zoo, capsys):
    before = snapshot(legacy_zoo)
    code, out, _ = adopt(capsys, ".", "--dry-run")
    assert code == 0
    assert snapshot(legacy_zoo) == before
    heads = [line for line in out.splitlines() if not line.startswith("  ")]
    assert [h.split(": ", 1)[0] for h in heads[:-1]] == ["text/old_rnn", "vision/old_convnet"]
    assert all(": would adopt (main script " in h for h in heads[:-1])
    assert heads[-1] == "Nothing was written (--dry-run)."


def test_adopt_on_a_zoo_adopts_each_legacy_entry_with_its_worklist(legacy_zoo, capsys):
    code, out, _ = adopt(capsys, ".")
    assert code == 0
    assert all(metadata.read(legacy_zoo / rel) for rel in ("text/old_rnn", "vision/old_convnet"))
    # The worklist: the API family's findings on the adopted script, one line per rule.
    found = check_entry(
        legacy_zoo / "vision/old_convnet",
        [r for r in all_rules() if r.code.startswith("FZ5")],
    )
    assert found, "the fixture is written for Flux 0.11"
    block = out.split("vision/old_convnet: adopted", 1)[1]
    for code_, diagnostics in _by_code(found).items():
        lines = ", ".join(str(d.line) for d in diagnostics)
        assert f"  {code_} {diagnostics[0].name} ({len(diagnostics)}): lines {lines}" in block
    # Run again, or on a category: what is in the standard is skipped, pointing to update.
    code, out, _ = adopt(capsys, "vision", "text")
    assert code == 0
    assert out.splitlines() == [
        f"{rel}: skipped: already in the standard; 'fluxzoo update' keeps it current"
        for rel in ("vision/old_convnet", "text/old_rnn")
    ]


def test_one_entry_reports_its_worklist_grouped_by_rule(legacy_zoo, capsys):
    code, out, _ = adopt(capsys, "vision/old_convnet")
    assert code == 0
    worklist = out.split("Modernisation worklist", 1)[1].split("Left for a person", 1)[0]
    found = check_entry(
        Path("vision/old_convnet"), [r for r in all_rules() if r.code.startswith("FZ5")]
    )
    for code_, diagnostics in _by_code(found).items():
        assert f"  {code_} {diagnostics[0].name} ({len(diagnostics)}):" in worklist
        for d in diagnostics:
            assert f"    {d.path}:{d.line}: {d.code} {d.message}" in worklist


def _by_code(found):
    groups: dict = {}
    for d in found:
        groups.setdefault(d.code, []).append(d)
    return groups


def test_tested_flux_is_the_version_the_manifest_resolved(conv_mnist, capsys):
    (conv_mnist / "Project.toml").write_text(PROJECT.replace('"0.13.16, 0.14"', '"0.13"'))
    assert adopt(capsys, str(conv_mnist))[0] == 0
    assert metadata.read(conv_mnist)["tested"]["flux"] == "0.14"  # the Manifest's 0.14.6


GNN = """using Flux, GraphNeuralNetworks
model = GNNChain(GCNConv(16 => 32, relu), GCNConv(32 => 7))
"""
GPT = """using Flux
attention = MultiHeadAttention(64; nheads = 4)
mask = make_causal_mask(rand(Float32, 64, 8))
"""
SENTIMENT = """using Flux
model = Chain(Embedding(5000 => 32), LSTM(32 => 32), x -> x[:, end], Dense(32 => 2))
"""


@pytest.mark.parametrize(
    ("rel", "code", "kind"),
    [
        ("other/cora_nodes", GNN, "graph_neural_network"),
        ("text/shakespeare_gpt", GPT, "transformer"),
        ("other/tiny_attention", GPT, "transformer"),  # the layers decide, not the category
        ("text/imdb_sentiment", SENTIMENT, "text_classification"),
        ("text/spam", SENTIMENT.replace("Dense(32 => 2)", "Dense(32 => 1)"), "text_classification"),
        ("text/poetry", SENTIMENT.replace("Dense(32 => 2)", "Dense(32 => 5000)"), "sequence_model"),
        ("vision/spatial_transformer", "using Flux\nmodel = Chain(Conv((3, 3), 1 => 8))\n",
         "image_classification"),
    ],
)  # fmt: skip
def test_the_kind_is_guessed_from_the_code_and_its_place(tmp_path, capsys, rel, code, kind):
    slug = rel.split("/")[1]
    entry = write_tree(tmp_path / rel, {f"{slug}.jl": code})
    assert adopt(capsys, str(entry))[0] in (0, 1)
    meta = metadata.read(entry)
    assert meta["kind"] == kind
    assert ("dataset" in meta) is KINDS[kind].needs_dataset
