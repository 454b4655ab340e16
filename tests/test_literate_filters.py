"""The line and link filters give exactly what Literate.jl's regular expressions give.

fluxzoo applies them with string tests in linear time; the patterns below are Literate's own
(src/Literate.jl `replace_default`, translated from PCRE as `filters.py` says), applied the way
Literate applies them, one `replace` over the whole text after another.
"""

from __future__ import annotations

import re

from fluxzoo.literate import filters
from fluxzoo.literate.filters import Output
from hypothesis import given, settings
from hypothesis import strategies as st

_KEEP_DROP = {
    Output.MARKDOWN: ("md|!nb|!jl", "!md|nb|jl"),
    Output.NOTEBOOK: ("!md|nb|!jl", "md|!nb|jl"),
    Output.SCRIPT: ("!md|!nb|jl", "md|nb|!jl"),
}


def _literate_line_filters(text: str, output: Output) -> str:
    keep, drop = _KEEP_DROP[output]
    for pattern in (r"^#src.*\n?", r".*#src$\n?", rf"^#({keep}) ", rf" #({keep})$",
                    rf"^#({drop}).*\n?", rf".*#({drop})$\n?"):  # fmt: skip
        text = re.sub(pattern, "", text, flags=re.M)
    return text


def _literate_links(text: str) -> str:
    for target in (r"\(@ref\)", r"\(@ref .*?\)", r"\(@extref\)", r"\(@extref .*?\)",
                   r"\(@id .*?\)"):  # fmt: skip
        text = re.sub(rf"\[([^\]]+?)\]{target}", r"\1", text, flags=re.S)
    return text


PIECES = ["#src", "#md", "#nb", "#jl", "#!md", "#!nb", "#!jl", "#md ", " #md", " #nb", " ", "\n",
          "x", "#", "[", "]", "(@ref)", "(@ref ", "(@extref)", "(@extref ", "(@id ", ")", "#=",
          "=#", "==", 'md"""', '"""', "\r", "\t"]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=800, deadline=None)
@given(text=texts, output=st.sampled_from(list(Output)))
def test_line_filters_match_literates_patterns(text, output):
    assert filters.line_filters(text, output) == _literate_line_filters(text, output)


@settings(max_examples=800, deadline=None)
@given(text=texts)
def test_link_filters_match_literates_patterns(text):
    unlinked = text
    for target, to_paren in filters._DOCUMENTER_LINKS:
        unlinked = filters._unlink(unlinked, target, to_paren)
    assert unlinked == _literate_links(text)


_OPEN = r"(?<![^\r\n])#=+(?=[\r\n]|\Z)(?:\r\n|[\n\x0b\x0c\r\x85\u2028\u2029])(?<![^\r\n])"
_CLOSE = r"(?=[\r\n]|\Z)(?:\r\n|[\n\x0b\x0c\r\x85\u2028\u2029])(?<![^\r\n])=+#(?=[\r\n]|\Z)"


def _literate_block_comments(text: str) -> str:
    pattern = re.compile(rf"{_OPEN}([\s\S]*?){_CLOSE}")
    while (m := pattern.search(text)) is not None:  # Literate: replace, then search again
        lines = m[1].replace("\r\n", "\n").split("\n") if m[1] else [""]
        text = text[: m.start()] + "\n".join(f"# {line}" for line in lines) + text[m.end() :]
    return text


@settings(max_examples=800, deadline=None)
@given(text=texts)
def test_block_comments_match_literates_pattern(text):
    assert filters.multiline_comments(text) == _literate_block_comments(text)


def test_long_lines_keep_their_meaning():
    line = "x = " + "a + " * 25_000 + "1 #src"
    assert filters.line_filters(f"{line}\nkept\n", Output.MARKDOWN) == "kept\n"
    prose = "# " + "[" * 100_000 + "x](@ref)"
    assert filters._unlink(prose, "(@ref)", False) == "#" + " " + "[" * 99_999 + "x"
