"""Answers placed in Markdown render as exactly their text, in every flavor the docs page has.

The text comes from the same strategy as the bake suite's; the renderer is markdown-it-py in
its CommonMark preset, and the page goes through the Literate conversion as `sync` runs it.
"""

from __future__ import annotations

import pytest
from fluxzoo import answers
from fluxzoo.errors import ValidationError
from fluxzoo.jinja_filters import markdown_text
from fluxzoo.literate import Flavor, LiterateOptions, markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from strategies import answer_text

_RENDER = MarkdownIt("commonmark")


def _valid(text: str) -> str | None:
    try:
        return answers.validate("description", text)
    except ValidationError:
        return None


def _blocks(page: str) -> list[tuple[str, str]]:
    """Each block as (tag, its text); markup of any kind inside a block fails the test."""
    tokens = _RENDER.parse(page)
    assert [t.type for t in tokens[::3]] and all(t.nesting == 1 for t in tokens[::3]), tokens
    blocks = []
    for opening, inline in zip(tokens[::3], tokens[1::3], strict=False):
        kinds = {child.type for child in inline.children or []}
        assert inline.type == "inline" and kinds <= {"text", "softbreak"}, (page, kinds)
        text = "".join("\n" if c.type == "softbreak" else c.content for c in inline.children or [])
        blocks.append((opening.tag, text))
    return blocks


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<!-- hidden", "\\<\\!-- hidden"),
        ("```", "\\`\\`\\`"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
        ("[x](@ref)", "\\[x\\]\\(@ref)"),
        ("1. first", "1\\. first"),
        ("- item", "\\- item"),
        ("Cost in $USD (approx.)", "Cost in \\$USD (approx.)"),
        ("plain words, e.g. these", "plain words, e.g. these"),
    ],
)
def test_markdown_text_escapes_only_what_could_be_markup(text, escaped):
    assert markdown_text(text) == escaped


@settings(max_examples=300, deadline=None)
@given(text=answer_text)
def test_escaped_answers_render_as_exactly_their_text(text):
    text = _valid(text)
    if not text:
        return
    shown = markdown_text(text)
    assert _blocks(f"# {shown}\n") == [("h1", text)]
    assert _blocks(f"{shown}\n") == [("p", text)]
    assert _blocks(f"Trained on\n{shown} into classes.\n") == [
        ("p", f"Trained on\n{text} into classes.")
    ]
    assert _blocks(f"Trained on {shown}.\n") == [("p", f"Trained on {text}.")]


@settings(max_examples=100, deadline=None)
@given(text=answer_text, flavor=st.sampled_from(list(Flavor)))
def test_escaped_answers_survive_the_literate_conversion(text, flavor):
    text = _valid(text)
    if not text:
        return
    source = f"# # {markdown_text(text)}\n#\n# {markdown_text(text)}\n\nx = 1\n"
    page = markdown(source, LiterateOptions(name="t", flavor=flavor, execute=False))
    page = page.removeprefix('```@meta\nEditURL = "t.jl"\n```\n')  # Documenter's header
    assert _blocks(page[: page.index("\n```") + 1]) == [("h1", text), ("p", text)]
