"""What a conversion is asked to do: Literate.jl's configuration as a frozen dataclass.

Literate keeps its configuration in a `Dict{String,Any}` whose defaults depend on the output
type; here every field has one meaning, and `None` stands for "Literate's default for this
output" where Literate's own default differs between markdown, notebook and script.
Environment variables are never read here; see `fluxzoo.literate.ci` for that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Flavor(Enum):
    """Literate's markdown flavors (`Literate.DocumenterFlavor()` and friends)."""

    DEFAULT = "default"
    DOCUMENTER = "documenter"
    COMMONMARK = "commonmark"
    FRANKLIN = "franklin"
    QUARTO = "quarto"


@dataclass(frozen=True)
class LiterateOptions:
    """Options of `Literate.markdown`/`notebook`/`script`, for the parts that run no code.

    `name` is what Literate derives from the input file name (`@__NAME__`, the Documenter
    `@example` block name, where whitespace becomes `_`).

    `execute` only changes what Literate changes without running anything: the Documenter code
    fence (`````julia`` instead of `````@example``) and whether `#hide` lines are dropped. Code is
    never run, so no outputs are ever inserted. Literate's notebooks execute by default; these
    notebooks are what `Literate.notebook(...; execute = false)` writes.
    """

    name: str
    flavor: Flavor | None = None
    """None: documenter for markdown, default for notebook and script (as Literate)."""
    credit: bool = True
    mdstrings: bool = False
    keep_comments: bool = False
    execute: bool = False
    codefence: tuple[str, str] | None = None
    """Opening and closing fence for code blocks; None picks Literate's fence for the flavor."""
    edit_url: str | None = None
    """Documenter `EditURL`: the source relative to the output folder; None means `<name>.jl`."""
    edit_commit: str = "master"
    repo_root_url: str | None = None
    nbviewer_root_url: str | None = None
    binder_root_url: str | None = None
    documentation_generator_base_url: str | None = None
    """Set when building under DocumentationGenerator.jl: then only `@__NBVIEWER_ROOT_URL__` is
    replaced (by `https://nbviewer.jupyter.org/urls/<this>`) and the other two URLs are kept."""
    julia_version: str = "1.10.0"
    """The Julia whose kernel the notebook names: kernelspec `julia-X.Y`, display `Julia <this>`."""
    preprocess: Callable[[str], str] | None = None
    """Applied to the source text before anything else."""
    postprocess: Callable[[Any], Any] | None = None
    """Applied to the result: the text for markdown and script, the notebook dict for notebooks."""
