#!/usr/bin/env python3
"""Build `generator/fluxzoo/data/julia_registry.json` from a checkout of the General registry.

fluxzoo writes `[deps]` and `[compat]` without Julia, so it needs each package's UUID and newest
release. General keeps them as `<Letter>/<Name>/Package.toml` (name, uuid) and
`<Letter>/<Name>/Versions.toml` (one table per release, `yanked = true` on withdrawn ones).
The checkout may be partial: every package directory found is read, nothing else is needed.

For the packages fluxzoo's kinds use, the compat policy (`fluxzoo.registry.compat_bound`) also
needs every release's `julia` bound and dependency bounds. General keeps them in `Compat.toml`,
`Deps.toml` and `WeakCompat.toml`/`WeakDeps.toml`, keyed by version ranges; they are read when
present. Where the General copy at hand lags, `--tags NAME=GITDIR` reads the same data from the
`Project.toml` at each release tag of the package's repository (General's registrator copies
`[compat]`, `[deps]` and `[weakdeps]` from that file), and those releases win: tags `vX.Y.Z` for a
package at the repository root, `<Name>-vX.Y.Z` with `<Name>/Project.toml` for one of several
packages in a repository (GraphNeuralNetworks.jl holds GNNGraphs, GNNlib, ...). A package the
table lacks is added, with the UUID of its `Project.toml`. `--known NAME=X.Y.Z`
records a release known to exist (e.g. required by another package's bound) that neither source
shows; its per-version data is then missing, and the provenance says so.

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


_VERSION_TAG = re.compile(r"^v?(\d+\.\d+\.\d+)$")


def _range_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A General range key (`"0.9.5-0.9"`, `"1"`, `"0.7-0"`) as [low, high] number tuples."""
    low, _, high = text.partition("-")
    high = high or low
    lo = tuple(int(p) for p in low.split(".")) if low != "*" else (0,)
    hi = tuple(int(p) for p in high.split(".")) if high != "*" else (10**9,)
    return lo, hi


def _in_range(version: str, key: str) -> bool:
    """Whether `version` lies in a General range key; a partial upper end covers its series."""
    v = version_key(version)[:3]
    lo, hi = _range_key(key)
    return lo <= v[: len(lo)] and v[: len(hi)] <= hi


def _ranged(path: Path, version: str) -> dict[str, Any]:
    """The entries of a range-keyed General file (Compat.toml, Deps.toml) that cover `version`."""
    if not path.is_file():
        return {}
    merged: dict[str, Any] = {}
    for key, table in _load_toml(path).items():
        if _in_range(version, key):
            merged.update(table)
    return merged


def _compat_text(value: Any) -> str:
    """A bound as one string: General writes lists of specs (`["0.9.5-0.9", "1"]`) too."""
    return ", ".join(value) if isinstance(value, list) else str(value)


def registry_versions(package_dir: Path, versions: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per release: julia bound, dependency bounds, dependencies (weak ones too) and yanked."""
    out: dict[str, dict[str, Any]] = {}
    for version, info in versions.items():
        compat = _ranged(package_dir / "Compat.toml", version)
        compat.update(_ranged(package_dir / "WeakCompat.toml", version))
        deps = set(_ranged(package_dir / "Deps.toml", version))
        deps |= set(_ranged(package_dir / "WeakDeps.toml", version))
        julia = compat.pop("julia", None)
        out[version] = {
            "julia": None if julia is None else _compat_text(julia),
            "compat": {k: _compat_text(v) for k, v in sorted(compat.items())},
            "deps": sorted(deps),
            "yanked": bool(info.get("yanked", False)),
        }
    return out


def _git(gitdir: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "--git-dir", str(gitdir), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RegistryError(f"{gitdir}: git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def _release_tags(name: str, tags: list[str]) -> list[tuple[str, str, str]]:
    """`(tag, version, Project.toml path)` of the release tags of `name` among `tags`.

    A package at the repository root is tagged `vX.Y.Z`; one in a subdirectory of a repository
    holding several (registered with General's `subdir`) is tagged `<Name>-vX.Y.Z` by TagBot,
    with its `Project.toml` in `<Name>/`.
    """
    subdir = re.compile(rf"^{re.escape(name)}-v(\d+\.\d+\.\d+)$")
    found = []
    for tag in tags:
        if match := _VERSION_TAG.match(tag):
            found.append((tag, match[1], "Project.toml"))
        elif match := subdir.match(tag):
            found.append((tag, match[1], f"{name}/Project.toml"))
    return found


def tag_versions(name: str, gitdir: Path) -> tuple[dict[str, dict[str, Any]], str, str | None]:
    """Per-release data from the `Project.toml` at each release tag, the commit read, and the
    package's UUID as those files give it (None if they disagree)."""
    out: dict[str, dict[str, Any]] = {}
    uuids: set[str] = set()
    for tag, version, path in _release_tags(name, _git(gitdir, "tag", "--list").split()):
        try:
            project = tomllib.loads(_git(gitdir, "show", f"{tag}:{path}"))
        except (RegistryError, tomllib.TOMLDecodeError):
            continue  # a tag without a readable Project.toml there: not this package
        if project.get("name") != name or project.get("version") != version:
            continue
        uuids.add(str(project.get("uuid")))
        compat = {k: _compat_text(v) for k, v in project.get("compat", {}).items()}
        julia = compat.pop("julia", None)
        deps = set(project.get("deps", {})) | set(project.get("weakdeps", {}))
        out[version] = {
            "julia": julia,
            "compat": dict(sorted(compat.items())),
            "deps": sorted(deps),
            "yanked": False,
        }
    if not out:
        raise RegistryError(f"{gitdir}: no release tag of {name} with a matching Project.toml")
    uuid = uuids.pop() if len(uuids) == 1 else None
    return out, _git(gitdir, "rev-parse", "HEAD").strip(), uuid


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RegistryError(f"{path}: {e}") from None


def read_packages(
    registry: Path, detailed: frozenset[str] = frozenset()
) -> dict[str, dict[str, Any]]:
    """name -> {uuid, latest} for every `<Letter>/<Name>/Package.toml` under `registry`, and
    `versions` (see `registry_versions`) for the names in `detailed`."""
    packages: dict[str, dict[str, Any]] = {}
    for package_toml in sorted(registry.glob("*/*/Package.toml")):
        meta = _load_toml(package_toml)
        name, uuid = meta.get("name"), meta.get("uuid")
        if not isinstance(name, str) or not isinstance(uuid, str):
            raise RegistryError(f"{package_toml}: needs string 'name' and 'uuid'")
        versions_toml = package_toml.with_name("Versions.toml")
        versions = _load_toml(versions_toml) if versions_toml.is_file() else {}
        packages[name] = {"uuid": uuid, "latest": newest_release(versions)}
        if name in detailed:
            packages[name]["versions"] = registry_versions(package_toml.parent, versions)
    return packages


def add_tag_versions(
    packages: dict[str, dict[str, Any]], tags: dict[str, Path]
) -> dict[str, dict[str, str]]:
    """Merge release-tag data into `packages` (tags win); returns provenance per package.

    A package the table lacks is added with the UUID its `Project.toml` files give (General
    registers that UUID); they must agree.
    """
    notes: dict[str, dict[str, str]] = {}
    for name, gitdir in sorted(tags.items()):
        found, commit, uuid = tag_versions(name, gitdir)
        if name not in packages:
            if uuid is None:
                raise RegistryError(f"--tags {name}: its release tags disagree on its uuid")
            packages[name] = {"uuid": uuid, "latest": None}
            notes[name] = {"uuid": "from the Project.toml at its release tags"}
        elif uuid is not None and uuid != packages[name]["uuid"]:
            raise RegistryError(
                f"--tags {name}: uuid {uuid} at its release tags, {packages[name]['uuid']} in "
                "the table"
            )
        versions = packages[name].setdefault("versions", {})
        for version, data in found.items():
            data["yanked"] = versions.get(version, {}).get("yanked", False)
            versions[version] = data
        ordered = sorted(versions.items(), key=lambda kv: version_key(kv[0]))
        packages[name]["versions"] = dict(ordered)
        newest, before = newest_release(versions), packages[name]["latest"]
        note = f"Project.toml at the release tags, repository HEAD {commit}"
        notes.setdefault(name, {})
        if before is not None and (newest is None or version_key(before) > version_key(newest)):
            # The repository read lags what the table already knew: keep the newer release.
            note += f"; its newest tag {newest} predates the {before} known before"
            newest = before
        packages[name]["latest"] = newest
        notes[name]["versions"] = note
    return notes


def add_known(packages: dict[str, dict[str, Any]], known: dict[str, tuple[str, str]]) -> dict:
    """Raise `latest` to releases known from elsewhere; returns provenance per package."""
    notes: dict[str, dict[str, str]] = {}
    for name, (version, why) in sorted(known.items()):
        if name not in packages:
            raise RegistryError(f"--known {name}: no Package.toml for it in the registry checkout")
        version_key(version)
        latest = packages[name]["latest"]
        if latest is None or version_key(version) > version_key(latest):
            packages[name]["latest"] = version
        notes[name] = {"known_release": f"{version}: {why}; no per-version data for it"}
    return notes


def build_table(
    registry: Path,
    *,
    commits: list[str],
    date: str,
    extra_provenance: dict[str, Any] | None = None,
    detailed: frozenset[str] = frozenset(),
    tags: dict[str, Path] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    if not registry.is_dir():
        raise RegistryError(f"{registry}: no such directory (pass a General registry checkout)")
    packages = read_packages(registry, detailed | frozenset(tags or ()))
    if not packages:
        raise RegistryError(f"{registry}: no <Letter>/<Name>/Package.toml found")
    provenance: dict[str, Any] = {"source": SOURCE, "commits": sorted(set(commits)), "date": date}
    provenance.update(extra_provenance or {})
    for name in sorted(packages):
        if "versions" in packages[name] and name not in (tags or {}):
            note = {"versions_detail": "General's Compat.toml and Deps.toml"}
            provenance.setdefault("packages", {}).setdefault(name, {}).update(note)
    table = {"provenance": provenance, "packages": packages, "stdlibs": dict(STDLIBS)}
    return refresh(table, tags=tags or {}, known=known or {})


def refresh(
    table: dict[str, Any], *, tags: dict[str, Path], known: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    """Add release-tag data and known releases to a table (built now, or the shipped one)."""
    notes = add_tag_versions(table["packages"], tags)
    for name, note in add_known(table["packages"], known).items():
        notes.setdefault(name, {}).update(note)
    for name, note in notes.items():
        table["provenance"].setdefault("packages", {}).setdefault(name, {}).update(note)
    return table


def cross_check(table: dict[str, Any], reference: dict[str, str]) -> list[str]:
    """One line per name whose UUID differs from `reference` (names it lacks are fine)."""
    ours = {name: entry["uuid"] for name, entry in table["packages"].items()}
    ours.update(table["stdlibs"])
    return [
        f"{name}: {uuid} here, {reference[name]} in the reference table"
        for name, uuid in sorted(ours.items())
        if name in reference and reference[name] != uuid
    ]


def _pair(flag: str, text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name or not value:
        raise RegistryError(f"{flag} {text!r}: expected NAME=VALUE")
    return name, value


def dumps(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--registry", type=Path, help="General registry checkout")
    source.add_argument(
        "--base", type=Path, help="refresh this table (e.g. the shipped one) instead of building"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    parser.add_argument(
        "--commit", action="append", default=[], help="registry commit read (repeatable)"
    )
    parser.add_argument("--date", required=True, help="date the registry was read, YYYY-MM-DD")
    parser.add_argument(
        "--provenance", type=Path, help="JSON object merged into the table's provenance"
    )
    parser.add_argument("--cross-check", type=Path, help="name -> UUID JSON to compare against")
    parser.add_argument(
        "--detailed", action="append", default=[], help="record per-version data for NAME"
    )
    parser.add_argument(
        "--tags", action="append", default=[], metavar="NAME=GITDIR",
        help="per-version data from the release tags of NAME's repository (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--known", action="append", default=[], metavar="NAME=X.Y.Z:WHY",
        help="a release known to exist that no source shows (repeatable)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        extra = json.loads(args.provenance.read_text(encoding="utf-8")) if args.provenance else None
        tags = dict(_pair("--tags", t) for t in args.tags)
        known = {}
        for item in args.known:
            name, rest = _pair("--known", item)
            version, sep, why = rest.partition(":")
            if not sep:
                raise RegistryError(f"--known {item!r}: expected NAME=X.Y.Z:WHY")
            known[name] = (version, why.strip())
        tag_dirs = {name: Path(path) for name, path in tags.items()}
        if args.base is not None:
            table = json.loads(args.base.read_text(encoding="utf-8"))
            table["provenance"]["date"] = args.date
            table["provenance"]["commits"] = sorted({*table["provenance"]["commits"], *args.commit})
            table["provenance"].update(extra or {})
            table = refresh(table, tags=tag_dirs, known=known)
        else:
            table = build_table(
                args.registry,
                commits=args.commit,
                date=args.date,
                extra_provenance=extra,
                detailed=frozenset(args.detailed),
                tags=tag_dirs,
                known=known,
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
