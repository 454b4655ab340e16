"""Rendering an entry from the template: all or nothing, never over existing files.

This is the only module that imports cookiecutter. It calls cookiecutter's `generate_files`
on a context built from validated answers, so answers are inserted as data and never rendered
as Jinja themselves (cookiecutter's prompting path would render `{{ 7*7 }}` in a title), and
no user configuration or replay file is read or written. The entry is built in a temporary
folder beside its destination (same file system) and moved into place only when complete,
through `fluxzoo.transaction.Folder`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fluxzoo import _paths, answers, hooks_impl
from fluxzoo.errors import FluxzooError

_TEMP_PREFIX = ".fluxzoo-new-"


def context_for(resolved: answers.Answers, template: Path | None = None) -> dict[str, Any]:
    """The cookiecutter context for validated answers, with the template's private keys.

    The keys (`_template_version` among them) come from the template being rendered, so an
    archived version renders as it did when it was current.
    """
    if template is None or template == _paths.template_dir():
        config = answers.template_config()
    else:
        config = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    private = {k: v for k, v in config.items() if k.startswith("_") and k != "__prompts__"}
    return {"cookiecutter": {**resolved, **private}}


def render_entry(
    resolved: answers.Answers, dest: Path, *, template: Path | None = None, scratch: bool = False
) -> Path:
    """Create the entry for `resolved` at `dest`, which must not exist yet; returns `dest`.

    `template` is the template folder to render (default: the current one); `fluxzoo update`
    passes an archived version to rebuild what an older template made, into a `scratch` folder
    of its own (not reported as written when an interrupt stops the command).

    On any failure, or Ctrl-C, nothing is left behind: no partial entry, no temporary folder,
    no parent folder created for it.
    """
    from fluxzoo.transaction import Folder

    dest = Path(os.path.abspath(dest))  # noqa: PTH100 - normalise '..' without resolving links
    if os.path.lexists(dest):
        raise FluxzooError(
            "already exists; nothing was changed (choose another slug or folder)", path=dest
        )
    what = None if scratch else f"created {dest}"
    with Folder(dest, prefix=_TEMP_PREFIX, what=what) as new:
        _generate(resolved, new.work, template or _paths.template_dir())
        new.commit()
    return dest


def _generate(resolved: answers.Answers, tmp: Path, template: Path) -> Path:
    from cookiecutter.generate import generate_files

    context = context_for(resolved, template)
    try:
        out = Path(generate_files(template, context, tmp, accept_hooks=False))
        # The same steps the hooks run under plain cookiecutter, in-process.
        hooks_impl.post_gen(context["cookiecutter"], out)
    except OSError as e:
        if e.errno is None:  # Jinja's TemplateNotFound is an OSError too: a template bug
            raise
        raise FluxzooError(f"cannot write the entry: {e.strerror}", path=e.filename) from None
    if list(tmp.iterdir()) != [tmp / resolved["slug"]] or out != tmp / resolved["slug"]:
        raise FluxzooError(f"the template wrote outside the entry folder {resolved['slug']!r}")
    return out
