"""Which Flux-stack names a file refers to, and what each one's fate is in the entry's stack.

`references(names, siblings)` turns one file's `FileNames` into `Ref`s: every `Module.name` it
writes (in code or in a `using`/`import`), and every unqualified name its code does not bind
itself that comes from a loaded module (by an explicit `using A: b`, or as an export of
`using A`), by its own imports or those of the entry's other files (`Siblings`).

`verdict(ref, stack)` then says what became of the name, in the release of its package that
the entry uses (`Stack`) and in the newest one:

- `removed`: the entry's release no longer has it, an earlier one did;
- `deprecated`: the entry's release still has it, deprecated as a whole (not one method of it);
- `legacy`: fine in the entry's release, removed or deprecated in the newest, or a package the
  stack superseded (Tracker);
- `unknown`: no release of a fully read module ever had it (qualified names only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fluxzoo import julia_advice, julia_api

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fluxzoo.checks.stack import Stack
    from fluxzoo.julia_names import FileNames


@dataclass(frozen=True)
class Ref:
    module: str
    name: str
    written: str
    """The text to name in a message (`Flux.Data.DataLoader`, `ADAM`)."""
    line: int
    col: int
    qualified: bool
    in_import: bool = False
    via_export: bool = False
    """Found as an export of a module loaded whole (`using Flux`), not named explicitly."""


@dataclass(frozen=True)
class Verdict:
    kind: str
    """"removed", "deprecated", "legacy" or "unknown"."""
    subject: str
    """What the message names: the written prefix that went away (`Flux.Data`)."""
    package: str
    since: str | None
    """The release it was removed or deprecated in (None when not known)."""
    advice: str | None
    module: str
    name: str
    change: str = ""
    """For `legacy`: what a later release did ("removed", "unexported", "deprecated")."""


def _bare(name: str) -> str:
    return name.lstrip("@")


@dataclass(frozen=True)
class Siblings:
    """What the entry's files load, as seen from any one of them: a file `include`d by one that
    does `using Flux: params` sees Flux's exports and `params`, and writes `Flux.data`,
    without loading Flux itself."""

    loaded: tuple[str, ...] = ()
    """Modules loaded whole (`using Flux`)."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Names imported as modules (`Flux`, `F` of `import Flux as F`) -> the module."""
    explicit: dict[str, str] = field(default_factory=dict)
    """Names imported one by one (`params` of `using Flux: params`) -> the module."""

    @classmethod
    def of(cls, files: Iterable[FileNames]) -> Siblings:
        files = list(files)
        return cls(
            loaded=tuple(dict.fromkeys(m for n in files for m in n.whole_modules)),
            aliases={alias: module for n in files for alias, module in n.aliases.items()},
            explicit={name: module for n in files for name, module in n.explicit().items()},
        )


def references(names: FileNames, siblings: Siblings = Siblings()) -> list[Ref]:
    """The file's references to modules the API table knows (see the module doc), reading
    what the file does not import itself through what its `siblings` import."""
    qualified = [*names.qualified, *names.qualified_through(siblings.aliases)]
    found = [Ref(q.module, q.name, q.written, q.line, q.col, True, q.in_import) for q in qualified]
    found.extend(
        Ref(item.module, "", item.module.split(".")[0], item.line, item.col, True, True)
        for item in names.imports
        if item.module.split(".")[0] in julia_advice.SUPERSEDED
    )
    explicit = {**siblings.explicit, **names.explicit()}
    whole = [names.aliases.get(w, w) for w in (*names.whole_modules, *siblings.loaded)]
    whole = [
        names.aliases.get(m.split(".")[0], m.split(".")[0]) + m[len(m.split(".")[0]) :]
        for m in whole
    ]
    for use in names.unqualified:
        name = use.name
        if name in names.bound or name in names.defined:
            continue
        if name in explicit:
            module = explicit[name]
            root = module.split(".")[0]
            module = names.aliases.get(root, root) + module[len(root) :]
            if julia_api.is_module(module) or module.split(".")[0] in julia_advice.SUPERSEDED:
                found.append(Ref(module, name, name, use.line, use.col, False))
            continue
        if name in names.imported or _base_has(name):
            continue
        module = _exporter(name, whole)
        if module is not None:
            found.append(Ref(module, name, name, use.line, use.col, False, via_export=True))
    return found


def _base_has(name: str) -> bool:
    return any(julia_api.ever_exported(m, name) for m in ("Base", "Core"))


def _exporter(name: str, modules: list[str]) -> str | None:
    """The module loaded whole that (now or once) exports `name`, preferring a current one."""
    candidates = [m for m in modules if julia_api.is_module(m) and julia_api.ever_exported(m, name)]
    current = [m for m in candidates if julia_api.exported(m, name)]
    return (current or candidates or [None])[0]


_WHOLE_NAME_MESSAGE = (
    r"^`?(?:\w+\.)?{name}\((?:\.\.\.|m\.\.\.|m|)\)`? (?:is deprecated|has been removed)"
)
_CALL = re.compile(r"^(?P<callee>[\w.!@]+)(?:\(.*\))?$", re.DOTALL)


def whole_name_deprecation(name: str, text: str) -> bool:
    """Whether a deprecation message or replacement is about the name, not one method of it.

    `@deprecate ADAM Adam` (replacement `Adam`), `Base.depwarn("reset!(m) is deprecated...")`
    are; `Dense(in, out; initb=...)` (replacement `Dense(...)`, the same name) and
    "`normalise(x::AbstractArray, dims)` is deprecated" are one method's."""
    m = _CALL.match(text.strip())
    if m and m.group("callee").split(".")[-1] != name and " " not in m.group("callee"):
        return True
    return re.match(_WHOLE_NAME_MESSAGE.format(name=re.escape(name)), text.strip()) is not None


def _deprecated_at(
    module: str, name: str, version: str | None, stack: Stack
) -> tuple[str | None, str] | None:
    """(since, replacement) when `module.name` is deprecated as a whole at `version`."""
    curated = julia_advice.DEPRECATED.get((module, name))
    if curated and julia_api.version_key(version or "999") >= julia_api.version_key(curated[0]):
        return curated
    text = julia_api.deprecation(module, name, version)
    info = julia_api.info(module, name)
    if (
        text is not None
        and info is not None
        and ((module, name) in julia_advice.RENAME or whole_name_deprecation(_bare(name), text))
    ):
        return (info.deprecated[0] if info.deprecated else None), text
    origin = julia_api.origin_deprecation(module, name, version, stack.version)
    if origin is not None:
        origin_module, text = origin
        if (
            whole_name_deprecation(_bare(name), text)
            or (origin_module, name) in julia_advice.RENAME
        ):
            found = julia_api.info(origin_module, name)
            package = julia_api.package_of(origin_module) or origin_module
            since = found.deprecated[0] if found and found.deprecated else None
            return (f"{package} {since}" if since else None), text
    return None


def _fate(
    module: str, name: str, version: str | None, stack: Stack, *, export: bool
) -> tuple[str, str | None, str | None] | None:
    """("removed" | "unexported" | "deprecated", since, table text) of `module.name` at
    `version`, or None when it is current there or the table cannot tell."""
    present = (julia_api.exported if export else julia_api.reachable)(module, name, version)
    if present:
        dep = _deprecated_at(module, name, version, stack)
        return ("deprecated", dep[0], dep[1]) if dep else None
    if "." in module and not julia_api.names(module, version):
        return None  # the table did not read this submodule in that release
    if not (julia_api.exports_known(module) if export else julia_api.complete(module)):
        return None  # absent where the table does not know the names in full: no news
    gone = julia_api.removed_in(module, name, version, export=export)
    if gone is None:
        return None
    if export and julia_api.reachable(module, name, version):
        return "unexported", gone, f"{module}.{name}"
    return "removed", gone, None


def _later(
    module: str, name: str, version: str, stack: Stack, *, export: bool
) -> tuple[str, str | None, str | None] | None:
    """The first release after `version` in which `module.name` is removed or deprecated."""
    package = julia_api.package_of(module)
    for later in julia_api.versions(package or ""):
        if julia_api.version_key(later) <= julia_api.version_key(version):
            continue
        fate = _fate(module, name, later, stack, export=export)
        if fate is not None:
            kind, since, text = fate
            return kind, since if kind != "deprecated" else f"{package} {later}", text
    return None


def _chain(ref: Ref) -> list[tuple[str, str, str]]:
    """(module, name, written) for the reference and each module it goes through, most
    specific first: `Flux.Data.DataLoader` -> its own, then `Flux.Data`."""
    out = [(ref.module, ref.name, ref.written)]
    parts = ref.module.split(".")
    written = ref.written.split(".")
    # An alias stands for several parts: `F.Data.x` writes `Flux.Data` in two.
    absorbed = len(parts) - (len(written) - 1)
    for i in range(len(parts) - 1, 0, -1):
        shown = (
            written[: i + 1 - absorbed]
            if ref.qualified and i + 1 - absorbed > 0
            else parts[: i + 1]
        )
        out.append((".".join(parts[:i]), parts[i], ".".join(shown)))
    return out


def verdict(ref: Ref, stack: Stack) -> Verdict | None:
    """What became of the referenced name (see the module doc); None when it is current."""
    root = ref.module.split(".")[0]
    if root in julia_advice.SUPERSEDED:
        return Verdict(
            "legacy", root, root, None, julia_advice.SUPERSEDED[root], ref.module, ref.name
        )
    package = julia_api.package_of(ref.module)
    if package is None:
        return None
    version = stack.version(package)
    # The most general level first: `Flux.Data` went away, whatever was inside it.
    chain = list(reversed(_chain(ref))) if ref.qualified else _chain(ref)[:1]
    export = ref.via_export
    for index, (module, name, written) in enumerate(chain):
        fate = _fate(module, name, version, stack, export=export)
        if fate is not None:
            kind, since, text = fate
            return Verdict(
                kind, written, package, since, _advice(chain[index:][::-1], text), module, name
            )
    if version is not None and version != julia_api.newest(package):
        for index, (module, name, written) in enumerate(chain):
            later = _later(module, name, version, stack, export=export)
            if later is not None:
                kind, since, text = later
                return Verdict(
                    "legacy",
                    written,
                    package,
                    since,
                    _advice(chain[index:][::-1], text),
                    module,
                    name,
                    change=kind,
                )
    if (
        ref.qualified
        and julia_api.info(ref.module, ref.name) is None
        and julia_api.complete(ref.module)
    ):
        # Only a near miss is reported: a module may reach names from packages the table
        # does not describe (`Flux.CuIterator` through CUDA), so a far one may be real.
        suggestion = julia_api.nearest(ref.module, ref.name, version)
        if suggestion is not None:
            return Verdict(
                "unknown",
                ref.written,
                package,
                None,
                f"did you mean `{ref.module}.{suggestion}`?",
                ref.module,
                ref.name,
            )
    return None


def _advice(chain: list[tuple[str, str, str]], text: str | None) -> str | None:
    for module, name, _ in chain:
        found = julia_advice.replacement(module, name)
        if found:
            return found
    if text:
        text = text.strip().rstrip(".")
        if _CALL.match(text) and " " not in text:
            return f"use `{text}`"
        return text
    return None
