"""Compare the Julia parsers FZ301 could use: tree-sitter-julia (in use) and fatou's CLI.

Three questions, on the fluxzoo kinds (each baked with `fluxzoo new --no-input`) and every
`.jl` file of a model-zoo checkout: which valid files or constructs each rejects, where each
reports an unclosed bracket, string or block inserted into a fresh entry (the line where the
construct opens is the right answer), and how long each takes. Needs fatou installed
(`pip install fatou`, a wheel with its Rust binary); docs/parser.md records a run.

    .venv/bin/python scripts/compare_parsers.py --zoo PATH/TO/model-zoo [--fatou PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fluxzoo.cli import main
from fluxzoo.julia_syntax import _tree_issues, parse, syntax_errors
from fluxzoo.kinds import KINDS

# Valid Julia, one construct per file; the first ones are what tree-sitter-julia rejects.
VALID = [
    "import Zygote.@adjoint",
    "import Base.@kwdef, Flux.@functor",
    "using Zygote: @adjoint",
    "y = x[begin+1:end-1]",
    "y = x[begin+1]",
    "y = x[begin]; z = x[end÷2]; w = x[min(end, 3)]",
    "ch = ('a', '\\'', '\\n', '∀'); t = x'",
    's = "a $(b["k"]) c $d"',
    't = """\n  a "quoted" $(f("x")) b\n  """',
    're = r"a+b"; rw = raw"C:\\x"; d = md"""\n# hi\n"""',
    "#= a #= nested =# b =#\nx = 1",
    "w = [x for x in 1:3 if x > 1]; v = [if i > 1 i else 0 end for i in 1:3]",
    "abstract type Q end; primitive type B8 8 end",
    "struct P{T<:Real} <: Q\n  x::T\nend",
    "Base.@kwdef mutable struct Args\n  η::Float64 = 3e-4\nend",
    "function (m::Model)(x)\n  m.w * x\nend",
    "(; a, b) = nt",
    "ys = map(xs) do x\n  x^2\nend",
    "@inbounds @simd for i in eachindex(x)\n  y[i] += x[i]\nend",
    "x = [1 2; 3 4]; y = [1;; 2]",
    "Base.:(==)(a::P, b::P) = a.x == b.x",
    "public foo, bar",
    "q = quote\n  a + 1\nend; e = :(a + b); s = :end",
    "try\n  f()\ncatch e\n  rethrow()\nfinally\n  g()\nend",
]

# Inserted before the `end` of a script's first function, indented as its body, and (without
# the indent) at top level before that function.
BROKEN = {
    "(": "    x = reshape(x, 28, 28, :",
    "[": "    sizes = [28, 28, 1",
    "{": "    T = Vector{Float32",
    '"': '    name = "digits',
    '"""': '    about = """digits',
    "begin": "    begin",
    "function": "    function helper(x)",
    "for": "    for i in 1:3",
    "if": "    if shuffle",
    "let": "    let n = 1",
    "struct": "    struct Extra",
    "module": "    module Extra",
    "do": "    foreach(1:3) do i",
    "extra end": "    end",
}


def bake_kinds(out: Path) -> list[Path]:
    for kind in sorted(KINDS):
        argv = ["new", "--no-input", "--output-dir", str(out), "--set", f"kind={kind}",
                "--set", f"slug={kind}", "--set", f"title=T {kind}", "--set", "author_name=A",
                "--set", "author_email="]  # fmt: skip
        with contextlib.redirect_stdout(io.StringIO()):
            if main(argv) != 0:
                raise SystemExit(f"fluxzoo new failed for kind {kind}")
    return sorted(out.rglob("*.jl"))


def fatou_errors(fatou: str, files: list[Path]) -> tuple[dict[str, list[int]], float]:
    """Byte offsets of fatou's parse errors by file, and the wall time of the one run."""
    start = time.perf_counter()
    run = subprocess.run(
        [fatou, "lint", "--no-config", "--output", "json", *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    found: dict[str, list[int]] = {str(f): [] for f in files}
    for d in json.loads(run.stdout or "[]"):
        if d["rule"] == "parse-error":
            found[d["path"]].append(d["range"]["start"])
    return found, elapsed


def line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def valid_code(fatou: str, files: list[Path], tmp: Path) -> None:
    samples = []
    for i, text in enumerate(VALID):
        path = tmp / f"valid_{i:02d}.jl"
        path.write_text(text + "\n", encoding="utf-8")
        samples.append(path)
    for title, group in (("valid constructs", samples), ("kinds and zoo files", files)):
        fatou_found, _ = fatou_errors(fatou, group)
        print(f"\n{title}: {len(group)} files; rejected by")
        raw = ours = by_fatou = 0
        for path in group:
            text = path.read_text(encoding="utf-8", errors="replace")
            r = bool(_tree_issues(parse(text).tree, text.encode()))
            o = bool(syntax_errors(text))
            f = bool(fatou_found[str(path)])
            raw, ours, by_fatou = raw + r, ours + o, by_fatou + f
            if r or o or f:
                first = text.splitlines()[0][:50] if text else ""
                print(f"  {path.name}: tree-sitter {r}, fluxzoo FZ301 {o}, fatou {f}  ({first!r})")
        print(f"  total: tree-sitter {raw}, fluxzoo FZ301 {ours}, fatou {by_fatou}")


def positions(fatou: str, scripts: list[Path], tmp: Path) -> None:
    cases = []
    for script in scripts:
        lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
        first = next(i for i, line in enumerate(lines) if line.startswith("function "))
        last = next(i for i in range(first, len(lines)) if lines[i] == "end\n")
        # In the first function's body, before its `end`; and at top level, before it.
        for at, indent in ((last, 4), (first, 0)):
            for name, line in BROKEN.items():
                text = "".join([*lines[:at], line[4 - indent :] + "\n", *lines[at:]])
                path = tmp / f"{script.stem}__{len(cases)}.jl"
                path.write_text(text, encoding="utf-8")
                cases.append((name, at + 1, path, text))
    fatou_found, _ = fatou_errors(fatou, [c[2] for c in cases])
    score = {name: [0, 0, 0, 0] for name in BROKEN}
    at_1_1 = 0
    for name, want, path, text in cases:
        data = text.encode()
        ours = syntax_errors(text)
        raw = _tree_issues(parse(text).tree, data)
        theirs = sorted(fatou_found[str(path)])
        at_1_1 += bool(raw) and (raw[0].line, raw[0].col) == (1, 1)
        s = score[name]
        s[0] += bool(ours) and ours[0].line == want
        s[1] += bool(raw) and raw[0].line == want
        s[2] += bool(theirs) and line_of(data, theirs[0]) == want
        s[3] += any(line_of(data, b) == want for b in theirs)
    n = len(scripts)
    print(f"\nbroken inputs: {len(cases)} ({n} kinds x {len(BROKEN)} constructs x 2 places); "
          f"first finding on the line where the construct opens (of {2 * n}):")  # fmt: skip
    print(
        f"  {'construct':10s} {'fluxzoo':>8s} {'tree-sitter':>12s} {'fatou':>6s} {'fatou-any':>10s}"
    )
    for name, s in score.items():
        print(f"  {name:10s} {s[0]:8d} {s[1]:12d} {s[2]:6d} {s[3]:10d}")
    totals = [sum(s[i] for s in score.values()) for i in range(4)]
    print(f"  {'total':10s} {totals[0]:8d} {totals[1]:12d} {totals[2]:6d} {totals[3]:10d}"
          f"   (tree-sitter's first error at 1:1 in {at_1_1})")  # fmt: skip


def speed(fatou: str, files: list[Path]) -> None:
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    size = sum(len(t.encode()) for t in texts)
    start = time.perf_counter()
    for text in texts:
        syntax_errors(parse(text))
    ours = time.perf_counter() - start
    _, theirs = fatou_errors(fatou, files)
    print(f"\nspeed on {len(files)} files ({size / 1000:.0f} KB): fluxzoo parse + FZ301 "
          f"{ours * 1000:.0f} ms in-process; `fatou lint` {theirs * 1000:.0f} ms wall "
          "(one process, all its rules)")  # fmt: skip


def main_compare() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zoo", type=Path, required=True, help="a FluxML/model-zoo checkout")
    parser.add_argument("--fatou", default=shutil.which("fatou"), help="the fatou binary")
    args = parser.parse_args()
    if not args.fatou:
        raise SystemExit("fatou is not installed: pip install fatou (or pass --fatou PATH)")
    with tempfile.TemporaryDirectory() as tmp:
        scripts = [p for p in bake_kinds(Path(tmp, "kinds")) if p.parent.name != "test"]
        files = sorted(Path(tmp, "kinds").rglob("*.jl")) + sorted(args.zoo.rglob("*.jl"))
        version = subprocess.check_output([args.fatou, "--version"], text=True).strip()
        print(f"tree-sitter-julia (python binding) vs {version}")
        valid_code(args.fatou, files, Path(tmp))
        positions(args.fatou, scripts, Path(tmp))
        speed(args.fatou, files)


if __name__ == "__main__":
    sys.exit(main_compare())
