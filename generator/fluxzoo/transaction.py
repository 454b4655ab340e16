"""Replacing files so that an interrupt leaves the old state or the new one, never a mix.

Every command that changes files on disk goes through this module: `adopt` swaps a rebuilt copy
of the entry in, `update` and `sync` replace files of entries, `new` moves a rendered entry into
place, `check --fix` rewrites files. The guarantee, for SIGINT (Ctrl-C) and SIGTERM arriving at
any instruction: afterwards either nothing changed or the whole change is there, no temporary
file or folder is left, and the message printed says which
(`fluxzoo.interrupts.interrupted_message`).

How:

- Everything is built first where nobody looks: file texts as temporary files beside their
  targets (same folder, so the final rename is atomic), a folder as a temporary sibling.
  An interrupt while building removes what was built, and the original is untouched.
- The commit (the renames that make the change visible, and removing the leftovers) runs in a
  `critical` section: SIGINT and SIGTERM arriving then are held and acted on right after, when
  the change is complete and recorded in `interrupts.completed`. The commit is a few renames,
  so the wait is short. A folder is swapped with one `renameat2(RENAME_EXCHANGE)` where the
  system has it, so even a SIGKILL leaves the old or the new folder in place (and perhaps a
  hidden leftover).
- An `OSError` in the middle of a commit undoes the renames done so far, from backups kept until
  the commit is over: a failing disk gives the old state and an error naming the file.
- Every path written is checked to lie inside the folder it belongs to after resolving links
  (`inside`): a hostile slug, or a symbolic link in the entry pointing elsewhere, cannot make
  fluxzoo write outside.

Each step has a named `fluxzoo.interrupts.checkpoint` (`<label>:staged`, `:committing`,
`:committed`, and `:copied` for folders) where tests hold the command open and signal it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from fluxzoo.errors import FluxzooError
from fluxzoo.interrupts import checkpoint, completed, critical


def inside(root: Path, rel: str | Path) -> Path:
    """`root / rel`, refused unless it lies inside `root` once every link is resolved.

    `rel` must be relative, without `..`; the file itself may be a link (replacing it replaces
    the link), but no folder on the way may lead out of `root`.
    """
    rel_path = Path(rel)
    parts = rel_path.parts
    if not parts or rel_path.is_absolute() or any(p in ("..", ".", "") for p in parts):
        raise FluxzooError(f"refusing to write {str(rel)!r}: not a plain path inside", path=root)
    if any("\0" in p or len(os.fsencode(p)) > 255 for p in parts):
        raise FluxzooError(f"refusing to write {str(rel)[:80]!r}: not a valid file name", path=root)
    path = root / rel_path
    try:
        real_root = root.resolve(strict=True)
        real_parent = path.parent.resolve()
    except (OSError, RuntimeError) as e:
        raise FluxzooError(f"cannot resolve: {_reason(e)}", path=path.parent) from None
    if real_parent != real_root and real_root not in real_parent.parents:
        raise FluxzooError(
            f"refusing to write: {path.parent} leads outside {root} (a symbolic link?)", path=path
        )
    return path


def write_private(root: Path, rel: str | Path, data: bytes | str) -> None:
    """Write a file of a folder nobody else sees yet (a `Folder` being built), replacing links.

    No atomicity is needed there; only containment: an existing link is replaced, not followed.
    """
    path = inside(root, rel)
    _make_parents(path.parent)
    if os.path.lexists(path) and not (path.is_dir() and not path.is_symlink()):
        path.unlink()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(raw)


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    return "too many levels of symbolic links"


# Files -----------------------------------------------------------------------------------------


class Files:
    """Files of one or more folders replaced, created or removed together.

    Stage with `write` and `remove` (paths relative to a folder they must stay inside), then
    `commit`. Staging writes nothing; `commit` writes everything or, on error or interrupt
    before it is done, nothing.
    """

    def __init__(self, what: str, *, label: str = "files"):
        self.what = what
        self.label = label
        self._writes: dict[Path, bytes] = {}
        self._removes: list[Path] = []

    def write(self, root: Path, rel: str | Path, data: bytes | str) -> Path:
        path = inside(root, rel)
        self._writes[path] = data.encode("utf-8") if isinstance(data, str) else data
        return path

    def remove(self, root: Path, rel: str | Path) -> Path:
        path = inside(root, rel)
        self._removes.append(path)
        return path

    def __bool__(self) -> bool:
        return bool(self._writes or self._removes)

    def commit(self) -> None:
        staged: list[tuple[Path, Path]] = []
        created: list[Path] = []
        try:
            for path, data in self._writes.items():
                with critical():  # so that no temporary file exists without being listed
                    created += _make_parents(path.parent)
                    staged.append((_stage(path, data), path))
            checkpoint(f"{self.label}:staged")
        except BaseException as e:
            with critical():
                _discard(staged, created)
            if isinstance(e, OSError):
                raise _error("cannot write", e) from None
            raise
        with critical():
            self._swap_in(staged, created)

    def _swap_in(self, staged: list[tuple[Path, Path]], created: list[Path]) -> None:
        done: list[tuple[Path, Path | None]] = []
        try:
            for i, (tmp, path) in enumerate(staged):
                backup = _backup(path, tmp)
                tmp.replace(path)
                done.append((path, backup))
                if i == 0:
                    checkpoint(f"{self.label}:committing")
            for path in self._removes:
                if os.path.lexists(path):
                    backup = _unique_beside(path, ".fluxzoo-old")
                    path.replace(backup)
                    done.append((path, backup))
        except OSError as e:
            _undo(done)
            _discard(staged, created)
            raise _error("cannot write", e) from None
        completed.append(self.what)
        checkpoint(f"{self.label}:committed")
        for _, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and missing parents; the ones created, outermost first."""
    missing = []
    while not folder.is_dir():
        if os.path.lexists(folder):
            raise FileExistsError(errno.EEXIST, "exists and is not a folder", str(folder))
        missing.append(folder)
        folder = folder.parent
    created = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        created.append(path)
    return created


def _unique_beside(path: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:200]}.", suffix=suffix)
    os.close(fd)
    return Path(name)


def _stage(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:200]}.", suffix=".fluxzoo")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        mode = _mode_of(path)
        tmp.chmod(mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _mode_of(path: Path) -> int:
    """The permission bits of the file being replaced, else those a new file gets."""
    try:
        st = path.lstat()
        if not path.is_symlink():
            return st.st_mode & 0o777
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _backup(path: Path, tmp: Path) -> Path | None:
    """A hard link to the file `path` holds now, so the commit can be undone; None if new."""
    if not os.path.lexists(path):
        return None
    if path.is_dir() and not path.is_symlink():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    backup = Path(f"{tmp}-old")
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, backup, follow_symlinks=False)
    return backup


def _undo(done: list[tuple[Path, Path | None]]) -> None:
    for path, backup in reversed(done):
        with contextlib.suppress(OSError):
            if backup is None:
                path.unlink()
            else:
                backup.replace(path)


def _discard(staged: list[tuple[Path, Path]], created: list[Path]) -> None:
    for tmp, _ in staged:
        for leftover in (tmp, Path(f"{tmp}-old")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _error(doing: str, e: OSError) -> FluxzooError:
    return FluxzooError(f"{doing}: {e.strerror or e}; nothing was changed", path=e.filename)


# Folders ---------------------------------------------------------------------------------------


class Folder:
    """A folder built in a hidden sibling, then put at `dest` in one step.

    With `copy=True` the build starts from a copy of the existing `dest` (which is swapped out
    on commit); with `replace=True` the build starts empty and swaps out an existing `dest`;
    otherwise `dest` must not exist and the built folder is moved there. The hidden
    sibling goes away whatever happens. Use as a context manager; `path` is where to build.
    `what` says what the commit did; None for a scratch build no message needs to mention.
    """

    def __init__(
        self,
        dest: Path,
        *,
        prefix: str,
        what: str | None,
        copy: bool = False,
        replace: bool = False,
    ):
        self.dest = dest
        self._replace = replace
        self.what = what
        self.label = prefix.strip(".-").removeprefix("fluxzoo-")
        self._copy = copy
        self._prefix = prefix
        self._work: Path | None = None
        self.path = dest
        """Where to build: the folder inside the hidden sibling that becomes `dest`."""

    def __enter__(self) -> Folder:
        anchor = self.dest.parent if self._copy else _existing_ancestor(self.dest.parent)
        try:
            with critical():  # so that the hidden folder never exists without `work` naming it
                self._work = Path(tempfile.mkdtemp(prefix=self._prefix, dir=anchor))
        except OSError as e:
            raise FluxzooError(f"cannot write here: {e.strerror}", path=anchor) from None
        self.path = self._work / self.dest.name
        try:
            if self._copy:
                shutil.copytree(self.dest, self.path, symlinks=True, copy_function=_copy_regular)
            checkpoint(f"{self.label}:copied")
        except BaseException as e:
            self._cleanup()
            if isinstance(e, OSError):
                why = _first_error(e)
                raise FluxzooError(f"cannot copy it: {why}", path=self.dest) from None
            raise
        return self

    @property
    def work(self) -> Path:
        """The hidden sibling folder itself (`path` is inside it)."""
        if self._work is None:
            raise RuntimeError("Folder.work is only there inside its `with` block")
        return self._work

    def __exit__(self, *exc: object) -> None:
        self._cleanup()

    def _cleanup(self) -> None:
        if self._work is not None:
            with critical():
                shutil.rmtree(self._work, ignore_errors=True)
                self._work = None

    def commit(self) -> None:
        """Put the built folder at `dest`: all of it, or (on error) nothing and an error."""
        checkpoint(f"{self.label}:staged")
        with critical():
            if self._copy or (self._replace and os.path.lexists(self.dest)):
                _exchange(self.path, self.dest, self.label)
            else:
                _place(self.path, self.dest, self.label)
            if self.what is not None:
                completed.append(self.what)
            checkpoint(f"{self.label}:committed")


def _copy_regular(src: str, dst: str) -> None:
    """Copy one file of a folder; a FIFO or device would hang the copy or fill the disk."""
    if not stat.S_ISREG(os.lstat(src).st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device?)", src)
    shutil.copy2(src, dst, follow_symlinks=False)


def _first_error(e: OSError) -> str:
    """One line for an `OSError`, or for the first of the errors `shutil.copytree` collects."""
    if isinstance(e, shutil.Error) and e.args and isinstance(e.args[0], list) and e.args[0]:
        src, _, why = e.args[0][0]
        return f"{src}: {why}"[:300]
    return f"{e.filename}: {e.strerror}" if e.filename else str(e)[:300]


def _existing_ancestor(path: Path) -> Path:
    """The nearest existing folder at or above `path`, for building beside the destination."""
    here = Path(os.path.abspath(path))  # noqa: PTH100 - normalise '..' without resolving links
    while True:
        try:
            if here.is_dir():
                return here
            exists = os.path.lexists(here)
        except OSError as e:
            raise FluxzooError(f"cannot use this folder: {e.strerror}", path=here) from None
        if exists:
            raise FluxzooError(
                "not a folder (a file, or a symbolic link to nothing or to itself)", path=here
            )
        if here == here.parent:
            raise FluxzooError("no existing folder above it", path=path)
        here = here.parent


_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """Linux's renameat2; False when the system or file system does not offer it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), flags)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(dst))


def _exchange(new: Path, dest: Path, label: str) -> None:
    """Swap `new` and `dest`; afterwards `new`'s path holds the old folder."""
    try:
        if _renameat2(new, dest, _RENAME_EXCHANGE):
            return
        old = new.with_name(new.name + ".orig")
        dest.rename(old)
        checkpoint(f"{label}:committing")
        try:
            new.rename(dest)
        except OSError:
            old.rename(dest)
            raise
        old.rename(new)
    except OSError as e:
        raise _error("cannot put the new folder in place", e) from None


def _place(new: Path, dest: Path, label: str) -> None:
    """Move `new` to `dest`, creating missing parents; never over anything that exists."""
    created: list[Path] = []
    try:
        created = _make_parents(dest.parent)
        checkpoint(f"{label}:committing")
        if not _renameat2(new, dest, _RENAME_NOREPLACE):
            if os.path.lexists(dest):
                raise FileExistsError(errno.EEXIST, "already exists", str(dest))
            new.rename(dest)
    except OSError as e:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if e.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise FluxzooError("already exists; nothing was changed", path=dest) from None
        raise _error("cannot move the new folder into place", e) from None
