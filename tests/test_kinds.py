"""The tutorial kinds: each bakes into a valid, self-consistent, distinct Julia skeleton.

No Julia runs here, so the Julia is read with tree-sitter-julia: the script and its tests must
parse, load exactly the packages `Project.toml` declares, agree on the names and keyword
arguments they share, keep their Literate sections and notebook cells intact, use the current
explicit-gradient Flux API, and show the pattern their kind is about.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import pytest
from docs_page import ABOUT
from fluxzoo import julia_api, literate, registry
from fluxzoo.cli import main
from fluxzoo.julia_syntax import imported_packages, syntax_errors
from fluxzoo.kinds import KINDS
from fluxzoo.literate import Flavor, LiterateOptions
from fluxzoo.metadata import tomllib

ALL_KINDS = sorted(KINDS)
TODO = "TODO(fluxzoo)"


@dataclass(frozen=True)
class Baked:
    entry: Path
    script: str
    tests: str
    project: dict
    notebook: nbformat.NotebookNode


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Baked]:
    """Every kind, baked once through the command line with default answers."""
    out = tmp_path_factory.mktemp("kinds")
    entries = {}
    for kind in ALL_KINDS:
        # Author given explicitly: a module-scoped fixture must not read the user's git config.
        sets = ["title=My Flux tutorial", "kind=" + kind, "slug=" + kind]
        sets += ["author_name=Ada Tester", "author_email="]
        argv = ["new", "--no-input", "--output-dir", str(out)]
        assert main([*argv, *itertools.chain.from_iterable(("--set", s) for s in sets)]) == 0
        entry = out / kind
        entries[kind] = Baked(
            entry=entry,
            script=(entry / f"{kind}.jl").read_text(encoding="utf-8"),
            tests=(entry / "test" / "runtests.jl").read_text(encoding="utf-8"),
            project=tomllib.loads((entry / "Project.toml").read_text(encoding="utf-8")),
            notebook=nbformat.reads((entry / f"{kind}.ipynb").read_text(encoding="utf-8"), 4),
        )
    return entries


# --- reading Julia with tree-sitter ------------------------------------------------------------


@cache
def _parser():
    import tree_sitter
    import tree_sitter_julia

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_julia.language()))


def _tree(source: str):
    return _parser().parse(source.encode("utf-8")).root_node


def _text(node) -> str:
    return node.text.decode("utf-8")


def _walk(node) -> Iterator:
    yield node
    for child in node.children:
        yield from _walk(child)


def _first_identifier(node) -> str | None:
    """The name a definition's head starts with: `f` in `f(x)`, `S` in `S{T} <: A`."""
    while node is not None:
        if node.type == "identifier":
            return _text(node)
        if node.type == "field_expression":  # Module.f: a method of someone else's function
            return None
        node = node.named_children[0] if node.named_children else None
    return None


@dataclass
class Signature:
    keywords: set[str]
    required: set[str]
    splat: bool


def _parameter_name(node) -> str | None:
    if node.type == "identifier":
        return _text(node)
    if node.type in {"named_argument", "typed_expression"}:
        return _parameter_name(node.named_children[0])
    if node.type == "field_expression":  # f(; args.seq_len) passes seq_len
        return _text(node.named_children[-1])
    return None


def _signature(call) -> Signature:
    """Keyword parameters of a method head `f(a, b = 1; c, d = 2, kws...)`."""
    sig = Signature(set(), set(), splat=False)
    after_semicolon = False
    for arg in call.named_children[-1].children:
        if arg.type == ";":
            after_semicolon = True
        elif arg.is_named and after_semicolon:
            if arg.type == "splat_expression":
                sig.splat = True
            elif name := _parameter_name(arg):
                sig.keywords.add(name)
                if arg.type != "named_argument":
                    sig.required.add(name)
    return sig


def _head_call(definition):
    """The call expression naming a function definition or a short-form `f(x) = ...`."""
    node = definition.named_children[0]
    if node.type == "signature":
        node = node.named_children[0]
    if node.type == "where_expression":
        node = node.named_children[0]
    return node if node.type == "call_expression" else None


@dataclass
class Definitions:
    names: set[str]
    methods: dict[str, list[Signature]]
    structs: set[str]
    kwdef_fields: dict[str, set[str]]


def _definitions(source: str) -> Definitions:
    """The names a script defines at top level, with its methods' keywords and kwdef fields."""
    defs = Definitions(set(), {}, set(), {})
    for node in _tree(source).named_children:
        if node.type in {"function_definition", "assignment"}:
            call = _head_call(node)
            # `f(x) = ...` defines f; `(m::Model)(x) = ...` and `Base.f(x) = ...` define none.
            if call is not None and call.named_children[0].type == "identifier":
                name = _text(call.named_children[0])
                defs.names.add(name)
                defs.methods.setdefault(name, []).append(_signature(call))
            elif node.type == "assignment" and node.named_children[0].type == "identifier":
                defs.names.add(_text(node.named_children[0]))
        elif node.type == "const_statement":
            defs.names.add(_text(node.named_children[0].named_children[0]))
        elif node.type in {"struct_definition", "macrocall_expression"}:
            struct = next((n for n in _walk(node) if n.type == "struct_definition"), None)
            if struct is None:
                continue
            name = _first_identifier(struct.named_children[0])
            defs.names.add(name)
            defs.structs.add(name)
            if node.type == "macrocall_expression" and "@kwdef" in _text(node.named_children[1]):
                defs.kwdef_fields[name] = {
                    _parameter_name(f.named_children[0])
                    for f in struct.named_children[1:]
                    if f.type == "assignment"
                }
    return defs


@dataclass
class Call:
    name: str
    keywords: set[str]
    splat: bool
    line: int


def _is_definition_head(node) -> bool:
    """Whether a call expression is the head of a method definition, not a call."""
    parent = node.parent
    if parent.type == "where_expression":
        node, parent = parent, parent.parent
    if parent.type == "signature":
        return True
    return parent.type == "assignment" and parent.named_children[0].id == node.id


def _calls(source: str, qualifier: str | None) -> Iterator[Call]:
    """Calls of `qualifier.f(...)` (or of plain `f(...)` when qualifier is None)."""
    for node in _walk(_tree(source)):
        if node.type != "call_expression" or len(node.named_children) < 2:
            continue
        if _is_definition_head(node):
            continue
        callee, args = node.named_children[0], node.named_children[-1]
        if args.type != "argument_list":
            continue
        if qualifier is None:
            if callee.type != "identifier":
                continue
            name = _text(callee)
        else:
            if callee.type != "field_expression" or _text(callee.named_children[0]) != qualifier:
                continue
            name = _text(callee.named_children[-1])
        keywords, splat, after_semicolon = set(), False, False
        for arg in args.children:
            if arg.type == ";":
                after_semicolon = True
            elif arg.type == "splat_expression" and after_semicolon:
                splat = True
            elif (
                arg.is_named
                and (after_semicolon or arg.type == "named_argument")
                and (kw := _parameter_name(arg))
            ):
                keywords.add(kw)
        yield Call(name, keywords, splat, node.start_point[0] + 1)


def _check_call(call: Call, defs: Definitions) -> str | None:
    """Why `call` cannot match any method `defs` knows, or None when one accepts it."""
    if call.name in defs.kwdef_fields:
        unknown = call.keywords - defs.kwdef_fields[call.name]
        return f"line {call.line}: {call.name} has no fields {sorted(unknown)}" if unknown else None
    # A method taking `kws...` hands them to the hyper-parameter struct (`HyperParams(; kws...)`).
    hyper = set().union(*defs.kwdef_fields.values()) if defs.kwdef_fields else set()
    for sig in defs.methods.get(call.name, []):
        accepted = sig.keywords | (hyper if sig.splat else set())
        if call.keywords <= accepted and (call.splat or sig.required <= call.keywords):
            return None
    if not call.keywords and (
        call.name in defs.structs  # the default constructor takes the fields in order
        or all(not sig.required for sig in defs.methods.get(call.name, []))
    ):
        return None
    return f"line {call.line}: no method of {call.name} takes keywords {sorted(call.keywords)}"


# --- the entry: bakes, parses, declares what it loads -------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_script_and_tests_parse(baked, kind):
    b = baked[kind]
    assert syntax_errors(b.script) == []
    assert syntax_errors(b.tests) == []
    # The notebook's code cells run one by one: each must be complete on its own, so no
    # markdown (`# `) line may sit inside a function, struct or block of the script.
    for cell in b.notebook.cells:
        if cell.cell_type == "code":
            assert syntax_errors(cell.source) == [], cell.source


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_packages_are_exactly_the_declared_ones(baked, kind):
    k, b = KINDS[kind], baked[kind]
    assert imported_packages(b.script) == set(k.deps)
    test_only = set(k.test_deps) - set(k.deps)
    loaded_by_tests = imported_packages(b.tests)
    assert loaded_by_tests <= set(k.deps) | test_only
    assert test_only <= loaded_by_tests, "a test dependency the tests never load"
    # The tests run as `julia --project=. test/runtests.jl`: registered test packages are deps.
    stdlib_extras = {name for name in test_only if registry.is_stdlib(name)}
    deps = set(k.deps) | (test_only - stdlib_extras)
    assert b.project["deps"] == {name: registry.uuid(name) for name in sorted(deps)}
    assert b.project.get("extras", {}) == {
        name: registry.uuid(name) for name in sorted(stdlib_extras)
    }
    assert b.project.get("targets", {}).get("test", []) == sorted(test_only)
    for name in (*k.deps, *test_only, "julia"):
        assert re.fullmatch(r"\d+(\.\d+)*", b.project["compat"][name]), name


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_sections_are_the_declared_ones(baked, kind):
    headings = re.findall(r"^# ## (.+)$", baked[kind].script, flags=re.MULTILINE)
    assert tuple(headings) == (ABOUT, *KINDS[kind].sections)  # the header's facts, then the kind's


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_todo_markers_only_where_the_contributor_writes(baked, kind):
    b = baked[kind]
    lines = b.script.splitlines()
    marked = [line for line in lines if TODO in line]
    assert len(marked) >= 3
    assert all(re.match(r"\s*(#|[^#]*#)", line) for line in marked), "a marker outside a comment"
    # The prose the contributor owns: the one-line description, background and results.
    for section in ("Background", "Results"):
        start = lines.index(f"# ## {section}")
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# ## ")), None)
        assert any(TODO in line for line in lines[start:end]), section
    assert TODO not in b.tests


# --- the Julia is consistent with itself ---------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_tests_use_only_what_the_script_defines(baked, kind):
    b = baked[kind]
    defs = _definitions(b.script)
    used = set(re.findall(r"\bTutorial\.(\w+!?)", b.tests))
    assert used, "the tests never reach into the script"
    assert used <= defs.names, f"not defined by the script: {sorted(used - defs.names)}"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_keyword_arguments_match_the_definitions(baked, kind):
    b = baked[kind]
    defs = _definitions(b.script)
    calls = [
        *(c for c in _calls(b.script, None) if c.name in defs.names),
        *_calls(b.tests, "Tutorial"),
    ]
    assert any(c.keywords for c in calls)
    problems = [p for c in calls if (p := _check_call(c, defs))]
    assert problems == []


def test_the_keyword_check_catches_mistakes():
    script = """
Base.@kwdef struct HyperParams
    epochs::Int = 1
end
get_data(; n::Int, batchsize::Int, shuffle::Bool = false) = n
train(; kws...) = HyperParams(; kws...)
function run(x)
    get_data(; n = 3, batchsize = 2)
    get_data(; n = 3)
    get_data(; n = 3, batchsize = 2, shufle = true)
    train(; epochs = 2, epoch = 3)
    HyperParams(; epochs = 1, seed = 2)
end
"""
    defs = _definitions(script)
    calls = [c for c in _calls(script, None) if c.name in defs.names]
    problems = [p for c in calls if (p := _check_call(c, defs))]
    assert [p.split(":")[0] for p in problems] == ["line 9", "line 10", "line 11", "line 12"]


# --- the notebook and the docs page train; the script trains only when run ----------------------

_GUARD = "abspath(PROGRAM_FILE) == @__FILE__"
_NOT_RUN_WHERE_WRITTEN = {"function_definition", "macro_definition", "arrow_function_expression"}


def _train_calls(source: str) -> list[tuple[Call, bool]]:
    """Calls of `train(...)` that run where they are written, each with whether the guard holds it.

    A call inside a method body (`function`, `f(x) = ...`, `x -> ...`) runs only when that
    method is called, so it does not count.
    """
    found = []
    for node in _walk(_tree(source)):
        if node.type != "call_expression" or _is_definition_head(node):
            continue
        callee = node.named_children[0]
        if callee.type != "identifier" or _text(callee) != "train":
            continue
        guarded, runs, child, parent = False, True, node, node.parent
        while parent is not None:
            short_definition = parent.type == "assignment" and _head_call(parent) is not None
            if parent.type in _NOT_RUN_WHERE_WRITTEN or (
                short_definition and parent.named_children[0].id != child.id
            ):
                runs = False
            if parent.type == "if_statement" and _text(parent.named_children[0]) == _GUARD:
                guarded = True
            child, parent = parent, parent.parent
        if runs:
            call = next(c for c in _calls(_text(node), None) if c.name == "train")
            found.append((call, guarded))
    return found


def test_train_calls_are_found_with_their_guard():
    source = (
        "function train(; kws...) end\n"
        "f(x) = train(x)\n"
        "g = () -> train()\n"
        "model = train(epochs = 1)\n"
        f"if {_GUARD}\n    train()\nend\n"
    )
    calls = _train_calls(source)
    assert [(c.keywords, guarded) for c, guarded in calls] == [({"epochs"}, False), (set(), True)]


def _literate_outputs(b: Baked, flavor: Flavor) -> tuple[str, nbformat.NotebookNode, str]:
    """The docs page, notebook and clean script fluxzoo's Literate port makes of the source."""
    options = LiterateOptions(name=b.entry.name, flavor=flavor)
    return (
        literate.markdown(b.script, options),
        nbformat.reads(literate.notebook(b.script, LiterateOptions(name=b.entry.name)), 4),
        literate.script(b.script, LiterateOptions(name=b.entry.name)),
    )


def _fenced_julia(markdown_text: str) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown_text)
    julia = {"julia", "@example"}
    return [t.content for t in tokens if t.type == "fence" and set(t.info.split()[:1]) & julia]


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("flavor", [Flavor.COMMONMARK, Flavor.DOCUMENTER])
def test_notebook_and_docs_page_train_while_the_script_keeps_its_guard(baked, kind, flavor):
    b = baked[kind]
    defs = _definitions(b.script)
    page, nb, clean_script = _literate_outputs(b, flavor)
    nbformat.validate(nb)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    # The notebook: a cell after the one defining `train` calls it, with settings it accepts,
    # at top level, so "Run All" trains; the guard, always false in Jupyter, is not there.
    defining = next(i for i, c in enumerate(cells) if "train" in _definitions(c).names)
    running = [(i, call) for i, c in enumerate(cells) for call, _ in _train_calls(c)]
    assert running, "no notebook cell calls train()"
    assert all(i > defining for i, _ in running)
    assert any(call.keywords for _, call in running), "the short run shows no small settings"
    assert [p for _, call in running if (p := _check_call(call, defs))] == []
    assert not any(_GUARD in c for c in cells)
    assert [c.source for c in b.notebook.cells] == [c.source for c in nb.cells]
    # The docs page shows (and, with Documenter, runs) the same call, and not the guard.
    blocks = _fenced_julia(page)
    assert any(_train_calls(block) for block in blocks), "the docs page never calls train()"
    assert not any(_GUARD in block for block in blocks)
    # The source, as the tests include it, and the clean script train only behind the guard.
    for julia, guard in ((b.script, f"\nif {_GUARD} #jl\n"), (clean_script, f"\nif {_GUARD}\n")):
        assert syntax_errors(julia) == []
        assert guard in julia
        assert all(guarded for _, guarded in _train_calls(julia))
    assert not re.search(r"#!?(jl|nb|md)\b", clean_script)


# --- the data the prose and the metadata name is the data the code loads ------------------------

# Where each kind's code loads its data set (checked against MLDatasets v0.7.21:
# src/MLDatasets.jl exports, and the constructors in src/datasets/...). SMSSpamCollection:
# src/MLDatasets.jl:104-105 includes and exports it; src/datasets/text/smsspamcollection.jl:44-62
# defines `SMSSpamCollection(; dir = nothing)` with `features` (the messages) and `targets`
# ("ham"/"spam") as `Vector{String}`, its DataDep (:1-16) fetching smsspamcollection.zip.
DATA_LOADING = {
    "image_classification": "MNIST(; split)",
    "generative_model": "MNIST(; split)",
    "transfer_learning": "CIFAR10(; split)",
    "sequence_model": "Downloads.download(DATA_URL, path)",
    "text_classification": "SMSSpamCollection(; dir)",
    "transformer": "Downloads.download(DATA_URL, path)",
    # src/MLDatasets.jl:116-117; src/datasets/graphs/cora.jl:55 `Cora(; dir, reverse_edges)`.
    "graph_neural_network": "mldataset2gnngraph(Cora())",
}


def test_every_kind_with_data_says_where_its_code_loads_it():
    assert set(DATA_LOADING) == {k for k, spec in KINDS.items() if spec.dataset}


@pytest.mark.parametrize("kind", sorted(DATA_LOADING))
def test_the_prose_and_metadata_name_the_data_the_code_loads(baked, kind):
    b, dataset = baked[kind], KINDS[kind].dataset
    assert DATA_LOADING[kind] in b.script
    lines = b.script.splitlines()
    start = lines.index("# ## Background")
    background = lines[start : lines.index("# ## Setup")]
    assert any(dataset.name in line for line in background)
    meta = tomllib.loads((b.entry / "tutorial.toml").read_text(encoding="utf-8"))
    assert meta["dataset"] == {
        "name": dataset.name,
        "source": dataset.source,
        "license": dataset.license,
    }


# --- the Julia is current, idiomatic Flux ------------------------------------------------------

LEGACY = {
    r"\bFlux\.params\b|\bparams\(": "implicit parameters (Flux.params)",
    r"\breset!\(": "Flux.reset! (recurrent layers keep no state since Flux 0.16)",
    r"\bFlux\.Optimise\b": "the old Flux.Optimise module",
    r"(?<![\w.])(gpu|cpu)\(|\|>\s*(gpu|cpu)\b": "gpu/cpu instead of gpu_device()/cpu_device()",
    r"@functor\b": "@functor instead of Flux.@layer",
    r"\bADAM\b|\bNADAM\b": "deprecated optimiser names",
    r"\bFlux\.Data\b": "the removed Flux.Data module",
}


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_current_flux_api(baked, kind):
    b = baked[kind]
    script, tests = (
        "\n".join(line.split("#", 1)[0] for line in source.splitlines())
        for source in (b.script, b.tests)
    )
    for code in (script, tests):
        for pattern, what in LEGACY.items():
            assert not re.search(pattern, code), what
    for habit in ("Flux.setup(", "Flux.withgradient(", "Flux.update!("):
        assert habit in b.script, habit
    if "use_gpu" in b.script:
        assert "gpu_device()" in b.script and "cpu_device()" in b.script
    # Every piece of data a test touches is made up: nothing is downloaded.
    assert not re.search(r"download|pretrain\s*=\s*true|MLDatasets", tests)


# What each kind is about, in its script and in its tests.
PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "image_classification": (("Conv(", "logitcrossentropy"), ("size(model(x))",)),
    "sequence_model": (
        ("LSTM(", "Embedding(", "Flux.initialstates(", "function generate("),
        ("Tutorial.CharLM(", "(vocab, seq_len, batch)", "Tutorial.generate("),
    ),
    "generative_model": (
        ("randn_like(", "logitbinarycrossentropy", "function generate("),
        ("Tutorial.generate(", "after < before"),
    ),
    "custom_gradient": (
        ("function ChainRulesCore.rrule(", "ProjectTo(", "@thunk", "NoTangent()"),
        ("test_rrule(Tutorial.softclip",),
    ),
    "custom_optimiser": (
        ("<: Optimisers.AbstractRule", "Optimisers.init(", "function Optimisers.apply!("),
        ("Optimisers.update(state, x,", "@test x ≈ [0.9, -1.9, 3.0]", "Flux.adjust!("),
    ),
    "transfer_learning": (
        ("ResNet(18; pretrain)", "Metalhead.backbone(", "Flux.freeze!(", "Flux.thaw!("),
        ("pretrain = false", "== backbone_before", "!= head_before"),
    ),
    "custom_loss": (
        ("function quantile_loss(", "agg = mean"),
        ("central_fdm(5, 1)", "FiniteDifferences.grad(", "Flux.gradient("),
    ),
    "model_serving": (
        ("HTTP.Router()", "HTTP.register!(", "HTTP.serve(", "function serve(; kws...)"),
        ("HTTP.Request(", "JSON.parse(String(response.body))", "status == 400", "status == 404"),
    ),
    "performance": (
        ("@benchmark", "function shuffle_into!(", "view(xs, :, cols)"),
        ("@inferred(", "@allocated", "== large", "isconcretetype"),
    ),
    # Flux v0.16.0 (the lowest release the entry's "0.16" bound admits) src/layers/recurrent.jl:
    # GRU((in, out)::Pair; cell_kwargs...) at :636 and its forward pass returning every step's
    # state, out x len x batch (`scan`, :1-8); `return_state` only came in a later 0.16 release,
    # so the script takes `h[:, end, :]`. Embedding of an index matrix: src/layers/basic.jl
    # (v0.16.11:796) reshapes to out x size(x)...
    "text_classification": (
        ("Embedding(", "GRU(", "h[:, end, :]", "function build_vocabulary(", "function classify("),
        ("Tutorial.encode(", "grads.embedding.weight", "after.loss < before.loss"),
    ),
    # Flux v0.16.0 src/layers/attention.jl: MultiHeadAttention(dims; nheads, bias, init,
    # dropout_prob) at :79-83, self-attention `mha(qkv; kws...)` at :115, the forward pass with
    # `mask` at :121 returning (x, α) at :132; NNlib v0.9.36 src/attention.jl:149
    # make_causal_mask(x; dims = 2), `m[i, j] == i <= j` (:145) over (kv_len, q_len) scores,
    # non-differentiable (:161); exported (src/NNlib.jl:47) and re-exported by Flux
    # (`@reexport using NNlib`, src/Flux.jl:10). LayerNorm on any array: normalise.jl:203.
    "transformer": (
        ("MultiHeadAttention(", "make_causal_mask(h)", "LayerNorm(", "function generate("),
        (
            "y[:, 1:(end - 1), :] ≈ y_changed[:, 1:(end - 1), :]",
            "Tutorial.GPT(",
            "Tutorial.generate(",
        ),
    ),
    # GraphNeuralNetworks v1.0.0 (the lowest release the policy admits with Flux 0.16):
    # GraphNeuralNetworks/src/GraphNeuralNetworks.jl:18-19 re-exports GNNGraphs and GNNlib,
    # :23 and :37 export GNNChain and GCNConv; src/layers/conv.jl:87-91 GCNConv(ch::Pair{Int,
    # Int}, σ = identity; ..., add_self_loops = true), :77-84 its `weight` field;
    # src/layers/basic.jl:124 `(c::GNNChain)(g::GNNGraph, x)`, :151-152 plain layers get only x.
    # GNNGraphs v1.4.0 (its lowest bound there): src/mldatasets.jl:25 mldataset2gnngraph,
    # src/GNNGraphs.jl:115 exports it; src/generate.jl:41 rand_graph(n, m; seed, kws...);
    # src/gnngraph.jl:164 GNNGraph(s, t; num_nodes, ndata).
    "graph_neural_network": (
        ("GNNChain(", "GCNConv(", "mldataset2gnngraph(", "ŷ[:, mask]"),
        ("rand_graph(", "y[:, 4:8] ≈ y_changed[:, 4:8]", "Tutorial.train_step!("),
    ),
    "blank": (("Dense(",), ("after < before",)),
}


# Names the newer kinds use without qualifying them, from `using Flux` and
# `using GraphNeuralNetworks`: exported at the first minor release the entry's `[compat]`
# admits, by the API table built from the packages' sources (scripts/build_api_table.py).
UNQUALIFIED = {
    "text_classification": {"Flux": ("Embedding", "GRU", "Dense", "softmax", "Adam")},
    "transformer": {
        "Flux": ("MultiHeadAttention", "make_causal_mask", "LayerNorm", "Dropout", "gelu", "Chain")
    },
    "graph_neural_network": {
        "Flux": ("Dropout", "relu", "WeightDecay", "OptimiserChain", "Adam"),
        "GraphNeuralNetworks": (
            "GNNChain", "GCNConv", "GNNGraph", "mldataset2gnngraph", "rand_graph"
        ),
    },
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(UNQUALIFIED))
def test_unqualified_names_are_exported_where_the_bounds_begin(baked, kind):
    b = baked[kind]
    for module, names in UNQUALIFIED[kind].items():
        first_minor = ".".join([*b.project["compat"][module].split("."), "0"][:2])
        assert first_minor in julia_api.versions(module)
        for name in names:
            assert re.search(rf"(?<![.\w]){name}\b", b.script + b.tests), name
            assert julia_api.exported(module, name, first_minor), (module, name, first_minor)


def test_every_kind_has_its_patterns():
    assert set(PATTERNS) == set(KINDS)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_each_kind_shows_its_pattern(baked, kind):
    in_script, in_tests = PATTERNS[kind]
    for text in in_script:
        assert text in baked[kind].script, text
    for text in in_tests:
        assert text in baked[kind].tests, text


# --- the kinds are distinct ---------------------------------------------------------------------


def _code_lines(script: str) -> list[str]:
    return [s for line in script.splitlines() if (s := line.strip()) and not s.startswith("#")]


def _shape(script: str) -> list[str]:
    """The syntax node types of the code, which renaming every identifier leaves unchanged."""
    return [n.type for n in _walk(_tree(script)) if n.is_named and not n.type.endswith("comment")]


@pytest.fixture(scope="module")
def fingerprints(baked) -> dict[str, tuple[list[str], list[str]]]:
    return {k: (_code_lines(b.script), _shape(b.script)) for k, b in baked.items()}


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(ALL_KINDS, 2)))
def test_no_kind_is_a_copy_of_another(fingerprints, a, b):
    """Shared habits are expected (the standard sections, the training loop); copies are not.

    Line similarity catches a copy with small edits; the similarity of syntax node types
    catches a copy whose names were all changed. Genuinely different kinds stay well below
    both limits (at most about 0.55 and 0.8 today).
    """
    (lines_a, shape_a), (lines_b, shape_b) = fingerprints[a], fingerprints[b]
    assert difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False).ratio() < 0.7
    assert difflib.SequenceMatcher(None, shape_a, shape_b, autojunk=False).ratio() < 0.9


def test_the_readme_table_lists_every_kind_once():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Tutorial kinds\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
    assert rows == list(KINDS)
