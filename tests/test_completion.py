"""Shell completion, in the real shells: `fluxzoo completion bash|zsh|fish` loaded into bash and
fish, which then ask the installed `fluxzoo` for candidates as they do at each Tab; zsh's script
is syntax-checked and registered by compinit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fluxzoo.answers import questions
from fluxzoo.checks.registry import all_rules
from fluxzoo.cli import build_parser
from fluxzoo.kinds import KINDS

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="bash, zsh and fish completion; Windows shells are not these"
)

BIN = Path(sys.executable).parent
CODES = sorted(rule.code for rule in all_rules())

# What bash does at a Tab: split the line into words, call the registered function, read COMPREPLY.
BASH_TAB = r"""
source <(fluxzoo completion bash)
complete -p fluxzoo
line=$1
read -ra COMP_WORDS <<< "$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_LINE=$line COMP_POINT=${#line} COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_python_argcomplete fluxzoo "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


def _shell(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed; apt-get install {name} (.ci/run does)"
    return found


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def bash_tab(line: str) -> tuple[str, list[str]]:
    """What `complete -p fluxzoo` says, and the candidates bash offers for `line`."""
    result = subprocess.run(
        [_shell("bash"), "-c", BASH_TAB, "bash", line],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    registration, *candidates = result.stdout.splitlines()
    return registration, [c.strip() for c in candidates if c.strip()]


def fish_tab(line: str) -> list[str]:
    script = "fluxzoo completion fish | source; complete -C $argv[1]"
    result = subprocess.run(
        [_shell("fish"), "--no-config", "-c", script, line],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return [c.split("\t")[0] for c in result.stdout.splitlines()]


def _subcommands() -> set[str]:
    (sub,) = [a for a in build_parser()._actions if a.dest == "command"]
    return set(sub.choices)


def write_script(shell: str, path: Path) -> None:
    """`fluxzoo completion SHELL > path`, from the installed command."""
    with path.open("w", encoding="utf-8") as out:
        subprocess.run([BIN / "fluxzoo", "completion", shell], stdout=out, check=True)


def test_bash_registers_fluxzoo_and_completes_subcommands():
    registration, candidates = bash_tab("fluxzoo ")
    assert registration.endswith(" -F _python_argcomplete fluxzoo")
    assert set(candidates) == _subcommands() and "completion" in candidates


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("fluxzoo new --set kind=", sorted(KINDS)),
        ("fluxzoo new --set ", sorted(f"{q.name}=" for q in questions())),
        ("fluxzoo new --set difficulty=a", ["advanced"]),
        ("fluxzoo check --explain FZ1", [c for c in CODES if c.startswith("FZ1")]),
        ("fluxzoo check --select FZ2", ["FZ2", *(c for c in CODES if c.startswith("FZ2"))]),
        (
            "fluxzoo check --ignore FZ101,FZ3",
            ["FZ101,FZ3", *(f"FZ101,{c}" for c in CODES if c.startswith("FZ3"))],
        ),
        ("fluxzoo completion ", ["bash", "fish", "zsh"]),
    ],
)
def test_bash_completes_kinds_answers_and_rule_codes(line, expected):
    _, candidates = bash_tab(line)
    assert sorted(candidates) == sorted(expected)


def test_fish_completes_kinds_and_rule_codes(tmp_path):
    script = tmp_path / "fluxzoo.fish"
    write_script("fish", script)
    subprocess.run([_shell("fish"), "--no-execute", str(script)], check=True)
    assert sorted(fish_tab("fluxzoo new --set kind=")) == sorted(f"kind={k}" for k in KINDS)
    assert fish_tab("fluxzoo check --explain FZ10") == [c for c in CODES if c.startswith("FZ10")]


def test_zsh_script_parses_and_registers_with_compinit(tmp_path):
    script = tmp_path / "_fluxzoo"
    write_script("zsh", script)
    zsh = _shell("zsh")
    subprocess.run([zsh, "-n", str(script)], check=True)
    registered = subprocess.run(
        [
            zsh,
            "-f",
            "-c",
            f"autoload -U compinit; compinit -u -D; source {script}; "
            "print -r -- ${_comps[fluxzoo]}",
        ],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert registered.stdout.strip() == "_python_argcomplete"
