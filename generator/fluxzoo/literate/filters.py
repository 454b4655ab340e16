"""Literate's text rewrites before parsing (`replace_default` in Literate.jl), in its order.

Each step is a `str -> str` function of the text and the options; `prepare` runs them all
for one output. The regular expressions are Literate's PCRE patterns translated to Python:
`\\h` is spelled out (`HSPACE`), `\\R` is `_NL`, and `(*ANYCRLF)` anchors accept CR or LF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from fluxzoo.literate._julia import HSPACE, eachline, uppercasefirst
from fluxzoo.literate.options import Flavor, LiterateOptions


class Output(Enum):
    MARKDOWN = "md"
    NOTEBOOK = "nb"
    SCRIPT = "jl"


_NL = r"(?:\r\n|[\n\x0b\x0c\r\x85\u2028\u2029])"
_BOL = r"(?<![^\r\n])"  # (*ANYCRLF) ^ in multiline mode: at the start or after CR or LF
_EOL = r"(?=[\r\n]|\Z)"  # (*ANYCRLF) $ in multiline mode

# `$\R^` between a marker and the text: `$` and `^` see only CR and LF under (*ANYCRLF), so a
# form feed or another rare line break after `#=` starts no block (src/Literate.jl:173).
_NL_CRLF = rf"{_EOL}{_NL}{_BOL}"
_MULTILINE_COMMENT = re.compile(rf"{_BOL}#=+{_NL_CRLF}([\s\S]*?){_NL_CRLF}=+#{_EOL}")
_MULTILINE_COMMENT_END = re.compile(rf"{_NL_CRLF}=+#{_EOL}")
_MD_STRING = re.compile(rf'{_BOL}md"""{_NL_CRLF}([\s\S]*?){_NL_CRLF}"""{_EOL}')
_MD_STRING_END = re.compile(rf'{_NL_CRLF}"""{_EOL}')


def credit(text: str, output: Output) -> str:
    """Literate's footer: a last chunk naming Literate.jl."""
    if output is Output.SCRIPT:
        return (
            text
            + "\n#-\n## This file was generated using Literate.jl, https://github.com/fredrikekre/Literate.jl\n"
        )
    thing = "page" if output is Output.MARKDOWN else "notebook"
    return (
        text
        + f"\n#-\n# ---\n#\n# *This {thing} was generated using [Literate.jl](https://github.com/fredrikekre/Literate.jl).*\n"
    )


def _to_comment_lines(pattern: re.Pattern[str], closing: re.Pattern[str], text: str) -> str:
    # Literate searches again from the start after each replacement; the `# ` lines it puts in
    # can never start or end a block, so going on after them finds the same blocks in one pass.
    # The search ends at the last closing line: past it, every opening line would scan to the
    # end of the text for a closing one in vain (quadratic in the number of openings).
    end = max((m.end() for m in closing.finditer(text)), default=0)
    out: list[str] = []
    pos = 0
    while pos < end and (m := pattern.search(text, pos, end)) is not None:
        out.append(text[pos : m.start()])
        out.append("".join(f"# {line}\n" for line in eachline(m[1]))[:-1])
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def multiline_comments(text: str) -> str:
    """`#=` ... `=#` blocks (the markers alone on their lines) become `# ` markdown lines."""
    return _to_comment_lines(_MULTILINE_COMMENT, _MULTILINE_COMMENT_END, text)


def markdown_strings(text: str) -> str:
    """`md\"\"\"` ... `\"\"\"` blocks become `# ` markdown lines (the `mdstrings` option)."""
    return _to_comment_lines(_MD_STRING, _MD_STRING_END, text)


_LINE_FILTERS = {  # (markers kept, markers whose lines are dropped), by output
    Output.MARKDOWN: (("md", "!nb", "!jl"), ("!md", "nb", "jl")),
    Output.NOTEBOOK: (("!md", "nb", "!jl"), ("md", "!nb", "jl")),
    Output.SCRIPT: (("!md", "!nb", "jl"), ("md", "nb", "!jl")),
}


def line_filters(text: str, output: Output) -> str:
    """`#src`, `#md`, `#nb`, `#jl` (and `#!md`...) at the start or the end of lines.

    Literate's six `replace` calls, one after the other over the whole text (`^#src.*\\n?`,
    `.*#src$\\n?`, `^#md ` => "", ` #md$` => "", `^#nb.*\\n?`, `.*#nb$\\n?`), done line by
    line with string tests: each acts within one line, so applying all six to each line in
    turn gives the same text, in linear time (an unanchored `.*#src$` is quadratic on long
    lines).
    """
    keep, drop = _LINE_FILTERS[output]
    head_keep = tuple(f"#{m} " for m in keep)
    tail_keep = tuple(f" #{m}" for m in keep)
    dropped = tuple(f"#{m}" for m in drop)
    lines = text.split("\n")
    out = []
    for line in lines:
        if "#" not in line:  # every marker has one; most code lines have none
            out.append(line)
            continue
        if line.startswith("#src") or line.endswith("#src"):
            out.append(None)
            continue
        for marker in head_keep:
            if line.startswith(marker):
                line = line[len(marker) :]
                break
        for marker in tail_keep:
            if line.endswith(marker):
                line = line[: -len(marker)]
                break
        out.append(None if line.startswith(dropped) or line.endswith(dropped) else line)
    if len(out) > 1 and out[-1] is None:
        out[-1] = ""  # a dropped last line takes no newline with it: the one before it stays
    return "\n".join(line for line in out if line is not None)


_NOTEBOOK_MARKUP = [
    (re.compile(r"```math(.*?)```", re.S), r"$$\1$$"),
    (re.compile(r"(?<!`)``([^`]+?)``(?!`)"), r"$\1$"),
    (re.compile(rf"```@raw({HSPACE}+)html(.*?)```", re.S), r"\2"),
]

_DOCUMENTER_LINKS = (
    ("(@ref)", False),
    ("(@ref ", True),
    ("(@extref)", False),
    ("(@extref ", True),
    ("(@id ", True),
)
"""Literate's link filters, in its order: `\\[([^\\]]+?)\\]\\(@ref\\)`, `...\\(@ref .*?\\)` and so
on, as the link target and whether the match runs on to the next `)`."""


def _unlink(text: str, target: str, to_paren: bool) -> str:
    """One link filter: `[text]` followed by `target` (and, with `to_paren`, anything up to the
    next `)`) becomes `text`.

    The same matches as the regular expression, found in linear time: every `[` between two
    `]` shares the same closing `]`, so only the first of them can start a match.
    """
    out: list[str] = []
    pos = search = 0
    while (i := text.find("[", search)) >= 0 and (j := text.find("]", i + 1)) >= 0:
        if j == i + 1 or not text.startswith(target, j + 1):
            search = i + 1 if j == i + 1 else j + 1
            continue
        end = j + 1 + len(target)
        if to_paren:
            close = text.find(")", end)
            if close < 0:
                break
            end = close + 1
        out += [text[pos:i], text[i + 1 : j]]
        pos = search = end
    out.append(text[pos:])
    return "".join(out)


_ADMONITION = re.compile(
    r'^# !!! (?P<type>\w+)(?: "(?P<title>.+)")?(?P<lines>(?:\n^#     .*$)+)',
    re.M,
)
_ADMONITION_BODY = re.compile(r"^#     ")


def _lines_keeping_ends(text: str) -> list[str]:
    """`eachline(IOBuffer(text); keep = true)`."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _admonition_to_quote(m: re.Match[str]) -> str:
    head = m["title"] if m["title"] is not None else uppercasefirst(m["type"])
    body = "".join(_ADMONITION_BODY.sub("# > ", line) for line in _lines_keeping_ends(m["lines"]))
    return f"# > **{head}**\n# >{body}"


Replacement = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _placeholders(options: LiterateOptions) -> list[tuple[str, str]]:
    if options.documentation_generator_base_url is not None:
        base = options.documentation_generator_base_url
        return [("@__NBVIEWER_ROOT_URL__", f"https://nbviewer.jupyter.org/urls/{base}")]
    # `get(config, key, "<unknown>")` (src/Literate.jl:215-217): an explicit "" stays "".
    urls = {
        "@__REPO_ROOT_URL__": options.repo_root_url,
        "@__NBVIEWER_ROOT_URL__": options.nbviewer_root_url,
        "@__BINDER_ROOT_URL__": options.binder_root_url,
    }
    return [(key, "<unknown>" if url is None else url) for key, url in urls.items()]


def prepare(text: str, output: Output, options: LiterateOptions, flavor: Flavor) -> str:
    """Everything Literate does to the text between reading it and parsing it into chunks."""
    if options.credit:
        text = credit(text, output)
    text = multiline_comments(text)
    if options.mdstrings:
        text = markdown_strings(text)
    text = text.replace("\r\n", "\n")
    text = line_filters(text, output)
    if output is Output.NOTEBOOK:
        for pattern, repl in _NOTEBOOK_MARKUP:
            text = pattern.sub(repl, text)
    text = text.replace("@__NAME__", options.name)
    for placeholder, url in _placeholders(options):
        text = text.replace(placeholder, url)
    if flavor is not Flavor.DOCUMENTER:
        for target, to_paren in _DOCUMENTER_LINKS:
            text = _unlink(text, target, to_paren)
        text = _ADMONITION.sub(_admonition_to_quote, text)
    return text
