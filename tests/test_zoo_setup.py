"""`fluxzoo init-zoo` and `.pre-commit-hooks.yaml`: what a zoo checkout gets beside its entries."""

from __future__ import annotations

import copy
import importlib.metadata
import json
import re
import shlex
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from distribution import git
from fluxzoo import answers, entries, metadata
from fluxzoo.cli import build_parser, main
from workflow_steps import key_values, posix_bash, run_step, runner_env, steps

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(
    (ROOT / "tests/data/schemastore/github-workflow.json").read_text(encoding="utf-8")
)
WORKFLOW = ".github/workflows/fluxzoo.yml"
WRITTEN = [WORKFLOW, ".github/pull_request_template.md", "CONTRIBUTING.md"]


class Yaml12Loader(yaml.SafeLoader):
    """GitHub reads workflows as YAML 1.2, where `on:` is a key, not the boolean true."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def load_yaml(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    root = tmp_path / "zoo"
    root.mkdir()
    return root


@pytest.fixture
def written(zoo: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["init-zoo", str(zoo)]) == 0
    capsys.readouterr()
    return zoo


def workflow(zoo: Path) -> dict:
    doc = load_yaml(zoo / WORKFLOW)
    assert isinstance(doc, dict)
    return doc


def test_writes_the_three_files(written):
    for rel in WRITTEN:
        assert (written / rel).is_file(), rel


def test_workflow_is_valid_against_the_github_schema(written):
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    errors = list(jsonschema.Draft7Validator(SCHEMA).iter_errors(workflow(written)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda w: w["jobs"]["julia"].pop("runs-on"),
        lambda w: w["jobs"]["standard"]["steps"][0].update({"uses": 3}),
        lambda w: w.update({"jobz": {}}),
    ],
)
def test_the_schema_does_catch_broken_workflows(written, breakage):
    broken = copy.deepcopy(workflow(written))
    breakage(broken)
    assert not jsonschema.Draft7Validator(SCHEMA).is_valid(broken)


def test_workflow_runs_on_pull_requests_and_weekly(written):
    w = workflow(written)
    assert "pull_request" in w["on"]
    (cron,) = [s["cron"] for s in w["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and weekday.isdigit() and minute.isdigit() and hour.isdigit()


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_standard_job_runs_check_and_sync_check(written):
    runs = _runs(workflow(written)["jobs"]["standard"])
    assert "fluxzoo check --format github" in runs
    assert "fluxzoo sync --check" in runs
    for command in re.findall(r"fluxzoo (?:check|sync|index)[^<\n]*", runs):
        build_parser().parse_args([*shlex.split(command)[1:], "some/path"])


def test_julia_job_uses_the_julia_actions_per_entry(written):
    job = workflow(written)["jobs"]["julia"]
    uses = [step.get("uses", "") for step in job["steps"]]
    assert "julia-actions/setup-julia@v2" in uses
    assert any(u.startswith("julia-actions/cache@") for u in uses)
    setup = next(s for s in job["steps"] if s.get("uses") == "julia-actions/setup-julia@v2")
    assert setup["with"]["version"] == "${{ matrix.entry.julia }}"
    assert "julia --project=. --color=yes test/runtests.jl" in _runs(job)
    assert all(
        s["working-directory"] == "${{ matrix.entry.path }}" for s in job["steps"] if "run" in s
    )
    assert job["needs"] == "standard"


def make_entry(zoo: Path, category: str, slug: str, hardware: str, julia: str = "1.10") -> Path:
    resolved = answers.resolve(
        {
            "title": slug,
            "slug": slug,
            "category": category,
            "kind": "blank",
            "hardware": hardware,
            "julia_version": julia,
            "author_name": "A. Person",
            "created": "2024-05-01",
        }
    )
    entry = zoo / category / slug
    entry.mkdir(parents=True)
    metadata.write(entry, metadata.from_answers(resolved, "1.0.0"))
    (entry / f"{slug}.jl").write_text("using Flux\n", encoding="utf-8")
    return entry


def run_selection(zoo: Path, event: str, base: str = "") -> tuple[list[dict], str]:
    """Run the workflow's own `scope` and `pick` shell steps in `zoo`, as a runner would."""
    job = steps(zoo / WORKFLOW, "standard")
    temp = zoo.parent / "runner-temp"
    env = runner_env(temp, EVENT=event, BASE=base)
    printed = ""
    for step_id in ("scope", "pick"):
        env["ANY"] = key_values(temp / "github-output").get("any", "")
        result = run_step(job[step_id], zoo, env)
        assert result.returncode == 0, result.stderr
        printed += result.stdout
    return json.loads(key_values(temp / "github-output")["entries"]), printed


@posix_bash
def test_pull_requests_test_only_the_changed_entries_and_skip_gpu_required(written):
    zoo = written
    make_entry(zoo, "vision", "small_cnn", "gpu-optional", julia="1.11")
    make_entry(zoo, "text", "big_gpt", "gpu-required")
    make_entry(zoo, "other", "untouched", "cpu")
    git(zoo, "init", "-q")
    git(zoo, "add", "-A")
    git(zoo, "commit", "-q", "-m", "base")
    base = git(zoo, "rev-parse", "HEAD")
    for slug, category in (("small_cnn", "vision"), ("big_gpt", "text")):
        with (zoo / category / slug / f"{slug}.jl").open("a", encoding="utf-8") as f:
            f.write("# more\n")
    (zoo / "README.md").write_text("# The zoo\n", encoding="utf-8")
    git(zoo, "add", "-A")
    git(zoo, "commit", "-q", "-m", "change")

    selected, printed = run_selection(zoo, "pull_request", base)
    assert selected == [{"path": "vision/small_cnn", "julia": "1.11"}]
    assert "::notice file=text/big_gpt/tutorial.toml::" in printed

    everything, _ = run_selection(zoo, "schedule")
    assert sorted(e["path"] for e in everything) == ["other/untouched", "vision/small_cnn"]


@posix_bash
def test_a_pull_request_that_touches_no_entry_tests_nothing(written):
    zoo = written
    make_entry(zoo, "other", "untouched", "cpu")
    git(zoo, "init", "-q")
    git(zoo, "add", "-A")
    git(zoo, "commit", "-q", "-m", "base")
    base = git(zoo, "rev-parse", "HEAD")
    (zoo / "README.md").write_text("# The zoo\n", encoding="utf-8")
    git(zoo, "add", "-A")
    git(zoo, "commit", "-q", "-m", "docs")
    assert run_selection(zoo, "pull_request", base)[0] == []


@posix_bash
def test_the_check_steps_report_on_the_entries_a_pull_request_changes(written, capsys):
    """The workflow's `fluxzoo check` and `sync --check` steps, run on a pull request's scope:
    annotations on the changed entry only, and a stale notebook fails the sync step."""
    zoo = written
    git(zoo, "init", "-q")
    for title in ("Old digits", "New digits"):
        assert main(["new", "--no-input", "--set", f"title={title}", "--zoo", str(zoo)]) == 0
        git(zoo, "add", "-A")
        git(zoo, "commit", "-q", "-m", title)
    capsys.readouterr()
    job = steps(zoo / WORKFLOW, "standard")
    temp = zoo.parent / "runner-temp"
    check, sync = (
        job["Check the entries against the standard"],
        job["Check the notebooks and docs pages are in sync with their sources"],
    )

    def pull_request() -> tuple[subprocess.CompletedProcess[str], ...]:
        env = runner_env(temp, EVENT="pull_request", BASE=git(zoo, "rev-parse", "HEAD~1"))
        assert run_step(job["scope"], zoo, env).returncode == 0
        assert key_values(temp / "github-output") == {"any": "true"}
        return run_step(check, zoo, env), run_step(sync, zoo, env)

    checked, synced = pull_request()
    failed = 123  # what xargs exits with when the command it ran exited 1
    assert checked.returncode == failed, "the new entry's TODO(fluxzoo) markers are errors"
    assert "::error file=tutorials/new_digits/new_digits.jl,line=" in checked.stdout
    assert "old_digits" not in checked.stdout
    assert synced.returncode == 0, synced.stdout + synced.stderr

    source = zoo / "tutorials/new_digits/new_digits.jl"
    source.write_text(source.read_text(encoding="utf-8") + "\n# One more paragraph.\n")
    git(zoo, "commit", "-q", "-am", "edit the source only")
    _, synced = pull_request()
    assert synced.returncode == failed
    assert "tutorials/new_digits/new_digits.ipynb" in synced.stdout + synced.stderr


def test_pull_request_template_has_a_reviewer_checklist(written):
    text = (written / ".github/pull_request_template.md").read_text(encoding="utf-8")
    reviewer = text.split("## Checklist for the reviewer", 1)[1]
    items = re.findall(r"^- \[ \] (.+)$", reviewer, flags=re.M)
    assert len(items) >= 5
    assert any("fluxzoo check" in i for i in items)


def test_contributing_is_generated_from_the_standard(written):
    from fluxzoo.checks.registry import Lifecycle, all_rules
    from fluxzoo.kinds import KINDS

    text = (written / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "${" not in text
    assert f"template version {answers.template_version()}" in text
    for category in entries.CATEGORIES:
        assert f"- `{category}`:" in text
    for kind in KINDS.values():
        assert f"- `{kind.name}`: {kind.label}" in text
    stable = [r for r in all_rules() if r.lifecycle is Lifecycle.STABLE]
    assert stable, "the check registry has rules"
    for rule in stable:
        assert re.search(
            rf"^\| {rule.code} \| `{rule.name}` \| {rule.severity} \|", text, flags=re.M
        )


def test_existing_files_are_kept_without_force(written, capsys):
    contributing = written / "CONTRIBUTING.md"
    contributing.write_text("ours\n", encoding="utf-8")
    (written / WORKFLOW).unlink()
    assert main(["init-zoo", str(written)]) == 1
    err = capsys.readouterr().err
    assert "CONTRIBUTING.md" in err and "--force" in err
    assert contributing.read_text(encoding="utf-8") == "ours\n"
    assert not (written / WORKFLOW).exists(), "nothing is written when anything is refused"

    assert main(["init-zoo", str(written), "--force"]) == 0
    assert contributing.read_text(encoding="utf-8") != "ours\n"
    assert (written / WORKFLOW).is_file()


def test_not_a_folder_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "a-file").write_text("x\n", encoding="utf-8")
    assert main(["init-zoo", str(tmp_path / "a-file")]) == 2
    err = capsys.readouterr().err
    assert "not a folder" in err and "Traceback" not in err


def test_a_missing_zoo_folder_is_created(tmp_path, capsys):
    zoo = tmp_path / "new" / "model-zoo"
    assert main(["init-zoo", str(zoo)]) == 0
    assert (zoo / "CONTRIBUTING.md").is_file() and (zoo / WORKFLOW).is_file()
    assert f"created the folder {zoo}" in capsys.readouterr().err


def test_a_failed_init_zoo_removes_the_folders_it_made(tmp_path, monkeypatch, capsys):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    assert main(["init-zoo", str(tmp_path / "new" / "zoo")]) == 1
    assert "Permission denied" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_pre_commit_hooks_expose_check_and_sync_check():
    hooks = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"fluxzoo-check", "fluxzoo-sync-check"}
    assert by_id["fluxzoo-check"]["entry"] == "fluxzoo check"
    assert by_id["fluxzoo-sync-check"]["entry"] == "fluxzoo sync --check"
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True
        args = build_parser().parse_args([*shlex.split(hook["entry"])[1:], "vision/x/x.jl"])
        assert args.paths == [Path("vision/x/x.jl")]
        files = re.compile(hook["files"])
        for category in entries.CATEGORIES:
            assert files.search(f"{category}/some_entry/some_entry.jl")
        assert not files.search("README.md")
        assert not files.search(".github/workflows/fluxzoo.yml")


def test_the_workflow_and_contributing_install_this_very_release(written):
    import fluxzoo

    release = importlib.metadata.version("fluxzoo")
    assert release == fluxzoo.__version__, "pyproject.toml takes its version from __version__"
    w = workflow(written)
    assert w["env"]["FLUXZOO_PACKAGE"] == f"fluxzoo=={release}"
    install = next(s for s in w["jobs"]["standard"]["steps"] if s.get("name") == "Install fluxzoo")
    assert install["run"] == 'python -m pip install "$FLUXZOO_PACKAGE"'
    contributing = (written / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"\npip install fluxzoo=={release}\n" in contributing
    assert f"rev: v{release}\n" in contributing


@posix_bash
def test_site_job_builds_the_site_and_deploys_it_with_the_pages_actions(written, tmp_path):
    w = workflow(written)
    assert w["on"]["push"]["branches"]
    job = w["jobs"]["site"]
    assert "push" in job["if"] and "default_branch" in job["if"]
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert job["concurrency"]["cancel-in-progress"] is False
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert "push" in w["jobs"]["standard"]["if"]
    make_entry(written, "vision", "small_cnn", "cpu")
    temp = tmp_path / "runner"
    env = runner_env(temp, BASE_URL="https://fluxml.github.io/model-zoo")
    result = run_step(steps(written / WORKFLOW, "site")["build"], written, env)
    assert result.returncode == 0, result.stderr
    built = temp / "site"
    assert (built / "entries" / "vision.small_cnn" / "index.html").is_file()
    assert "https://fluxml.github.io/model-zoo/" in (built / "sitemap.xml").read_text()
    artifact = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert artifact["with"]["path"] == "${{ runner.temp }}/site"
