"""The FZ5xx rules (the code against its Flux stack's API) on the clean entry and mutations of it.

The clean entry is the one `test_rules.py` uses (Flux 0.16 in `[compat]`); each failing case
plants one legacy call or typo and checks the findings' lines and what the message says.
`PLANTS` go into a fresh entry of every kind, in the script and in its tests, at the top level
and in a function body, and each must be reported at its line and nothing else anywhere.
Facts about Flux come from its sources (FluxML/Flux.jl, read at the tags named):
`Flux.Data` is gone after v0.13 (v0.13.17 src/deprecations.jl `@deprecate_binding Data Flux`,
absent from v0.14.25), `ADAM` is Optimisers' `@deprecate ADAM Adam` (Optimisers v0.4.8
src/rules.jl:1) re-exported by Flux 0.16, `Flux.params` and `Flux.reset!` are deprecated in
v0.15 and v0.16 (v0.16.11 src/deprecations.jl), `@epochs` went away in v0.14.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fluxzoo.checks import fixes
from fluxzoo.checks.registry import Rule, all_rules
from fluxzoo.checks.rules.api import UNDEFINED_PER_FILE
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main
from test_rules import SLUG, Case, both, copy_entry, line_of, located, replace, run, write

SCRIPT = f"{SLUG}.jl"
TEMPLATE = Path(__file__).resolve().parents[1] / "template" / "cookiecutter.json"
MANIFEST_014 = """\
julia_version = "1.10.4"
manifest_format = "2.0"

[[deps.Flux]]
uuid = "587475ba-b771-5e3f-ad9e-33799f191a9c"
version = "0.14.25"
"""
MANIFEST_CUDA_5 = (
    MANIFEST_014
    + """
[[deps.CUDA]]
uuid = "052768ef-5323-5732-b1bb-66c8b64840ba"
version = "5.4.3"
"""
)
TRAIN_LINE = line_of(SCRIPT, "Flux.withgradient")
OPT_LINE = line_of(SCRIPT, "Flux.setup")
USING_LINE = line_of(SCRIPT, "using Flux")


def code(old: str, new: str) -> Callable[[Path], None]:
    return replace(SCRIPT, old, new)


FAILING: dict[str, Case] = {
    "flux-data-dataloader": Case(
        "FZ501",
        code("using Flux\n", "using Flux\nusing Flux.Data: DataLoader\n"),
        [(SCRIPT, USING_LINE + 1)],
        "`Flux.Data` was removed in Flux 0.14 (this entry uses Flux 0.16); use `Flux.DataLoader`",
    ),
    "epochs-macro": Case(
        "FZ501",
        code(
            "    for _ in 1:args.epochs\n",
            "    Flux.@epochs 2 println()\n    for _ in 1:args.epochs\n",
        ),
        [(SCRIPT, TRAIN_LINE - 1)],
        "`Flux.@epochs` was removed in Flux 0.14",
    ),
    "adam-caps": Case(
        "FZ502",
        code("Flux.setup(Adam(args.lr)", "Flux.setup(ADAM(args.lr)"),
        [(SCRIPT, OPT_LINE)],
        "`ADAM` is deprecated since Optimisers 0.2 (this entry uses Flux 0.16); use `Adam`",
    ),
    "reset-call": Case(
        "FZ502",
        code("    return model, losses\n", "    Flux.reset!(model)\n    return model, losses\n"),
        [(SCRIPT, TRAIN_LINE + 4)],
        "`Flux.reset!` is deprecated since Flux 0.15 (this entry uses Flux 0.16); delete the call",
    ),
    "implicit-train": Case(
        "FZ506",
        code(
            "        Flux.update!(opt_state, model, grads[1])\n",
            "        Flux.train!(loss, Flux.params(model), [(x, y)], opt_state)\n",
        ),
        [(SCRIPT, TRAIN_LINE + 1)],
        "`Flux.train!(...)` is implicit-style training over `Params` (deprecated since Flux "
        "0.15); use the explicit form: `opt_state = Flux.setup(Adam(), model)`",
    ),
    "implicit-gradient": Case(
        "FZ506",
        both(
            code("    losses = Float32[]\n", "    ps = Flux.params(model)\n    losses = []\n"),
            code(
                "Flux.withgradient(m -> Flux.mse(m(x), y), model)",
                "Flux.withgradient(() -> Flux.mse(model(x), y), ps)",
            ),
        ),
        [(SCRIPT, TRAIN_LINE + 1)],
        "`Flux.withgradient(...)` takes an implicit gradient over `Params`",
    ),
    "positional-dense": Case(
        "FZ507",
        code("Dense(32 => 1)", "Dense(32, 1)"),
        [(SCRIPT, line_of(SCRIPT, "build_model() ="))],
        "`Dense(32, 1, ...)`: write the sizes as a pair, `Dense(32 => 1, ...)`",
    ),
    "params-on-0.14": Case(
        "FZ503",
        both(
            write("Manifest.toml", MANIFEST_014),
            code(
                "    losses = Float32[]\n", "    ps = Flux.params(model)\n    losses = Float32[]\n"
            ),
        ),
        [(SCRIPT, OPT_LINE + 1)],
        "`Flux.params` is deprecated since Flux 0.15, newer than the Flux 0.14 this entry uses; "
        "take the gradient explicitly: `Flux.withgradient(m -> loss(m, x, y), model)`",
    ),
    "tracker-package": Case(
        "FZ503",
        code("using Random\n", "using Random\nusing Tracker\n"),
        [(SCRIPT, line_of(SCRIPT, "using Random") + 1)],
        "`Tracker` is a superseded package; Tracker is Flux's automatic differentiation from "
        "before Flux 0.10",
    ),
    # An `include`d file writes `Flux.x` and uses `params` without loading Flux itself: the
    # file that includes it loads them (real zoo: contrib/meta-learning/utils.jl).
    "qualified-in-included-file": Case(
        "FZ501",
        both(
            code("using Random\n", 'using Random\ninclude("weights.jl")\n'),
            write("weights.jl", "# Weights\n\ncopy_weights!(m, w) = Flux.loadparams!(m, w)\n"),
        ),
        [("weights.jl", 3)],
        "`Flux.loadparams!` was removed in Flux 0.14 (this entry uses Flux 0.16); copy the "
        "weights with `Flux.loadmodel!(model, other)`",
    ),
    "explicit-import-used-in-included-file": Case(
        "FZ502",
        both(
            code("using Random\n", 'using Random\nusing Flux: params\ninclude("weights.jl")\n'),
            write("weights.jl", "weights(m) = params(m)\n"),
        ),
        [(SCRIPT, line_of(SCRIPT, "using Random") + 1), ("weights.jl", 1)],
        "`Flux.params` is deprecated since Flux 0.15 (this entry uses Flux 0.16)",
    ),
    "withgradient-typo": Case(
        "FZ504",
        code("Flux.withgradient(", "Flux.withgradeint("),
        [(SCRIPT, TRAIN_LINE)],
        "`Flux.withgradeint` is not defined in any release of Flux; did you mean "
        "`Flux.withgradient`?",
    ),
    "activation-typo": Case(
        "FZ505",
        code("Dense(1 => 32, tanh)", "Dense(1 => 32, tanhh)"),
        [(SCRIPT, line_of(SCRIPT, "build_model() ="))],
        "`tanhh` is not defined; did you mean `tanh`?",
    ),
    # LinearAlgebra is in the table (JuliaLang/LinearAlgebra.jl, untagged: read at its newest
    # commit), so an entry that loads it is judged, and `norm` is the near name.
    "typo-of-a-linear-algebra-export": Case(
        "FZ505",
        code("using Random\n", "using Random\nusing LinearAlgebra\nlength_of(v) = normm(v)\n"),
        [(SCRIPT, line_of(SCRIPT, "using Random") + 2)],
        "`normm` is not defined; did you mean `norm`?",
    ),
    # DataFrames' exports are known in full (it re-exports Missings and InvertedIndices, both
    # read), so an entry that loads it is judged.
    "typo-of-a-dataframes-export": Case(
        "FZ505",
        code("using Random\n", "using Random\nusing DataFrames\ncount_rows(df) = nrows(df)\n"),
        [(SCRIPT, line_of(SCRIPT, "using Random") + 2)],
        "`nrows` is not defined; did you mean `nrow`?",
    ),
    "local-used-outside-its-function": Case(
        "FZ505",
        code("    return x, y\nend\n", "    return x, y\nend\nprintln(n)\n"),
        [(SCRIPT, line_of(SCRIPT, "    return x, y") + 2)],
        "`n` is not defined",
    ),
    "loop-variable-after-the-loop": Case(
        "FZ505",
        both(
            code("for _ in 1:args.epochs", "for epoch in 1:args.epochs"),
            code("    return model, losses\n", "    println(epoch)\n    return model, losses\n"),
        ),
        [(SCRIPT, TRAIN_LINE + 4)],
        "`epoch` is not defined",
    ),
}

PASSING: dict[str, tuple[str, Callable[[Path], None]]] = {
    # Still current in Flux 0.16: the positional `Dense` sizes are another rule's business.
    "current-names": ("FZ501", code("Dense(32 => 1)", "Flux.Dense(32 => 1)")),
    # Explicit `gradient` is current; only `gradient(f, ::Params)` is deprecated.
    "explicit-gradient": ("FZ502", code("Flux.withgradient(", "Flux.gradient(")),
    # A `reset!` that is not Flux's (an environment's, from a package the table lacks).
    "other-reset": (
        "FZ502",
        code("using Random\n", "using Random\nusing Gym\nenv = 1\nreset!(env)\n"),
    ),
    # `Flux.params` on Flux 0.14 is current there: the later deprecation is FZ503's.
    "params-pinned": (
        "FZ502",
        both(
            write("Manifest.toml", MANIFEST_014),
            code("model = build_model()\n", "model = build_model()\n    ps = Flux.params(model)\n"),
        ),
    ),
    # On the newest release there is nothing newer to warn about.
    "newest-release": ("FZ503", code("Flux.setup(Adam(args.lr)", "Flux.setup(ADAM(args.lr)")),
    # A far miss may come from a package the table does not describe (`Flux.CuIterator`).
    "far-from-any-name": ("FZ504", code("using Random\n", "using Random\nx = Flux.CuIterator\n")),
    # Where names may come from code it cannot read, FZ505 says nothing.
    "eval-in-file": (
        "FZ505",
        code("using Random\n", "using Random\n@eval f() = 1\nprintln(nope)\n"),
    ),
    "unknown-package": ("FZ505", code("using Random\n", "using Random\nusing CUDA\nx = cu(1)\n")),
    "missing-include": ("FZ505", code("using Random\n", 'using Random\ninclude("gone.jl")\n')),
    # A script too long to parse: what it defines (`train`, used by the tests) is not known.
    "unparsed-script": (
        "FZ505",
        code("using Random\n", "using Random\nx = " + "1 + " * 5001 + "1\n"),
    ),
    "macro-defines-names": (
        "FZ505",
        code("using Random\n", "using Random\nmacro defs(xs...) end\n@defs a b\nprintln(a, b)\n"),
    ),
    "kwdef-default-uses-a-field": (
        "FZ505",
        code("    seed::Int = 42\n", "    seed::Int = 42\n    seed2::Int = seed + 1\n"),
    ),
    "let-do-comprehension": (
        "FZ505",
        code(
            "    return x, y\nend\n",
            "    return x, y\nend\nz = let q = 2\n    [q * i for i in 1:3]\nend\n"
            "foreach(z) do w\n    println(w)\nend\n",
        ),
    ),
    # The explicit forms.
    "explicit-train": (
        "FZ506",
        code(
            "        Flux.update!(opt_state, model, grads[1])\n",
            "        Flux.train!((m, x, y) -> Flux.mse(m(x), y), model, [(x, y)], opt_state)\n",
        ),
    ),
    # Both sizes are names: `Dense(W, b)` with arrays looks the same, so it is left.
    "dense-from-arrays": (
        "FZ507",
        code("Dense(32 => 1)", "Dense(randn(Float32, 1, 32), zeros(Float32, 1))"),
    ),
    # In an included file, `a.b` of a variable `a` is a field, whatever the includer loads.
    "fields-in-included-file": (
        "FZ504",
        both(
            code("using Random\n", 'using Random\ninclude("weights.jl")\n'),
            write("weights.jl", "first_weight(m) = m.layers.withgradeint\n"),
        ),
    ),
    # A function argument named like the module the includer loads is that argument.
    "argument-named-like-a-module": (
        "FZ504",
        both(
            code("using Random\n", 'using Random\ninclude("weights.jl")\n'),
            write("weights.jl", "widths(Flux) = Flux.withgradeint\n"),
        ),
    ),
    # Plots' own macros write `export`s (`@init_backend`), so its export list is not known in
    # full: an entry that loads it is not judged.
    "module-with-unknown-exports": (
        "FZ505",
        code("using Random\n", "using Random\nusing Plots\nscatter2([1], [2])\n"),
    ),
    # CUDA 6 re-exports CUDACore, which the table does not read: `functional`, absent from
    # what it read of 6.0, is not news (CUDA v6.3.0 src/CUDA.jl `@reexport using CUDACore`).
    "name-from-an-unread-re-export": (
        "FZ503",
        both(
            write("Manifest.toml", MANIFEST_CUDA_5),
            code("using Random\n", "using Random\nusing CUDA\nuse_gpu = CUDA.functional()\n"),
        ),
    ),
    # Base is known by its exports only.
    "base-internal": ("FZ504", code("using Random\n", "using Random\nx = Base.unsafe_thing\n")),
}


@pytest.mark.parametrize("name", FAILING)
def test_api_rule_fails_on_its_case(name: str, tmp_path: Path) -> None:
    case = FAILING[name]
    entry = copy_entry(tmp_path)
    case.mutate(entry)
    found = run(entry, case.code)
    assert located(found, entry) == case.expect, [d.message for d in found]
    assert case.says in found[0].message


@pytest.mark.parametrize("name", PASSING)
def test_api_rule_passes_on_variant(name: str, tmp_path: Path) -> None:
    rule, mutate = PASSING[name]
    entry = copy_entry(tmp_path)
    mutate(entry)
    assert run(entry, rule) == []


# Fixes (--unsafe-fixes) ---------------------------------------------------------------------


def fixed(entry: Path, code: str) -> str:
    """The script after `check --fix --unsafe-fixes` of rule `code`; the rule then passes."""
    outcome = fixes.plan_fixes(entry, [Rule.from_code(code)], unsafe=True)
    fixes.apply(outcome)
    assert run(entry, code) == []
    return (entry / SCRIPT).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code_", "before", "after"),
    [
        ("FZ502", "Flux.setup(Adam(args.lr)", "Flux.setup(ADAM(args.lr)"),
        (
            "FZ502",
            "    return model, losses\n",
            "    Flux.reset!(model)\n    return model, losses\n",
        ),
        ("FZ501", "using Flux\n", "using Flux\nusing Flux.Data: DataLoader\n"),
        ("FZ507", "Dense(1 => 32, tanh), Dense(32 => 1)", "Dense(1, 32, tanh), Dense(32, 1)"),
    ],
)
def test_fix_restores_the_current_form(code_: str, before: str, after: str, tmp_path: Path) -> None:
    entry = copy_entry(tmp_path)
    clean = (entry / SCRIPT).read_text(encoding="utf-8")
    code(before, after)(entry)
    assert run(entry, code_)
    result = fixed(entry, code_)
    if code_ == "FZ501":
        assert result == clean.replace("using Flux\n", "using Flux\nusing Flux: DataLoader\n")
    else:
        assert result == clean


def test_fix_renames_qualified_data_loader_and_reset_imports(tmp_path: Path) -> None:
    entry = copy_entry(tmp_path)
    code(
        "using Random\n",
        "using Random\nusing Flux: reset!, relu\nloader(x) = Flux.Data.DataLoader(x)\n",
    )(entry)
    result = fixed(entry, "FZ501")
    assert "loader(x) = Flux.DataLoader(x)\n" in result
    result = fixed(entry, "FZ502")
    assert "using Flux: relu\n" in result and "reset!" not in result


def test_pinned_entries_get_no_rename(tmp_path: Path) -> None:
    """On Flux 0.14 the deprecation is only news for later (FZ503), which has no fix."""
    entry = copy_entry(tmp_path)
    write("Manifest.toml", MANIFEST_014)(entry)
    code("model = build_model()\n", "model = build_model()\n    ps = Flux.params(model)\n")(entry)
    assert run(entry, "FZ503")
    assert Rule.from_code("FZ503").fix is None


def test_a_fresh_entry_of_every_kind_has_no_api_finding(tmp_path: Path) -> None:
    kinds = json.loads(TEMPLATE.read_text(encoding="utf-8"))["kind"]
    assert len(kinds) >= 10
    for kind in kinds:
        out = tmp_path / kind
        sets = ["--set", f"kind={kind}", "--set", "title=My Flux tutorial"]
        assert main(["new", "--no-input", *sets, "--output-dir", str(out)]) == 0
        (entry,) = [p for p in out.iterdir() if p.is_dir()]
        assert check_entry(entry, [r for r in all_rules() if r.code.startswith("FZ5")]) == [], kind


# One legacy call or typo each, with the rules that must report it at its line (the implicit
# gradient also calls the deprecated `Flux.params`); each is a statement that fits anywhere a
# statement does.
PLANTS = [
    ("x_ = Flux.withgradeint(m -> 0f0, nothing)", {"FZ504"}),
    ("ps_ = Flux.params(nothing)", {"FZ502"}),
    ("opt_ = ADAM(1e-3)", {"FZ502"}),
    ("Flux.reset!(nothing)", {"FZ502"}),
    ("loader_ = Flux.Data.DataLoader(1:3)", {"FZ501"}),
    ("Flux.@epochs 2 println()", {"FZ501"}),
    ("layer_ = Dense(2, 3)", {"FZ507"}),
    ("g_ = gradient(() -> 0f0, Flux.params(nothing))", {"FZ506", "FZ502"}),
    ("y_ = reluu(1f0)", {"FZ505"}),
]


def _sites(path: Path, opener: tuple[str, ...], block: str) -> tuple[str, list[tuple[int, str]]]:
    """The file's text and the (0-based line, indent) to plant at: after the last top-level
    line that starts with one of `opener`, and first in the body of the first `block` whose
    head is one line."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    spots = [(max(i for i, line in enumerate(lines) if line.startswith(opener)) + 1, "")]
    heads = [
        i
        for i, line in enumerate(lines)
        if line.startswith(block) and (line.endswith(")") or line.endswith("begin"))
    ]
    return text, [*spots, (heads[0] + 1, "    ")] if heads else spots


def test_legacy_calls_planted_in_a_fresh_entry_of_every_kind_are_reported_at_their_lines(
    tmp_path: Path,
) -> None:
    kinds = json.loads(TEMPLATE.read_text(encoding="utf-8"))["kind"]
    rules = [r for r in all_rules() if r.code.startswith("FZ5")]
    missed = []
    for kind in kinds:
        out = tmp_path / kind
        sets = ["--set", f"kind={kind}", "--set", "title=My Flux tutorial"]
        assert main(["new", "--no-input", *sets, "--output-dir", str(out)]) == 0
        (entry,) = [p for p in out.iterdir() if p.is_dir()]
        places = {
            f"{entry.name}.jl": _sites(entry / f"{entry.name}.jl", ("using ",), "function "),
            "test/runtests.jl": _sites(
                entry / "test/runtests.jl", ("using ", "include("), "@testset"
            ),
        }
        for rel, (clean, spots) in places.items():
            path = entry / rel
            for at, indent in spots:
                for plant, codes in PLANTS:
                    lines = clean.splitlines(keepends=True)
                    planted = [*lines[:at], indent + plant + "\n", *lines[at:]]
                    path.write_text("".join(planted), encoding="utf-8")
                    found = {(d.line, d.code) for d in check_entry(entry, rules)}
                    if found != {(at + 1, c) for c in codes}:
                        missed.append((kind, rel, at + 1, plant, sorted(found)))
            path.write_text(clean, encoding="utf-8")
    assert missed == []


def test_a_file_full_of_undefined_names_lists_the_first_ones_then_counts(tmp_path: Path) -> None:
    """25,000 distinct undefined names: FZ505 lists the first `UNDEFINED_PER_FILE` (with their
    did-you-mean), then one finding counts the rest, instead of a did-you-mean for each."""
    names = [f"nm{i:05d}x" for i in range(25_000)]
    names[3] = "tanhh"
    lines = "".join(f"println({', '.join(names[i : i + 20])})\n" for i in range(0, len(names), 20))
    entry = copy_entry(tmp_path)
    replace(SCRIPT, "using Random\n", "using Random\n" + lines)(entry)
    found = run(entry, "FZ505")
    first = USING_LINE + 2
    assert len(found) == UNDEFINED_PER_FILE + 1
    assert [d.message for d in found[:5]] == [
        "`nm00000x` is not defined",
        "`nm00001x` is not defined",
        "`nm00002x` is not defined",
        "`tanhh` is not defined; did you mean `tanh`?",
        "`nm00004x` is not defined",
    ]
    assert located(found[:21], entry) == [(SCRIPT, first)] * 20 + [(SCRIPT, first + 1)]
    rest = found[-1]
    assert rest.message == (
        f"{25_000 - UNDEFINED_PER_FILE:,} more uses of names that are not defined, from "
        f"`nm{UNDEFINED_PER_FILE:05d}x` on "
        f"(only the first {UNDEFINED_PER_FILE} of a file are listed)"
    )
    assert (rest.line, rest.col) == (first + UNDEFINED_PER_FILE // 20, len("println(") + 1)
