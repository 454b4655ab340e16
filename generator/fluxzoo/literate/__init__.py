"""Literate.jl 2.21 in pure Python: a Literate source to markdown, a notebook, or a script.

The output is byte for byte what Literate.jl writes for the same input and options, for
everything that does not run code (see `parse` for the format). Only the standard library is
used, so the cookiecutter hooks can import this package on their own.

    from fluxzoo.literate import LiterateOptions, Flavor, markdown, notebook, script
    page = markdown(source, LiterateOptions(name="mnist", flavor=Flavor.COMMONMARK))
"""

from __future__ import annotations

import re
from typing import Any

from fluxzoo.errors import UsageError
from fluxzoo.literate import emit_markdown, emit_notebook, emit_script
from fluxzoo.literate.ci import ci_links
from fluxzoo.literate.filters import Output, prepare
from fluxzoo.literate.options import Flavor, JSONVersion, LiterateOptions
from fluxzoo.literate.parse import Chunk, CodeChunk, MDChunk, parse

__all__ = [
    "Chunk",
    "CodeChunk",
    "Flavor",
    "JSONVersion",
    "LiterateOptions",
    "MDChunk",
    "chunks",
    "ci_links",
    "markdown",
    "notebook",
    "notebook_dict",
    "parse",
    "script",
]


def _flavor(options: LiterateOptions, output: Output) -> Flavor:
    if options.flavor is not None:
        return options.flavor
    return Flavor.DOCUMENTER if output is Output.MARKDOWN else Flavor.DEFAULT


def _execute(options: LiterateOptions, output: Output) -> bool:
    """Literate's `execute` default: false for markdown, true for notebook and script (:375)."""
    return options.execute if options.execute is not None else output is not Output.MARKDOWN


def _block_name(options: LiterateOptions) -> str:
    """The `@example` block name: whitespace becomes `_` only in the file-derived name (:380)."""
    return re.sub(r"\s", "_", options.name) if options.name_from_file else options.name


def chunks(source: str, options: LiterateOptions, output: Output) -> list[Chunk]:
    """The chunks Literate's `preprocessor` hands to the emitter for `output`."""
    flavor = _flavor(options, output)
    if flavor is Flavor.QUARTO and _execute(options, output):
        # Literate throws for every output (src/Literate.jl:498-501); execute defaults to true
        # for notebooks and scripts, so those need it set to false explicitly.
        raise UsageError(
            "the quarto flavor does not support execute = true "
            f"(Literate.jl refuses it); set execute = false for the {output.name.lower()}"
        )
    text = options.preprocess(source) if options.preprocess else source
    if output is Output.MARKDOWN and flavor is Flavor.DOCUMENTER:
        edit_url = options.edit_url if options.edit_url is not None else f"{options.name}.jl"
        edit_url = edit_url.replace("\\", "/")
        text = f'# ```@meta\n# EditURL = "{edit_url}"\n# ```\n\n' + text
    text = prepare(text, output, options, flavor)
    return parse(text, flavor, allow_continued=output is not Output.NOTEBOOK)


def markdown(source: str, options: LiterateOptions) -> str:
    """What `Literate.markdown` writes (`.md`, or `.qmd` for the quarto flavor)."""
    flavor = _flavor(options, Output.MARKDOWN)
    execute = _execute(options, Output.MARKDOWN)
    fence = options.codefence or emit_markdown.default_codefence(
        flavor, execute, _block_name(options)
    )
    text = emit_markdown.emit(
        chunks(source, options, Output.MARKDOWN),
        flavor=flavor,
        codefence=fence,
        execute=execute,
    )
    return options.postprocess(text) if options.postprocess else text


def notebook_dict(source: str, options: LiterateOptions) -> dict[str, Any]:
    """The notebook as a dict (after `postprocess`), before it is written as JSON."""
    nb = emit_notebook.build(
        chunks(source, options, Output.NOTEBOOK), options.julia_version, options.json
    )
    return options.postprocess(nb) if options.postprocess else nb


def notebook(source: str, options: LiterateOptions) -> str:
    """What `Literate.notebook(...; execute = false)` writes: the `.ipynb` JSON text."""
    return emit_notebook.to_json(notebook_dict(source, options), options.json)


def script(source: str, options: LiterateOptions) -> str:
    """What `Literate.script` writes."""
    text = emit_script.emit(
        chunks(source, options, Output.SCRIPT), keep_comments=options.keep_comments
    )
    return options.postprocess(text) if options.postprocess else text
