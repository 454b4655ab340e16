"""Meta-tests of the rule registry: documentation, naming, codes, selection and redirects."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fluxzoo.checks import registry as reg
from fluxzoo.checks.registry import Lifecycle, Registry, Rule, Severity, all_rules, rule
from fluxzoo.errors import UsageError

RULES = list(all_rules())
RULES_DIR = Path(reg.__file__).parent / "rules"


def test_registry_is_not_empty() -> None:
    assert len(RULES) >= 25


@pytest.mark.parametrize("r", RULES, ids=str)
def test_rule_documentation_has_the_sections_in_order(r: Rule) -> None:
    positions = [r.doc.find(section) for section in reg.DOC_SECTIONS]
    assert -1 not in positions, f"{r.code} lacks one of {reg.DOC_SECTIONS}"
    assert positions == sorted(positions)
    for start, end in zip(positions, [*positions[1:], len(r.doc)], strict=True):
        body = r.doc[start:end].split("\n", 1)[1].strip()
        assert len(body) > 20, f"{r.code}: a section is empty"


@pytest.mark.parametrize("r", RULES, ids=str)
def test_rule_metadata(r: Rule) -> None:
    assert re.fullmatch(r"FZ\d{3}", r.code)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", r.name)
    assert isinstance(r.severity, Severity)
    assert r.summary and not r.summary.endswith(".")
    assert Rule.from_code(str(r)) is r


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_code_groups_follow_the_modules() -> None:
    """FZ1xx layout, FZ2xx project, FZ30x source, FZ31x notebook, FZ32x docs, FZ4xx metadata,
    FZ5xx the Julia API."""
    prefixes = {
        "api": "FZ5",
        "layout": "FZ1",
        "project": "FZ2",
        "source": "FZ30",
        "notebook": "FZ31",
        "docs": "FZ32",
        "metadata": "FZ4",
    }
    for r in RULES:
        module = r.check.__module__.rsplit(".", 1)[-1]
        assert r.code.startswith(prefixes[module]), (r.code, module)


def test_rule_modules_are_listed_explicitly() -> None:
    init = (RULES_DIR / "__init__.py").read_text(encoding="utf-8")
    modules = sorted(p.stem for p in RULES_DIR.glob("*.py") if p.stem != "__init__")
    assert (
        re.search(r"from fluxzoo\.checks\.rules import ([\w, ]+)", init).group(1).split(", ")
        == modules
    )


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_rules_do_not_import_the_cli_or_cookiecutter(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    imported |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {
        m for m in imported if m.startswith(("fluxzoo.cli", "fluxzoo.prompts", "cookiecutter"))
    }


def test_registry_refuses_bad_and_duplicate_rules() -> None:
    local = Registry()
    check = lambda entry: []  # noqa: E731
    rule(code="FZ101", name="one", severity=Severity.ERROR, summary="s", registry=local)(check)
    for code, name in [
        ("FZ101", "two"),
        ("FZ102", "one"),
        ("FZ1", "three"),
        ("XX101", "four"),
        ("FZ103", "Not_Kebab"),
    ]:
        with pytest.raises(ValueError):
            rule(code=code, name=name, severity=Severity.ERROR, summary="s", registry=local)(check)


def _toy_registry() -> Registry:
    """FZ101, FZ102, FZ110, FZ201 stable; FZ202 preview; FZ203 deprecated; FZ150 now FZ110."""
    local = Registry(redirects={"FZ150": "FZ110"})
    lifecycles = {"FZ202": Lifecycle.PREVIEW, "FZ203": Lifecycle.DEPRECATED}
    for code in ("FZ101", "FZ102", "FZ110", "FZ201", "FZ202", "FZ203"):
        rule(
            code=code, name=f"rule-{code.lower()}", severity=Severity.ERROR, summary="s",
            lifecycle=lifecycles.get(code, Lifecycle.STABLE), registry=local,
        )(lambda entry: [])  # fmt: skip
    return local


SELECTION = [
    # (select, ignore, selected)
    ((), (), ["FZ101", "FZ102", "FZ110", "FZ201"]),
    (("FZ1",), (), ["FZ101", "FZ102", "FZ110"]),
    (("FZ10",), (), ["FZ101", "FZ102"]),
    (("FZ",), ("FZ1",), ["FZ201"]),
    ((), ("FZ10",), ["FZ110", "FZ201"]),
    (("FZ1",), ("FZ10",), ["FZ110"]),
    (("FZ101",), ("FZ1",), ["FZ101"]),  # longer prefix wins, whichever list it is in
    (("FZ1",), ("FZ101",), ["FZ102", "FZ110"]),
    (("FZ101",), ("FZ101",), []),  # equal length: ignore wins
    (("FZ2",), (), ["FZ201"]),  # preview and deprecated rules need their full code
    (("FZ202", "FZ203"), (), ["FZ202", "FZ203"]),
    (("FZ202",), ("FZ2",), ["FZ202"]),
    (("fz1", " FZ201 "), (), ["FZ101", "FZ102", "FZ110", "FZ201"]),  # case and spaces do not matter
    (("FZ150",), (), ["FZ110"]),  # a renamed code selects its new rule
    ((), ("FZ150",), ["FZ101", "FZ102", "FZ201"]),
]


@pytest.mark.parametrize(("select", "ignore", "selected"), SELECTION)
def test_selection_by_longest_prefix(
    select: tuple[str, ...], ignore: tuple[str, ...], selected: list[str]
) -> None:
    assert [r.code for r in _toy_registry().select(select, ignore)] == selected


@pytest.mark.parametrize(
    ("select", "ignore", "says"),
    [
        (("FZ9",), (), "no rule"),
        (("E501",), (), "expected a rule code"),
        ((), ("FZ1x",), "expected a rule code"),
    ],
)
def test_bad_selectors_are_usage_errors(
    select: tuple[str, ...], ignore: tuple[str, ...], says: str
) -> None:
    with pytest.raises(UsageError, match=says):
        _toy_registry().select(select, ignore)


def test_redirects_lead_to_the_new_rule() -> None:
    local = _toy_registry()
    assert local.get("FZ150") is local.get("FZ110")
    with pytest.raises(ValueError):
        rule(code="FZ150", name="reuse", severity=Severity.ERROR, summary="s", registry=local)(
            lambda entry: []
        )
    with pytest.raises(UsageError, match="unknown rule code"):
        local.get("FZ999")


def test_real_redirects_point_at_registered_rules() -> None:
    codes = {r.code for r in RULES}
    for old, new in reg.REDIRECTS.items():
        assert old not in codes and new in codes


def test_default_selection_is_every_stable_rule() -> None:
    assert all_rules().select() == [r for r in RULES if r.lifecycle is Lifecycle.STABLE]
    assert any(r.lifecycle is Lifecycle.PREVIEW for r in RULES)


def test_docs_page_is_generated_from_the_registry() -> None:
    """docs/check.md is rewritten with FLUXZOO_UPDATE_GOLDENS=1; a stale or missing page fails."""
    import os

    from fluxzoo.checks.reference import render

    page = Path(__file__).parents[1] / "docs" / "check.md"
    wanted = render()
    current = page.read_text(encoding="utf-8") if page.exists() else None
    if current != wanted and os.environ.get("FLUXZOO_UPDATE_GOLDENS") == "1":
        page.write_text(wanted, encoding="utf-8")
    assert current == wanted, (
        "docs/check.md is stale: python -m fluxzoo.checks.reference > docs/check.md"
    )
    for r in RULES:
        assert f"### {r.code} {r.name}" in current
