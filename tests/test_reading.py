"""The reading layer: only regular files inside the entry, bounded in size and nesting."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import real_zoo
from fluxzoo import reading
from fluxzoo.errors import shorten
from fluxzoo.metadata import tomllib

DEEP = 3000


def _refused(path, says, **kwargs):
    with pytest.raises(reading.ReadError) as info:
        reading.read_text(path, **kwargs)
    assert says in info.value.reason
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_a_regular_file_inside_is_read(tmp_path):
    (tmp_path / "a.jl").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "b.jl").symlink_to("a.jl")
    assert reading.read_text(tmp_path / "b.jl", within=tmp_path) == "x = 1\n"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "x.jl")
    _refused(tmp_path / "x.jl", "FIFO", within=tmp_path)


def test_a_device_a_folder_and_a_loop_are_refused(tmp_path):
    (tmp_path / "zero.jl").symlink_to("/dev/zero")
    _refused(tmp_path / "zero.jl", "device")  # no `within`: an answers file may link anywhere
    (tmp_path / "README.md").mkdir()
    _refused(tmp_path / "README.md", "a folder", within=tmp_path)
    (tmp_path / "loop.jl").symlink_to("loop.jl")
    _refused(tmp_path / "loop.jl", "loop", within=tmp_path)
    (tmp_path / "dangling.jl").symlink_to("nowhere.jl")
    _refused(tmp_path / "dangling.jl", "dangling", within=tmp_path)


def test_a_link_out_of_the_entry_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    entry = tmp_path / "entry"
    entry.mkdir()
    (entry / "README.md").symlink_to(secret)
    _refused(entry / "README.md", "out of the entry", within=entry)


def test_sizes_are_bounded_per_kind_of_file(tmp_path):
    big = tmp_path / "big.jl"
    big.write_bytes(b"#" * (reading.LIMITS[".jl"] + 1))
    _refused(big, "larger than 64 MB")
    manifest = tmp_path / "Manifest.toml"
    manifest.write_bytes(b"#" * (reading.LIMITS[".toml"] + 1))
    assert len(reading.read_bytes(manifest)) == reading.LIMITS[".toml"] + 1


def _unprivileged(check) -> None:
    """Run `check` where a permission bit binds: as root, in a child dropped to `nobody`."""
    if os.geteuid() != 0:
        check()
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the failure, if any, through the pipe
        os.close(read_end)
        try:
            os.setgid(65534)
            os.setuid(65534)
            check()
            status = 0
        except BaseException as e:  # every failure, assertions included, goes to the parent
            os.write(write_end, repr(e).encode())
            status = 1
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        failure = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, failure


def test_no_read_permission_is_one_line():
    # Outside pytest's private temporary folder, so that `nobody` can reach the file.
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        path = folder / "README.md"
        path.write_text("x", encoding="utf-8")
        path.chmod(0)
        _unprivileged(lambda: _refused(path, "permission denied"))
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (reading.parse_json, "[" * DEEP + "]" * DEEP),
        (reading.parse_json, '{"a":' * DEEP + "1" + "}" * DEEP),
        (reading.parse_toml, "a = " + "[" * DEEP + "]" * DEEP),
        (reading.parse_toml, "a = " + "{b = " * DEEP + "1" + "}" * DEEP),
        (reading.parse_yaml, "[" * DEEP + "]" * DEEP),
        (reading.parse_json, "[" * (reading.MAX_DEPTH + 1) + "]" * (reading.MAX_DEPTH + 1)),
    ],
)
def test_nesting_is_bounded(tmp_path, parse, text):
    with pytest.raises(reading.ReadError, match="nested more than"):
        parse(text, tmp_path / "x")


def test_yaml_aliases_are_refused(tmp_path):
    bomb = "a: &a ['x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    with pytest.raises(reading.ReadError, match="aliases"):
        reading.parse_yaml(bomb, tmp_path / "answers.yaml")
    assert reading.parse_yaml("a: &x 1\n", tmp_path / "a.yaml") == {"a": 1}


def test_parse_errors_keep_their_position(tmp_path):
    with pytest.raises(reading.ReadError) as info:
        reading.parse_toml("a = 1\nb = ]\n", tmp_path / "x.toml")
    assert info.value.line == 2 and info.value.reason.startswith("not valid TOML")
    with pytest.raises(reading.ReadError) as info:
        reading.parse_json('{\n "a": }', tmp_path / "x.json")
    assert (info.value.line, info.value.col) == (2, 7)
    assert json.loads("[1]") == reading.parse_json("[1]", tmp_path / "x.json")


def test_long_values_are_cut_short_in_messages():
    assert len(shorten("x" * 1_000_000)) <= 62
    assert len(shorten([["y" * 1000] * 1000] * 1000)) < 400


def _both(text: str):
    """(what the fast reader of Pkg's TOML gives, what tomllib gives or the error it raises)."""
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        expected = e
    return reading._pkg_toml(text), expected


def _real_manifests(tmp_path: Path) -> list[str]:
    zoo = real_zoo.extract(tmp_path / "zoo")
    return [p.read_text(encoding="utf-8") for p in sorted(zoo.rglob("Manifest.toml"))]


def test_pkg_written_toml_reads_as_tomllib_reads_it(tmp_path):
    """Every Manifest of the real zoo takes the fast way, with tomllib's result; and random
    edits of them (lines repeated, dropped, swapped, headers and keys redefined) give either
    tomllib's result or None (left to tomllib), never a document tomllib refuses."""
    manifests = _real_manifests(tmp_path)
    assert len(manifests) >= 20
    for text in manifests:
        fast, expected = _both(text)
        assert fast is not None and fast == expected
    rng = random.Random(11)
    outcomes = Counter()
    for _ in range(600):
        lines = rng.choice(manifests).split("\n")[:80]
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            op = rng.randrange(4)
            if op == 0:
                lines.insert(j, lines[i])
            elif op == 1:
                del lines[i]
            elif op == 2:
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(j, rng.choice(["[deps]", "[[deps]]", "deps = 1", 'a = "\\t"']))
        fast, expected = _both("\n".join(lines))
        if fast is not None:
            assert fast == expected
        outcomes["fast" if fast is not None else "fallback"] += 1
        outcomes["refused" if isinstance(expected, Exception) else "valid"] += 1
    assert min(outcomes.values()) > 50, outcomes  # both ways and both verdicts were tried


@pytest.mark.parametrize(
    "text",
    [
        'a = "1"\na = "2"',
        "[a]\n[a]",
        '[a]\nb = "1"\n[a.b]',
        "[[a]]\n[a]",
        "[a]\n[[a]]",
        "[a.b]\n[[a]]",
        'a = ["x"]\n[[a]]',
        'a = ["x"]\n[a.b]',
        "[[a]]\n[a.c]\n[a.c]",
        '[a.b]\n[a]\nb = "x"',
        'a = "\x01"',
        "# \x01",
    ],
)
def test_what_tomllib_refuses_is_left_to_it(text):
    fast, expected = _both(text)
    assert fast is None and isinstance(expected, Exception)


@pytest.mark.parametrize(
    "text",
    ["", "[a.b]\n[a]", "[[a.b]]\n[a]", '[[a]]\n[a.c]\n[[a]]\n[a.c]\nx = ["1", "2",]', "a=true"],
)
def test_valid_edge_cases_read_as_tomllib_reads_them(text):
    fast, expected = _both(text)
    assert fast is not None and fast == expected


def test_the_fast_reader_stays_within_the_nesting_bound():
    """A header of more keys than the fast reader takes goes to tomllib (and the depth walk)."""
    longest = ".".join("k" * i for i in range(1, reading._PKG_HEADER_KEYS + 1))
    assert reading.depth(reading._pkg_toml(f'[[{longest}]]\nx = ["a"]')) < reading.MAX_DEPTH
    assert reading._pkg_toml(f"[{longest}.more]") is None
    with pytest.raises(reading.ReadError, match="nested more than"):
        reading.parse_toml(f"[{'.'.join(['k'] * 120)}]", Path("Manifest.toml"))
