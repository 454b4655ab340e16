"""docs/check.md, written from the registry so the rule reference never drifts from the rules.

`python -m fluxzoo.checks.reference > docs/check.md` regenerates it; a test fails when the
committed page differs.
"""

from __future__ import annotations

import json

from fluxzoo.checks.diagnostics import JSON_SCHEMA, JSON_VERSION
from fluxzoo.checks.registry import REDIRECTS, Lifecycle, all_rules

INTRO = """\
# `fluxzoo check`

Checks tutorial entries against the entry standard, for reviewers and CI.

```sh
fluxzoo check [PATH ...] [--format text|json|github] [--strict] [--select CODES] [--ignore CODES]
              [--fix [--unsafe-fixes]] [--diff] [--statistics]
fluxzoo check --list-rules [--format json]
fluxzoo check --explain CODE [--format json]
```

`PATH` is an entry, a category folder or a whole zoo (default: the current folder); a file
stands for the entry that holds it, so pre-commit can pass changed files. Folders of the zoo
from before the standard (Julia code or a `Project.toml`, no `tutorial.toml`) are checked too:
they get one `FZ100` finding plus the rules whose table row says they run on legacy folders.

## Exit status

| status | meaning |
|---|---|
| 0 | no finding at error level (warnings may have been printed) |
| 1 | at least one error; with `--strict`, warnings count as errors |
| 2 | usage error: unknown option, format or rule code, a missing path, no entries found |

## Selecting rules

`--select` and `--ignore` take comma-separated codes or code prefixes (`FZ2` is every
Project.toml rule). For each rule the longest matching prefix decides; at equal length
`--ignore` wins. Without `--select`, every stable rule runs. *Preview* rules run only when
selected by their full code; *deprecated* ones likewise. A renamed rule's old code still
selects it (see Redirects).

## Fixes

Rules whose findings have one right answer carry a fix; the *fix* column below says which
kind, and each rule's documentation ends with a `Fix` section saying what it does.

- `--fix` applies the *safe* fixes, then reports what is left. Safe fixes keep every line of
  code: they edit `Project.toml` and `tutorial.toml` (with tomlkit, so comments and key order
  stay), derive the notebook and docs page again, and delete clutter.
- `--unsafe-fixes` (with `--fix` or `--diff`) adds the *unsafe* ones: mechanical renames in the
  code, each replacing a line by its documented replacement. Look at them with `--diff` first.
- `--diff` prints what `--fix` would change as a unified diff (`git apply` takes it) and writes
  nothing; its exit status is 1 when there is something to fix.

Each entry is fixed in a temporary copy: the fixes run, the rules run again, and that repeats
until nothing changes; then each changed file is replaced atomically. A second `--fix` changes
no byte. What no fix can repair (prose, TODO markers, code that needs rewriting) is reported
as usual, and `--statistics` counts it per rule: `[*]` marks a rule with a safe fix, `[~]` one
with an unsafe fix.

## Output

Every finding has a rule code, a severity, a file, and where known a line and column (1-based;
columns count characters). A finding about a whole file (a missing file, a stray checkpoint)
has no line.

- `text` (default): `path:line:col: FZ123 [error] message` (or `path: FZ123 [error] message`),
  then a summary line.
- `github`: one GitHub Actions workflow command per finding,
  `::error file=path,line=3,col=5,title=FZ123 rule-name::message` (`::warning` for warnings),
  so findings appear as annotations on the pull request; then the summary line.
- `json`: one document for tools, described below.

### JSON schema (version {version})

The `version` field changes only when a field is removed or changes meaning; new fields may be
added within a version. Diagnostics are sorted by path, line, column and code.

```json
{schema}
```

## Choices worth knowing

- Files the entry's own `.gitignore` excludes are not reported as stray: they never reach a
  pull request.
- `TODO(fluxzoo)` markers are errors, not warnings: the template marks every place the
  contributor must fill in, and a reviewer needs the check to block a merge until all are
  filled. Answers recorded under `[fluxzoo.answers]` are history and are not searched.
- Standard libraries need no `[compat]` entry (Julia's own bound covers them) and may be
  loaded without being declared.
- `FZ405` compares the category only when the entry sits in a category folder
  (vision, text, other, tutorials, contrib); a freshly generated entry elsewhere is not placed yet.
- The metadata is validated by the same validators `fluxzoo new` uses for its answers.

## Rules

| code | name | severity | runs on | fix | summary |
|---|---|---|---|---|---|
"""


def render() -> str:
    rules = list(all_rules())
    out = [
        INTRO.replace("{version}", str(JSON_VERSION)).replace(
            "{schema}", json.dumps(JSON_SCHEMA, indent=2)
        )
    ]
    for r in rules:
        lifecycle = "" if r.lifecycle is Lifecycle.STABLE else f" ({r.lifecycle.value})"
        runs_on = {
            "standard": "entries",
            "legacy": "legacy folders",
            "all": "entries and legacy folders",
        }[r.applies.value]
        out.append(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} "
            f"| {r.severity.value}{lifecycle} | {runs_on} | {r.fix.value if r.fix else ''} "
            f"| {r.summary} |\n"
        )
    for r in rules:
        out.append(f"\n### {r.code} {r.name}\n\n")
        out.append(r.doc.replace("## ", "#### ") + "\n")
    out.append("\n## Redirects\n\n")
    if REDIRECTS:
        out.extend(f"- {old} is now {new}\n" for old, new in sorted(REDIRECTS.items()))
    else:
        out.append("No rule has been renamed yet. Codes are never reused.\n")
    return "".join(out)


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
