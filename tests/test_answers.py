"""The answers: defaults that depend on the kind, questions that apply, and the validators."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fluxzoo import answers
from fluxzoo.errors import UsageError, ValidationError
from fluxzoo.kinds import KINDS
from hypothesis import given
from hypothesis import strategies as st


def test_every_template_variable_has_a_question_with_help_and_a_prompt():
    config = answers.template_config()
    assert answers.names() == [k for k in config if not k.startswith("_")]
    for q in answers.questions():
        assert q.prompt and q.help, q.name


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_defaults_follow_the_kind(kind):
    resolved = answers.resolve({"kind": kind})
    spec = KINDS[kind]
    assert resolved["hardware"] == spec.hardware
    assert resolved["tags"] == list(spec.tags)
    assert ("dataset_name" in resolved) == spec.needs_dataset
    if spec.dataset:
        assert resolved["dataset_name"] == spec.dataset.name
    assert ("gpu_backend" in resolved) == (spec.hardware != "cpu")
    assert answers.resolve(resolved) == resolved  # resolving is idempotent


def test_defaults_from_git_and_today():
    resolved = answers.resolve({})
    assert resolved["author_name"] == "Ada Tester"  # from the isolated git config
    assert resolved["author_email"] == "ada@example.org"
    assert resolved["created"] == dt.date.today().isoformat()
    assert resolved["slug"] == answers.slugify(resolved["title"])


@pytest.mark.parametrize("kind", sorted(k for k, spec in KINDS.items() if spec.dataset))
def test_the_dataset_follows_the_kind(kind):
    """The skeleton's code loads the kind's data set, so its prose and metadata name that one.

    A recorded answer from an older template resolves to the kind's data set; a person giving
    another one now is told why it cannot be followed, in one line.
    """
    spec = KINDS[kind].dataset
    own = {"dataset_name": "IMDB", "dataset_source": "own", "dataset_license": "CC0"}
    resolved = answers.resolve({"kind": kind, **own})
    assert (resolved["dataset_name"], resolved["dataset_source"], resolved["dataset_license"]) == (
        spec.name,
        spec.source,
        spec.license,
    )
    for name, value in own.items():
        with pytest.raises(UsageError, match=rf"^{name}: the {kind} skeleton loads") as e:
            answers.refuse_unfollowed({"kind": kind, name: value})
        assert "\n" not in str(e.value)
    answers.refuse_unfollowed({"kind": kind, "dataset_name": "", "dataset_source": None})
    answers.refuse_unfollowed({"kind": kind, "dataset_name": f" {spec.name} "})
    answers.refuse_unfollowed({"kind": "blank", "dataset_name": "IMDB"})  # dropped, as before


def test_the_default_kind_decides_when_none_is_given():
    default = answers.question("kind").default_for({})
    with pytest.raises(UsageError, match=f"the {default} skeleton"):
        answers.refuse_unfollowed({"dataset_name": "IMDB"})


def test_answers_that_do_not_apply_are_dropped():
    resolved = answers.resolve(
        {"kind": "blank", "hardware": "cpu", "dataset_name": "x", "gpu_backend": "Metal"}
    )
    assert "dataset_name" not in resolved and "gpu_backend" not in resolved


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("tags", "vision, cnn,, vision", ["vision", "cnn"]),
        ("tags", ["a", "b"], ["a", "b"]),
        ("references", "https://a.org/x, http://b.org", ["https://a.org/x", "http://b.org"]),
        ("title", "  padded  ", "padded"),
        ("created", dt.date(2024, 5, 1), "2024-05-01"),
        ("julia_version", "1.11", "1.11"),
        ("flux_version", "0.16", "0.16"),
        ("author_email", "", ""),
        ("slug", "my-tut_2", "my-tut_2"),
        ("title", "C# and F# #md-style notes @__x__", "C# and F# #md-style notes @__x__"),
    ],
)
def test_validators_normalise(key, value, expected):
    assert answers.validate(key, value) == expected


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("slug", "../up"),
        ("slug", "a/b"),
        ("slug", "a\\b"),
        ("slug", ""),
        ("slug", "Upper"),
        ("slug", "x" * 65),
        ("slug", "nul"),
        ("slug", "readme"),
        ("slug", "-lead"),
        ("title", "two\nlines"),
        ("title", "tab\there"),
        ("title", "x" * 101),
        ("title", "\ud800"),
        ("description", "line\u2028sep"),
        ("category", "music"),
        ("kind", "Blank"),
        ("julia_version", "1.9"),
        ("julia_version", "2"),
        ("flux_version", "0.13"),
        ("created", "2024-02-30"),
        ("created", "today"),
        ("author_email", "a@b"),
        ("references", "not a url"),
        ("tags", "a b"),
        ("title", "x #src"),
        ("title", "Learn C#nb"),
        ("description", "y #!md"),
        ("dataset_name", "see @__NAME__ here"),
        ("expected_runtime", "@__REPO_ROOT_URL__"),
    ],
)
def test_validators_refuse_with_the_key_and_value(key, value):
    with pytest.raises(ValidationError) as info:
        answers.validate(key, value)
    assert info.value.key == key
    assert str(info.value).startswith(f"{key}=")
    assert "\n" not in str(info.value)


@given(st.text())
def test_slugify_always_gives_a_valid_slug(title):
    assert answers.validate("slug", answers.slugify(title)) == answers.slugify(title)


def test_parse_assignment():
    assert answers.parse_assignment("title=a=b") == ("title", "a=b")
    assert answers.parse_assignment(" title =x") == ("title", "x")
    with pytest.raises(UsageError, match="expected KEY=VALUE"):
        answers.parse_assignment("title")
    with pytest.raises(UsageError, match="unknown answer 'colour'"):
        answers.parse_assignment("colour=red")


@given(
    field=st.sampled_from(
        ["title", "description", "author_name", "dataset_name", "expected_runtime"]
    ),
    text=st.text(max_size=40),
)
def test_resolving_resolved_answers_changes_nothing(field, text):
    """The hooks resolve the context fluxzoo already resolved; both must agree."""
    try:
        resolved = answers.resolve({"kind": "image_classification", field: text})
    except ValidationError:
        return
    assert answers.resolve(resolved) == resolved


_VALID_SAMPLE = {
    "SLUG_RE": "mnist_cnn",
    "TAG_RE": "vision",
    "EMAIL_RE": "a@b.org",
    "JULIA_VERSION_RE": "1.10",
    "FLUX_VERSION_RE": "0.16",
    "URL_RE": "https://fluxml.ai",
}


def test_every_pattern_matches_the_whole_value():
    """`$` also matches before a final newline: `slug=ab\\n` would name a folder `ab\\n/`."""
    patterns = {n: v for n, v in vars(answers).items() if isinstance(v, re.Pattern)}
    assert set(_VALID_SAMPLE) == set(patterns) - {"LITERATE_MARKER_RE"}, "add a sample"
    for name, sample in _VALID_SAMPLE.items():
        assert patterns[name].fullmatch(sample), name
        assert not patterns[name].pattern.endswith("$"), name
    assert not answers.LITERATE_MARKER_RE.search("ends in #md\n-")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("slug", "ab"),
        ("julia_version", "1.10"),
        ("flux_version", "0.16"),
        ("created", "2024-05-01"),
    ],
)
@pytest.mark.parametrize("tail", ["\n", "\r\n", "\x00", " "])
def test_a_trailing_newline_or_nul_is_refused(name, value, tail):
    assert answers.validate(name, value) == value
    with pytest.raises(ValidationError):
        answers.validate(name, value + tail)
