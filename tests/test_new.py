"""`fluxzoo new` through its command line: answers in, one entry (or one clear error) out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import tomli_w
import yaml
from fluxzoo import answers
from fluxzoo.cli import main
from fluxzoo.metadata import tomllib

ANSWERS = {
    "title": "Digits with a CNN",
    "kind": "image_classification",
    "category": "vision",
    "description": "Train LeNet-5 on MNIST.",
    "tags": ["vision", "cnn"],
    "created": "2024-05-01",
}


def _sets(given: dict[str, object]) -> list[str]:
    out = []
    for key, value in given.items():
        text = ",".join(value) if isinstance(value, list) else str(value)
        out += ["--set", f"{key}={text}"]
    return out


def _new(*argv: str | Path) -> int:
    return main(["new", "--no-input", *map(str, argv)])


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_creates_the_entry_and_says_what_to_do_next(tmp_path, capsys, parse_entry):
    assert _new("--output-dir", tmp_path, *_sets(ANSWERS)) == 0
    entry = tmp_path / "digits_with_a_cnn"
    meta = parse_entry(entry)["tutorial.toml"]
    assert meta["fluxzoo"]["answers"] == answers.resolve(ANSWERS)
    out = capsys.readouterr().out
    assert str(entry) in out
    assert "TODO(fluxzoo)" in out and "fluxzoo sync" in out
    assert "julia --project=. test/runtests.jl" in out


def test_default_output_dir_is_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _new("--set", "title=Hello") == 0
    assert (tmp_path / "hello" / "hello.jl").is_file()
    assert "Created the tutorial entry hello/" in capsys.readouterr().out


def test_zoo_places_the_entry_in_its_category(tmp_path):
    zoo = tmp_path / "model-zoo"
    (zoo / "vision").mkdir(parents=True)
    assert (
        _new(
            "--zoo", zoo, "--set", "title=Char RNN", "--set", "category=text", "--set", "kind=blank"
        )
        == 0
    )
    assert (zoo / "text" / "char_rnn" / "char_rnn.jl").is_file()
    assert _listing(zoo / "vision") == []


def test_run_inside_a_zoo_checkout_the_entry_goes_in_its_category(tmp_path, monkeypatch):
    zoo = tmp_path / "model-zoo"
    for category in ("vision", "text"):
        (zoo / category).mkdir(parents=True)
    monkeypatch.chdir(zoo / "vision")
    assert _new("--set", "title=Char RNN", "--set", "category=text", "--set", "kind=blank") == 0
    assert (zoo / "text" / "char_rnn" / "char_rnn.jl").is_file()
    assert _listing(zoo / "vision") == []


def test_zoo_and_output_dir_exclude_each_other(tmp_path, capsys):
    assert _new("--zoo", tmp_path, "--output-dir", tmp_path) == 2
    assert "give one of them" in capsys.readouterr().err
    assert _listing(tmp_path) == []


def test_zoo_must_exist(tmp_path, capsys):
    assert _new("--zoo", tmp_path / "nowhere") == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and len(err.strip().splitlines()) == 1
    assert _listing(tmp_path) == []


@pytest.mark.parametrize(
    ("assignment", "key", "allowed"),
    [
        ("slug=../escape", "slug", "lowercase letters"),
        ("slug=/etc/x", "slug", "lowercase letters"),
        ("slug=", "slug", "lowercase letters"),
        ("slug=con", "slug", "lowercase letters"),
        ("category=music", "category", "vision, text, other"),
        ("kind=gan", "kind", "image_classification"),
        ("julia_version=1.6", "julia_version", "1.10 or newer"),
        ("flux_version=0.13", "flux_version", "0.14 or newer"),
        ("author_email=not-an-address", "author_email", "e-mail address"),
        ("created=2024-02-30", "created", "YYYY-MM-DD"),
        ("title=", "title", "must not be empty"),
        ("tags=Deep Learning", "tags", "lowercase letters"),
        ("references=ftp://x", "references", "http(s) URL"),
        ("colour=red", "colour", "known answers"),
        ("no-equals-sign", "no-equals-sign", "KEY=VALUE"),
    ],
)
def test_a_bad_answer_is_one_line_exit_2_and_nothing_written(
    tmp_path, capsys, assignment, key, allowed
):
    assert _new("--output-dir", tmp_path, "--set", "title=Fine", "--set", assignment) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert key in err and allowed in err
    value = assignment.partition("=")[2]
    if value and key != "colour":  # an unknown key is named; its value does not matter
        assert repr(value) in err
    assert _listing(tmp_path) == []


@pytest.mark.parametrize("fmt", ["json", "yaml", "yml", "toml"])
def test_answer_files_in_every_format_give_the_same_entry(tmp_path, fmt):
    dump = {
        "json": json.dumps,
        "yaml": yaml.safe_dump,
        "yml": yaml.safe_dump,
        "toml": tomli_w.dumps,
    }[fmt]
    path = tmp_path / f"answers.{fmt}"
    path.write_text(dump(ANSWERS), encoding="utf-8")
    out = tmp_path / "out"
    assert _new("--answers", path, "--output-dir", out) == 0
    meta = tomllib.loads((out / "digits_with_a_cnn" / "tutorial.toml").read_text(encoding="utf-8"))
    assert meta["fluxzoo"]["answers"] == answers.resolve(ANSWERS)


def test_set_overrides_the_answer_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(ANSWERS), encoding="utf-8")
    assert _new("--answers", path, "--set", "slug=mine", "--output-dir", tmp_path / "out") == 0
    assert (tmp_path / "out" / "mine" / "mine.jl").is_file()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.json", "{not json", "not valid JSON"),
        ("a.yaml", "title: [unclosed", "not valid YAML"),
        ("a.toml", "title = ", "not valid TOML"),
        ("a.json", "[1, 2]", "expected a mapping"),
        ("a.yaml", "just text", "expected a mapping"),
        ("a.txt", "title: x", "use a .json, .yaml, .yml or .toml file"),
        ("a.json", '{"title": "x", "colour": "red"}', "unknown answer 'colour'"),
        ("a.toml", "julia_version = 1.10", "julia_version=1.1 is not valid"),
    ],
)
def test_a_bad_answer_file_is_one_line_exit_2(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert _new("--answers", path, "--output-dir", tmp_path / "out") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert message in err
    assert not (tmp_path / "out").exists()


def test_a_missing_answer_file_is_exit_2(tmp_path, capsys):
    assert _new("--answers", tmp_path / "nope.json") == 2
    assert "nope.json" in capsys.readouterr().err


def test_an_existing_target_is_never_touched(tmp_path, capsys):
    target = tmp_path / "hello"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    os.utime(target / "notes.txt", (1_000_000, 1_000_000))
    assert _new("--output-dir", tmp_path, "--set", "title=Hello") == 1
    err = capsys.readouterr().err.strip()
    assert "already exists" in err and str(target) in err and len(err.splitlines()) == 1
    assert _listing(tmp_path) == ["hello", "hello/notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (target / "notes.txt").stat().st_mtime == 1_000_000


def test_an_existing_empty_folder_is_not_replaced(tmp_path):
    (tmp_path / "hello").mkdir()
    assert _new("--output-dir", tmp_path, "--set", "title=Hello") == 1
    assert _listing(tmp_path) == ["hello"]


def test_without_a_terminal_answers_come_from_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--set", "title=No terminal"]) == 0
    assert (tmp_path / "no_terminal" / "tutorial.toml").is_file()


def test_python_dash_m_fluxzoo_is_the_same_command(tmp_path):
    import subprocess
    import sys

    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "fluxzoo",
            "new",
            "--no-input",
            "--set",
            "title=Via m",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "via_m" / "via_m.ipynb").is_file()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "fluxzoo",
            "new",
            "--no-input",
            "--set",
            "slug=../x",
            "--output-dir",
            str(tmp_path / "bad"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert (
        bad.stderr.startswith("fluxzoo: error: slug='../x' is not valid")
        and bad.stderr.count("\n") == 1
    )
    assert not (tmp_path / "bad").exists()


def test_no_input_in_a_category_folder_takes_that_category(tmp_path, monkeypatch):
    zoo = tmp_path / "model-zoo"
    for category in ("vision", "text"):
        (zoo / category).mkdir(parents=True)
    monkeypatch.chdir(zoo / "vision")
    assert _new("--set", "title=Edges", "--set", "kind=blank") == 0
    meta = tomllib.loads((zoo / "vision" / "edges" / "tutorial.toml").read_text("utf-8"))
    assert meta["category"] == "vision"


def test_no_input_without_a_title_is_the_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _new("--set", "kind=blank") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "no title given" in err and "--set title=" in err
    assert _listing(tmp_path) == []


def test_the_runtime_is_a_marker_carrying_the_kinds_figure(tmp_path):
    from fluxzoo.kinds import KINDS

    assert (
        _new("--output-dir", tmp_path, "--set", "title=Timed", "--set", "kind=generative_model")
        == 0
    )
    runtime = tomllib.loads((tmp_path / "timed" / "tutorial.toml").read_text("utf-8"))[
        "expected_runtime"
    ]
    assert runtime.startswith("TODO(fluxzoo):")
    assert KINDS["generative_model"].expected_runtime in runtime


@pytest.mark.parametrize("width", [60, 100])
def test_next_steps_wrap_at_word_boundaries(width):
    """Prose wraps at spaces; a command too long for the line continues with a backslash."""
    from fluxzoo.new import next_steps

    entry = Path("vision/a_rather_long_slug_for_a_tutorial")
    text = next_steps(entry, entry.name, width=width)
    for line in text.splitlines():
        assert len(line) < width, line
    unwrapped = next_steps(entry, entry.name, width=1000)
    assert " ".join(text.replace(" \\\n", " ").split()) == " ".join(unwrapped.split())
    if width == 60:  # `<python> -m fluxzoo sync <path>` does not fit
        assert " \\\n" in text


def test_run_in_fluxzoos_own_checkout_the_entry_goes_beside_it(tmp_path, monkeypatch, capsys):
    from fluxzoo import _paths

    checkout = tmp_path / "fluxzoo"
    (checkout / "docs").mkdir(parents=True)
    monkeypatch.setattr(_paths, "checkout", lambda: checkout)
    monkeypatch.chdir(checkout / "docs")
    assert _new("--set", "title=Beside") == 0
    assert (tmp_path / "beside" / "beside.jl").is_file()
    assert _listing(checkout) == ["docs"]
    assert "fluxzoo's own checkout" in capsys.readouterr().err
    assert _new("--set", "title=Asked", "--output-dir", ".") == 0  # asked for: written there
    assert (checkout / "docs" / "asked").is_dir()


def test_the_checkout_is_found_only_in_a_checkout():
    from fluxzoo import _paths

    found = _paths.checkout()
    assert found is not None and (found / "generator" / "fluxzoo" / "cli.py").is_file()


def test_an_unknown_answer_name_says_the_nearest_one(tmp_path, capsys):
    assert _new("--output-dir", tmp_path, "--set", "titel=Typo") == 2
    err = capsys.readouterr().err.strip()
    assert "unknown answer 'titel'; did you mean 'title'?" in err and len(err.splitlines()) == 1


def test_the_slug_error_suggests_a_slug(tmp_path, capsys):
    assert _new("--output-dir", tmp_path, "--set", "title=T", "--set", "slug=My Tutorial") == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("e.g. 'my_tutorial'") and len(err.splitlines()) == 1
    assert answers.validate("slug", "my_tutorial") == "my_tutorial"


def test_list_kinds_is_one_line_per_kind(capsys):
    from fluxzoo.kinds import KINDS

    assert main(["new", "--list-kinds"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(KINDS)
    for line, kind in zip(lines, KINDS.values(), strict=True):
        assert line.endswith(kind.summary)


def test_dry_run_shows_answers_and_files_and_writes_nothing(tmp_path, capsys):
    assert _new("--output-dir", tmp_path, "--dry-run", *_sets(ANSWERS)) == 0
    assert _listing(tmp_path) == []
    out = capsys.readouterr().out
    assert "  title             Digits with a CNN" in out
    listed = out.split("nothing was written: --dry-run):\n", 1)[1].split()
    assert _new("--output-dir", tmp_path, *_sets(ANSWERS)) == 0
    entry = tmp_path / "digits_with_a_cnn"
    assert listed == sorted(
        p.relative_to(entry).as_posix() for p in entry.rglob("*") if p.is_file()
    )
