"""`fluxzoo index`: the catalog, its determinism, and `--check` on a committed copy."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fluxzoo import answers, metadata
from fluxzoo.cli import main
from markdown_it import MarkdownIt

ENTRIES = [
    # (category, slug, kind, title, hardware, flux)
    ("vision", "digits_cnn", "image_classification", "Digits with a CNN", "gpu-optional", "0.16"),
    ("vision", "aardvark", "blank", "aardvark net", "cpu", "0.15"),
    (
        "text",
        "char_rnn",
        "sequence_model",
        "Characters | pipes & [brackets] *stars*",
        "gpu-required",
        "0.16",
    ),
    ("tutorials", "rrules", "custom_gradient", 'Cost in $USD: "fast" {{ 7*7 }}', "cpu", "0.14"),
]


def make_entry(
    zoo: Path, category: str, slug: str, kind: str, title: str, hardware: str, flux: str
) -> Path:
    given = {
        "title": title,
        "slug": slug,
        "category": category,
        "kind": kind,
        "hardware": hardware,
        "flux_version": flux,
        "description": f"About {title}.",
        "author_name": "A. Person",
        "created": "2024-05-01",
    }
    resolved = answers.resolve(given)
    entry = zoo / category / slug
    entry.mkdir(parents=True)
    metadata.write(entry, metadata.from_answers(resolved, "1.0.0"))
    (entry / f"{slug}.jl").write_text("using Flux\n", encoding="utf-8")
    return entry


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    root = tmp_path / "zoo"
    root.mkdir()
    for spec in ENTRIES:
        make_entry(root, *spec)
    legacy = root / "other" / "fizzbuzz"
    legacy.mkdir(parents=True)
    (legacy / "fizzbuzz.jl").write_text("using Flux\n", encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["index", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def table_rows(markdown: str) -> dict[str, list[list[str]]]:
    """Each `## ` section's table: the text a reader sees in each cell, links as `<target>`."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    sections: dict[str, list[list[str]]] = {}
    section, row, in_body = "", [], False
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            section = tokens[i + 1].content
            sections[section] = []
        elif tok.type == "tbody_open":
            in_body = True
        elif tok.type == "tbody_close":
            in_body = False
        elif in_body and tok.type == "tr_open":
            row = []
            sections[section].append(row)
        elif in_body and tok.type == "inline":
            cell = ""
            for child in tok.children or []:
                if child.type == "link_open":
                    cell += f"<{child.attrs['href']}>"
                elif child.type == "text":
                    cell += child.content
            row.append(cell)
    return sections


def test_markdown_groups_by_category_in_zoo_order_with_verbatim_text(zoo, capsys):
    code, out, _ = run(capsys, "--zoo", str(zoo))
    assert code == 0
    sections = table_rows(out)
    assert list(sections) == ["Vision", "Text", "Tutorials", "Not yet in the standard"]
    assert sections["Vision"] == [
        ["<vision/aardvark/>aardvark net", "About aardvark net.", "Blank", "0.15", "cpu"],
        [
            "<vision/digits_cnn/>Digits with a CNN",
            "About Digits with a CNN.",
            "Image classification",
            "0.16",
            "gpu-optional",
        ],
    ]
    title = ENTRIES[2][3]
    assert sections["Text"] == [
        [
            f"<text/char_rnn/>{title}",
            f"About {title}.",
            "Sequence / text model",
            "0.16",
            "gpu-required",
        ]
    ]
    assert sections["Tutorials"][0][0] == '<tutorials/rrules/>Cost in $USD: "fast" {{ 7*7 }}'


def test_legacy_folders_are_listed_last(zoo, capsys):
    _, out, _ = run(capsys, "--zoo", str(zoo))
    tail = out.split("## Not yet in the standard", 1)[1]
    assert "[other/fizzbuzz](other/fizzbuzz/)" in tail


def test_json_has_every_field(zoo, capsys):
    code, out, _ = run(capsys, "--zoo", str(zoo), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [c["name"] for c in doc["categories"]] == ["vision", "text", "tutorials"]
    by_path = {e["path"]: e for e in doc["entries"]}
    assert set(by_path) == {
        "vision/aardvark",
        "vision/digits_cnn",
        "text/char_rnn",
        "tutorials/rrules",
    }
    rnn = by_path["text/char_rnn"]
    assert rnn["hardware"] == "gpu-required"
    assert rnn["tested"] == {"julia": "1.10", "flux": "0.16"}
    assert rnn["kind"] == "sequence_model"
    assert doc["legacy"] == ["other/fizzbuzz"]


def test_output_is_the_same_whatever_order_entries_were_made_in(tmp_path, capsys):
    outputs = set()
    for seed in range(3):
        zoo = tmp_path / f"zoo{seed}"
        zoo.mkdir()
        specs = list(ENTRIES)
        random.Random(seed).shuffle(specs)
        for spec in specs:
            make_entry(zoo, *spec)
        for fmt in ("markdown", "json"):
            outputs.add((fmt, run(capsys, "--zoo", str(zoo), "--format", fmt)[1]))
    assert len(outputs) == 2


def test_paths_select_the_entries_that_own_them(zoo, capsys, monkeypatch):
    monkeypatch.chdir(zoo)
    Path("README.md").write_text("# The zoo\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "--format", "json", "text/char_rnn/tutorial.toml", "README.md", "vision"
    )
    assert code == 0
    assert [e["path"] for e in json.loads(out)["entries"]] == [
        "vision/aardvark",
        "vision/digits_cnn",
        "text/char_rnn",
    ]


def test_output_file_links_are_relative_to_it_and_check_detects_staleness(zoo, capsys):
    catalog = zoo / "docs" / "CATALOG.md"
    catalog.parent.mkdir()
    code, _, err = run(capsys, "--zoo", str(zoo), "--output", str(catalog))
    assert code == 0 and "wrote" in err
    text = catalog.read_text(encoding="utf-8")
    assert "](../vision/digits_cnn/)" in text
    assert run(capsys, "--zoo", str(zoo), "--output", str(catalog), "--check")[0] == 0
    assert catalog.read_text(encoding="utf-8") == text

    make_entry(zoo, "other", "newcomer", "blank", "Newcomer", "cpu", "0.16")
    code, _, err = run(capsys, "--zoo", str(zoo), "--output", str(catalog), "--check")
    assert code == 1
    assert "out of date" in err and str(catalog) in err
    assert catalog.read_text(encoding="utf-8") == text, "--check must not write"


def test_check_of_a_missing_catalog_fails(zoo, capsys):
    code, _, err = run(capsys, "--zoo", str(zoo), "--output", str(zoo / "CATALOG.md"), "--check")
    assert code == 1 and "out of date" in err
    assert not (zoo / "CATALOG.md").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--check"], "--output FILE"),
        (["--zoo", "nowhere"], "not a folder"),
    ],
)
def test_usage_errors(zoo, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(zoo)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and out == ""
    assert "Traceback" not in err


def test_broken_metadata_is_one_line_naming_the_file(zoo, capsys):
    (zoo / "text" / "char_rnn" / "tutorial.toml").write_text("title = [\n", encoding="utf-8")
    code, _, err = run(capsys, "--zoo", str(zoo))
    assert code == 1
    assert "char_rnn" in err and "not valid TOML" in err
    assert len(err.strip().splitlines()) == 1


def test_empty_zoo(tmp_path, capsys):
    code, out, _ = run(capsys, "--zoo", str(tmp_path))
    assert code == 0
    assert "No tutorial entries yet." in out


def test_a_placeholder_is_not_published_when_the_script_has_the_text(tmp_path, capsys):
    zoo = tmp_path / "zoo"
    entry = make_entry(zoo, "vision", "digits", "blank", "TODO(fluxzoo): a title", "cpu", "0.16")
    toml = entry / "tutorial.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'description = "About TODO(fluxzoo): a title."',
            'description = "TODO(fluxzoo): say in one line what this tutorial teaches."',
        ),
        encoding="utf-8",
    )
    script = "# # Digits \\*by hand\\*\n#\n# Read digits with a \\[small\\] CNN.\n\nusing Flux\n"
    (entry / "digits.jl").write_text(script, encoding="utf-8")
    code, out, _ = run(capsys, "--zoo", str(zoo), "--format", "json")
    assert code == 0
    [item] = json.loads(out)["entries"]
    assert (item["title"], item["description"]) == (
        "Digits *by hand*",
        "Read digits with a [small] CNN.",
    )
    code, out, _ = run(capsys, "--zoo", str(zoo))
    assert "TODO(fluxzoo)" not in out
    assert table_rows(out)["Vision"][0][:2] == [
        "<vision/digits/>Digits *by hand*",
        "Read digits with a [small] CNN.",
    ]
