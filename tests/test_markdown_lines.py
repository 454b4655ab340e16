"""Headings and fences read line by line agree with a CommonMark parser (markdown-it-py)."""

from __future__ import annotations

from fluxzoo.markdown_lines import atx_heading, headings
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")


def _commonmark(line: str) -> tuple[int, str] | None:
    tokens = _MD.parse(line)
    if not tokens or tokens[0].type != "heading_open" or tokens[0].markup[0] != "#":
        return None
    return int(tokens[0].tag[1]), tokens[1].content


@given(st.text(alphabet="# \tab\\", max_size=14))
def test_a_heading_line_reads_as_commonmark_reads_it(line):
    assert atx_heading(line) == _commonmark(line)


def test_headings_in_fenced_code_are_not_headings():
    text = "# Title\n\n```julia\n# not a heading\n````\n## Next ##\n~~~\n# code\n~~~\n### C#\n"
    assert headings(text) == [(1, 1, "Title"), (6, 2, "Next"), (10, 3, "C#")]
