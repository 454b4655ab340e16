"""The real FluxML/model-zoo (`fixtures/model-zoo.tar.xz`, see `model-zoo.md`) brought into
the standard: `adopt` every entry, then `check --fix`.

What is left must need a person (an allowlist of rules); a second `--fix` changes no byte; no
line of Julia code is lost (each is kept, or escaped as `adopt` documents); `tested.flux` is
the Flux the entry's Manifest resolved; `update` then has nothing to do. The counts by rule
before and after the fixes are printed (`pytest tests/test_real_zoo_fix.py -s`).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import FixKind, Rule
from fluxzoo.checks.rules.project import compat_policy
from fluxzoo.cli import main
from fluxzoo.entries import find_entries

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ARCHIVE = Path(__file__).parent / "fixtures" / "model-zoo.tar.xz"
ENTRIES = 28

NEEDS_A_PERSON = {
    "FZ202": "a package whose UUID is not the registry's (an unregistered fork?)",
    "FZ207": "a Manifest from before Julia 1.7: re-resolve it on a current Julia",
    "FZ302": "TODO(fluxzoo) markers: prose, authors, runtime, data the entry does not state",
    "FZ321": "README sections the standard asks for: prose to write",
    "FZ402": "metadata recorded as it is (Julia 1.6, Flux 0.11) that the standard wants newer",
}
"""Rules whose findings are left for a person after `--fix`, and why; the API family (FZ5xx:
code to modernise, mechanical renames only with --unsafe-fixes) is left too."""
API_FAMILY = "FZ5"


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def counts(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[Counter[str], list[dict]]:
    main(["check", "--format", "json", *argv])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return Counter(d["code"] for d in found), found


def kept_in_order(original: list[str], adopted: list[str]) -> list[str]:
    """The lines of `original` not found, in order, in `adopted`: each must be there verbatim
    or as adopt documents replacing it (a comment inside code escaped with one more `#`, the
    script's own `# # Title` made a `# ## ` section under the entry's title)."""
    lost, at = [], 0
    for line in (ln for ln in original if ln.strip()):
        stripped = line.lstrip()
        escaped = line[: len(line) - len(stripped)] + "#" + stripped
        demoted = "# ## " + line[4:] if line.startswith("# # ") else line
        for i in range(at, len(adopted)):
            if adopted[i] in (line, escaped, demoted):
                at = i + 1
                break
        else:
            lost.append(line)
    return lost


def manifest_flux(path: Path) -> str | None:
    manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    deps = manifest.get("deps") if "manifest_format" in manifest else manifest
    flux = (deps or {}).get("Flux")
    version = flux[0].get("version") if isinstance(flux, list) and flux else None
    return ".".join(version.split(".")[:2]) if version else None


def test_the_real_zoo_adopted_and_fixed_leaves_only_what_needs_a_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(tmp_path, filter="data")
    zoo = tmp_path / "model-zoo"
    monkeypatch.chdir(zoo)
    code = {p.relative_to(zoo).as_posix(): p.read_text("utf-8") for p in zoo.rglob("*.jl")}
    legacy = find_entries([Path()], include_legacy=True)
    assert len(legacy) == ENTRIES

    assert main(["adopt", "."]) == 0
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if ": adopted (" in line]) == ENTRIES
    before, _ = counts(capsys)
    main(["check", "--fix"])
    capsys.readouterr()
    after, left = counts(capsys)
    rows = [
        f"  {c} {Rule.from_code(c).name:<32} {before[c]:>4} {after[c]:>4}"
        for c in sorted(before | after, key=lambda c: (-before[c], c))
    ]
    with capsys.disabled():
        print("\nfindings by rule: after adopt, after check --fix", *rows, sep="\n")
        print(f"  total{' ' * 33}{sum(before.values()):>4} {sum(after.values()):>4}")

    # What is left needs a person: an allowlisted rule, or a fix that documents its refusal.
    for d in left:
        if d["code"] in NEEDS_A_PERSON or d["code"].startswith(API_FAMILY):
            continue
        entry = Path(d["path"].split("/Project.toml")[0])
        name = re.search(r"(?:bound for|\]) ?(\S+?)[;,]? ", d["message"]).group(1)
        if d["code"] == "FZ204":  # no release of the newest series fits the entry's bounds
            assert compat_policy(EntryContext(entry), name) is None, d
        elif d["code"] == "FZ206":  # still named in the code, e.g. `CUDA.functional()`
            assert any(name in (p.read_text("utf-8")) for p in entry.rglob("*.jl")), d
        else:
            pytest.fail(f"left by --fix, and not a finding for a person: {d}")
    fixable = {c for c in after if Rule.from_code(c).fix is FixKind.SAFE}
    assert sum(after[c] for c in fixable) < sum(before[c] for c in fixable) / 10

    # A second --fix changes no byte.
    once = snapshot(zoo)
    main(["check", "--fix"])
    assert "Fixed 0 finding(s) in 0 file(s)" in capsys.readouterr().err
    assert snapshot(zoo) == once

    # No line of code is lost: each is kept in order, or escaped with one more `#`.
    for rel, text in code.items():
        path = zoo / rel
        if not path.exists():  # the main script, renamed to <slug>.jl
            owner = next(e for e in legacy if rel.startswith(f"{e.as_posix()}/"))
            path = zoo / owner / f"{owner.name}.jl"
        lost = kept_in_order(text.splitlines(), path.read_text("utf-8").splitlines())
        assert lost == [], f"{rel}: lines lost in {path.relative_to(zoo)}: {lost[:3]}"

    # tested.flux is the Flux the Manifest resolved, when there is one that says.
    for entry in legacy:
        flux = (
            manifest_flux(entry / "Manifest.toml") if (entry / "Manifest.toml").is_file() else None
        )
        if flux is not None:
            meta = tomllib.loads((entry / "tutorial.toml").read_text("utf-8"))
            assert meta["tested"]["flux"] == flux, entry

    # And update, across the entries just adopted, has nothing to do.
    assert main(["update", "."]) == 0
    assert capsys.readouterr().err.count(": already current") == ENTRIES
    assert snapshot(zoo) == once
