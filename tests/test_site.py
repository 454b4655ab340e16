"""`fluxzoo site`: what it writes, where it refuses to write, and that the same zoo gives the
same bytes. The pages in a real browser: test_site_browser.py."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fluxzoo import workers
from fluxzoo.cli import main
from fluxzoo.site import layout
from site_zoo import HOSTILE_TITLE, build_zoo


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_zoo(tmp_path_factory.mktemp("site"))


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_same_zoo_same_bytes_and_a_rebuild_replaces_the_site(zoo: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["site", "--zoo", str(zoo), "--output", str(one)]) == 0
    assert main(["site", "--zoo", str(zoo), "--output", str(two)]) == 0
    assert _digest(one) == _digest(two)
    (one / "stale.html").write_text("old", encoding="utf-8")
    assert main(["site", "--zoo", str(zoo), "--output", str(one)]) == 0
    assert _digest(one) == _digest(two)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".fluxzoo-site-")]


def test_the_site_has_every_entry_and_its_downloads(zoo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["site", "--zoo", str(zoo), "--output", str(out)]) == 0
    for rel in ("vision/digits", "text/chars", "tutorials/hostile", "other/served"):
        slug = rel.split("/")[1]
        folder = out / "entries" / layout.entry_id(rel)
        for name in (f"{slug}.jl", f"{slug}.ipynb", "Project.toml"):
            assert (folder / name).read_bytes() == (zoo / rel / name).read_bytes()
    assert (out / "media/vision/digits/docs/filters.png").read_bytes() == (
        zoo / "vision/digits/docs/filters.png"
    ).read_bytes()
    legacy = (out / "entries/other.fizzbuzz/index.html").read_text(encoding="utf-8")
    assert "Not yet in the standard" in legacy and "fizzbuzz.jl" in legacy
    patterns = (out / "patterns/index.html").read_text(encoding="utf-8")
    for name in ("Flux.withgradient", "ChainRulesCore.rrule", "Flux.Chain"):
        assert f"<code>{name}</code>" in patterns
    rrule = (out / layout.pattern_page("ChainRulesCore.rrule")).read_text(encoding="utf-8")
    assert "tutorials/hostile/hostile.jl, line" in rrule
    assert "Digits with a CNN" not in rrule


def test_hostile_text_is_escaped_in_the_html(zoo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        main(["site", "--zoo", str(zoo), "--output", str(out), "--base-url", "https://x.org/zoo/"])
        == 0
    )
    for page in sorted(out.rglob("*.html")):
        parser = _Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert tag not in ("svg", "b", "iframe"), page
            assert not [a for a in attrs if a.startswith("on")], (page, tag, attrs)
            if tag == "script":
                assert (attrs.get("src") or "").endswith("assets/site.js"), page
            for key in ("href", "src"):
                assert not (attrs.get(key) or "").lower().startswith("javascript"), page
    html = (out / "entries/tutorials.hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html
    assert '<link rel="canonical" href="https://x.org/zoo/entries/tutorials.hostile/">' in html
    assert "<loc>https://x.org/zoo/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert HOSTILE_TITLE not in html  # only its escaped form


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (".", "is the zoo itself"),
        ("..", "holds the zoo"),
        ("vision/digits/site", "is inside the entry"),
        ("vision/digits/README.md", "is inside the entry"),
        ("vision", "was not built by"),
    ],
)
def test_refuses_an_output_that_would_touch_the_zoo(
    zoo: Path, where: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(zoo)
    assert main(["site", "--zoo", str(zoo), "--output", str(zoo / where)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]
    assert _digest(zoo) == before


def test_refuses_a_folder_it_did_not_build(
    zoo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["site", "--zoo", str(zoo), "--output", str(mine)]) == 2
    assert "was not built by 'fluxzoo site'" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_bad_base_url_and_zoo_are_one_line(
    zoo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["site", "--zoo", str(zoo), "--output", str(tmp_path / "o"), "--base-url", "x.org"])
        == 2
    )
    assert main(["site", "--zoo", str(tmp_path / "none"), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "--base-url" in err[0] and "--zoo" in err[1]
    assert not (tmp_path / "o").exists()


def test_a_site_inside_the_zoo_is_not_read_back_as_entries(zoo: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "zoo"
    shutil.copytree(zoo, copy)
    assert main(["site", "--zoo", str(copy), "--output", str(copy / "_site")]) == 0
    first = _digest(copy / "_site")
    assert main(["site", "--zoo", str(copy), "--output", str(copy / "_site")]) == 0
    assert _digest(copy / "_site") == first
    assert len(list((copy / "_site" / "entries").iterdir())) == 5


JULIA_CORNERS = (
    "α₁ = :β′; x! = 1; ∇f(x::T) where {T<:Real} = x'ᵀ .+ ∂y # ≠\n",
    'x = "open\nstill $(a + "in $(b)") $c" * """three "quoted" $(d)""" * raw"\\d" * r"a+"i\n',
    "#= outer #= inner =# still =# `run $cmd` ```\ntriple $(x)``` 'c' '\\n' x'  y''\n",
    "abstract type A{T} <: B end; mutable struct S{T<:Real} x::T end; @time f.(x) .|> g\n",
    "1.5e-3 .5 1_000 0x1p3 0b101 0o17 0xff 1e10 2f0 a[end] b...; $ ? ~ ∘ ⊗ ≤ 𝛁\r\n",
    "".join(map(chr, range(128))) + "\t\"unterminated\n'\n#= unclosed\n",
)


def _julia_sources() -> list[str]:
    """Every kind's Julia, the real zoo's Julia files and READMEs, and the corners above."""
    import tarfile

    import real_zoo

    root = Path(__file__).resolve().parents[1]
    sources = [p.read_text(encoding="utf-8") for p in sorted(root.glob("template/kinds/*/*.jl"))]
    with tarfile.open(real_zoo.ARCHIVE) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith((".jl", "README.md")):
                sources.append(tar.extractfile(member).read().decode("utf-8"))  # type: ignore[union-attr]
    return [*sources, *JULIA_CORNERS]


def test_the_julia_lexer_made_faster_lexes_exactly_as_pygments_does() -> None:
    import re

    from fluxzoo.site import markdown
    from pygments.lexers.julia import JuliaLexer

    every_char = "".join(map(chr, range(0x110000)))
    for wide, narrow in markdown.JULIA_CLASSES.items():
        assert re.sub(wide + "+", "", every_char) == re.sub(narrow + "+", "", every_char)
    assert markdown.julia_rewrites() > 10  # Pygments still spells them so
    fast = markdown._lexer("julia")
    assert type(fast) is not JuliaLexer  # every state's rules joined
    joined = markdown.join_states(JuliaLexer._tokens)
    assert joined is not None
    root = joined["root"][0][0]
    for state in ("curly", "in-intp"):  # their own rules around root's one pattern
        assert len(joined[state]) == 2 and joined[state][1][0] == root
    pristine = type("Pristine", (JuliaLexer,), {})()
    sources = _julia_sources()
    assert len(sources) > 100
    for source in sources:
        assert list(fast.get_tokens(source)) == list(pristine.get_tokens(source))


def test_rules_that_would_change_meaning_in_one_pattern_are_not_joined() -> None:
    import re

    from fluxzoo.site import markdown

    def rules(*patterns: str, flags: int = re.MULTILINE) -> list[tuple[object, None, None]]:
        return [(re.compile(p, flags).match, None, None) for p in patterns]

    joined = markdown.one_pattern(rules(r"(a)(b)?", r"[ab]+", r"(?:c)|(d)"))
    assert joined is not None
    match, rule_of = joined
    assert [rule_of[match(t).lastindex] for t in ("ab", "ba", "c", "d")] == [0, 1, 2, 2]
    for unsafe in (r"(a)\1", r"(?P<x>a)(?P=x)", r"(a)?(?(1)b|c)", r"(?i)a"):
        assert markdown.one_pattern(rules("x", unsafe)) is None
    assert markdown.one_pattern(rules("(?P<x>a)", "(?P<x>b)")) is None  # a name used twice
    assert markdown.one_pattern([*rules("a"), *rules("b", flags=re.IGNORECASE)]) is None


def test_highlighted_code_kept_out_of_the_sanitizer_is_what_it_would_write() -> None:
    from fluxzoo.site import markdown

    script = Path(__file__).resolve().parents[1] / "template/kinds/custom_gradient/script.jl"
    odd = "".join(map(chr, range(1, 128))) + "\u00a0 α′ \u200b \ufeff </code><script>"
    blocks = [("julia", script.read_text(encoding="utf-8"))]
    blocks += [(lang, odd) for lang in ("julia", "toml", "python", "julia-repl")]
    for lang, code in blocks:
        readme = f"# T\n\n````{lang}\n{code}\n````\n"
        deferred = markdown.render(readme, lambda url: url)
        assert "<span" in deferred
        # the placeholders' mark in the text makes every block go through nh3
        direct = markdown.render(readme + "\n\ue000\n", lambda url: url)
        assert direct == deferred + "<p>\ue000</p>\n"


def test_headings_get_the_ids_github_gives_and_raw_html_none(zoo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["site", "--zoo", str(zoo), "--output", str(out)]) == 0
    page = (out / "entries/vision.digits/index.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    ids = [a["id"] for _, a in parser.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert {"main", "training", "figures", "main-1"} <= set(ids)
    assert '<a href="#training"' in page
    assert '<a href="../text.chars/index.html#training"' in page
    hostile = (out / "entries/tutorials.hostile/index.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(hostile)
    assert [a["id"] for _, a in parser.tags if a.get("id")] == ["main"]


def test_templates_are_compiled_once_and_a_broken_cache_is_only_a_miss(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fluxzoo.site import pages
    from jinja2 import Environment

    templates = list((Path(pages.__file__).parent / "templates").glob("*.html"))
    compiled: list[str | None] = []
    compile_template = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *rest: Any) -> Any:
        compiled.append(name)
        return compile_template(self, source, name, *rest)

    monkeypatch.setattr(Environment, "compile", counting)
    monkeypatch.setenv(workers.JOBS_VARIABLE, "1")  # compiles are counted in this process

    def build(out: Path) -> dict[str, str]:
        pages._env.cache_clear()  # as in a new process: only the cache on disk is left
        compiled.clear()
        assert main(["site", "--zoo", str(zoo), "--output", str(out)]) == 0
        return _digest(out)

    cold = build(tmp_path / "cold")
    records = sorted(pages.template_cache_dir().iterdir())
    assert len(compiled) == len(records) == len(templates)
    assert build(tmp_path / "warm") == cold
    assert compiled == []
    for record in records:  # truncated and foreign records are compiled afresh and rewritten
        record.write_bytes(record.read_bytes()[:20] if record == records[0] else b"junk")
    assert build(tmp_path / "broken") == cold
    assert len(compiled) == len(templates)
    assert build(tmp_path / "mended") == cold
    assert compiled == []
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache's folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert build(tmp_path / "uncached") == cold
    assert len(compiled) == len(templates)
    pages._env.cache_clear()
