#!/usr/bin/env python3
"""Build `generator/fluxzoo/data/julia_registry.json` from a checkout of the General registry.

fluxzoo writes `[deps]` and `[compat]` without Julia, so it needs each package's UUID and newest
release. General keeps them as `<Letter>/<Name>/Package.toml` (name, uuid) and
`<Letter>/<Name>/Versions.toml` (one table per release, `yanked = true` on withdrawn ones).
The checkout may be partial: every package directory found is read, nothing else is needed.

Standard libraries are not in General (a few, like Statistics, are there too), so their UUIDs
are listed here; they never change. `--cross-check` compares every UUID with another
name -> UUID table and reports each disagreement on stderr.

    python scripts/build_registry_table.py --registry ~/General \
        --commit "$(git -C ~/General rev-parse HEAD)" --date 2026-11-25
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "generator/fluxzoo/data/julia_registry.json"
SOURCE = "https://github.com/JuliaRegistries/General"

# Bundled with Julia 1.10 and later (DelimitedFiles left the bundle in 1.9 and is a General
# package now). Checked against the Project/Manifest files of 65 FluxML, JuliaML, JuliaGPU,
# JuliaIO and SciML repositories, which all agree.
STDLIBS = {
    "ArgTools": "0dad84c5-d112-42e6-8d28-ef12dabb789f",
    "Artifacts": "56f22d72-fd6d-98f1-02f0-08ddc0907c33",
    "Base64": "2a0f44e3-6c83-55bd-87e4-b1978d98bd5f",
    "CRC32c": "8bf52ea8-c179-5cab-976a-9e18b702a9bc",
    "Dates": "ade2ca70-3891-5945-98fb-dc099432e06a",
    "Distributed": "8ba89e20-285c-5b6f-9357-94700520ee1b",
    "Downloads": "f43a241f-c20a-4ad4-852c-f6b1247861c6",
    "FileWatching": "7b1f6079-737a-58dc-b8bc-7a2ca5c1b5ee",
    "Future": "9fa8497b-333b-5362-9e8d-4d0656e87820",
    "InteractiveUtils": "b77e0a4c-d291-57a0-90e8-8db25a27a240",
    "LazyArtifacts": "4af54fe1-eca0-43a8-85a7-787d91b784e3",
    "LibGit2": "76f85450-5226-5b5a-8eaa-529ad045b433",
    "Libdl": "8f399da3-3557-5675-b5ff-fb832c97cbdb",
    "LinearAlgebra": "37e2e46d-f89d-539d-b4ee-838fcccc9c8e",
    "Logging": "56ddb016-857b-54e1-b83d-db4d58db5568",
    "Markdown": "d6f4376e-aef5-505a-96c1-9c027394607a",
    "Mmap": "a63ad114-7e13-5084-954f-fe012c677804",
    "NetworkOptions": "ca575930-c2e3-43a9-ace4-1e988b2c1908",
    "Pkg": "44cfe95a-1eb2-52ea-b672-e2afdf69b78f",
    "Printf": "de0858da-6303-5e67-8744-51eddeeeb8d7",
    "Profile": "9abbd945-dff8-562f-b5e8-e1ebf5ef1b79",
    "REPL": "3fa0cd96-eef1-5676-8a61-b3b8758bbffb",
    "Random": "9a3f8284-a2c9-5f02-9a11-845980a1fd5c",
    "SHA": "ea8e919c-243c-51af-8825-aaa63cd721ce",
    "Serialization": "9e88b42a-f829-5b0c-bbe9-9e923198166b",
    "SharedArrays": "1a1011a3-84de-559e-8e89-a11a2f7dc383",
    "Sockets": "6462fe0b-24de-5631-8697-dd941f90decc",
    "SparseArrays": "2f01184e-e22b-5df5-ae63-d93ebab69eaf",
    "Statistics": "10745b16-79ce-11e8-11f9-7d13ad32a3b2",
    "TOML": "fa267f1f-6049-4f14-aa54-33bafae1ed76",
    "Tar": "a4e569a6-e804-4fa4-b0f3-eef7a1d5b13e",
    "Test": "8dfed614-e22c-5e08-85e1-65c5234f0b40",
    "UUIDs": "cf7118a7-6976-5b1a-9a39-7adc72f591a4",
    "Unicode": "4ec0a83e-493e-50e2-b9ac-8f72acf5a8f5",
}

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


class RegistryError(Exception):
    """The registry checkout cannot be read; the message says which file and why."""


def version_key(version: str) -> tuple[Any, ...]:
    """Semantic-version order: a prerelease sorts before its release, numbers before words."""
    match = _SEMVER.match(version)
    if match is None:
        raise RegistryError(f"not a semantic version: {version!r}")
    major, minor, patch, pre = match.groups()
    if pre is None:
        return (int(major), int(minor), int(patch), 1, ())
    fields = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (int(major), int(minor), int(patch), 0, fields)


def is_prerelease(version: str) -> bool:
    match = _SEMVER.match(version)
    return match is not None and match.group(4) is not None


def newest_release(versions: dict[str, Any]) -> str | None:
    """The newest non-yanked version; a prerelease only when no full release is left."""
    live = [v for v, info in versions.items() if not info.get("yanked", False)]
    releases = [v for v in live if not is_prerelease(v)]
    candidates = releases or live
    return max(candidates, key=version_key) if candidates else None


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RegistryError(f"{path}: {e}") from None


def read_packages(registry: Path) -> dict[str, dict[str, str | None]]:
    """name -> {uuid, latest} for every `<Letter>/<Name>/Package.toml` under `registry`."""
    packages: dict[str, dict[str, str | None]] = {}
    for package_toml in sorted(registry.glob("*/*/Package.toml")):
        meta = _load_toml(package_toml)
        name, uuid = meta.get("name"), meta.get("uuid")
        if not isinstance(name, str) or not isinstance(uuid, str):
            raise RegistryError(f"{package_toml}: needs string 'name' and 'uuid'")
        versions_toml = package_toml.with_name("Versions.toml")
        versions = _load_toml(versions_toml) if versions_toml.is_file() else {}
        packages[name] = {"uuid": uuid, "latest": newest_release(versions)}
    return packages


def build_table(
    registry: Path,
    *,
    commits: list[str],
    date: str,
    extra_provenance: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if not registry.is_dir():
        raise RegistryError(f"{registry}: no such directory (pass a General registry checkout)")
    packages = read_packages(registry)
    if not packages:
        raise RegistryError(f"{registry}: no <Letter>/<Name>/Package.toml found")
    provenance: dict[str, Any] = {"source": SOURCE, "commits": sorted(set(commits)), "date": date}
    provenance.update(extra_provenance or {})
    return {"provenance": provenance, "packages": packages, "stdlibs": dict(STDLIBS)}


def cross_check(table: dict[str, Any], reference: dict[str, str]) -> list[str]:
    """One line per name whose UUID differs from `reference` (names it lacks are fine)."""
    ours = {name: entry["uuid"] for name, entry in table["packages"].items()}
    ours.update(table["stdlibs"])
    return [
        f"{name}: {uuid} here, {reference[name]} in the reference table"
        for name, uuid in sorted(ours.items())
        if name in reference and reference[name] != uuid
    ]


def dumps(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", type=Path, required=True, help="General registry checkout")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    parser.add_argument(
        "--commit", action="append", default=[], help="registry commit read (repeatable)"
    )
    parser.add_argument("--date", required=True, help="date the registry was read, YYYY-MM-DD")
    parser.add_argument(
        "--provenance", type=Path, help="JSON object merged into the table's provenance"
    )
    parser.add_argument("--cross-check", type=Path, help="name -> UUID JSON to compare against")
    args = parser.parse_args(argv)
    try:
        extra = json.loads(args.provenance.read_text(encoding="utf-8")) if args.provenance else None
        table = build_table(
            args.registry, commits=args.commit, date=args.date, extra_provenance=extra
        )
        reference = (
            json.loads(args.cross_check.read_text(encoding="utf-8")) if args.cross_check else {}
        )
    except (RegistryError, OSError, json.JSONDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for line in cross_check(table, reference):
        print(f"uuid differs: {line}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dumps(table), encoding="utf-8", newline="\n")
    counts = f"{len(table['packages'])} packages and {len(table['stdlibs'])} stdlibs"
    print(f"wrote {counts} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
