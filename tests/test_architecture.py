"""The dependency rules of the package layout, checked on the source itself."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator" / "fluxzoo"


def _imports(path: Path) -> set[str]:
    """Top-level module names a file imports, at any depth (lazy imports count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _stdlib_or_own(name: str) -> bool:
    return name in sys.stdlib_module_names or name in {"fluxzoo", "__future__"}


@pytest.mark.parametrize("path", sorted((PACKAGE / "literate").glob("*.py")), ids=lambda p: p.name)
def test_literate_conversion_uses_the_standard_library_only(path: Path) -> None:
    """The hooks run the conversion under plain cookiecutter, where only the stdlib is certain."""
    third_party = {n for n in _imports(path) if not _stdlib_or_own(n)}
    own = {n for n in _imports(path) if n == "fluxzoo"}
    assert not third_party, f"{path.name} imports {sorted(third_party)}"
    if own:
        source = path.read_text(encoding="utf-8")
        assert "fluxzoo.cli" not in source and "fluxzoo.render" not in source


def test_only_render_imports_cookiecutter() -> None:
    importers = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "cookiecutter" in _imports(p)
    )
    assert importers == ["render.py"]


@pytest.mark.parametrize("hook", sorted((ROOT / "hooks").glob("*.py")), ids=lambda p: p.name)
def test_hooks_are_thin_shims(hook: Path) -> None:
    source = hook.read_text(encoding="utf-8")
    assert "{%" not in source, "no Jinja control flow in hooks"
    code_lines = [
        ln for ln in source.splitlines() if ln.strip() and not ln.lstrip().startswith(("#", '"""'))
    ]
    assert len(code_lines) <= 10
    assert {n for n in _imports_of_text(source)} <= {"fluxzoo", "json", "sys"}


def _imports_of_text(source: str) -> set[str]:
    # Hooks are Jinja templates; replace the one expression so the rest parses as Python.
    python = source.replace("{{ cookiecutter | jsonify | tojson }}", "''")
    names: set[str] = set()
    for node in ast.walk(ast.parse(python)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names


def test_template_hooks_link_to_the_top_level_hooks() -> None:
    link = ROOT / "template" / "hooks"
    assert link.is_symlink()
    assert link.resolve() == (ROOT / "hooks").resolve()


def test_help_does_not_load_heavy_libraries() -> None:
    """`fluxzoo --help` must start fast: the libraries for real work load only when used."""
    code = (
        "import sys, json\n"
        "from fluxzoo.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['cookiecutter', 'jinja2', 'rich', 'questionary', 'nbformat',\n"
        "         'tree_sitter', 'yaml']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_code_passes_the_linter() -> None:
    """The rules in pyproject.toml hold for every file, so review starts from clean code."""
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
