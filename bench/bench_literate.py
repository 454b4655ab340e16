"""Median time to convert a 300-line Literate source to markdown, notebook and script.

    .venv/bin/python bench/bench_literate.py [--repeat N]

Goal: under 5 ms per source for all three outputs together. Then the same for one-line
sources a pull request could hold (a 100 KB code line, 300 KB of prose, 100k nested parentheses,
100k `[`), as a ratio to the 300-line source: linear filters keep each well under a second.
"""

from __future__ import annotations

import argparse
import statistics
import time

from fluxzoo.literate import Flavor, LiterateOptions, markdown, notebook, script

BLOCK = """\
# ## Section {n}
#
# Some prose about step {n}, with a [link](@ref) and ``x^2`` math.
#md # Only in the docs page.

function step{n}(model, x)
    y = model(x)  # forward
    return sum(abs2, y)
end
#-
loss{n} = step{n}(model, rand(Float32, 2, 8));  #hide
#=
A block comment for step {n}.
=#
"""


def source(lines: int = 300) -> str:
    text, n = "", 0
    while text.count("\n") < lines:
        text += BLOCK.format(n=n)
        n += 1
    return "".join(text.splitlines(keepends=True)[:lines])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    src = source()
    options = LiterateOptions(name="bench", flavor=Flavor.DOCUMENTER)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        markdown(src, options)
        notebook(src, options)
        script(src, options)
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    print(
        f"{src.count(chr(10))}-line source, all three outputs: median {median:.2f} ms "
        f"(goal 5 ms: {median / 5:.2f}x of budget) over {args.repeat} runs"
    )
    for name, text in LONG_LINES.items():
        start = time.perf_counter()
        markdown(text, options)
        notebook(text, options)
        script(text, options)
        ms = (time.perf_counter() - start) * 1000
        print(f"{name}: {ms:.0f} ms, {ms / median:.0f}x the 300-line source (goal: under 1 s)")


LONG_LINES = {
    "100 KB code line": "x = " + "a + " * 25_000 + "1\n",
    "300 KB prose line": "# " + "word " * 60_000 + "\n",
    "100k nested parentheses": "y = " + "(" * 100_000 + ")" * 100_000 + "\n",
    "100k [ in prose": "# " + "[" * 100_000 + "x](@ref)\n",
}


if __name__ == "__main__":
    main()
