"""The title and description stated twice (tutorial.toml and the script's first lines): reading
the script's header, which place wins, and what the index and the site publish."""

from __future__ import annotations

import pytest
from fluxzoo import headline
from fluxzoo.cli import main
from fluxzoo.jinja_filters import markdown_text
from fluxzoo.site.collect import read_entry

MADE_BY_NEW = {"fluxzoo": {"answers": {"title": "x"}}}


@pytest.mark.parametrize(
    "text",
    ['Cost in $USD: "fast" {{ 7*7 }} \\n', "1. not a list", "- nor this", "a\\b `c` [d](e) <f>"],
)
def test_unescape_undoes_markdown_text(text: str) -> None:
    assert headline.unescape(markdown_text(text)) == text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "# # Title\n#\n# One line.\n\nusing Flux\n",
            {"title": "Title", "description": "One line."},
        ),
        ("# # Title\n#\n# Two\n# lines.\n", {"title": "Title"}),  # a paragraph, not the line
        ("# # Title\n#\n# ## Background\n", {"title": "Title"}),
        ("# # Title\n# One line.\n", {"title": "Title"}),
        ("# ## Section\n#\n# One line.\n", {}),
        ("using Flux\n", {}),
        ("", {}),
    ],
)
def test_the_header_is_read_only_in_the_templates_layout(source: str, expected: dict) -> None:
    found = headline.from_script(source, description=True)
    assert {k: v.text for k, v in found.items()} == expected


def test_an_adopted_entrys_prose_is_not_its_description() -> None:
    source = "# # Title\n#\n# This folder trains a model.\n"
    assert "description" not in headline.from_script(source, description=False)
    meta = {"title": "Title", "description": "TODO(fluxzoo): x"}
    assert headline.published(meta, source) == meta | {"description": "TODO(fluxzoo): x"}
    assert headline.published(MADE_BY_NEW | meta, source)["description"] == (
        "This folder trains a model."
    )


@pytest.mark.parametrize(
    ("meta_title", "script_title", "shown"),
    [
        ("TODO(fluxzoo): a title", "Digits", "Digits"),
        ("Digits", "TODO(fluxzoo): a title", "Digits"),
        ("Digits", "Numbers", "Digits"),  # both filled: check reports it, the index keeps its own
        ("TODO(fluxzoo): one", "TODO(fluxzoo): two", "TODO(fluxzoo): one"),
    ],
)
def test_published_text_is_never_a_placeholder_when_the_other_place_has_text(
    meta_title: str, script_title: str, shown: str
) -> None:
    source = f"# # {script_title}\n"
    assert headline.published({"title": meta_title}, source)["title"] == shown


def test_the_site_shows_the_scripts_text_over_a_placeholder(tmp_path, capsys) -> None:
    zoo = tmp_path / "zoo"
    (zoo / "vision").mkdir(parents=True)
    argv = ["new", "--no-input", "--zoo", str(zoo), "--set", "title=Digits", "--set",
            "category=vision", "--set", "author_name=A. Person", "--set", "kind=blank"]  # fmt: skip
    assert main(argv) == 0
    entry = zoo / "vision" / "digits"
    script = entry / "digits.jl"
    lines = script.read_text(encoding="utf-8").split("\n")
    assert headline.is_todo(lines[2][2:])
    lines[2] = "# Read digits with a *small* CNN."
    script.write_text("\n".join(lines), encoding="utf-8")
    capsys.readouterr()
    site = read_entry(zoo, entry)
    assert (site.title, site.description) == ("Digits", "Read digits with a *small* CNN.")
