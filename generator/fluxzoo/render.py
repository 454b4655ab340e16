"""Rendering an entry from the template: all or nothing, never over existing files.

This is the only module that imports cookiecutter. It calls cookiecutter's `generate_files`
on a context built from validated answers, so answers are inserted as data and never rendered
as Jinja themselves (cookiecutter's prompting path would render `{{ 7*7 }}` in a title), and
no user configuration or replay file is read or written. The entry is built in a temporary
folder beside its destination (same file system) and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fluxzoo import _paths, answers, hooks_impl
from fluxzoo.errors import FluxzooError

_TEMP_PREFIX = ".fluxzoo-new-"


def context_for(resolved: answers.Answers) -> dict[str, Any]:
    """The cookiecutter context for validated answers, with the template's private keys."""
    private = {
        k: v
        for k, v in answers.template_config().items()
        if k.startswith("_") and k != "__prompts__"
    }
    return {"cookiecutter": {**resolved, **private}}


def render_entry(resolved: answers.Answers, dest: Path, *, template: Path | None = None) -> Path:
    """Create the entry for `resolved` at `dest`, which must not exist yet; returns `dest`.

    `template` is the template folder to render (default: the current one); `fluxzoo update`
    passes an archived version to rebuild what an older template made.

    On any failure, or Ctrl-C, nothing is left behind: no partial entry, no temporary folder,
    no parent folder created for it.
    """
    dest = Path(os.path.abspath(dest))  # noqa: PTH100 - normalise '..' without resolving links
    if dest.exists() or dest.is_symlink():
        raise FluxzooError(
            "already exists; nothing was changed (choose another slug or folder)", path=dest
        )
    anchor = _existing_ancestor(dest.parent)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=anchor))
    except OSError as e:
        raise FluxzooError(f"cannot create the entry here: {e.strerror}", path=anchor) from None
    try:
        built = _generate(resolved, tmp, template or _paths.template_dir())
    except BaseException:  # includes Ctrl-C: undo, then let it go on
        with _sigint_ignored():
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    # The entry is complete: finishing is quicker than undoing, so Ctrl-C waits for it.
    with _sigint_ignored():
        try:
            _move_into_place(built, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _generate(resolved: answers.Answers, tmp: Path, template: Path) -> Path:
    from cookiecutter.generate import generate_files

    context = context_for(resolved)
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


def _move_into_place(built: Path, dest: Path) -> None:
    created = []
    for parent in reversed(dest.parents):
        if not parent.exists():
            parent.mkdir()
            created.append(parent)
    try:
        if dest.exists() or dest.is_symlink():  # appeared while rendering
            raise FileExistsError(dest)
        built.rename(dest)
    except OSError as e:
        for parent in reversed(created):
            with contextlib.suppress(OSError):
                parent.rmdir()
        if isinstance(e, FileExistsError):
            raise FluxzooError("already exists; nothing was changed", path=dest) from None
        raise FluxzooError(f"cannot move the entry into place: {e.strerror}", path=dest) from None


def _existing_ancestor(path: Path) -> Path:
    while not path.is_dir():
        if path.exists() or path == path.parent:
            raise FluxzooError("not a folder", path=path)
        path = path.parent
    return path


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C for a step that must not be cut in half (cleaning up, moving into place)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
