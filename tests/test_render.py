"""Rendering: the Jinja filters, and all-or-nothing creation under failures and Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fluxzoo import answers, hooks_impl, render, transaction
from fluxzoo.jinja_filters import julia_str, slug
from fluxzoo.julia_syntax import syntax_errors
from hypothesis import given
from hypothesis import strategies as st

_JULIA_UNESCAPE = re.compile(r"\\u([0-9a-f]{4})|\\(.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r"}


def _julia_value(literal: str) -> str:
    """What Julia reads from a string literal that uses only the escapes `julia_str` writes."""
    assert literal[0] == literal[-1] == '"'
    body = literal[1:-1]
    assert not re.search(r'(?<!\\)(?:\\\\)*[$"]', body), "unescaped $ or quote"

    def one(m: re.Match[str]) -> str:
        return chr(int(m.group(1), 16)) if m.group(1) else _SIMPLE.get(m.group(2), m.group(2))

    return _JULIA_UNESCAPE.sub(one, body)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("Cost in $USD $(run(`rm`))", '"Cost in \\$USD \\$(run(`rm`))"'),
        ("back\\slash", '"back\\\\slash"'),
        ("two\nlines\ttab\x00nul\x7f", '"two\\nlines\\ttab\\u0000nul\\u007f"'),
        ("李雷 🚀 {{ 7*7 }}", '"李雷 🚀 {{ 7*7 }}"'),
    ],
)
def test_julia_str_examples(text, literal):
    assert julia_str(text) == literal
    assert _julia_value(literal) == text
    assert syntax_errors(f"x = {literal}\n") == []


@given(st.text())
def test_julia_str_round_trips_and_parses(text):
    literal = julia_str(text)
    assert _julia_value(literal) == text
    assert syntax_errors(f"@testset {literal} begin\nend\n") == []


@pytest.mark.parametrize("title", ["My Flux tutorial", "LeNet-5 on MNIST!", "李雷", "", "CON"])
def test_slug_filter_is_fluxzoos_slug_rule(title):
    assert slug(title) == answers.slugify(title)
    answers.validate("slug", slug(title))


def _leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failure_after_rendering_leaves_nothing(tmp_path, monkeypatch, error):
    rendered = []

    def failing_post_gen(context, entry_dir):
        rendered.append(sorted(p.name for p in entry_dir.iterdir()))
        raise error

    monkeypatch.setattr(hooks_impl, "post_gen", failing_post_gen)
    dest = tmp_path / "new" / "parents" / "entry"
    with pytest.raises(type(error)):
        render.render_entry(answers.resolve({"title": "x", "slug": "entry"}), dest)
    assert rendered and "entry.jl" in rendered[0]  # it did fail half-way through
    assert _leftovers(tmp_path) == []


def test_success_creates_missing_parent_folders(tmp_path):
    dest = tmp_path / "a" / "b" / "entry"
    render.render_entry(answers.resolve({"title": "x", "slug": "entry", "kind": "blank"}), dest)
    assert (dest / "entry.jl").is_file()
    assert not [p for p in tmp_path.rglob(".fluxzoo-new-*")]


_INTERRUPTIBLE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from fluxzoo import hooks_impl
    from fluxzoo.cli import main

    real = hooks_impl.post_gen

    def slow_post_gen(context, entry_dir):
        real(context, entry_dir)
        written = Path(sys.argv[1] + ".part")  # renamed, so the test never reads it half-written
        written.write_text(str(entry_dir))
        written.replace(sys.argv[1])
        time.sleep(60)

    hooks_impl.post_gen = slow_post_gen
    sys.exit(main(["new", "--no-input", "--set", "title=Interrupted", "--output-dir", sys.argv[2]]))
    """
)


def test_ctrl_c_mid_render_leaves_no_entry_and_no_temporary_folder(tmp_path):
    marker, out = tmp_path / "rendering", tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTIBLE, str(marker), str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the render never reached the slow step"
            time.sleep(0.02)
        half_built = Path(marker.read_text())
        assert (half_built / "tutorial.toml").is_file()  # interrupted with files on disk
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "Aborted; nothing was written." in err and "Traceback" not in err
    assert _leftovers(out) == []


def test_an_unwritable_output_folder_is_one_clear_error(tmp_path, monkeypatch, capsys):
    from fluxzoo.cli import main

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(transaction.tempfile, "mkdtemp", refuse)
    assert main(["new", "--no-input", "--set", "title=T", "--output-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"fluxzoo: error: {tmp_path}: cannot write here: Permission denied"
    assert _leftovers(tmp_path) == []


def test_the_users_cookiecutter_config_and_replay_are_ignored(tmp_path, _isolated_home):
    """A ~/.cookiecutterrc with its own defaults changes nothing, and no replay file is written."""
    replay = tmp_path / "replay"
    (_isolated_home / ".cookiecutterrc").write_text(
        f"default_context:\n  title: From the rc file\n  kind: blank\nreplay_dir: {replay}\n",
        encoding="utf-8",
    )
    entry = render.render_entry(answers.resolve({"slug": "plain"}), tmp_path / "out" / "plain")
    script = (entry / "plain.jl").read_text(encoding="utf-8")
    assert script.startswith("# # My Flux tutorial\n") and "MNIST" in script
    assert not replay.exists()
