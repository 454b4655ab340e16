"""What the template runs besides rendering, as plain functions of the context and the entry.

`pre_gen` validates the answers: the template's folder name calls it
(`jinja_filters.entry_folder`), before cookiecutter creates anything. `post_gen` writes the
files the template does not render: `tutorial.toml`, `Project.toml`, and the notebook and docs
page derived from the script; `hooks/post_gen_project.py` is a shim that calls `run_post_gen`
under plain cookiecutter, and `fluxzoo new` calls `post_gen` in-process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fluxzoo import answers, metadata, projectfile
from fluxzoo.errors import FluxzooError


def pre_gen(context: Mapping[str, Any]) -> answers.Answers:
    """The completed, validated answers; raises `ValidationError` naming a bad one."""
    given = {k: v for k, v in context.items() if not k.startswith("_")}
    answers.refuse_unfollowed(given)
    return answers.resolve(given)


def post_gen(context: Mapping[str, Any], entry_dir: Path) -> None:
    """Write the generated (non-Jinja) files of a freshly rendered entry."""
    from fluxzoo.sync import derived_files

    resolved = pre_gen(context)
    version = str(context.get("_template_version") or answers.template_version())
    metadata.write(entry_dir, metadata.from_answers(resolved, version))
    projectfile.write(entry_dir, resolved)
    for name, text in derived_files(entry_dir).items():
        (entry_dir / name).write_text(text, encoding="utf-8", newline="\n")


def run_post_gen(context_json: str) -> int | str:
    """Entry point of the hook script: 0, or the one-line message cookiecutter should show."""
    try:
        post_gen(json.loads(context_json), Path.cwd())
    except FluxzooError as e:
        return f"fluxzoo: error: {e}"
    return 0
