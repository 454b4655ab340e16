"""Findings as data, and the three ways `fluxzoo check` prints them.

A rule yields `Finding`s (where and what); the runner stamps each with the rule's code and
severity, giving a `Diagnostic`. `line` and `col` are 1-based; `None` means the finding is about
the whole file (a missing file, a stray checkpoint), and the formats then leave them out.

The JSON format is a stable interface for tools; its schema is `JSON_SCHEMA` below, documented
in docs/check.md. Changes that are not additions bump `JSON_VERSION`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fluxzoo.checks.registry import Severity
from fluxzoo.errors import printable

JSON_VERSION = 1


@dataclass(frozen=True)
class Finding:
    """What a rule reports: a file (relative to the entry), where in it, and how to fix it."""

    path: str
    message: str
    line: int | None = None
    col: int | None = None


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    """The file, as the user would write it (relative to the working folder when inside it)."""
    line: int | None
    col: int | None
    code: str
    message: str
    severity: Severity
    name: str = ""
    """The rule's kebab-case name, for people reading the output."""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.col or 0, self.code)


def diagnostic(
    entry_path: Path, finding: Finding, code: str, name: str, severity: Severity
) -> Diagnostic:
    path = (entry_path / finding.path) if finding.path else entry_path
    return Diagnostic(
        path=path.as_posix(),
        line=finding.line,
        col=finding.col if finding.line is not None else None,
        code=code,
        message=finding.message,
        severity=severity,
        name=name,
    )


@dataclass(frozen=True)
class Summary:
    entries: int
    errors: int
    warnings: int

    @classmethod
    def of(cls, entries: int, diagnostics: Sequence[Diagnostic]) -> Summary:
        return cls(
            entries=entries,
            errors=sum(d.severity is Severity.ERROR for d in diagnostics),
            warnings=sum(d.severity is Severity.WARNING for d in diagnostics),
        )


def _location(d: Diagnostic) -> str:
    if d.line is None:
        return d.path
    return f"{d.path}:{d.line}:{d.col or 1}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(summary: Summary) -> str:
    checked = _count(summary.entries, "entry", "entries")
    if not summary.errors and not summary.warnings:
        return f"All checks passed ({checked} checked)."
    return (
        f"Found {_count(summary.errors, 'error', 'errors')} and "
        f"{_count(summary.warnings, 'warning', 'warnings')} ({checked} checked)."
    )


def format_text(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """`path:line:col: FZ123 [error] message` lines, then one summary line."""
    lines = [printable(f"{_location(d)}: {d.code} [{d.severity}] {d.message}") for d in diagnostics]
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


def format_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    document = {
        "version": JSON_VERSION,
        "summary": {
            "entries": summary.entries,
            "errors": summary.errors,
            "warnings": summary.warnings,
        },
        "diagnostics": [
            {
                "code": d.code,
                "name": d.name,
                "severity": d.severity.value,
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "message": d.message,
            }
            for d in diagnostics
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the file."""
    lines = []
    for d in diagnostics:
        props = [f"file={_escape_property(d.path)}"]
        if d.line is not None:
            props += [f"line={d.line}", f"col={d.col or 1}"]
        props.append(f"title={_escape_property(f'{d.code} {d.name}'.strip())}")
        lines.append(f"::{d.severity.value} {','.join(props)}::{_escape_data(d.message)}")
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}

JSON_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "fluxzoo check --format json",
    "type": "object",
    "required": ["version", "summary", "diagnostics"],
    "properties": {
        "version": {"const": JSON_VERSION},
        "summary": {
            "type": "object",
            "required": ["entries", "errors", "warnings"],
            "properties": {
                "entries": {"type": "integer", "minimum": 0},
                "errors": {"type": "integer", "minimum": 0},
                "warnings": {"type": "integer", "minimum": 0},
            },
        },
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "severity", "path", "line", "col", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": r"^FZ\d{3}$"},
                    "name": {"type": "string"},
                    "severity": {"enum": ["error", "warning"]},
                    "path": {"type": "string"},
                    "line": {"type": ["integer", "null"], "minimum": 1},
                    "col": {"type": ["integer", "null"], "minimum": 1},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
