"""The six places where fluxzoo once differed from Literate.jl, each decided by Literate's source.

Line numbers are of Literate.jl v2.21.0 `src/Literate.jl`; JSON.jl lines are of its v1.7.0 tag.
"""

from __future__ import annotations

import dataclasses
import json

import nbformat
import pytest
from fluxzoo.errors import UsageError
from fluxzoo.literate import Flavor, JSONVersion, LiterateOptions, markdown, notebook, script

SOURCE = '# # Title\n%% Setup [code] {"tags": ["x"], "b": {"z": 1, "y": 2}}\nx = 1\n'


def test_notebook_text_follows_the_json_jl_that_prints_it() -> None:
    """:760 writes `JSON.print(io, nb, 1)`; JSON.jl 1.x `print` is `json(io, x; pretty=1)`
    (src/JSON.jl:144), which ends without a newline, and since 1.5 sorts a `Dict`'s keys
    (src/write.jl:556, `_sort_keys_by_default(x) = x isa Dict`) but not a `JSON.Object`'s.
    JSON.jl 0.21 ends with a newline and keeps hash order everywhere."""
    options = LiterateOptions(name="t", credit=False)
    assert options.json is JSONVersion.V1_5
    texts = {v: notebook(SOURCE, dataclasses.replace(options, json=v)) for v in JSONVersion}
    assert texts[JSONVersion.V0_21].endswith("}\n")
    assert texts[JSONVersion.V1_0].endswith("}") and texts[JSONVersion.V1_5].endswith("}")
    current = json.loads(texts[JSONVersion.V1_5])
    nbformat.validate(nbformat.from_dict(current))
    assert list(current) == ["cells", "metadata", "nbformat", "nbformat_minor"]
    code = current["cells"][1]
    assert list(code) == ["cell_type", "execution_count", "metadata", "outputs", "source"]
    assert list(code["metadata"]) == ["b", "name", "tags"]  # merge(::Dict, ...) is a Dict
    assert list(code["metadata"]["b"]) == ["z", "y"]  # JSON.parse gives a JSON.Object
    assert list(json.loads(texts[JSONVersion.V1_0])["cells"][1]["metadata"]["b"]) == ["z", "y"]
    assert json.loads(texts[JSONVersion.V0_21]) == current


def test_only_a_file_derived_name_has_its_whitespace_replaced() -> None:
    """:367 takes `name` from the file name; :380 replaces `\\s` with `_` only in that default
    when it picks the code fence (:328 `````@example $(name)``), a user's `name` is kept."""
    from_file = LiterateOptions(name="my name", credit=False)
    given = LiterateOptions(name="my name", name_from_file=False, credit=False)
    assert "````@example my_name\n" in markdown("x = 1", from_file)
    assert "````@example my name\n" in markdown("x = 1", given)
    # @__NAME__ is the name itself in both cases (:206).
    assert "# my name" in script("## @__NAME__", given)
    assert "# my name" in script("## @__NAME__", from_file)


@pytest.mark.parametrize("convert", [notebook, script])
def test_quarto_flavor_needs_execute_false_for_notebook_and_script(convert) -> None:
    """:375 defaults `execute` to true except for markdown; :498-501 throw
    `ArgumentError("QuartoFlavor does not support `execute = true`.")` for every output."""
    options = LiterateOptions(name="t", flavor=Flavor.QUARTO)
    with pytest.raises(UsageError) as caught:
        convert("x = 1\n", options)
    assert "quarto flavor does not support execute = true" in caught.value.message
    assert "\n" not in caught.value.message
    assert convert("x = 1\n", dataclasses.replace(options, execute=False))
    assert markdown("x = 1\n", options).startswith("```{julia}\nx = 1\n```")


@pytest.mark.parametrize("source", ["", "#src only\nx = 1 #src\n"])
@pytest.mark.parametrize(
    ("convert", "flavor"),
    [(script, None), (notebook, None), (markdown, Flavor.COMMONMARK), (markdown, Flavor.QUARTO)],
)
def test_nothing_left_without_credit_is_an_error(source: str, convert, flavor) -> None:
    """:57 reads `lines[1]` of the lines of the filtered text: a BoundsError when it is empty
    (credit adds its footer first, :140-158; #src lines are removed, :180-181)."""
    options = LiterateOptions(name="t", flavor=flavor, credit=False, execute=False)
    with pytest.raises(UsageError, match=r"^nothing to convert: the source is empty"):
        convert(source, options)


def test_documenter_markdown_of_nothing_still_has_its_meta_block() -> None:
    """:533-545 prepend the `@meta` block before parsing, so Documenter pages never fail."""
    text = markdown("", LiterateOptions(name="t", credit=False))
    assert text == '```@meta\nEditURL = "t.jl"\n```\n\n'


@pytest.mark.parametrize("newline", ["\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_block_comment_needs_a_cr_or_lf_after_its_marker(newline: str) -> None:
    """:173 `r"(*ANYCRLF)^#=+$\\R^(\\X*?)\\R^=+#$"m`: with (*ANYCRLF), `$` and `^` see only CR
    and LF, so `#=` followed by another line break starts no block; `\\R` alone would."""
    options = LiterateOptions(name="t", credit=False)
    not_a_block = f"#={newline}text\n=#\n"
    assert script(not_a_block, options) == not_a_block.replace("\r", "")
    for eol in ("\n", "\r\n", "\r"):
        assert script(f"#={eol}text\n=#\nx = 1\n", options) == "x = 1\n"
    # A rare break inside the block is text like any other.
    assert script(f"#=\na{newline}b\n=#\nx = 1\n", options) == "x = 1\n"


def test_an_explicitly_empty_url_is_substituted_as_given() -> None:
    """:215-217 `get(config, "repo_root_url", "<unknown>")`: only an absent key is unknown."""
    source = "# @__REPO_ROOT_URL__|@__NBVIEWER_ROOT_URL__|@__BINDER_ROOT_URL__\n"
    empty = LiterateOptions(
        name="t", flavor=Flavor.COMMONMARK, credit=False,
        repo_root_url="", nbviewer_root_url="", binder_root_url="",
    )  # fmt: skip
    assert markdown(source, empty) == "||\n\n"
    absent = dataclasses.replace(empty, repo_root_url=None, binder_root_url=None)
    assert markdown(source, absent) == "<unknown>||<unknown>\n\n"
