"""Literate.jl's own test suite (test/runtests.jl at v2.21.0), ported: every case that runs no code.

The inputs and expected outputs below are Literate's, byte for byte (Julia string escapes
resolved). Literate reads URLs from the CI environment; here `ci_links` gets the same
variables as a mapping, and Literate's `outdir` one level below the input becomes
`edit_url="../inputfile.jl"`.
"""

from __future__ import annotations

import dataclasses
import json

import nbformat
import pytest
from fluxzoo.errors import UsageError
from fluxzoo.literate import (
    CodeChunk,
    Flavor,
    JSONVersion,
    LiterateOptions,
    MDChunk,
    ci_links,
    markdown,
    notebook,
    parse,
    script,
)
from fluxzoo.literate import chunks as literate_chunks
from fluxzoo.literate.emit_markdown import default_codefence
from fluxzoo.literate.filters import Output

CONTENT = r"""# # [Example](@id example-id)
# [foo](@ref), [bar](@ref bbaarr)
# [baz](@extref), [bax](@extref bbaaxx)
x = 1
#md # Only markdown
# Only markdown #md
#md x + 1
x + 1 #md
#!md # Not markdown
# Not markdown #!md
#!md x * 1
x * 1 #!md
#nb # Only notebook
# Only notebook #nb
#nb x + 2
x + 2 #nb
#!nb # Not notebook
# Not notebook #!nb
#!nb x * 2
x * 2 #!nb
#jl # Only script
# Only script #jl
#jl x + 3
x + 3 #jl
#!jl # Not script
# Not script #!jl
#!jl x * 3
x * 3 #!jl
#src # Source code only
Source code only          #src
## # Comment
## another comment
#-
for i in 1:10
    print(i)
# some markdown in a code block
#+
end
# name: @__NAME__
# Link to repo root: @__REPO_ROOT_URL__/file.jl
# Link to nbviewer: @__NBVIEWER_ROOT_URL__/file.jl
# Link to binder: @__BINDER_ROOT_URL__/file.jl
## name: @__NAME__
## Link to repo root: @__REPO_ROOT_URL__/file.jl
## Link to nbviewer: @__NBVIEWER_ROOT_URL__/file.jl
## Link to binder: @__BINDER_ROOT_URL__/file.jl

# PLACEHOLDER1
# PLACEHOLDER2
## PLACEHOLDER3
## PLACEHOLDER4

# Some inline math: ``\frac{df}{dx}``, some multiline inline math: ``y =
# kx + m``, and some display math:
# ```math
# \int f(x) dx
# ```
#-
    # Indented markdown
for i in 1:10
    # Indented markdown
#+
    ## Indented comment
end

# Some inline html
# ```@raw html
#   <a href="https://github.com/fredrikekre/Literate.jl">Literate.jl</a>
# ```

# Semicolon output supression
1 + 1;

# Completely hidden
hidden = 12     #hide
hidden * hidden #hide

# Partially hidden
hidden2 = 12      #hide
hidden2 * hidden2

#nb # A notebook cell with special metadata
#nb %% Meta1 {"meta": "data"}
#nb 1+1
#nb #-
#nb # A explicit code notebook cell
#nb #-
#nb %% [code]
#nb 1+2
#nb #-
#nb # %% [markdown] {"meta": "data"}
#nb # # Explicit markdown cell with metadata

# It can sometimes happen that a text editor line-wraps [a link which shouldn't
# break](@ref bbaarr)

#=
First multiline
comment
=#

#=======================
Second multiline comment
=======================#
"""

EXPECTED_SCRIPT = r"""x = 1

x * 1
x * 1

x * 2
x * 2

x + 3
x + 3
# # Comment
# another comment

for i in 1:10
    print(i)

end

# name: inputfile
# Link to repo root: https://github.com/fredrikekre/Literate.jl/blob/master/file.jl
# Link to nbviewer: https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/file.jl
# Link to binder: https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=v1.2.0/file.jl

# PLACEHOLDER3
# PLACEHOLDER4

for i in 1:10

    # Indented comment
end

1 + 1;

hidden = 12     #hide
hidden * hidden #hide

hidden2 = 12      #hide
hidden2 * hidden2

# This file was generated using Literate.jl, https://github.com/fredrikekre/Literate.jl
"""

EXPECTED_MARKDOWN = r"""```@meta
EditURL = "../inputfile.jl"
```

# [Example](@id example-id)
[foo](@ref), [bar](@ref bbaarr)
[baz](@extref), [bax](@extref bbaaxx)

````@example inputfile
x = 1
````

Only markdown
Only markdown

````@example inputfile
x + 1
x + 1
````

Not notebook
Not notebook

````@example inputfile
x * 2
x * 2
````

Not script
Not script

````@example inputfile
x * 3
x * 3
# # Comment
# another comment
````

````@example inputfile; continued = true
for i in 1:10
    print(i)
````

some markdown in a code block

````@example inputfile
end
````

name: inputfile
Link to repo root: https://github.com/fredrikekre/Literate.jl/blob/master/file.jl
Link to nbviewer: https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/file.jl
Link to binder: https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=v1.2.0/file.jl

````@example inputfile
# name: inputfile
# Link to repo root: https://github.com/fredrikekre/Literate.jl/blob/master/file.jl
# Link to nbviewer: https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/file.jl
# Link to binder: https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=v1.2.0/file.jl
````

PLACEHOLDER1
PLACEHOLDER2

````@example inputfile
# PLACEHOLDER3
# PLACEHOLDER4
````

Some inline math: ``\frac{df}{dx}``, some multiline inline math: ``y =
kx + m``, and some display math:
```math
\int f(x) dx
```

Indented markdown

````@example inputfile; continued = true
for i in 1:10
````

Indented markdown

````@example inputfile
    # Indented comment
end
````

Some inline html
```@raw html
  <a href="https://github.com/fredrikekre/Literate.jl">Literate.jl</a>
```

Semicolon output supression

````@example inputfile
1 + 1;
nothing #hide
````

Completely hidden

````@example inputfile
hidden = 12     #hide
hidden * hidden #hide
````

Partially hidden

````@example inputfile
hidden2 = 12      #hide
hidden2 * hidden2
````

It can sometimes happen that a text editor line-wraps [a link which shouldn't
break](@ref bbaarr)

First multiline
comment

Second multiline comment

---

*This page was generated using [Literate.jl](https://github.com/fredrikekre/Literate.jl).*

"""

# As at Literate.jl master (commit 1aee7d4, "Fix flaky tests that depended on JSON output
# order"): v2.21.0's test/runtests.jl:1073-1109 wrote four of these as `],`, true only while
# JSON.jl iterated `Dict`s in hash order (before 1.5); JSON.jl 1.5+ sorts keys, so `"source"`
# is the last key of a cell. `test_notebook_defaults_in_hash_order` checks v2.21.0's form.
EXPECTED_NOTEBOOK_FRAGMENTS = [
    r""" "cells": [""",
    r"""   "source": [
    "# Example\n",
    "foo, bar\n",
    "baz, bax"
   ]""",
    r"""   "source": [
    "x = 1"
   ]""",
    r"""   "source": [
    "Not markdown\n",
    "Not markdown"
   ]""",
    r"""   "source": [
    "x * 1\n",
    "x * 1"
   ]""",
    r"""   "source": [
    "Only notebook\n",
    "Only notebook"
   ]""",
    r"""   "source": [
    "x + 2\n",
    "x + 2"
   ]""",
    r"""   "source": [
    "Not script\n",
    "Not script"
   ]""",
    r"""   "source": [
    "x * 3\n",
    "x * 3\n",
    "# # Comment\n",
    "# another comment"
   ]""",
    r"""   "source": [
    "for i in 1:10\n",
    "    print(i)\n",
    "# some markdown in a code block\n",
    "end"
   ]""",
    r"""   "source": [
    "name: inputfile\n",
    "Link to repo root: https://github.com/fredrikekre/Literate.jl/blob/master/file.jl\n",
    "Link to nbviewer: https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/file.jl\n",
    "Link to binder: https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=v1.2.0/file.jl"
   ]""",
    r"""   "source": [
    "# name: inputfile\n",
    "# Link to repo root: https://github.com/fredrikekre/Literate.jl/blob/master/file.jl\n",
    "# Link to nbviewer: https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/file.jl\n",
    "# Link to binder: https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=v1.2.0/file.jl"
   ]""",
    r"""   "source": [
    "PLACEHOLDER1\n",
    "PLACEHOLDER2"
   ]""",
    r"""   "source": [
    "# PLACEHOLDER3\n",
    "# PLACEHOLDER4"
   ]""",
    r"""   "source": [
    "Some inline math: $\\frac{df}{dx}$, some multiline inline math: $y =\n",
    "kx + m$, and some display math:\n",
    "$$\n",
    "\\int f(x) dx\n",
    "$$"
   ]""",
    r"""   "source": [
    "Indented markdown"
   ]""",
    r"""   "source": [
    "for i in 1:10\n",
    "    # Indented markdown\n",
    "    # Indented comment\n",
    "end"
   ]""",
    r"""   "source": [
    "Some inline html\n",
    "\n",
    "  <a href=\"https://github.com/fredrikekre/Literate.jl\">Literate.jl</a>"
   ]""",
    r"""   "metadata": {
    "meta": "data"
   }""",
    r"""   "source": [
    "First multiline\n",
    "comment"
   ]""",
    r"""   "source": [
    "---\n",
    "\n",
    "*This notebook was generated using [Literate.jl](https://github.com/fredrikekre/Literate.jl).*"
   ]""",
]

TRAVIS_ENV = {
    "TRAVIS_REPO_SLUG": "fredrikekre/Literate.jl",
    "TRAVIS_TAG": "v1.2.0+docs",
    "TRAVIS_PULL_REQUEST": "false",
    "HAS_JOSH_K_SEAL_OF_APPROVAL": "true",
}
ACTIONS_ENV = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_ACTION": "Build docs",
    "GITHUB_REPOSITORY": "fredrikekre/Literate.jl",
    "GITHUB_EVENT_NAME": "push",
    "GITHUB_REF": "refs/tags/v1.2.0+docs",
}
GITLAB_ENV = {
    "GITLAB_CI": "true",
    "CI_PROJECT_URL": "https://gitlab.com/fredrikekre/Literate.jl",
    "CI_PAGES_URL": "https://fredrikekre.gitlab.io/Literate.jl",
}
DOCGEN_ENV = {
    "DOCUMENTATIONGENERATOR": "true",
    "DOCUMENTATIONGENERATOR_BASE_URL": "pkg.julialang.org/docs/Literate/XPnWG/1.2.0",
}
REPO = "https://github.com/fredrikekre/Literate.jl/blob/master/file.jl"


def options(env: dict[str, str] | None = None, **kw: object) -> LiterateOptions:
    links = ci_links(env or {}, edit_commit=str(kw.pop("edit_commit", "master")))
    return LiterateOptions(name="inputfile", edit_url="../inputfile.jl", **links, **kw)  # type: ignore[arg-type]


def links(nbviewer: str, binder: str, repo: str = REPO) -> list[str]:
    return [
        f"Link to repo root: {repo}",
        f"Link to nbviewer: {nbviewer}",
        f"Link to binder: {binder}",
    ]


# -- Literate.parse ------------------------------------------------------------------------

PARSE_CONTENT = """\
# Line 1
Line 2
# Line 3
#
# Line 5
Line 6

Line 8
# Line 9
#-
# Line 11
Line 12
#-
Line 14
# Line 15
#-----------------
# Line 17
Line 18
#-----------------
Line 20
# Line 21
Line 22
    Line 23
Line 24
#-
Line 26
    Line 27
#+
Line 29
#-
Line 31
    Line 32
# Line 33
#+
Line 34
#-
Line 36
#+
    Line 38
#+
Line 40
#-
Line 42
    Line 43
# Line 44
#+
    Line 45
# Line 46
#+
Line 47
# Line 48
#Line 49
Line 50
#
#
# Line 53
#
#
#-
## Line 57
Line 58
## Line 59
##Line 60
#-
    # Line 62
    # # Line 63
Line 64
    ## Line 65
    Line 66
Line 67
#-
#
#-
    #
#-
## Line 73
##
## Line 75
#-
    ## Line 77
    ##
    ## Line 79
# Line 80: Quarto Specific
##| Line 81
"""


def md(*lines: str, indent: str = "") -> MDChunk:
    return MDChunk([(indent, line) for line in lines])


def code(*lines: str, continued: bool = False) -> CodeChunk:
    return CodeChunk(list(lines), continued)


EXPECTED_CHUNKS = [
    md("Line 1"),
    code("Line 2"),
    md("Line 3", "", "Line 5"),
    code("Line 6", "", "Line 8"),
    md("Line 9"),
    md("Line 11"),
    code("Line 12"),
    code("Line 14"),
    md("Line 15"),
    md("Line 17"),
    code("Line 18"),
    code("Line 20"),
    md("Line 21"),
    code("Line 22", "    Line 23", "Line 24"),
    code("Line 26", "    Line 27", continued=True),
    code("Line 29"),
    code("Line 31", "    Line 32", continued=True),
    md("Line 33"),
    code("Line 34"),
    code("Line 36", continued=True),
    code("    Line 38", continued=True),
    code("Line 40"),
    code("Line 42", "    Line 43", continued=True),
    md("Line 44"),
    code("    Line 45", continued=True),
    md("Line 46"),
    code("Line 47"),
    md("Line 48"),
    code("#Line 49", "Line 50"),
    md("Line 53"),
    code("# Line 57", "Line 58", "# Line 59", "##Line 60"),
    MDChunk([("    ", "Line 62"), ("    ", "# Line 63")]),
    code("Line 64", "    # Line 65", "    Line 66", "Line 67"),
    code("# Line 73", "#", "# Line 75"),
    code("    # Line 77", "    #", "    # Line 79"),
    md("Line 80: Quarto Specific"),
    code("##| Line 81"),
]


def test_parse_chunks() -> None:
    assert parse(PARSE_CONTENT, Flavor.DEFAULT) == EXPECTED_CHUNKS


def test_parse_quarto_strips_one_hash_from_cell_options() -> None:
    assert parse(PARSE_CONTENT, Flavor.QUARTO) == [*EXPECTED_CHUNKS[:-1], code("#| Line 81")]


def test_parse_ignores_surrounding_whitespace() -> None:
    plain, padded = [], []
    for n, chunk in enumerate(EXPECTED_CHUNKS):
        lines = (
            chunk.lines
            if isinstance(chunk, CodeChunk)
            else [f"# {text}" for _, text in chunk.lines]
        )
        plain += [*lines, "#-"]
        padded += [f"{line}  " for line in lines] + ["#-"] + [""] * (2 + n % 4)
    assert parse("\n".join(plain) + "\n", Flavor.DEFAULT) == parse(
        "\n".join(padded) + "\n", Flavor.DEFAULT
    )


# -- Literate.script -----------------------------------------------------------------------


def test_script_defaults() -> None:
    assert script(CONTENT, options(TRAVIS_ENV)) == EXPECTED_SCRIPT


CI_CASES = [
    pytest.param(
        {**TRAVIS_ENV, "TRAVIS_TAG": "", "TRAVIS_PULL_REQUEST": "42"},
        links(
            "https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/previews/PR42/file.jl",
            "https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=previews/PR42/file.jl",
        ),
        id="travis-pr",
    ),
    pytest.param(
        {**TRAVIS_ENV, "TRAVIS_TAG": ""},
        links(
            "https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/dev/file.jl",
            "https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=dev/file.jl",
        ),
        id="travis-no-tag",
    ),
    pytest.param(
        ACTIONS_ENV,
        links(
            "https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/file.jl",
            "https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=v1.2.0/file.jl",
        ),
        id="actions-tag",
    ),
    pytest.param(
        {**ACTIONS_ENV, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": "refs/pull/42/merge"},
        links(
            "https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/previews/PR42/file.jl",
            "https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=previews/PR42/file.jl",
        ),
        id="actions-pr",
    ),
    pytest.param(
        {**ACTIONS_ENV, "GITHUB_REF": "refs/heads/master"},
        links(
            "https://nbviewer.jupyter.org/github/fredrikekre/Literate.jl/blob/gh-pages/dev/file.jl",
            "https://mybinder.org/v2/gh/fredrikekre/Literate.jl/gh-pages?filepath=dev/file.jl",
        ),
        id="actions-branch",
    ),
]


@pytest.mark.parametrize(("env", "expected"), CI_CASES)
def test_script_ci_links(env: dict[str, str], expected: list[str]) -> None:
    text = script(CONTENT, options(env))
    for line in expected:
        assert f"# {line}\n" in text


def test_documentation_generator_replaces_only_the_nbviewer_url() -> None:
    opts = options(DOCGEN_ENV)
    for text in (script(CONTENT, opts), markdown(CONTENT, opts), notebook(CONTENT, opts)):
        assert "jupyter.org/urls/pkg.julialang.org/docs/Literate/XPnWG/1.2.0/file.jl" in text
        assert "@__REPO_ROOT_URL__/file.jl" in text
        assert "@__BINDER_ROOT_URL__/file.jl" in text
        assert REPO not in text


def test_script_pre_and_postprocess() -> None:
    text = script(
        CONTENT,
        options(
            preprocess=lambda s: s.replace("PLACEHOLDER3", "3REDLOHECALP"),
            postprocess=lambda s: s.replace("PLACEHOLDER4", "4REDLOHECALP"),
        ),
    )
    for gone in ("PLACEHOLDER1", "PLACEHOLDER2", "PLACEHOLDER3", "PLACEHOLDER4"):
        assert gone not in text
    assert "3REDLOHECALP" in text
    assert "4REDLOHECALP" in text


def test_script_name() -> None:
    text = script(CONTENT, dataclasses.replace(options(), name="foobar"))
    assert "name: foobar" in text
    assert "name: inputfile" not in text
    assert "@__NAME__" not in text


def test_script_keep_comments() -> None:
    text = script(CONTENT, options(keep_comments=True))
    for kept in (
        "# # Example",
        "# foo, bar",
        "# \\int f(x) dx",
        "# First multiline",
        "# Second multiline comment",
    ):
        assert kept in text
    assert (
        "# It can sometimes happen that a text editor line-wraps a link which shouldn't\n# break"
        in text
    )


MDSTRINGS = '''\
md"""
# Markdown header

Content of the multiline markdown
string
"""
#-
#===
# Markdown header 2

Content of the multiline
comment
===#
2 + 2
'''


def test_script_without_mdstrings_keeps_the_string() -> None:
    text = script(MDSTRINGS, options(keep_comments=True, credit=False))
    assert text.strip() == (
        'md"""\n\n# Markdown header\n\nContent of the multiline markdown\nstring\n"""\n\n'
        "# # Markdown header 2\n#\n# Content of the multiline\n# comment\n\n2 + 2"
    )


def test_script_with_mdstrings_makes_markdown() -> None:
    text = script(MDSTRINGS, options(keep_comments=True, mdstrings=True, credit=False))
    assert text.strip() == (
        "# # Markdown header\n#\n# Content of the multiline markdown\n# string\n\n"
        "# # Markdown header 2\n#\n# Content of the multiline\n# comment\n\n2 + 2"
    )


# -- Literate.markdown ---------------------------------------------------------------------


def test_markdown_defaults() -> None:
    assert markdown(CONTENT, options(TRAVIS_ENV)) == EXPECTED_MARKDOWN


@pytest.mark.parametrize(("env", "expected"), CI_CASES)
def test_markdown_ci_links(env: dict[str, str], expected: list[str]) -> None:
    text = markdown(CONTENT, options(env))
    for line in expected:
        assert f"\n{line}\n" in text
    assert 'EditURL = "../inputfile.jl"' in text


def test_markdown_gitlab_links() -> None:
    text = markdown(CONTENT, options(GITLAB_ENV))
    assert (
        "Link to repo root: https://gitlab.com/fredrikekre/Literate.jl/blob/master/file.jl" in text
    )
    assert (
        "Link to nbviewer: https://nbviewer.jupyter.org/urls/fredrikekre.gitlab.io/Literate.jl/file.jl"
        in text
    )
    assert "Link to binder: <unknown>/file.jl" in text


def test_markdown_pre_and_postprocess() -> None:
    text = markdown(
        CONTENT,
        options(
            preprocess=lambda s: s.replace("PLACEHOLDER1", "1REDLOHECALP").replace(
                "PLACEHOLDER3", "3REDLOHECALP"
            ),
            postprocess=lambda s: s.replace("PLACEHOLDER2", "2REDLOHECALP").replace(
                "PLACEHOLDER4", "4REDLOHECALP"
            ),
        ),
    )
    for n in "1234":
        assert f"PLACEHOLDER{n}" not in text
        assert f"{n}REDLOHECALP" in text


def test_markdown_commonmark() -> None:
    text = markdown(CONTENT, options(flavor=Flavor.COMMONMARK))
    assert "```julia" in text
    assert "@example" not in text
    assert "continued = true" not in text
    assert "EditURL" not in text
    assert "#hide" not in text


def test_markdown_quarto() -> None:
    text = markdown(CONTENT, options(flavor=Flavor.QUARTO))
    assert "```{julia}" in text
    assert "@example" not in text
    assert "continued = true" not in text
    assert "EditURL" not in text
    assert "#hide" not in text


def test_markdown_quarto_refuses_execute() -> None:
    with pytest.raises(UsageError, match="quarto flavor does not support execute = true"):
        markdown(CONTENT, options(flavor=Flavor.QUARTO, execute=True))


def test_markdown_codefence() -> None:
    text = markdown(CONTENT, options(codefence=("```c", "```")))
    assert "```c\n" in text
    assert "@example" not in text
    assert "```julia" not in text


def test_markdown_name() -> None:
    text = markdown(CONTENT, dataclasses.replace(options(), name="foobar"))
    assert "````@example foobar\n" in text
    assert "@example inputfile" not in text
    assert "name: foobar" in text
    assert "name: inputfile" not in text
    assert "name: @__NAME__" not in text


def test_markdown_mdstrings() -> None:
    assert 'md"""' not in markdown(MDSTRINGS, options(mdstrings=True))
    assert 'md"""' in markdown(MDSTRINGS, options())


def test_markdown_edit_commit() -> None:
    text = markdown(CONTENT, options(ACTIONS_ENV, edit_commit="retsam"))
    assert "blob/retsam/" in text
    assert "blob/master/" not in text


def test_markdown_crlf_multiline_comment() -> None:
    """fredrikekre/Literate.jl#165."""
    parsed = literate_chunks(
        "#=\r\nhello world\r\nhej världen\r\n=#\r\n", options(), Output.MARKDOWN
    )
    assert parsed[1] == MDChunk([("", "hello world"), ("", "hej världen")])


def test_markdown_crlf_mdstring() -> None:
    parsed = literate_chunks(
        'md"""\r\nhello world\r\nhej världen\r\n"""\r\n', options(mdstrings=True), Output.MARKDOWN
    )
    assert parsed[1] == MDChunk([("", "hello world"), ("", "hej världen")])


def test_markdown_name_with_space_becomes_example_block_name() -> None:
    """fredrikekre/Literate.jl#168."""
    text = markdown("1 + 1", LiterateOptions(name="file with space"))
    assert "````@example file_with_space\n" in text


def test_markdown_credit_and_meta_only_for_empty_source() -> None:
    assert markdown("", LiterateOptions(name="x")) == (
        '```@meta\nEditURL = "x.jl"\n```\n\n---\n\n'
        "*This page was generated using [Literate.jl](https://github.com/fredrikekre/Literate.jl).*\n\n"
    )


# -- Literate.notebook ---------------------------------------------------------------------


def assert_in_order(fragments: list[str], text: str) -> None:
    at = 0
    for fragment in fragments:
        found = text.find(fragment, at)
        assert found >= 0, f"not found after offset {at}:\n{fragment}"
        at = found + len(fragment)


@pytest.mark.parametrize("version", list(JSONVersion))
def test_notebook_defaults(version: JSONVersion) -> None:
    text = notebook(CONTENT, options(TRAVIS_ENV, json=version))
    assert_in_order(EXPECTED_NOTEBOOK_FRAGMENTS, text)
    for fragment in (
        ' "nbformat": ',
        ' "nbformat_minor": ',
        ' "metadata": {',
        '  "language_info": {',
        '   "file_extension": ".jl"',
        '   "mimetype": "application/julia"',
        '   "name": "julia"',
        '   "version": ',
        '  "kernelspec": {',
        '   "name": "julia-',
        '   "display_name": "Julia ',
        '   "language": "julia"',
    ):
        assert fragment in text
    nbformat.validate(nbformat.reads(text, as_version=4))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({**TRAVIS_ENV, "TRAVIS_TAG": ""}, "fredrikekre/Literate.jl/blob/gh-pages/dev/"),
        (ACTIONS_ENV, "fredrikekre/Literate.jl/blob/gh-pages/v1.2.0/"),
        (
            {
                **ACTIONS_ENV,
                "GITHUB_REF": "refs/pull/42/merge",
                "GITHUB_EVENT_NAME": "pull_request",
            },
            "fredrikekre/Literate.jl/blob/gh-pages/previews/PR42/",
        ),
        (
            {**ACTIONS_ENV, "GITHUB_REF": "refs/heads/master"},
            "fredrikekre/Literate.jl/blob/gh-pages/dev/",
        ),
    ],
)
def test_notebook_ci_links(env: dict[str, str], expected: str) -> None:
    assert expected in notebook(CONTENT, options(env))


def test_notebook_pre_and_postprocess() -> None:
    def post(nb: dict) -> dict:
        for cell in nb["cells"]:
            cell["source"] = [
                s.replace("PLACEHOLDER2", "2REDLOHECALP").replace("PLACEHOLDER4", "4REDLOHECALP")
                for s in cell["source"]
            ]
        return nb

    text = notebook(
        CONTENT,
        options(
            preprocess=lambda s: s.replace("PLACEHOLDER1", "1REDLOHECALP").replace(
                "PLACEHOLDER3", "3REDLOHECALP"
            ),
            postprocess=post,
        ),
    )
    for n in "1234":
        assert f"PLACEHOLDER{n}" not in text
        assert f"{n}REDLOHECALP" in text


def test_notebook_removes_documenter_links() -> None:
    text = notebook(CONTENT, options())
    assert "# [Example](@id example-id" not in text
    assert "[foo](@ref), [bar](@ref bbaarr)" not in text
    assert "[baz](@extref), [bax](@extref bbaaxx)" not in text


def test_notebook_name() -> None:
    text = notebook(CONTENT, dataclasses.replace(options(), name="foobar"))
    assert "name: foobar" in text
    assert "name: inputfile" not in text
    assert "name: @__NAME__" not in text


# -- admonitions ---------------------------------------------------------------------------

ADMONITIONS = """\
# !!! note
#     This is a note on one line.
#
# !!! warn "Warning title text"
#     This is a warning
#     on multiple lines.
"""


def test_admonitions_markdown() -> None:
    text = markdown(ADMONITIONS, LiterateOptions(name="input", flavor=Flavor.COMMONMARK))
    assert (
        "> **Note**\n>\n> This is a note on one line.\n\n"
        "> **Warning title text**\n>\n> This is a warning\n> on multiple lines.\n"
    ) in text


def test_admonitions_notebook() -> None:
    text = notebook(ADMONITIONS, LiterateOptions(name="input"))
    for fragment in (
        "> **Note**\\n",
        ">\\n",
        "> This is a note on one line.",
        "> **Warning title text**\\n",
        "> This is a warning\\n",
        "> on multiple lines.",
    ):
        assert fragment in text


def test_admonitions_script() -> None:
    text = script(ADMONITIONS, LiterateOptions(name="output", keep_comments=True))
    assert (
        "# > **Note**\n# >\n# > This is a note on one line.\n#\n"
        "# > **Warning title text**\n# >\n# > This is a warning\n# > on multiple lines.\n"
    ) in text


def test_admonitions_kept_for_documenter() -> None:
    assert "!!! note\n    This is a note on one line.\n" in markdown(
        ADMONITIONS, LiterateOptions(name="input")
    )


# -- configuration -------------------------------------------------------------------------


def test_explicit_urls() -> None:
    text = script(
        CONTENT,
        LiterateOptions(
            name="inputfile",
            repo_root_url="www.example1.com",
            nbviewer_root_url="www.example2.com",
            binder_root_url="www.example3.com",
        ),
    )
    assert "Link to repo root: www.example1.com/file.jl" in text
    assert "Link to nbviewer: www.example2.com/file.jl" in text
    assert "Link to binder: www.example3.com/file.jl" in text


@pytest.mark.parametrize(
    ("flavor", "execute", "fence"),
    [
        (Flavor.DEFAULT, True, ("````julia", "````")),
        (Flavor.FRANKLIN, True, ("````julia", "````")),
        (Flavor.DOCUMENTER, True, ("````julia", "````")),
        (Flavor.DOCUMENTER, False, ("````@example testname", "````")),
        (Flavor.QUARTO, True, ("```{julia}", "```")),
        (Flavor.QUARTO, False, ("```{julia}", "```")),
    ],
)
def test_pick_codefence(flavor: Flavor, execute: bool, fence: tuple[str, str]) -> None:
    assert default_codefence(flavor, execute, "testname") == fence


def test_execute_changes_the_documenter_fence() -> None:
    assert "````julia\nx = 1\n````" in markdown(CONTENT, options(execute=True))
    assert "````@example inputfile\nx = 1\n````" in markdown(CONTENT, options(execute=False))


def test_cell_metadata_line() -> None:
    nb = json.loads(notebook(CONTENT, options()))
    by_source = {"".join(c["source"]): c for c in nb["cells"]}
    assert by_source["1+1"]["metadata"] == {"name": "Meta1 ", "meta": "data"}
    assert by_source["1+2"]["metadata"] == {}
    assert by_source["# Explicit markdown cell with metadata"]["metadata"] == {"meta": "data"}
    assert by_source["# Explicit markdown cell with metadata"]["cell_type"] == "markdown"


# -- docs/src/fileformat.md ----------------------------------------------------------------


def test_documented_multiline_comment_rewrite() -> None:
    from fluxzoo.literate.filters import markdown_strings, multiline_comments

    source = (
        "#=\nThis multiline comment\nis treated as markdown.\n=#\n\n"
        "#=====================\nThis is also markdown.\n=====================#\n"
    )
    assert multiline_comments(source) == (
        "# This multiline comment\n# is treated as markdown.\n\n# This is also markdown.\n"
    )
    assert (
        markdown_strings('md"""\n# Title\nblah blah blah\n"""\n') == "# # Title\n# blah blah blah\n"
    )
