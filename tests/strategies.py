"""Hypothesis strategies shared by the suites that feed answers to fluxzoo.

`answer_text` is what a person (or an attacker) might type into a free-text answer: any
Unicode, biased towards the pieces of Markdown, HTML, Jinja and Literate.jl syntax that would
turn an answer into markup or code if it were pasted in raw.
"""

from __future__ import annotations

from hypothesis import strategies as st

MARKUP = (
    "<!--", "-->", "```", "~~~", "`", "``x``", "<img src=x onerror=alert(1)>", "<script>",
    "</div>", "&amp;", "&#x3c;", "&lt;", "*", "**", "_", "__", "[x](@ref)", "[a](http://x)",
    "![i](x.png)", "<http://x>", "# ", "## ", "> ", "- ", "+ ", "1. ", "2) ", "---", "===",
    "***", "|", "| a | b |", "~~", "$", "$$", "\\", "\\*", "{{ 7*7 }}", "{% if %}", "@__NAME__",
    "#md", " #src", "!!! note", "@raw html", "```math", ":", "(", ")", "]", "[", "    ", "\t",
    "\n", "\r", "\x1b[31m", "\x07", "\u2028", "\x00", "李雷", "🚀", "O'Neil", '"',
)  # fmt: skip

answer_text = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(MARKUP) | st.text(max_size=5), max_size=12).map("".join),
)
