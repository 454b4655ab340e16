"""What the cookiecutter hooks do, as plain functions of the context and the new entry's folder.

`hooks/*.py` are shims that call `run_hook` under plain cookiecutter; `fluxzoo new` calls
`pre_gen` and `post_gen` in-process. Either way the same code validates the answers and
writes the files the template does not render: `tutorial.toml`, `Project.toml`, and the
notebook and docs page derived from the script.
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


def run_hook(name: str, context_json: str) -> int | str:
    """Entry point of the hook scripts: 0, or the one-line message cookiecutter should show."""
    context = json.loads(context_json)
    try:
        if name == "pre_gen":
            pre_gen(context)
        else:
            post_gen(context, Path.cwd())
    except FluxzooError as e:
        return f"fluxzoo: error: {e}"
    return 0
