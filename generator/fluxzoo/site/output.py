"""Where the site may be written, and writing it in one step.

The site is built in a hidden folder beside `--output` and swapped in whole
(`transaction.Folder`), so a reader or a failed build never sees half a site. The only thing
ever removed is an earlier site: `--output` must be new, empty, or hold the marker file
`fluxzoo site` writes; and it may not be the zoo, hold the zoo, or lie inside an entry (the
site would then be built from, or into, what it shows).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from fluxzoo.errors import FluxzooError, UsageError
from fluxzoo.site import layout
from fluxzoo.transaction import Folder, inside


def check_output(output: Path, zoo: Path, entry_folders: Iterable[Path]) -> Path:
    """The resolved output folder, or a one-line UsageError saying why it cannot be used."""
    where = output.resolve()
    zoo_real = zoo.resolve()
    if where == zoo_real:
        raise UsageError(
            f"--output {output}: is the zoo itself; give a new folder, e.g. --output site"
        )
    if zoo_real.is_relative_to(where):
        raise UsageError(f"--output {output}: holds the zoo; give a new folder, e.g. --output site")
    for folder in entry_folders:
        if where.is_relative_to(folder.resolve()):
            raise UsageError(
                f"--output {output}: is inside the entry {folder}; choose a folder outside it"
            )
    if where.exists() or os.path.lexists(where):
        if not where.is_dir():
            raise UsageError(f"--output {output}: exists and is not a folder")
        if any(where.iterdir()) and not (where / layout.MARKER).is_file():
            raise UsageError(
                f"--output {output}: is not empty and was not built by 'fluxzoo site'; "
                "give a new or empty folder"
            )
    return where


def write(output: Path, files: Mapping[str, str | bytes | Path]) -> None:
    """Write the site: `files` maps site paths to text, bytes, or a file to copy."""
    with Folder(
        output, prefix=".fluxzoo-site-", what=f"wrote the site to {output}", replace=True
    ) as new:
        new.path.mkdir()
        made = {new.path}
        for rel in sorted(files):
            content = files[rel]
            target = inside(new.path, rel)
            if target.parent not in made:  # one mkdir per folder, not per file
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            try:
                if isinstance(content, Path):
                    shutil.copyfile(content, target)
                elif isinstance(content, str):
                    target.write_text(content, encoding="utf-8", newline="\n")
                else:
                    target.write_bytes(content)
            except OSError as e:
                raise FluxzooError(f"cannot write {rel}: {e.strerror}", path=output) from None
        new.commit()
