"""`fluxzoo sync`: derived files from each entry's source, written only when they change."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from fluxzoo.cli import main
from fluxzoo.sync import derived_files
from markdown_it import MarkdownIt

SOURCE = "# # Digits\n# A tiny model.\nusing Flux\nmodel = Chain(Dense(2 => 1))\n"


def make_entry(
    root: Path, slug: str = "digits", flavor: str = "commonmark", julia: str = "1.10"
) -> Path:
    entry = root / "vision" / slug
    entry.mkdir(parents=True)
    (entry / f"{slug}.jl").write_text(SOURCE, encoding="utf-8")
    (entry / "tutorial.toml").write_text(
        f'title = "Digits"\nslug = "{slug}"\ndocs_flavor = "{flavor}"\n'
        f'[tested]\njulia = "{julia}"\nflux = "0.16"\n',
        encoding="utf-8",
    )
    return entry


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_derived_files(tmp_path: Path) -> None:
    entry = make_entry(tmp_path, julia="1.11")
    files = derived_files(entry)
    assert sorted(files) == ["README.md", "digits.ipynb"]
    assert files["README.md"] == (
        "# Digits\nA tiny model.\n\n````julia\nusing Flux\nmodel = Chain(Dense(2 => 1))\n````\n\n"
        "---\n\n"
        "*This page was generated using [Literate.jl](https://github.com/fredrikekre/Literate.jl).*\n\n"
    )
    nb = nbformat.reads(files["digits.ipynb"], as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "julia-1.11"
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "markdown"]
    assert all(
        c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code"
    )


@pytest.mark.parametrize(
    ("flavor", "page", "fence"),
    [
        ("commonmark", None, None),
        ("franklin", None, None),  # Franklin's \\literate{...} converts the script itself
        ("documenter", "digits.md", "@example digits"),
        ("quarto", "digits.qmd", "{julia}"),
    ],
)
def test_readme_is_commonmark_and_the_flavor_has_its_own_page(
    tmp_path: Path, flavor: str, page: str | None, fence: str | None
) -> None:
    files = derived_files(make_entry(tmp_path / flavor, flavor=flavor))
    commonmark = derived_files(make_entry(tmp_path / "plain", flavor="commonmark"))
    assert files["README.md"] == commonmark["README.md"]
    assert sorted(files) == sorted(["README.md", "digits.ipynb", *([page] if page else [])])
    if page is None:
        return
    tokens = MarkdownIt("commonmark").parse(files[page])
    assert [t.info for t in tokens if t.type == "fence" and t.info != "@meta"] == [fence]
    if flavor == "documenter":  # as Literate.markdown("digits.jl", "."; flavor) writes it
        assert files[page].startswith('```@meta\nEditURL = "digits.jl"\n```\n\n# Digits\n')


def test_sync_writes_then_leaves_files_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = make_entry(tmp_path)
    assert main(["sync", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {entry / 'digits.ipynb'}",
        f"wrote {entry / 'README.md'}",
    ]
    assert (entry / "digits.ipynb").read_text(encoding="utf-8") == derived_files(entry)[
        "digits.ipynb"
    ]
    before = snapshot(tmp_path)
    assert main(["sync", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", "nothing to write: all 2 derived files are current\n")
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in entry.iterdir()) == [
        "README.md",
        "digits.ipynb",
        "digits.jl",
        "tutorial.toml",
    ]


def test_sync_rewrites_only_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = make_entry(tmp_path)
    assert main(["sync", str(entry)]) == 0
    (entry / "README.md").chmod(0o640)
    (entry / "README.md").write_text("edited by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["sync", str(entry / "digits.jl")]) == 0
    out, err = capsys.readouterr()
    assert out == f"wrote {entry / 'README.md'}\n"
    assert err == "wrote 1 of 2 derived files; the other was current\n"
    assert (entry / "README.md").read_text(encoding="utf-8").startswith("# Digits\n")
    assert (entry / "README.md").stat().st_mode & 0o777 == 0o640


def test_check_lists_stale_and_missing_files_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = make_entry(tmp_path, slug="first")
    make_entry(tmp_path, slug="second")
    assert main(["sync", str(first)]) == 0
    (first / "first.ipynb").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    before = snapshot(tmp_path)
    assert main(["sync", "--check", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    second = tmp_path / "vision" / "second"
    assert out.splitlines() == [
        f"{first / 'first.ipynb'}: stale",
        f"{second / 'second.ipynb'}: missing",
        f"{second / 'README.md'}: missing",
    ]
    assert "3 derived file(s) out of date" in err
    assert snapshot(tmp_path) == before


def test_check_passes_when_in_sync(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_entry(tmp_path)
    assert main(["sync", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["sync", "--check", str(tmp_path)]) == 0
    assert capsys.readouterr() == ("", "all 2 derived files are current\n")


def break_source_missing(entry: Path) -> str:
    (entry / "digits.jl").unlink()
    return (
        f"{entry / 'digits.jl'}: missing: the entry's Literate source is needed to derive its files"
    )


def break_source_encoding(entry: Path) -> str:
    (entry / "digits.jl").write_bytes(b"# caf\xe9\n")
    return f"{entry / 'digits.jl'}: not UTF-8 text (byte 5); save the file as UTF-8"


def break_flavor(entry: Path) -> str:
    toml = entry / "tutorial.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("commonmark", "gfm"), encoding="utf-8")
    known = "commonmark, documenter, franklin, quarto"
    return f"{toml}: docs_flavor: unknown markdown flavor 'gfm' (known: {known})"


def break_metadata(entry: Path) -> str:
    (entry / "tutorial.toml").write_text(
        'slug = "digits"\n[tested]\njulia = "1.10"\n', encoding="utf-8"
    )
    why = "missing or empty 'docs_flavor' (a string is needed to derive files)"
    return f"{entry / 'tutorial.toml'}: {why}"


def break_toml(entry: Path) -> str:
    (entry / "tutorial.toml").write_text("slug = \n", encoding="utf-8")
    return f"{entry / 'tutorial.toml'}: not valid TOML"


def break_cell_metadata(entry: Path) -> str:
    (entry / "digits.jl").write_text("%% [markdown]\nx = 1\n", encoding="utf-8")
    return f"{entry / 'digits.jl'}: cell metadata line declares a markdown cell inside code"


@pytest.mark.parametrize(
    "breakage",
    [
        break_source_missing,
        break_source_encoding,
        break_flavor,
        break_metadata,
        break_toml,
        break_cell_metadata,
    ],
)
@pytest.mark.parametrize("check", [False, True])
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], breakage, check: bool
) -> None:
    make_entry(tmp_path, slug="aaa")
    bad = make_entry(tmp_path, slug="digits")
    expected = breakage(bad)
    before = snapshot(tmp_path)
    assert main(["sync", *(["--check"] if check else []), str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"fluxzoo: error: {expected}")
    assert snapshot(tmp_path) == before


def test_folder_without_entries_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "loose.jl").write_text("x = 1\n", encoding="utf-8")
    assert main(["sync", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"fluxzoo: error: no fluxzoo entry (a folder with tutorial.toml) at or under {tmp_path}\n"
    )
    assert main(["sync", str(tmp_path / "nope")]) == 2


def test_unknown_json_setting_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = make_entry(tmp_path)
    with (entry / "tutorial.toml").open("a", encoding="utf-8") as f:
        f.write('[literate]\njson = "2.0"\n')
    before = snapshot(tmp_path)
    assert main(["sync", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"fluxzoo: error: {entry / 'tutorial.toml'}: literate.json: unknown JSON.jl behaviour "
        "'2.0' (known: '1.5', '1.0', '0.21')\n"
    )
    assert snapshot(tmp_path) == before


def test_written_notebook_is_what_a_current_literate_writes(tmp_path: Path) -> None:
    """JSON.jl 1.x prints no final newline (Literate.jl src/Literate.jl:760 `JSON.print`)."""
    entry = make_entry(tmp_path)
    assert main(["sync", str(entry)]) == 0
    raw = (entry / "digits.ipynb").read_bytes()
    assert raw.endswith(b"}") and not raw.endswith(b"\n") and b"\r" not in raw
    nb = json.loads(raw)
    nbformat.validate(nbformat.from_dict(nb))
    assert list(nb) == sorted(nb)  # JSON.jl 1.5+ sorts a Dict's keys


def test_json_setting_keeps_the_old_notebook_and_check_explains_the_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = make_entry(tmp_path)
    toml = entry / "tutorial.toml"
    plain = toml.read_text(encoding="utf-8")
    toml.write_text(plain + '[literate]\njson = "0.21"\n', encoding="utf-8")
    assert main(["sync", str(entry)]) == 0
    old = (entry / "digits.ipynb").read_bytes()
    assert old.endswith(b"}\n")
    keys = list(json.loads(old))
    assert keys[0] == "cells" and keys[-1] == "nbformat"  # Julia's Dict order
    # Dropping the setting: sync --check reports the notebook stale, check says why.
    toml.write_text(plain, encoding="utf-8")
    capsys.readouterr()
    assert main(["sync", "--check", str(entry)]) == 1
    assert capsys.readouterr().out == f"{entry / 'digits.ipynb'}: stale\n"
    main(["check", "--select", "FZ322", str(entry)])
    out = capsys.readouterr().out
    assert "written as Literate.jl does with JSON.jl 0.21" in out
    assert 'json = "0.21" under [literate]' in out
    # sync fixes it, and check and sync --check agree it is in sync.
    assert main(["sync", str(entry)]) == 0
    assert not (entry / "digits.ipynb").read_bytes().endswith(b"\n")
    assert main(["sync", "--check", str(entry)]) == 0
    main(["check", "--select", "FZ322", str(entry)])
    assert "FZ322" not in capsys.readouterr().out
