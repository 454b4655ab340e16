"""An entry's docs page (README.md, CommonMark) as HTML that is safe to publish.

markdown-it-py renders CommonMark; Pygments highlights fenced code (Julia and every other
language it knows). The page's own `<h1>` is the entry's title, so the README's title heading
is dropped and any other level-one heading becomes level two. Raw HTML in a README is allowed
as CommonMark allows it, then everything goes through nh3 (the Ammonia sanitizer): scripts,
event handlers, styles and unknown tags are removed, and every `href`/`src` is rewritten by the
page's resolver (`links`). Images from the web are not embedded (nothing is fetched when the
page is viewed): they become links. An image without alternative text gets its file name.
"""

from __future__ import annotations

import html
import posixpath
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from fluxzoo.site.links import Resolver, is_web

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

CODE_CSS_SCOPE = ".doc pre"
PAGE_IDS = frozenset({"main"})
"""Ids the entry page's own template uses (`base.html`), which no heading may take."""
_STYLE = "default"
_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "dd", "del", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
        "var",
    }
)  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "span": {"class"},
    "pre": {"class"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_IMG = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)\s*/?>')
_ATTR = re.compile(r'(?<!\s)\s+([a-z-]+)="([^"]*)"')  # from the first space of a run: linear
_CODE_MARK = "\ue000"
_CODE = re.compile(f"{_CODE_MARK}([0-9]+){_CODE_MARK}")


# Pygments' Julia lexer spells identifier characters as two classes reaching U+10FFFF, which
# `re` takes a third of a second to compile; these complements match exactly the same characters.
JULIA_CLASSES = {
    "[a-zA-Z_\u00a1-\U0010ffff]": r"[^\x00-@\[-^`{-\xa0]",
    "[a-zA-Z_0-9!\u00a1-\U0010ffff]": r"[^\x00-\x20\"-/:-@\[-^`{-\xa0]",
}


def _narrow(rule: Any) -> Any:
    if type(rule) is not tuple or type(rule[0]) is not str:
        return rule
    regex = rule[0]
    for wide, narrow in JULIA_CLASSES.items():
        regex = regex.replace(wide, narrow)
    return (regex, *rule[1:])


@cache
def julia_rewrites() -> int:
    """Compile the Julia lexer's rules once with `JULIA_CLASSES` (the console lexer, for
    `julia-repl` blocks, uses the same rules); the number of rules rewritten."""
    from pygments.lexers.julia import JuliaLexer

    defs = JuliaLexer.get_tokendefs()
    narrowed = {state: [_narrow(r) for r in rules] for state, rules in defs.items()}
    JuliaLexer._all_tokens = {}
    JuliaLexer._tmpname = 0
    JuliaLexer._tokens = JuliaLexer.process_tokendef("", narrowed)
    return sum(a != b for state in defs for a, b in zip(defs[state], narrowed[state], strict=True))


_UNSAFE_IN_ALTERNATION = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?[aiLmsux]+\)")
"""Backreferences, conditionals and global flags, whose meaning depends on the whole pattern."""


def one_pattern(rules: list[tuple[Any, Any, Any]]) -> tuple[Any, dict[int, int]] | None:
    """A lexer state's rules as one regex, `(rule0)|(rule1)|...`, and which rule each outer
    group is. `re` tries alternatives in order, so the first that matches at a position is the
    rule Pygments' loop would take, found in one call instead of one per rule; the group that
    closed last (`lastindex`) is that rule's. None when a rule could mean something else inside
    the alternation, or the rules' flags differ."""
    flags = {rex.__self__.flags for rex, _, _ in rules}
    if len(flags) != 1:
        return None
    parts, rule_of, group = [], {}, 1
    for i, (rex, _, _) in enumerate(rules):
        pattern = rex.__self__
        if _UNSAFE_IN_ALTERNATION.search(pattern.pattern):
            return None
        parts.append(f"({pattern.pattern})")
        rule_of[group] = i
        group += 1 + pattern.groups
    try:
        return re.compile("|".join(parts), flags.pop()).match, rule_of
    except re.error:
        return None


Parts = list[tuple[Any, dict[int, int]]]
"""A state's patterns to try in order, each with the index in the state of each outer group's
rule."""


def join_states(tokens: dict[str, list[tuple[Any, Any, Any]]]) -> dict[str, Parts] | None:
    """Every state's rules as `one_pattern`s. A state that includes `root` whole (Julia's
    `curly` and `in-intp`) tries its own rules around root's pattern, so that large one is
    compiled once, not three times. None if some rules cannot be joined."""
    root = tokens["root"]
    shared = one_pattern(root)
    out: dict[str, Parts] = {}
    for state, rules in tokens.items():
        n = len(root)
        at = next((i for i in range(len(rules) - n + 1) if rules[i : i + n] == root), None)
        runs = (
            [(0, rules)] if at is None else [(0, rules[:at]), (at, root), (at + n, rules[at + n :])]
        )
        parts: Parts = []
        for offset, run in runs:
            if not run:
                continue
            joined = shared if run is root else one_pattern(run)
            if joined is None:
                return None
            parts.append((joined[0], {g: offset + i for g, i in joined[1].items()}))
        out[state] = parts
    return out


@cache
def _fast_julia() -> type:
    """Pygments' Julia lexer (its rules, narrowed by `julia_rewrites`) with one regex match per
    token: `RegexLexer.get_tokens_unprocessed` tries each rule of the state in turn, a dozen
    failed matches for a typical name. The loop below is that method's, step for step, with the
    rule found by `join_states`' patterns. Where a state cannot be joined, Pygments' own lexer
    is used."""
    from pygments.lexers.julia import JuliaLexer
    from pygments.token import Error, Whitespace, _TokenType

    julia_rewrites()
    joined = join_states(JuliaLexer._tokens)
    if joined is None:
        return JuliaLexer

    class FastJuliaLexer(JuliaLexer):
        _tokens = JuliaLexer._tokens  # the narrowed rules, not compiled again for a subclass

        def get_tokens_unprocessed(self, text: str, stack: Any = ("root",)) -> Any:
            pos = 0
            tokendefs = self._tokens
            statestack = list(stack)
            statetokens = tokendefs[statestack[-1]]
            parts = joined[statestack[-1]]
            while True:
                for match, rule_of in parts:
                    m = match(text, pos)
                    if not m:
                        continue
                    rexmatch, action, new_state = statetokens[rule_of[m.lastindex]]
                    if action is not None:
                        if type(action) is _TokenType:
                            yield pos, action, m.group(m.lastindex)
                        else:
                            yield from action(self, rexmatch(text, pos))
                    pos = m.end()
                    if new_state is not None:
                        if isinstance(new_state, tuple):
                            for state in new_state:
                                if state == "#pop":
                                    if len(statestack) > 1:
                                        statestack.pop()
                                elif state == "#push":
                                    statestack.append(statestack[-1])
                                else:
                                    statestack.append(state)
                        elif isinstance(new_state, int):
                            if abs(new_state) >= len(statestack):
                                del statestack[1:]
                            else:
                                del statestack[new_state:]
                        elif new_state == "#push":
                            statestack.append(statestack[-1])
                        statetokens = tokendefs[statestack[-1]]
                        parts = joined[statestack[-1]]
                    break
                else:  # no rule matches here
                    if pos >= len(text):
                        break
                    if text[pos] == "\n":
                        statestack = ["root"]
                        statetokens = tokendefs["root"]
                        parts = joined["root"]
                        yield pos, Whitespace, "\n"
                    else:
                        yield pos, Error, text[pos]
                    pos += 1

    return FastJuliaLexer


@cache
def _aliases() -> frozenset[str]:
    """The languages Pygments itself knows; plugins are not looked for, which takes a tenth of
    a second per unknown name, and would make the same zoo highlight differently elsewhere."""
    from pygments.lexers import get_all_lexers

    return frozenset(a for _, aliases, _, _ in get_all_lexers(plugins=False) for a in aliases)


@cache
def _lexer(lang: str) -> Any:
    if lang not in _aliases():
        return None
    from pygments.lexers import find_lexer_class_by_name

    cls = find_lexer_class_by_name(lang)
    if cls.__module__ == "pygments.lexers.julia":
        julia_rewrites()
        if cls.__name__ == "JuliaLexer":
            return _fast_julia()()
    return cls()


@cache
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True, style=_STYLE)


def code_css() -> str:
    """The highlighting colours, for the site's style sheet."""
    return str(_formatter().get_style_defs(CODE_CSS_SCOPE))


@cache
def _highlight(code: str, lang: str) -> str:
    """Once per distinct block: entries made from one kind repeat its blocks word for word."""
    from pygments import highlight

    lexer = _lexer(lang.strip().lower()) if lang else None
    return str(highlight(code, lexer, _formatter())) if lexer is not None else ""


def as_sanitized(highlighted: str) -> str:
    """Pygments' HTML of a code block as nh3 writes it back: Pygments escapes `&<>"'`, html5ever
    only `&<>` and the no-break space. The rest is `<span class>` around text, all kept."""
    return highlighted.replace("&quot;", '"').replace("&#39;", "'").replace("\xa0", "&nbsp;")


@cache
def _parser() -> MarkdownIt:
    """CommonMark, and every heading given an id as GitHub gives it (`## Training` is
    `#training`, a second one `#training-1`), so a README's links to its sections work."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    return MarkdownIt("commonmark").use(anchors_plugin, min_level=1, max_level=6, slug_func=_slug)


def _slug(title: str) -> str:
    from mdit_py_plugins.anchors.index import slugify

    slug = slugify(title)
    # `main` is the page's own; a heading called so takes the next free id, as a repeat would.
    return f"{slug}-1" if slug in PAGE_IDS else slug


def _demote_headings(tokens: list[Token]) -> list[Token]:
    """Drop the first `#` heading (the page shows the title) and make other `#` ones `##`."""
    out: list[Token] = []
    dropped = False
    skip = 0
    for token in tokens:
        if skip:
            skip -= 1
            continue
        if token.type == "heading_open" and token.tag == "h1":
            if not dropped:
                dropped = True
                skip = 2  # its inline content and heading_close
                continue
            token.tag = "h2"
        elif token.type == "heading_close" and token.tag == "h1":
            token.tag = "h2"
        out.append(token)
    return out


def _fix_image(match: re.Match[str]) -> str:
    attrs = {k: html.unescape(v) for k, v in _ATTR.findall(match.group(1))}
    src = attrs.get("src", "")
    label = html.escape(attrs.get("alt") or "image")
    if not src:
        return f'<span class="missing-image">{label}</span>'
    if is_web(src):
        return f'<a href="{html.escape(src)}" rel="noopener noreferrer">{label}</a>'
    if not attrs.get("alt"):
        attrs["alt"] = "Figure: " + posixpath.basename(src.split("#")[0].split("?")[0])
    body = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<img{body}>"


def prepare() -> None:
    """Load what rendering pages needs (the parser, the Julia lexer, the sanitizer) before the
    pages: `site` does it while its workers read the entries, so those that then render the
    pages start with it loaded instead of each loading it again."""
    import nh3  # noqa: F401

    _parser()
    _lexer("julia")
    _formatter()


def render(text: str, resolve: Resolver) -> str:
    """The README as sanitized HTML for one page; links and images resolved for it."""
    import nh3
    from markdown_it.utils import OptionsDict

    md = _parser()
    tokens = _demote_headings(md.parse(text))
    ids = {t.attrGet("id") for t in tokens if t.type == "heading_open"} - {"", None}
    code: list[str] = []

    def highlight(source: str, lang: str, _attrs: str) -> str:
        # Highlighted code is kept out of nh3's way, a placeholder in its place, which is most
        # of the sanitizer's work saved; a README holding the placeholder's mark goes through.
        out = _highlight(source, lang)
        if not out or _CODE_MARK in text:
            return out
        code.append(as_sanitized(out))
        return f"{_CODE_MARK}{len(code) - 1}{_CODE_MARK}"

    raw = md.renderer.render(tokens, OptionsDict({**md.options, "highlight": highlight}), {})

    def rewrite(tag: str, attr: str, value: str) -> str | None:
        if attr in ("href", "src"):
            return resolve(value)
        if attr == "id":  # only the headings' own; raw HTML names none
            return value if value in ids else None
        return value

    clean = nh3.clean(
        raw,
        tags=set(_TAGS),
        attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
        attribute_filter=rewrite,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    clean = _IMG.sub(_fix_image, clean)
    return _CODE.sub(lambda m: code[int(m.group(1))], clean) if code else clean
