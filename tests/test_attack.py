"""Every command over hostile trees and answers: a clean exit, nothing written outside, no litter.

Each case builds a zoo holding one hostile entry (or answers file) beside an `outside/` folder,
then runs every command over it in a subprocess under a time limit. Each command must exit 0, 1
or 2 without a traceback; nothing outside the zoo may change and no temporary file may stay.
A hypothesis strategy then mutates a valid entry (truncate, nest, swap file kinds, change
permissions, inject bytes) and runs `check`, `sync --check` and `index` on it in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fluxzoo.cli import main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privilege import SUBPROCESS_PREFIX
from trees import legacy_entry, standard_entry, state, write_tree

DEEP = 3000
TIME_LIMIT = 60
"""Seconds for all commands of one case together; each takes well under one when it works."""
COMMANDS = [
    ["check", "{zoo}"],
    ["check", "--format", "github", "{zoo}"],
    ["sync", "--check", "{zoo}"],
    ["index", "--zoo", "{zoo}"],
    ["sync", "{zoo}"],
    ["check", "--fix", "{zoo}"],
    ["update", "{zoo}"],
    ["adopt", "{entry}"],
]
_DRIVER = """
import io, json, sys, contextlib
from fluxzoo.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    results.append([argv, code, out.getvalue()[-2000:], err.getvalue()[-2000:]])
print(json.dumps(results))
"""


def _toml_set(entry: Path, old: str, new: str) -> None:
    path = entry / "tutorial.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _std(zoo: Path) -> Path:
    return standard_entry(zoo)


def _replace(entry: Path, rel: str, make: Callable[[Path], object]) -> Path:
    path = entry / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    make(path)
    return entry


def slug_traversal(zoo: Path) -> Path:
    entry = _std(zoo)
    _toml_set(entry, 'slug = "line_fit"', 'slug = "../../outside/p"')
    return entry


def slug_absolute(zoo: Path) -> Path:
    entry = _std(zoo)
    _toml_set(entry, 'slug = "line_fit"', f'slug = "{zoo.parent / "outside" / "p"}"')
    return entry


def slug_nul_and_newline(zoo: Path) -> Path:
    entry = _std(zoo)
    _toml_set(entry, 'slug = "line_fit"', 'slug = "line_fit\\u0000\\n"')
    return entry


def deep_metadata(zoo: Path) -> Path:
    entry = _std(zoo)
    with (entry / "tutorial.toml").open("a", encoding="utf-8") as f:
        f.write("deep = " + "[" * DEEP + "]" * DEEP + "\n")
    return entry


def deep_project(zoo: Path) -> Path:
    entry = _std(zoo)
    (entry / "Project.toml").write_text("x = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n")
    return entry


def deep_notebook(zoo: Path) -> Path:
    entry = _std(zoo)
    (entry / "line_fit.ipynb").write_text('{"a":' * DEEP + "1" + "}" * DEEP, encoding="utf-8")
    return entry


def readme_folder(zoo: Path) -> Path:
    return _replace(_std(zoo), "README.md", lambda p: p.mkdir())


def readme_loop(zoo: Path) -> Path:
    return _replace(_std(zoo), "README.md", lambda p: p.symlink_to("README.md"))


def readme_outside(zoo: Path) -> Path:
    return _replace(_std(zoo), "README.md", lambda p: p.symlink_to(zoo.parent / "outside" / "x"))


def notebook_fifo(zoo: Path) -> Path:
    return _replace(_std(zoo), "line_fit.ipynb", lambda p: os.mkfifo(p))


def script_dev_zero(zoo: Path) -> Path:
    return _replace(_std(zoo), "line_fit.jl", lambda p: p.symlink_to("/dev/zero"))


def gitignore_fifo(zoo: Path) -> Path:
    return _replace(_std(zoo), ".gitignore", lambda p: os.mkfifo(p))


def script_too_big(zoo: Path) -> Path:
    entry = _std(zoo)
    (entry / "line_fit.jl").write_text("x = 1\n" * 12_000_000, encoding="utf-8")
    return entry


def long_code_line(zoo: Path) -> Path:
    entry = _std(zoo)
    with (entry / "line_fit.jl").open("a", encoding="utf-8") as f:
        f.write("y = " + "1 + " * 25_000 + "1\n")  # literals: one line, no 25k names to look up

    return entry


def long_prose_line(zoo: Path) -> Path:
    entry = _std(zoo)
    with (entry / "line_fit.jl").open("a", encoding="utf-8") as f:
        f.write("# " + "word " * 60_000 + "\n# " + "[" * 50_000 + " " * 50_000 + "#\n")
    return entry


def nested_parens(zoo: Path) -> Path:
    entry = _std(zoo)
    with (entry / "line_fit.jl").open("a", encoding="utf-8") as f:
        f.write("z = " + "(" * 100_000 + ")" * 100_000 + "\n")
    return entry


def terminal_escapes(zoo: Path) -> Path:
    entry = _std(zoo)
    _toml_set(entry, 'title = "Line fit"', 'title = "Line\\u001b[2J\\u0007\\rfit"')
    return entry


def unreadable_entry(zoo: Path) -> Path:
    entry = _std(zoo)
    (entry / ".gitignore").chmod(0)
    (entry / "test").chmod(0)
    (entry / "line_fit.ipynb").chmod(0o200)
    return entry


def unlistable_entry(zoo: Path) -> Path:
    entry = _std(zoo)
    entry.chmod(0o300)  # enter and write, not list
    return entry


def long_heading(zoo: Path) -> Path:
    entry = _std(zoo)
    with (entry / "README.md").open("a", encoding="utf-8") as f:
        f.write("\n# x" + " " * 60_000 + "y\n## " + "\t" * 60_000 + "#z\n")
    return entry


def legacy_bad_project(zoo: Path) -> Path:
    entry = legacy_entry(zoo)
    (entry / "Project.toml").write_text('compat = "x"\ndeps = 5\n[targets]\ntest = "Test"\n')
    (entry / "Manifest.toml").write_text("Flux = [1]\n")
    return entry


def legacy_targets_string(zoo: Path) -> Path:
    entry = legacy_entry(zoo)
    with (entry / "Project.toml").open("a", encoding="utf-8") as f:
        f.write('\n[extras]\nTest = "8dfed614-e22c-5e08-85e1-65c5234f0b40"\n')
        f.write('\n[targets]\ntest = "Test"\n')
    return entry


def legacy_bom_crlf(zoo: Path) -> Path:
    entry = legacy_entry(zoo)
    script = entry / "line_fit.jl"
    text = script.read_text(encoding="utf-8")
    script.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (entry / "README.md").write_text("# Line\x1b[31m fit\x07\n\nFits a line to points.\n")
    return entry


def legacy_script_dev_zero(zoo: Path) -> Path:
    entry = legacy_entry(zoo)
    (entry / "extra.jl").symlink_to("/dev/zero")
    return entry


def legacy_long_readme(zoo: Path) -> Path:
    entry = legacy_entry(zoo)
    (entry / "README.md").write_text(
        "# Line fit\n\n"
        + "word " * 60_000
        + "\n\n"
        + "(" * 100_000
        + "\n\n# "
        + " " * 100_000
        + "x\n\n"
        + "[a](" * 25_000
        + "\n\n"
        + "<" * 100_000
        + "\n"
    )
    return entry


def legacy_odd_names(zoo: Path) -> Path:
    entry = legacy_entry(zoo, "odd")
    entry.rename(entry.parent / "odd\nname>x")
    legacy_entry(zoo)
    return zoo / "other" / "line_fit"


CASES = {f.__name__: f for f in [
    slug_traversal, slug_absolute, slug_nul_and_newline, deep_metadata, deep_project,
    deep_notebook, readme_folder, readme_loop, readme_outside, notebook_fifo, script_dev_zero,
    gitignore_fifo, script_too_big, long_code_line, long_prose_line, nested_parens,
    terminal_escapes, unreadable_entry, unlistable_entry, long_heading, legacy_bad_project,
    legacy_targets_string,
    legacy_bom_crlf, legacy_script_dev_zero, legacy_long_readme, legacy_odd_names,
]}  # fmt: skip


def _litter(root: Path) -> list[str]:
    return sorted(p for p in state(root) if ".fluxzoo-" in p or p.endswith(".fluxzoo-tmp"))


def _run_all(argvs: list[list[str]], cwd: Path) -> list[tuple[list[str], int, str, str]]:
    env = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run(
        [*SUBPROCESS_PREFIX, sys.executable, "-c", _DRIVER, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        cwd=cwd,
        env=env,
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-3000:])
    return [tuple(r) for r in json.loads(done.stdout)]


def _assert_clean(results, tmp_path: Path, before: dict, zoo: Path) -> None:
    for argv, code, out, err in results:
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in out + err, (argv, err)
        for line in err.splitlines():
            assert "\x1b" not in line and "\x07" not in line and "\r" not in line, (argv, line)
    assert state(tmp_path / "outside") == before, "something outside the zoo changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside", "zoo"]
    assert _litter(zoo) == []


def _outside(tmp_path: Path) -> dict:
    write_tree(tmp_path / "outside", {"x": "a file outside the zoo\n"})
    return state(tmp_path / "outside")


@pytest.fixture
def restore_permissions(tmp_path):
    yield
    for dirpath, dirnames, filenames in os.walk(tmp_path):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                path.chmod(0o755)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_command_over_a_hostile_tree(tmp_path, case, restore_permissions):
    before = _outside(tmp_path)
    zoo = tmp_path / "zoo"
    entry = CASES[case](zoo)
    argvs = [[a.format(zoo=zoo, entry=entry) for a in argv] for argv in COMMANDS]
    results = _run_all(argvs, tmp_path / "outside")
    _assert_clean(results, tmp_path, before, zoo)
    if not case.startswith("legacy"):  # the entry is still there, whatever was refused
        assert (entry / "tutorial.toml").exists()


def _alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    return "\n".join(lines) + "\ndescription: *a11\ntitle: T\n"


ANSWERS = {
    "fifo.json": lambda p: os.mkfifo(p),
    "zero.yaml": lambda p: p.symlink_to("/dev/zero"),
    "deep.json": lambda p: p.write_text('{"a":' * DEEP + "1" + "}" * DEEP),
    "deep.toml": lambda p: p.write_text("a = " + "[" * DEEP + "]" * DEEP),
    "deep.yaml": lambda p: p.write_text("[" * DEEP + "]" * DEEP),
    "bomb.yaml": lambda p: p.write_text(_alias_bomb()),
    "huge.json": lambda p: p.write_text(json.dumps({"title": "t" * 1_000_000})),
    "folder.json": lambda p: p.mkdir(),
    "newline.json": lambda p: p.write_text(json.dumps({"title": "T", "slug": "ab\n"})),
    "version.json": lambda p: p.write_text(json.dumps({"title": "T", "julia_version": "1.10\n"})),
}


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_new_refuses_a_hostile_answers_file_in_one_line(tmp_path, name):
    before = _outside(tmp_path)
    (tmp_path / "zoo").mkdir()
    path = tmp_path / "zoo" / name
    ANSWERS[name](path)
    argv = ["new", "--no-input", "--answers", str(path), "--output-dir", str(tmp_path / "zoo")]
    [(_, code, _, err)] = _run_all([argv], tmp_path / "zoo")
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and len(err) < 400, err
    _assert_clean([(argv, code, "", err)], tmp_path, before, tmp_path / "zoo")
    assert sorted(p.name for p in (tmp_path / "zoo").iterdir()) == [name]


OUTPUT_DIRS = {
    "dangling": lambda d: (d / "out").symlink_to(d / "missing"),
    "loop": lambda d: (d / "out").symlink_to(d / "out"),
    "long-name": lambda d: None,
}


@pytest.mark.parametrize("kind", sorted(OUTPUT_DIRS))
def test_new_refuses_an_output_dir_it_cannot_use(tmp_path, kind):
    before = _outside(tmp_path)
    zoo = tmp_path / "zoo"
    zoo.mkdir()
    OUTPUT_DIRS[kind](zoo)
    out = zoo / ("x" * 300) / "y" if kind == "long-name" else zoo / "out"
    argv = ["new", "--no-input", "--set", "title=T", "--output-dir", str(out)]
    results = _run_all([argv], zoo)
    assert results[0][1] in (1, 2), results
    _assert_clean(results, tmp_path, before, zoo)


def test_new_zoo_refuses_a_category_link_out_of_the_zoo(tmp_path):
    before = _outside(tmp_path)
    zoo = tmp_path / "zoo"
    for category in ("vision", "text", "tutorials", "contrib"):
        (zoo / category).mkdir(parents=True)
    (zoo / "other").symlink_to(tmp_path / "outside")
    argv = ["new", "--no-input", "--set", "title=T", "--set", "category=other", "--zoo", str(zoo)]
    results = _run_all([argv], zoo)
    assert results[0][1] == 2, results
    _assert_clean(results, tmp_path, before, zoo)


def test_adopt_writes_valid_files_from_odd_legacy_files(tmp_path, parse_entry):
    zoo = tmp_path / "zoo"
    entry = legacy_bom_crlf(zoo)
    with (entry / "Project.toml").open("a", encoding="utf-8") as f:
        f.write('\n[targets]\ntest = "Test"\n')
    (entry / "docs" / "plot.png").unlink()
    assert main(["adopt", str(entry)]) == 0
    parsed = parse_entry(entry)  # every file parses for real (the script with the Julia parser)
    script = parsed["text"]["line_fit.jl"]
    assert "\ufeff" not in script and "\r" not in script
    assert script.startswith("# # Line fit\n")
    assert parsed["tutorial.toml"]["title"] == "Line fit"
    assert parsed["Project.toml"]["targets"]["test"] == ["Test"]


# Mutations of a valid entry, run in-process --------------------------------------------------

_FILES = ["line_fit.jl", "line_fit.ipynb", "README.md", "Project.toml", "tutorial.toml",
          "test/runtests.jl", ".gitignore", "test"]  # fmt: skip


def _mutate(entry: Path, how: str, rel: str, data: bytes, cut: float) -> None:
    # an earlier mutation may have made the path impossible (a file as its folder)
    with contextlib.suppress(OSError):
        _apply(entry, how, rel, data, cut)


def _apply(entry: Path, how: str, rel: str, data: bytes, cut: float) -> None:
    path = entry / rel
    if how == "truncate" and path.is_file():
        content = path.read_bytes()
        path.write_bytes(content[: int(len(content) * cut)])
    elif how == "nest":
        opener, closer = (b"[", b"]") if rel.endswith((".ipynb", ".toml")) else (b"(", b")")
        depth = 1 + int(cut * DEEP)
        prefix = b"x = " if rel.endswith(".toml") else b""
        _replace(entry, rel, lambda p: p.write_bytes(prefix + opener * depth + closer * depth))
    elif how == "inject" and path.is_file():
        content = path.read_bytes()
        at = int(len(content) * cut)
        path.write_bytes(content[:at] + data + content[at:])
    elif how == "folder":
        _replace(entry, rel, lambda p: p.mkdir())
    elif how == "fifo":
        _replace(entry, rel, lambda p: os.mkfifo(p))
    elif how == "loop":
        _replace(entry, rel, lambda p: p.symlink_to(p.name))
    elif how == "device":
        _replace(entry, rel, lambda p: p.symlink_to("/dev/zero"))
    elif how == "unreadable":
        path.chmod(0)


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(
                ["truncate", "nest", "inject", "folder", "fifo", "loop", "device", "unreadable"]
            ),
            st.sampled_from(_FILES),
            st.binary(max_size=16) | st.sampled_from([b"\x00", b"\xff", b"\r", b"\x1b[2J"]),
            st.floats(0, 1),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_entries_never_crash_check_sync_or_index(valid_zoo, mutations, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        zoo = Path(tmp) / "zoo"
        shutil.copytree(valid_zoo, zoo, symlinks=True)
        entry = zoo / "other" / "line_fit"
        try:
            for mutation in mutations:
                _mutate(entry, *mutation)
            for argv in (
                ["check", str(zoo)],
                ["sync", "--check", str(zoo)],
                ["index", "--zoo", str(zoo)],
            ):
                assert main(argv) in (0, 1, 2), argv
                _, err = capsys.readouterr()
                assert "Traceback" not in err and "unexpected error" not in err, (argv, err)
            assert _litter(zoo) == []
        finally:
            for path in [entry, *entry.rglob("*")]:
                if not path.is_symlink() and path.exists():
                    path.chmod(0o755)


@pytest.fixture(scope="module")
def valid_zoo(tmp_path_factory):
    zoo = tmp_path_factory.mktemp("valid") / "zoo"
    standard_entry(zoo)
    return zoo


def test_check_text_shows_control_characters_as_escapes(tmp_path, capsys):
    terminal_escapes(tmp_path / "zoo")
    assert main(["check", str(tmp_path / "zoo")]) == 1
    out = capsys.readouterr().out
    assert "Line\\x1b[2J\\x07\\rfit" in out
    assert not any(c in out for c in "\x1b\x07\r")


def test_index_keeps_an_odd_legacy_folder_name_in_one_list_item(tmp_path, capsys):
    from markdown_it import MarkdownIt

    legacy_odd_names(tmp_path / "zoo")
    assert main(["index", "--zoo", str(tmp_path / "zoo")]) == 0
    tokens = MarkdownIt("commonmark").parse(capsys.readouterr().out)
    items = [t for t in tokens if t.type == "list_item_open"]
    links = [t for t in tokens if t.type == "inline" and "odd" in t.content]
    assert len(items) == 2 and len(links) == 1
    link = next(c for c in links[0].children if c.type == "link_open")
    assert link.attrs["href"] == "other/odd%0Aname%3Ex/"


def test_what_cannot_be_read_or_listed_is_named_not_called_missing(tmp_path):
    """Run without root's override of permission bits, as a contributor runs fluxzoo."""
    unreadable = unreadable_entry(tmp_path / "a" / "zoo")
    unlistable = unlistable_entry(tmp_path / "b" / "zoo")
    try:
        results = _run_all(
            [
                ["check", "--format", "json", "--select", "FZ101,FZ102", str(unreadable)],
                ["check", "--format", "json", "--select", "FZ101,FZ102", str(tmp_path / "b")],
                ["sync", str(tmp_path / "b" / "zoo")],
            ],
            tmp_path,
        )
    finally:
        unlistable.chmod(0o755)
        for path in (".gitignore", "test", "line_fit.ipynb"):
            (unreadable / path).chmod(0o755)
    (_, code, out, _), (_, code_b, out_b, _), (_, code_sync, _, err_sync) = results
    assert code == 1 and code_b == 1
    denied = "cannot read: permission denied; make it readable"
    found = {
        (str((tmp_path / f["path"]).relative_to(unreadable)), f["code"], f["message"])
        for f in json.loads(out)["diagnostics"]
    }
    assert found == {
        (".gitignore", "FZ102", denied),
        ("test", "FZ102", denied),
        ("line_fit.ipynb", "FZ102", denied),
    }, "each named once, and a file it cannot see is not missing"
    listed = [
        (tmp_path / f["path"], f["code"], f["message"]) for f in json.loads(out_b)["diagnostics"]
    ]
    assert listed == [(unlistable, "FZ102", denied)]
    assert code_sync == 0, err_sync  # it names its files, which a folder without `r` still opens


def test_a_folder_of_the_zoo_that_cannot_be_listed_is_one_line(tmp_path):
    entry = _std(tmp_path / "zoo")
    category = entry.parent
    category.chmod(0o300)
    try:
        results = _run_all([["check", "zoo"], ["index", "--zoo", "zoo"]], tmp_path)
    finally:
        category.chmod(0o755)
    for argv, code, out, err in results:
        assert code == 1, (argv, out, err)
        denied = "cannot read: permission denied; make it readable"
        assert err == f"fluxzoo: error: zoo/other: {denied}\n", argv
