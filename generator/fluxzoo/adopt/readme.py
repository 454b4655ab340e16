"""A legacy README's prose: its title, body, first sentence and reference links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fluxzoo import answers
from fluxzoo.markdown_lines import FENCE, atx_heading

_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_TAG = re.compile(r"<[^<>]+>")
_URL = re.compile(r"https?://[^\s<>\"()\[\]]+")
_DESCRIPTION_MAX = 200
_TERMINAL_CODE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _plain(text: str) -> str:
    """Markdown inline text as plain text: links and images by their text, no emphasis marks."""
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = re.sub(r"(\*\*|\*|`)", "", text)
    text = re.sub(r"(?<![\w\\])__?([^_]+?)__?(?!\w)", r"\1", text)
    text = _TERMINAL_CODE.sub("", text)  # a colour code pasted from a terminal
    text = "".join(c if c.isprintable() else " " for c in text)  # no ESC, CR, U+2028 in a title
    return " ".join(text.split())


@dataclass
class Readme:
    title: str = ""
    body: list[str] = field(default_factory=list)
    """The lines after the title heading, leading and trailing blank lines removed."""
    description: str = ""
    references: list[str] = field(default_factory=list)


def parse_readme(text: str) -> Readme:
    lines = text.split("\n")
    readme = Readme()
    fence = ""
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fence = "" if fence else "x"
        if fence:
            continue
        heading = atx_heading(line)
        if heading and heading[0] == 1:
            readme.title, start = _plain(heading[1]), i + 1
            break
        if (
            line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and lines[i + 1].strip()[0] == "="
        ):
            readme.title, start = _plain(line), i + 2
            break
    else:
        start = 0
    body = lines[start:] if readme.title else lines
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    readme.body = [line.rstrip() for line in body]
    readme.description = _first_sentence(readme.body)
    readme.references = _references(readme.body)
    return readme


_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:al|e\.g|i\.e|etc|vs|Fig|cf)\.$")


def _sentence(text: str) -> str:
    """The first sentence of a paragraph; `et al.` and `e.g.` do not end one."""
    for m in re.finditer(r"[.!?](?=\s+\S|$)", text):
        head = text[: m.end()]
        if not _ABBREVIATION.search(head):
            return head
    return text


def _first_sentence(body: list[str]) -> str:
    """The first sentence of the first paragraph of prose (not a heading, image or link list)."""
    paragraph: list[str] = []
    fence = False
    for line in [*body, ""]:
        if FENCE.match(line):
            fence = not fence
            paragraph = []
            continue
        if fence:
            continue
        if line.strip():
            paragraph.append(line.strip())
            continue
        raw = " ".join(paragraph)
        paragraph = []
        prose = _URL.sub("", _LINK.sub("", _TAG.sub("", raw)))
        if (
            raw.lstrip().startswith(("#", "|", ">", "-", "*", "<", "!"))
            or len(re.findall(r"[A-Za-z]", prose)) < 25
        ):
            continue
        sentence = _sentence(_plain(raw))
        if len(sentence) > _DESCRIPTION_MAX:
            sentence = sentence[: _DESCRIPTION_MAX - 3].rsplit(" ", 1)[0] + "..."
        return sentence
    return ""


def script_prose(script: str) -> list[str]:
    """The markdown comment lines a Literate-style script opens with, without their `# `."""
    lines = []
    for line in script.split("\n"):
        if line.startswith("# ") or line == "#":
            lines.append(line[2:])
        elif line.strip():
            break
        else:
            lines.append("")
    return lines


def _references(body: list[str]) -> list[str]:
    """URLs listed under a heading that mentions references or sources."""
    urls: list[str] = []
    in_refs = False
    for line in body:
        heading = atx_heading(line)
        if heading:
            in_refs = bool(re.search(r"reference|source|further reading|credit", heading[1], re.I))
            continue
        if in_refs:
            urls.extend(u.rstrip(".,;") for u in _URL.findall(line))
    return [u for u in dict.fromkeys(urls) if answers.URL_RE.fullmatch(u)]
