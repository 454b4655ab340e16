"""Name resolution of Julia code (`julia_names.resolve`): imports in every form, and scopes."""

from __future__ import annotations

import pytest
from fluxzoo.julia_names import FileNames, Import, resolve
from fluxzoo.julia_syntax import parse


def names_of(source: str) -> FileNames:
    return resolve(parse(source))


def unbound(source: str) -> list[tuple[str, int]]:
    """(name, line) of every use the code's own scopes do not bind."""
    found = names_of(source)
    return [(u.name, u.line) for u in found.unqualified if not found.binds(u)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("using Flux", [Import("using", "Flux", None, None, 1, 1)]),
        ("using Flux: relu, Dense", [Import("using", "Flux", ("relu", "Dense"), None, 1, 1)]),
        ("import Flux.params", [Import("import", "Flux", ("params",), None, 1, 1)]),
        ("import Flux as F", [Import("import", "Flux", None, "F", 1, 1)]),
        ("using Flux.Optimise", [Import("using", "Flux.Optimise", None, None, 1, 1)]),
        ("import Flux: gradient as g", [Import("import", "Flux", ("g",), None, 1, 1)]),
        ("import Zygote.@adjoint", [Import("import", "Zygote", ("@adjoint",), None, 1, 1)]),
        (
            "using Flux, Random",
            [
                Import("using", "Flux", None, None, 1, 1),
                Import("using", "Random", None, None, 1, 1),
            ],
        ),
        ("using .Local", [Import("using", ".Local", None, None, 1, 1)]),
    ],
)
def test_import_forms(source: str, expected: list[Import]) -> None:
    assert names_of(source + "\n").imports == expected


def test_imports_bind_names_and_resolve_aliases() -> None:
    found = names_of(
        "import Flux as F\nusing Flux.Data: DataLoader\nusing Optimisers: Adam as A\n"
        "F.Data.DataLoader(x)\n"
    )
    assert {"F", "DataLoader", "A"} <= found.imported
    assert found.aliases["F"] == "Flux"
    uses = [(q.module, q.name, q.written) for q in found.qualified if not q.in_import]
    assert uses == [("Flux.Data", "DataLoader", "F.Data.DataLoader")]
    assert ("Flux.Data", "DataLoader") in {(q.module, q.name) for q in found.qualified}


def test_what_a_file_defines() -> None:
    found = names_of(
        "function f(x) end\ng(x) = x\nmacro m(e) e end\nstruct S end\nconst K = 1\n"
        "abstract type A end\nmodule M end\n(p::S)(x) = x\n"
    )
    assert set(found.defined) == {"f", "g", "@m", "S", "K", "A", "M"}


@pytest.mark.parametrize(
    ("source", "unbound_names"),
    [
        # arguments and keyword arguments belong to their function
        ("function f(a, b=a; c=b)\n    a + b + c\nend\nprintln(a)\n", [("println", 4), ("a", 4)]),
        ("f(x; k=2) = x + k\nx + k\n", [("x", 2), ("k", 2)]),
        # where parameters
        ("function f(x::T) where {T}\n    T\nend\nT\n", [("T", 4)]),
        # let
        ("let a = 1, b\n    a + b\nend\na\n", [("a", 4)]),
        # for: the loop variable is the loop's, assignments in it reach the enclosing scope
        ("for i in 1:3\n    t = i\nend\nt + i\n", [("i", 4)]),
        # comprehensions and generators
        ("y = [x^2 for x in 1:3 if x > 1]\nx\n", [("x", 2)]),
        ("s = sum(x for x in 1:3)\nx\n", [("sum", 1), ("x", 2)]),
        # do blocks and closures
        ("map(1:3) do z\n    z + 1\nend\nz\n", [("map", 1), ("z", 4)]),
        ("g = (p, q) -> p + q\np\n", [("p", 2)]),
        # destructuring, named too
        ("(a, (b, c)) = (1, (2, 3))\n(; d, e) = nt\na + b + c + d + e\n", [("nt", 2)]),
        # catch
        ("try\n    error()\ncatch err\n    err\nend\nerr\n", [("error", 2), ("err", 6)]),
        # struct and @kwdef fields: a default may use an earlier field, nothing outside may
        (
            "Base.@kwdef struct S{T}\n    m::Int = 1\n    n = m + 1\nend\nm\n",
            [("Int", 2), ("m", 5)],
        ),
        # local and global
        ("function f()\n    local u = 1\n    global g = 2\n    u\nend\ng + u\n", [("u", 6)]),
        # a string macro's prefix (`r"..."`) is not a variable
        ('split(s, r"[a-z]+"; keepempty = false)\n', [("split", 1), ("s", 1)]),
        # closures see their enclosing function's names
        ("function f(a)\n    h = () -> a + 1\n    h()\nend\n", []),
    ],
)
def test_scopes(source: str, unbound_names: list[tuple[str, int]]) -> None:
    assert unbound(source) == unbound_names


def test_what_makes_a_file_opaque() -> None:
    assert names_of("eval(:(x = 1))\n").opaque
    assert names_of("@eval y = 2\n").opaque
    assert names_of("include(f)\n").opaque
    assert names_of("x = [:start]\nfor i in 1:2\n    i == :end && break\nend\n").opaque
    assert not names_of("x = xs[2:end]\n").opaque


def test_include_paths() -> None:
    found = names_of('include("utils.jl")\ninclude(joinpath(@__DIR__, "..", "main.jl"))\n')
    assert found.includes == [("utils.jl", 1), ("../main.jl", 2)]


def test_macros_that_may_define_names_bind_them_everywhere() -> None:
    assert unbound('function f()\n    @load "m.bson" model\nend\nmodel\n') == [("@load", 2)]
    assert unbound("@show a\n") == [("@show", 1), ("a", 1)]
