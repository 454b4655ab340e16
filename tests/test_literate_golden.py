"""Whole conversions of realistic sources, compared byte for byte with files under golden/literate.

A missing golden file is written and the test fails; `FLUXZOO_UPDATE_GOLDENS=1` rewrites them
all. Nothing is normalised: byte equality with Literate.jl is the point of the converter.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from fluxzoo.literate import Flavor, LiterateOptions, markdown, notebook, script

GOLDEN = Path(__file__).parent / "golden" / "literate"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.jl").is_file())
URLS = {
    "repo_root_url": "https://github.com/FluxML/model-zoo/blob/master",
    "nbviewer_root_url": "https://nbviewer.jupyter.org/github/FluxML/model-zoo/blob/gh-pages/dev",
}

OUTPUTS: dict[str, Callable[[str, str], str]] = {
    "documenter.md": lambda src, name: markdown(src, LiterateOptions(name=name, **URLS)),
    "commonmark.md": lambda src, name: markdown(
        src, LiterateOptions(name=name, flavor=Flavor.COMMONMARK, **URLS)
    ),
    "franklin.md": lambda src, name: markdown(
        src, LiterateOptions(name=name, flavor=Flavor.FRANKLIN, **URLS)
    ),
    "quarto.qmd": lambda src, name: markdown(
        src, LiterateOptions(name=name, flavor=Flavor.QUARTO, **URLS)
    ),
    "notebook.ipynb": lambda src, name: notebook(
        src, LiterateOptions(name=name, julia_version="1.10.5", **URLS)
    ),
    "script.jl": lambda src, name: script(src, LiterateOptions(name=name, **URLS)),
    "script-with-comments.jl": lambda src, name: script(
        src, LiterateOptions(name=name, keep_comments=True, **URLS)
    ),
}


def assert_golden(path: Path, actual: str) -> None:
    if os.environ.get("FLUXZOO_UPDATE_GOLDENS") == "1" or not path.exists():
        existed = path.exists()
        path.write_bytes(actual.encode("utf-8"))
        if not existed:
            pytest.fail(
                f"golden file {path} was missing; it has been written, review and commit it"
            )
        return
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), str(path), "actual"
            )
        )
        pytest.fail(f"output differs from {path} (FLUXZOO_UPDATE_GOLDENS=1 rewrites it):\n{diff}")


@pytest.mark.parametrize("output", sorted(OUTPUTS))
@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, output: str) -> None:
    source = (GOLDEN / case / "input.jl").read_bytes().decode("utf-8")
    actual = OUTPUTS[output](source, case)
    if output.endswith(".ipynb"):
        nbformat.validate(nbformat.from_dict(json.loads(actual)))
    assert_golden(GOLDEN / case / output, actual)
