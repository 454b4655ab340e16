"""The answers that make an entry: their schema, defaults and the one set of validators.

`template/cookiecutter.json` names every answer, its plain default, its choices and its prompt.
This module adds what JSON cannot hold: help text, validators, defaults that depend on other
answers or on the machine, and when a question applies. Prompts, `--set`, answer files, the
hooks and `fluxzoo check` all validate through `validate()` and `resolve()` here.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fluxzoo import _paths
from fluxzoo.errors import UsageError, ValidationError
from fluxzoo.kinds import KINDS

Answers = dict[str, Any]

# Every pattern is used with `fullmatch`: `$` would also match before a final newline, and a
# slug `ab\n` would name a folder and break the script.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
TAG_RE = re.compile(r"[a-z0-9][a-z0-9+-]{0,31}")
EMAIL_RE = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+")
JULIA_VERSION_RE = re.compile(r"1\.(\d+)")
FLUX_VERSION_RE = re.compile(r"(0|[1-9]\d*)\.(\d+)")
URL_RE = re.compile(r"https?://[^\s<>\"]+")
RESERVED_SLUGS = {"con", "prn", "aux", "nul", "readme"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}
"""Names Windows reserves for devices, and `readme`, whose documenter page `readme.md` would
be README.md on a file system that ignores case (macOS, Windows)."""
LITERATE_MARKER_RE = re.compile(
    r"#!?(md|nb|jl)\Z|#src\Z|@__(NAME|REPO_ROOT_URL|NBVIEWER_ROOT_URL|BINDER_ROOT_URL)__"
)
"""What Literate.jl would act on in a line of the script: filters at its end, placeholders."""
MIN_JULIA_MINOR = 10
"""Flux 0.16 needs Julia 1.10, the long-term-support release."""


def _fail(key: str, value: object, allowed: str) -> ValidationError:
    return ValidationError(key, value, allowed)


def _line(key: str, value: object, *, max_len: int, required: bool = True) -> str:
    """One line of free text: any characters but control characters, so every file stays valid."""
    if not isinstance(value, str):
        raise _fail(key, value, "expected text")
    text = value.strip()
    if required and not text:
        raise _fail(key, value, "must not be empty")
    if any(ord(c) < 32 or ord(c) == 127 or 0x80 <= ord(c) < 0xA0 for c in text):
        raise _fail(key, value, "must be a single line without control characters")
    if "\u2028" in text or "\u2029" in text:
        raise _fail(key, value, "must be a single line without line separators")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise _fail(key, value, "must be valid Unicode text (no lone surrogates)")
    if LITERATE_MARKER_RE.search(text):
        raise _fail(
            key,
            value,
            "must not end in a Literate.jl filter (#md, #nb, #jl, #src) or hold a "
            "placeholder like @__NAME__: the docs page would not show it as written",
        )
    if len(text) > max_len:
        raise _fail(key, value, f"at most {max_len} characters")
    return text


def _items(key: str, value: object) -> list[str]:
    """Lists come as a list (answer files) or as comma-separated text (`--set`, prompts)."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise _fail(key, value, "expected a list of text or comma-separated text")


def _choice(choices: tuple[str, ...]) -> Callable[[str, object], str]:
    def check(key: str, value: object) -> str:
        if value not in choices:
            raise _fail(key, value, "one of " + ", ".join(choices))
        return str(value)

    return check


def _title(key: str, value: object) -> str:
    return _line(key, value, max_len=100)


def _description(key: str, value: object) -> str:
    return _line(key, value, max_len=200)


def _short_text(key: str, value: object) -> str:
    return _line(key, value, max_len=200, required=False)


def _slug(key: str, value: object) -> str:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value) or value in RESERVED_SLUGS:
        suggested = slugify(value) if isinstance(value, str) and value.strip() else None
        if suggested == value or suggested == "tutorial":
            suggested = None  # a reserved name, or nothing left of it: no useful suggestion
        raise _fail(
            key,
            value,
            "1 to 64 lowercase letters, digits, '_' or '-', starting with a letter or digit "
            "(it names a folder and a file)" + (f"; e.g. {suggested!r}" if suggested else ""),
        )
    return value


def _tags(key: str, value: object) -> list[str]:
    tags = _items(key, value)
    for tag in tags:
        if not TAG_RE.fullmatch(tag):
            raise _fail(
                key, tag, "tags are lowercase letters, digits, '-' or '+' (e.g. vision, cnn)"
            )
    if len(tags) > 10:
        raise _fail(key, value, "at most 10 tags")
    return list(dict.fromkeys(tags))


def _email(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(key, value, "expected text")
    text = value.strip()
    if text and not EMAIL_RE.fullmatch(text):
        raise _fail(key, value, "an e-mail address like name@example.org, or empty")
    return text


def _references(key: str, value: object) -> list[str]:
    urls = _items(key, value)
    for url in urls:
        if not URL_RE.fullmatch(url):
            raise _fail(key, url, "each reference is an http(s) URL")
    return urls


def _julia_version(key: str, value: object) -> str:
    m = JULIA_VERSION_RE.fullmatch(str(value)) if isinstance(value, str | float) else None
    if not m or int(m.group(1)) < MIN_JULIA_MINOR:
        raise _fail(key, value, f"a Julia version as major.minor, 1.{MIN_JULIA_MINOR} or newer")
    return str(value)


def _flux_version(key: str, value: object) -> str:
    m = FLUX_VERSION_RE.fullmatch(str(value)) if isinstance(value, str | float) else None
    if not m or (m.group(1) == "0" and int(m.group(2)) < 14):
        raise _fail(
            key, value, "a Flux version as major.minor, 0.14 or newer (explicit-gradient Flux)"
        )
    return str(value)


def _date(key: str, value: object) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise _fail(key, value, "a date as YYYY-MM-DD")


def _applies_dataset(answers: Mapping[str, Any]) -> bool:
    return KINDS[answers["kind"]].needs_dataset


def _applies_gpu(answers: Mapping[str, Any]) -> bool:
    return answers.get("hardware") != "cpu"


def _git_config(name: str) -> str:
    try:
        out = subprocess.run(
            ["git", "config", "--get", name], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def slugify(title: str) -> str:
    """The slug a title suggests: ASCII words joined by '_', or 'tutorial' when none are left."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "_".join(words)[:64].strip("_")
    return slug if slug and slug not in RESERVED_SLUGS else "tutorial"


def _default_slug(answers: Mapping[str, Any]) -> str:
    return slugify(answers["title"])


def _default_author(answers: Mapping[str, Any]) -> str:
    return _git_config("user.name") or "Your Name"


def _default_email(answers: Mapping[str, Any]) -> str:
    email = _git_config("user.email")
    return email if EMAIL_RE.fullmatch(email) else ""


def _default_runtime(answers: Mapping[str, Any]) -> str:
    return KINDS[answers["kind"]].runtime_marker


def _dataset_default(field: str) -> Callable[[Mapping[str, Any]], str]:
    def default(answers: Mapping[str, Any]) -> str:
        dataset = KINDS[answers["kind"]].dataset
        return getattr(dataset, field) if dataset else ""

    return default


def _default_hardware(answers: Mapping[str, Any]) -> str:
    return KINDS[answers["kind"]].hardware


def _default_tags(answers: Mapping[str, Any]) -> list[str]:
    return list(KINDS[answers["kind"]].tags)


def _default_created(answers: Mapping[str, Any]) -> str:
    return _dt.date.today().isoformat()


@dataclass(frozen=True)
class Question:
    """One answer the template needs."""

    name: str
    prompt: str
    help: str
    validate: Callable[[str, object], Any]
    default: Any
    """A plain value, or a function of the answers given so far."""
    choices: tuple[str, ...] = ()
    applies: Callable[[Mapping[str, Any]], bool] | None = None
    is_list: bool = False

    def default_for(self, answers: Mapping[str, Any]) -> Any:
        return self.default(answers) if callable(self.default) else self.default

    def when(self, answers: Mapping[str, Any]) -> bool:
        return self.applies is None or self.applies(answers)


HELP: dict[str, str] = {
    "title": "Shown as the page title, e.g. 'Classifying handwritten digits with a CNN'.",
    "slug": "Names the folder and the files: <slug>.jl, <slug>.ipynb.",
    "category": "vision, text, other, tutorials (teaching a concept) or contrib (community).",
    "kind": "The skeleton the script starts from; it shows the pattern, you fill in the specifics.",
    "description": "One sentence for the zoo's index.",
    "tags": "A few keywords for the index, e.g. vision, cnn.",
    "difficulty": "Who the tutorial is for.",
    "author_name": "Credited in the metadata; more authors can be added to tutorial.toml later.",
    "author_email": "Lets maintainers reach you about the tutorial; leave empty to omit.",
    "dataset_name": "The data the tutorial trains on.",
    "dataset_source": "How a reader gets it, e.g. 'downloaded by MLDatasets.jl'.",
    "dataset_license": "The licence the data is published under.",
    "hardware": (
        "cpu: runs anywhere; gpu-optional: faster on a GPU; gpu-required: too slow without."
    ),
    "gpu_backend": "The GPU package the README tells readers to load.",
    "expected_runtime": "How long a full run takes, and on what.",
    "references": "Papers or posts the tutorial builds on.",
    "docs_flavor": (
        "README.md is CommonMark; documenter and quarto add <slug>.md or <slug>.qmd for that "
        "site generator (Franklin converts the script itself)."
    ),
    "julia_version": (
        "The Julia release the tutorial is tested with; 1.10 is the long-term-support one."
    ),
    "flux_version": "The Flux release the tutorial is tested with.",
    "created": "Today, unless the tutorial is older.",
}

_VALIDATORS: dict[str, Callable[[str, object], Any]] = {
    "title": _title,
    "slug": _slug,
    "description": _description,
    "tags": _tags,
    "author_name": _title,
    "author_email": _email,
    "dataset_name": _short_text,
    "dataset_source": _short_text,
    "dataset_license": _short_text,
    "expected_runtime": _short_text,
    "references": _references,
    "julia_version": _julia_version,
    "flux_version": _flux_version,
    "created": _date,
}

_DYNAMIC_DEFAULTS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "slug": _default_slug,
    "tags": _default_tags,
    "author_name": _default_author,
    "author_email": _default_email,
    "dataset_name": _dataset_default("name"),
    "dataset_source": _dataset_default("source"),
    "dataset_license": _dataset_default("license"),
    "hardware": _default_hardware,
    "expected_runtime": _default_runtime,
    "created": _default_created,
}

_APPLIES: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "dataset_name": _applies_dataset,
    "dataset_source": _applies_dataset,
    "dataset_license": _applies_dataset,
    "gpu_backend": _applies_gpu,
}

LIST_ANSWERS = frozenset({"tags", "references"})

FOLLOW_THE_KIND = frozenset({"dataset_name", "dataset_source", "dataset_license"})
"""Answers that are never asked: each kind's code loads one data set, so these are the kind's.

Asking would paste a name into prose the code does not follow (a Tiny Shakespeare download
introduced as IMDB). They stay answers, recorded in `tutorial.toml`, so the metadata names the
data the entry really loads; a contributor who changes the data loading updates `[dataset]`.
"""

NEEDS_AN_ANSWER = ("title",)
"""Answers whose default is only an example (every other answer derives from them or has a real
default): with no terminal to ask on, `fluxzoo new` wants them given unless told `--no-input`."""


@cache
def template_config() -> dict[str, Any]:
    """`cookiecutter.json`, read once."""
    with (_paths.template_dir() / "cookiecutter.json").open(encoding="utf-8") as f:
        return json.load(f)


@cache
def questions() -> tuple[Question, ...]:
    """Every question, in the order they are asked."""
    config = template_config()
    prompts = config["__prompts__"]
    result = []
    for name, raw in config.items():
        if name.startswith("_"):
            continue
        choices = tuple(raw) if isinstance(raw, list) else ()
        if choices:
            validate = _choice(choices)
            default = _DYNAMIC_DEFAULTS.get(name, choices[0])
        else:
            validate = _VALIDATORS[name]
            default = _DYNAMIC_DEFAULTS.get(name, raw)
        result.append(
            Question(
                name=name,
                prompt=prompts[name],
                help=HELP[name],
                validate=validate,
                default=default,
                choices=choices,
                applies=_APPLIES.get(name),
                is_list=name in LIST_ANSWERS,
            )
        )
    return tuple(result)


def question(name: str) -> Question:
    for q in questions():
        if q.name == name:
            return q
    raise _unknown(name)


def _unknown(name: str) -> UsageError:
    """An unknown answer name: the nearest known one, if any is close, then all of them."""
    import difflib

    near = difflib.get_close_matches(name, names(), n=1, cutoff=0.6)
    hint = f"did you mean {near[0]!r}? " if near else ""
    return UsageError(f"unknown answer {name!r}; {hint}known answers: {', '.join(names())}")


def names() -> list[str]:
    return [q.name for q in questions()]


def validate(name: str, value: object) -> Any:
    """Check one answer; returns it normalised (lists as lists, text stripped)."""
    return question(name).validate(name, value)


def template_version() -> str:
    return str(template_config()["_template_version"])


def unset(name: str, value: object) -> bool:
    """No answer given: None, or an empty (or blank) dataset or runtime answer ("the kind's
    default", as plain cookiecutter passes it; blank too, so resolving resolved answers changes
    nothing)."""
    kind_default = name.startswith("dataset_") or name == "expected_runtime"
    return value is None or (kind_default and isinstance(value, str) and not value.strip())


def resolve(given: Mapping[str, Any]) -> Answers:
    """Complete and validate a set of answers, in question order.

    Unknown keys are refused; answers to questions that do not apply (a dataset for a kind that
    needs none) are dropped; every missing answer takes its default. Empty dataset answers mean
    "the kind's default", which is how plain cookiecutter passes them.
    """
    known = set(names())
    unknown = sorted(set(given) - known)
    if unknown:
        raise _unknown(unknown[0])
    answers: Answers = {}
    for q in questions():
        if not q.when(answers):
            continue
        value = given.get(q.name)
        if unset(q.name, value) or q.name in FOLLOW_THE_KIND:
            value = q.default_for(answers)
        answers[q.name] = q.validate(q.name, value)
    return answers


def refuse_unfollowed(given: Mapping[str, Any]) -> None:
    """Refuse a person's answer the entry could not follow (see `FOLLOW_THE_KIND`).

    `resolve` replaces such answers, so answers recorded by older templates still resolve;
    this is for answers a person gives now (`--set`, an answers file, plain cookiecutter).
    """
    kind = given.get("kind") or question("kind").default_for(given)
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    for name in sorted(FOLLOW_THE_KIND & set(given)):
        value = given[name]
        if unset(name, value) or spec is None or spec.dataset is None:
            continue
        if str(value).strip() != getattr(spec.dataset, name.removeprefix("dataset_")):
            raise UsageError(
                f"{name}: the {kind} skeleton loads {spec.dataset.name}, so the dataset "
                f"follows the kind; leave it out, and after creating the entry change its "
                f"data loading and the [dataset] table of tutorial.toml together"
            )


def parse_assignment(text: str) -> tuple[str, str]:
    """`KEY=VALUE` from `--set`."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(f"--set {text!r}: expected KEY=VALUE, e.g. --set title='My tutorial'")
    question(key)
    return key, value
