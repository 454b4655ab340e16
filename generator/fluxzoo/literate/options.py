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


class JSONVersion(Enum):
    """Which JSON.jl writes the notebook: Literate prints it with `JSON.print(io, nb, 1)`.

    The value names the first JSON.jl release with that behaviour; Literate 2.21 accepts
    JSON.jl 0.18-0.21 and 1 (its Project.toml), so the resolver picks one of these:

    - `"1.5"` (the default: what a fresh install resolves, JSON.jl 1.7 at the time of writing):
      no final newline; the keys of every Julia `Dict` sorted (`_sort_keys_by_default(x) = x isa
      Dict`, src/write.jl of JSON.jl 1.6; 1.5 sorted every dict but `JSON.Object`); `%%` cell
      metadata parsed into a `JSON.Object`, which keeps its source key order.
    - `"1.0"` (JSON.jl 1.0-1.4, which built Literate's own v2.21.0 docs): no final newline,
      `Dict` keys in Julia's hash order, parsed metadata in source order.
    - `"0.21"`: a final newline, and every object (parsed metadata too) in `Dict` hash order.
    """

    V1_5 = "1.5"
    V1_0 = "1.0"
    V0_21 = "0.21"


@dataclass(frozen=True)
class LiterateOptions:
    """Options of `Literate.markdown`/`notebook`/`script`, for the parts that run no code.

    `name` is `@__NAME__` and the output's name. By default it is what Literate derives from the
    input file name, and only then does whitespace become `_` in the Documenter `@example` block
    name (Literate.jl 2.21 src/Literate.jl:380); a `name` the user passes is used as it is
    (`name_from_file=False`).

    `execute` only changes what Literate changes without running anything: the Documenter code
    fence (`````julia`` instead of `````@example``), whether `#hide` lines are dropped, and the
    quarto flavor's refusal of `execute = true`. Code is never run, so no outputs are ever
    inserted: a notebook is what `Literate.notebook(...; execute = false)` writes.
    """

    name: str
    name_from_file: bool = True
    flavor: Flavor | None = None
    """None: documenter for markdown, default for notebook and script (as Literate)."""
    credit: bool = True
    mdstrings: bool = False
    keep_comments: bool = False
    execute: bool | None = None
    """None: Literate's default, false for markdown and true for notebook and script."""
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
    json: JSONVersion = JSONVersion.V1_5
    """The JSON.jl whose printing the notebook text reproduces."""
    julia_version: str = "1.10.0"
    """The Julia whose kernel the notebook names: kernelspec `julia-X.Y`, display `Julia <this>`."""
    preprocess: Callable[[str], str] | None = None
    """Applied to the source text before anything else."""
    postprocess: Callable[[Any], Any] | None = None
    """Applied to the result: the text for markdown and script, the notebook dict for notebooks."""
