"""Julia syntax errors and loaded packages, read with tree-sitter-julia."""

from __future__ import annotations

import dataclasses

import pytest
from fluxzoo.julia_syntax import SyntaxIssue, imported_packages, syntax_errors

VALID = """\
# # A title
using Flux, Random
Base.@kwdef struct Args
    η::Float64 = 3e-4      # learning rate
    epochs::Int = 10
end

function train(; kws...)
    args = Args(; kws...)
    model = Chain(Dense(2 => 3, relu), Dense(3 => 1))
    opt_state = Flux.setup(Adam(args.η), model)
    loss, grads = Flux.withgradient(m -> sum(abs2, m(rand(Float32, 2, 4))), model)
    Flux.update!(opt_state, model, grads[1])
    return "naïve ∀ λ 🙂: $loss"
end

if abspath(PROGRAM_FILE) == @__FILE__
    train()
end
"""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(VALID, [], id="valid-script"),
        pytest.param("", [], id="empty"),
        pytest.param("g(a, b\n", [(1, 7, "missing ')'")], id="unclosed-call"),
        pytest.param("a = 1\nb = (2,\nc = 3\n", [(3, 6, "missing ')'")], id="unclosed-tuple"),
        pytest.param(
            "x = 1)\ny = 2]\n",
            [(1, 6, "unexpected ')'"), (2, 6, "unexpected ']'")],
            id="two-errors-in-order",
        ),
        pytest.param(
            "function f(x)\n  x + 1\n",
            [(1, 1, "unexpected 'function f(x)'")],
            id="missing-end",
        ),
        # Columns count characters, not UTF-8 bytes: "α" and "é" are two bytes each.
        pytest.param('α = "é" + )\n', [(1, 9, "unexpected '+ )'")], id="non-ascii-same-line"),
        # "🙂" is four UTF-8 bytes and two UTF-16 units, and still one column.
        pytest.param(
            'emoji = "🙂🙂"; y = [1, 2\n', [(1, 24, "missing ']'")], id="astral-chars-before"
        ),
        pytest.param(
            "# ∀ comment λ\nz = 3 ) \n", [(2, 7, "unexpected ')'")], id="non-ascii-line-above"
        ),
        pytest.param("x = 1\r\ny = 2]\r\n", [(2, 6, "unexpected ']'")], id="crlf"),
    ],
)
def test_syntax_errors(source: str, expected: list[tuple[int, int, str]]) -> None:
    assert syntax_errors(source) == [SyntaxIssue(*e) for e in expected]


def test_long_error_text_is_shortened() -> None:
    (issue,) = syntax_errors("function f(x)\n" + "  y = " + "a" * 80 + "\n")
    assert issue.message.startswith("unexpected 'function f(x)")
    assert len(issue.message) < 60


def test_syntax_issue_is_frozen() -> None:
    issue = SyntaxIssue(1, 2, "m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.line = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("using Flux", {"Flux"}),
        ("using Flux, MLUtils", {"Flux", "MLUtils"}),
        ("using Flux: Chain, Dense, @functor", {"Flux"}),
        ("using Flux.Optimise", {"Flux"}),
        ("import Flux.Optimise: update!", {"Flux"}),
        ("import Zygote", {"Zygote"}),
        ("import Zygote as Z", {"Zygote"}),
        ("import Optimisers.Rules as R", {"Optimisers"}),
        ("import ChainRulesCore: rrule, NoTangent", {"ChainRulesCore"}),
        ("import HTTP, JSON3.read", {"HTTP", "JSON3"}),
        ("using .Local", set()),
        ("using ..Parent", set()),
        ("import .Sub: f", set()),
        ("using Base.Threads", set()),
        ("import Base: show", set()),
        ("using Core.Intrinsics", set()),
        ("using Main.Sandbox", set()),
        ('# using InComment\nx = "using InString"', set()),
        ("#=\nusing InBlockComment\n=#\nusing Real", {"Real"}),
        ("module M\nusing ..Parent\nusing Inner: f\nimport Base.Iterators: take\nend", {"Inner"}),
        ("function f()\n    using InFunction\nend", {"InFunction"}),
        ("let\n    import InLet\nend", {"InLet"}),
        ("@static if Sys.iswindows()\n    using WinOnly\nend", {"WinOnly"}),
        ("using Flux\nx = (", {"Flux"}),
        ('s = "naïve ∀ 🙂"\nusing Ünïcode', {"Ünïcode"}),
        (VALID, {"Flux", "Random"}),
    ],
)
def test_imported_packages(source: str, expected: set[str]) -> None:
    assert imported_packages(source) == expected
