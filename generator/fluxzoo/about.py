"""The entry's facts on its docs page: the "About this tutorial" list atop its script.

The template writes the list under the title and description, from the same metadata that
`tutorial.toml` holds (authors, dataset and licence, hardware, expected runtime, references),
each value escaped by `jinja_filters.markdown_text`, so the docs page and the notebook, which
Literate derives from the script, show them. `tutorial.toml` is the source of these facts (the
index and the site read it); FZ408 reports a list that no longer says what it says and rewrites
the list from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HEADING = "# ## About this tutorial"


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _hardware(meta: Mapping[str, Any]) -> str:
    hardware, backend = meta.get("hardware"), _text(meta.get("gpu_backend"))
    if hardware == "cpu":
        return "a CPU is enough"
    if hardware == "gpu-optional":
        return f"a CPU is enough; it uses a GPU ({backend}) when there is one"
    if hardware == "gpu-required":
        return f"a GPU ({backend})"
    return _text(hardware)


def lines(meta: Mapping[str, Any]) -> list[str]:
    """The list's Literate lines for the metadata of `tutorial.toml` (a parsed mapping)."""
    from fluxzoo.jinja_filters import markdown_text

    dataset = meta.get("dataset")
    facts = [("Authors", _text(meta.get("authors")))]
    if isinstance(dataset, Mapping):
        name, source = _text(dataset.get("name")), _text(dataset.get("source"))
        facts += [("Dataset", f"{name}, {source}"), ("Dataset licence", dataset.get("license"))]
    facts += [
        ("Hardware", _hardware(meta)),
        ("Expected runtime of a full run", meta.get("expected_runtime")),
    ]
    if meta.get("references"):
        facts.append(("References", meta.get("references")))
    items = [f"# - {label}: {markdown_text(_text(value))}" for label, value in facts]
    return [HEADING, "#", *items]


def span(source: str) -> tuple[int, int] | None:
    """Where the list is in the script: (index of its heading line, index after its last
    line), the lines being `source.split("\\n")`; None when the script has no such heading."""
    found = source.split("\n")
    if HEADING not in found:
        return None
    start = found.index(HEADING)
    end = start + 1
    while end < len(found) and found[end].startswith("#") and not found[end].startswith("# ##"):
        end += 1
    return start, end
