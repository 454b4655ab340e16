"""A docs page read as its reader sees it: parsed by markdown-it-py in its CommonMark preset."""

from __future__ import annotations

from markdown_it import MarkdownIt

ABOUT = "About this tutorial"


def about(page: str) -> dict[str, str]:
    """The facts of the page's "About this tutorial" list, as `{label: text}`.

    Each item must be plain text (`Label: text`): markup of any kind in one (emphasis, code,
    links, raw HTML, entities) fails, since the items hold answers, which show as written.
    """
    tokens = MarkdownIt("commonmark").parse(page)
    starts = [
        i
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2" and tokens[i + 1].content == ABOUT
    ]
    assert len(starts) == 1, f"one '## {ABOUT}' heading, found {len(starts)}"
    at = starts[0] + 3
    assert tokens[at].type == "bullet_list_open", tokens[at]
    facts: dict[str, str] = {}
    for token in tokens[at + 1 :]:
        if token.type == "bullet_list_close" and token.level == tokens[at].level:
            break
        if token.type != "inline":
            continue
        kinds = {child.type for child in token.children or []}
        assert kinds <= {"text"}, (token.content, kinds)
        label, sep, text = "".join(c.content for c in token.children or []).partition(": ")
        assert sep and label not in facts, token.content
        facts[label] = text
    return facts
