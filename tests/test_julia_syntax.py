"""Julia syntax errors and loaded packages, read with tree-sitter-julia."""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fluxzoo.cli import main
from fluxzoo.julia_balance import MAX_DEPTH
from fluxzoo.julia_syntax import (
    MAX_DOTS,
    MAX_LINE_CHARS,
    SyntaxIssue,
    imported_packages,
    package_positions,
    parse,
    syntax_errors,
)
from hypothesis import given, settings
from hypothesis import strategies as st

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
        # An unpaired bracket is reported where it opens, once.
        pytest.param("g(a, b\n", [(1, 2, "unclosed '(': no matching ')'")], id="unclosed-call"),
        pytest.param(
            "a = 1\nb = (2,\nc = 3\n",
            [(2, 5, "unclosed '(': no matching ')'")],
            id="unclosed-tuple",
        ),
        pytest.param(
            "x = 1)\ny = 2]\n",
            [(1, 6, "unexpected ')': nothing is open to close")],
            id="first-of-two-stray-closers",
        ),
        pytest.param(
            "function f(x)\n  x + 1\n",
            [(1, 1, "'function' without a matching 'end'")],
            id="missing-end",
        ),
        # Balanced but wrong: the tree's ERROR node, in document order.
        pytest.param(
            "f(1,, 2)\ng(3 4)\n",
            [(1, 4, "unexpected ','"), (2, 5, "unexpected '4'")],
            id="tree-errors-in-order",
        ),
        # Columns count characters, not UTF-8 bytes: "α" and "é" are two bytes each.
        pytest.param(
            'α = "é" + )\n', [(1, 11, "unexpected ')': nothing is open to close")], id="non-ascii"
        ),
        # "🙂" is four UTF-8 bytes and two UTF-16 units, and still one column.
        pytest.param(
            'emoji = "🙂🙂"; y = [1, 2\n',
            [(1, 19, "unclosed '[': no matching ']'")],
            id="astral-chars-before",
        ),
        pytest.param(
            'emoji = "🙂🙂"; y = f(1,, 2)\n', [(1, 22, "unexpected ','")], id="astral-tree-error"
        ),
        pytest.param(
            "# ∀ comment λ\nz = 3 ) \n",
            [(2, 7, "unexpected ')': nothing is open to close")],
            id="non-ascii-line-above",
        ),
        pytest.param(
            "x = 1\r\ny = 2]\r\n", [(2, 6, "unexpected ']': nothing is open to close")], id="crlf"
        ),
    ],
)
def test_syntax_errors(source: str, expected: list[tuple[int, int, str]]) -> None:
    assert syntax_errors(source) == [SyntaxIssue(*e) for e in expected]


def test_long_error_text_is_shortened() -> None:
    (issue,) = syntax_errors("f(x,\n  " + "a" * 80 + " b)\n")
    assert issue.message.startswith("unexpected 'b")
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


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("using Flux, MLUtils", {"Flux": (1, 7), "MLUtils": (1, 13)}),
        # A list over several lines; the first statement to name a package gives its place.
        (
            "using Random,\n    Statistics\nimport Random: seed!",
            {"Random": (1, 7), "Statistics": (2, 5)},
        ),
        ("import Optimisers.Rules as R", {"Optimisers": (1, 8)}),
        # Columns count characters, not UTF-8 bytes.
        ('x = "ü"; using Flux', {"Flux": (1, 16)}),
        ("function f()\n    using InFunction\nend", {"InFunction": (2, 11)}),
        ("using .Local, Base.Threads", {}),
    ],
)
def test_package_positions(source: str, expected: dict[str, tuple[int, int]]) -> None:
    assert package_positions(source) == expected


CALLS = """\
using Flux  # using Fake
s = "Flux.train!(a, b)"  # Flux.train!(c, d)
Flux.train!(loss, model, data, opt)
train! = nothing; f = Flux.train!
opt.train!(x)
y = [train!(q) for q in 1:2]; gradient(() -> 1, ps)
Optimise.train!(loss, ps, data, opt) do
end
"""


def test_calls_are_the_call_nodes_of_the_names_asked() -> None:
    parsed = parse(CALLS)
    found = parsed.calls("train!", "Flux.train!", "Optimise.train!")
    # Not in the string or the comment, not the binding or the value `Flux.train!`, not the
    # method of another object (`opt.train!`); the `do` form counts.
    assert [(c.start_point[0] + 1, c.type) for c in found] == [
        (3, "call_expression"),
        (6, "call_expression"),
        (7, "call_expression"),
    ]
    assert parsed.calls("gradient")[0].start_point == (5, 30)
    assert parsed.calls("Dense") == []


def test_imports_are_the_statements_wherever_they_are() -> None:
    source = (
        "using Flux  # using Fake\n"
        's = "import Nope"\nusing_x = 1\n'
        "module M\n    import Zygote: gradient\nend\n"
        "function f()\n    using LinearAlgebra\nend\n"
        "#= import Hidden =#\n"
    )
    statements = parse(source).imports
    assert [(n.type, n.start_point[0] + 1) for n in statements] == [
        ("using_statement", 1),
        ("import_statement", 5),
        ("using_statement", 8),
    ]


# --- in a fresh entry: each unpaired construct reported where it opens ----------------------


@pytest.fixture(scope="module")
def fresh_script(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], int]:
    """The lines of a fresh image-classification entry's script, baked by `fluxzoo new`, and
    the line (1-based) that ends its `get_data`: the tests insert a line before it, indented
    like the function's body, so the inserted line has that number."""
    out = tmp_path_factory.mktemp("fresh")
    sets = ["title=Digits", "kind=image_classification", "slug=digits"]
    sets += ["author_name=Ada Tester", "author_email="]
    argv = ["new", "--no-input", "--output-dir", str(out)]
    assert main([*argv, *itertools.chain.from_iterable(("--set", s) for s in sets)]) == 0
    lines = (out / "digits" / "digits.jl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert syntax_errors("".join(lines)) == []
    return lines, _end_of_get_data(lines)


def _end_of_get_data(lines: list[str]) -> int:
    start = next(i for i, line in enumerate(lines) if line.startswith("function get_data("))
    end = lines.index("end\n", start) + 1
    assert lines[end - 2].startswith("    return ")
    return end


def _with_line(script: tuple[list[str], int], line: str) -> str:
    lines, inserted = script
    return "".join([*lines[: inserted - 1], line + "\n", *lines[inserted - 1 :]])


@pytest.mark.parametrize(
    ("line", "col", "message"),
    [
        ("    x = reshape(x, 28, 28, :", 16, "unclosed '(': no matching ')'"),
        ("    sizes = [28, 28, 1", 13, "unclosed '[': no matching ']'"),
        ("    T = Vector{Float32", 15, "unclosed '{': no matching '}'"),
        ('    name = "digits', 12, "string runs past the end of its line: no closing '\"'"),
        ('    about = """digits', 13, 'unclosed string: no closing \'"""\''),
        ("    begin", 5, "'begin' without a matching 'end'"),
        ("    function helper(x)", 5, "'function' without a matching 'end'"),
        ("    for i in 1:3", 5, "'for' without a matching 'end'"),
        ("    if shuffle", 5, "'if' without a matching 'end'"),
        ("    let n = 1", 5, "'let' without a matching 'end'"),
        ("    struct Extra", 5, "'struct' without a matching 'end'"),
        ("    module Extra", 5, "'module' without a matching 'end'"),
        ("    foreach(1:3) do i", 18, "'do' without a matching 'end'"),
        ("    end", 5, "unexpected 'end': the block it would close is already closed"),
        ("    x = y)", 10, "unexpected ')': nothing is open to close"),
        ("    #= an unclosed comment", 5, "unclosed '#=' comment: no matching '=#'"),
    ],
)
def test_unpaired_construct_in_a_fresh_entry(
    fresh_script: tuple[list[str], int], line: str, col: int, message: str
) -> None:
    found = syntax_errors(_with_line(fresh_script, line))
    assert found == [SyntaxIssue(fresh_script[1], col, message)]


@pytest.mark.parametrize(
    "line",
    [
        # Valid Julia that tree-sitter-julia rejects: neutralised and re-parsed, not reported.
        "    import Zygote.@adjoint",
        "    import Base.@kwdef, Flux.@functor",
        "    y = x[begin+1:end-1]",
        # What hides delimiters and keywords from the pairing.
        "    c = ('(', '\\'', ')', '∀'); d = x'",
        '    s = "a ) $(f("(")) $(x[end]) ] \\" end"',
        '    r = r"(\\"[" * raw"\\\\(" * "#= not a comment"',
        "    y = x[end] + x[begin] + x[min(end, 3)]; z = :end; w = (:begin, Base.end_)",
        "    v = [if i > 1 i else 0 end for i in 1:3 if isodd(i)]",
        "    u = (i for i in 1:3)  # ( [ { begin",
        "    #= nested #= comment =# still ( comment =#",
        "    abstract type Shape end; struct Square <: Shape end",
        "    @kwdef mutable struct P a::Int = 1 end",
    ],
)
def test_valid_line_in_a_fresh_entry(fresh_script: tuple[list[str], int], line: str) -> None:
    assert syntax_errors(_with_line(fresh_script, line)) == []


def test_the_check_command_reports_it_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["new", "--no-input", "--output-dir", str(tmp_path), "--set", "title=Digits"]
    assert main([*argv, "--set", "kind=image_classification"]) == 0
    script = tmp_path / "digits" / "digits.jl"
    lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
    inserted = _end_of_get_data(lines)
    script.write_text(_with_line((lines, inserted), "    x = reshape(x, 28, 28, :"), "utf-8")
    assert main(["check", str(tmp_path / "digits"), "--select", "FZ301"]) == 1
    out = capsys.readouterr().out
    assert f"digits.jl:{inserted}:16: FZ301" in out
    assert "unclosed '('" in out and ":1:1:" not in out


# --- guards: what is too large or too deep to parse is refused, in linear time ----------------

HOSTILE = {
    "50-MB": ("x = 1\n" * 9_000_000, 1, 1, "the file is 54,000,000 bytes"),
    "100k-nested-parentheses": (
        "y = 2\nx = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n", 2, 4 + MAX_DEPTH + 1,
        f"brackets and blocks nest more than {MAX_DEPTH} deep here",
    ),
    "100k-nested-blocks": (
        "begin\n" * 100_000 + "end\n" * 100_000, MAX_DEPTH + 1, 1, "nest more than",
    ),
    "100k-unclosed-index": (
        "x = " + "[" * 100_000 + "end\n" * 100_000, 1, 4 + MAX_DEPTH + 1, "nest",
    ),
    "100-KB-line": (
        "# # T\nx = " + "a + " * 25_000 + "a\n", 2, 1, "the line is 100,005 characters",
    ),
    "long-dotted-name": ("x = " + "a." * 5_000 + "a\n", 1, 5, "a name with more than"),
}  # fmt: skip


@pytest.mark.parametrize(("source", "line", "col", "says"), HOSTILE.values(), ids=HOSTILE)
def test_too_large_or_deep_is_refused_with_one_finding(
    source: str, line: int, col: int, says: str
) -> None:
    parsed = parse(source)
    assert parsed.refused is not None and parsed.tree.root_node.child_count == 0
    (issue,) = syntax_errors(parsed)
    assert (issue.line, issue.col) == (line, col)
    assert issue.message.startswith("not checked: ") and says in issue.message
    assert imported_packages(parsed) == set()


def test_just_under_the_limits_is_parsed() -> None:
    nested = "x = " + "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH + "\n"
    dotted = "x = " + "a." * MAX_DOTS + "a\n"
    for source in (nested, dotted, "x = [" + "1, " * (MAX_LINE_CHARS // 3 - 3) + "1]\n"):
        parsed = parse(source)
        assert parsed.refused is None and syntax_errors(parsed) == []


_LIMITED_CHECK = """\
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space
from fluxzoo.cli import main
sys.exit(main(["check", sys.argv[1], "--select", "FZ301", "--format", "json"]))
"""


@pytest.mark.parametrize("name", ["50-MB", "100k-nested-parentheses"])
def test_check_under_a_memory_limit_reports_not_crashes(tmp_path: Path, name: str) -> None:
    # Before the guards, a 50 MB script made the parser use 4.3 GB, and segfault under 3 GB.
    argv = ["new", "--no-input", "--output-dir", str(tmp_path), "--set", "slug=big"]
    assert main([*argv, "--set", "title=Big", "--set", "kind=blank"]) == 0
    (tmp_path / "big" / "big.jl").write_text(HOSTILE[name][0], encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", _LIMITED_CHECK, str(tmp_path / "big")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    (finding,) = json.loads(run.stdout)["diagnostics"]
    assert finding["code"] == "FZ301" and Path(finding["path"]) == tmp_path / "big" / "big.jl"
    assert finding["message"].startswith("not checked: ")


_PIECES = ["(", ")", "[", "]", "{", "}", '"', '"""', "'", "`", "#", "#=", "=#", "$(", "\\", "\n",
           " ", "x", "'a'", "x'", "end", "begin", "function f()", "for i in 1:2", "if c", "do x",
           ":end", "x[end]", "abstract type T", "import A.@m", "r\"", "∀", "🙂"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_any_text_gives_positions_inside_it(pieces: list[str]) -> None:
    source = "".join(pieces)
    lines = source.split("\n")
    for issue in syntax_errors(source):
        assert 1 <= issue.line <= len(lines)
        assert 1 <= issue.col <= len(lines[issue.line - 1]) + 1
        assert issue.message


@pytest.mark.parametrize("char", ["'\\''", "'\\n'", "'\\u00e9'", "'∀'", "'\"'", "'('"])
def test_character_literals_hide_what_they_hold(char: str) -> None:
    assert syntax_errors(f"c = {char}  # it's (\nd = [c]\n") == []
