"""Which release of each package an entry's code is judged against.

The API rules ask "does `Flux.params` exist in *this entry's* Flux?". The answer comes, for each
package, from the first of:

1. `Manifest.toml`, when the entry has one: the version it was really resolved with;
2. `[compat]` in `Project.toml`: the newest minor release in the API table that the bound
   admits (what `Pkg` would install today);
3. `tested.flux` in `tutorial.toml` (Flux only);

and otherwise the newest release in the table. Versions are minor releases ("0.14").
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from fluxzoo import julia_api, metadata, versionspec
from fluxzoo.errors import FluxzooError

if TYPE_CHECKING:
    from fluxzoo.checks.entry import EntryContext

MANIFEST = "Manifest.toml"


def _manifest_versions(manifest: dict[str, Any]) -> dict[str, str]:
    """Package -> version from a Manifest (format 2 keeps packages under `[deps]`)."""
    deps = manifest.get("deps") if isinstance(manifest.get("deps"), dict) else manifest
    found: dict[str, str] = {}
    for name, records in deps.items():
        if isinstance(records, list) and records and isinstance(records[0], dict):
            version = records[0].get("version")
            if isinstance(version, str):
                found[name] = version
    return found


def newest_admitted(package: str, spec: str) -> str | None:
    """The newest minor release of `package` in the table that `spec` admits."""
    try:
        intervals = versionspec.parse_spec(spec)
    except FluxzooError:
        return None
    admitted = [
        v
        for v in julia_api.versions(package)
        if any(
            (*julia_api.version_key(v), 0) in i or (*julia_api.version_key(v), 99999) in i
            for i in intervals
        )
    ]
    return admitted[-1] if admitted else None


class Stack:
    """The release of each package of one entry (see the module doc)."""

    def __init__(self, entry: EntryContext) -> None:
        self.entry = entry

    @cached_property
    def manifest(self) -> dict[str, str]:
        data = self.entry.toml(MANIFEST) if self.entry.exists(MANIFEST) else None
        return _manifest_versions(data) if isinstance(data, dict) else {}

    @cached_property
    def compat(self) -> dict[str, str]:
        project = self.entry.project or {}
        compat = project.get("compat")
        return (
            {k: v for k, v in compat.items() if isinstance(v, str)}
            if isinstance(compat, dict)
            else {}
        )

    @cached_property
    def tested_flux(self) -> str | None:
        meta = self.entry.toml(metadata.FILENAME) if self.entry.exists(metadata.FILENAME) else None
        tested = (meta or {}).get("tested")
        flux = tested.get("flux") if isinstance(tested, dict) else None
        if isinstance(flux, str) and julia_api.version_key(flux) != (0, 0):
            return flux
        return None

    def version(self, package: str) -> str | None:
        """The minor release of `package` the entry uses (None: the table's newest)."""
        if package in self.manifest:
            return julia_api.minor_of(self.manifest[package])
        if package in self.compat:
            found = newest_admitted(package, self.compat[package])
            if found is not None:
                return found
        if package == "Flux" and self.tested_flux:
            return julia_api.minor_of(self.tested_flux)
        return None

    def label(self, package: str) -> str:
        """ "Flux 0.14" for messages."""
        return f"{package} {self.version(package) or julia_api.newest(package)}"

    def is_newest(self, package: str) -> bool:
        found = self.version(package)
        return found is None or found == julia_api.newest(package)
