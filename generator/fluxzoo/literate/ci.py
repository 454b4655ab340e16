"""Literate's URLs for `@__REPO_ROOT_URL__` and friends, derived from a CI environment.

This is the only place that looks at environment variables, and it only reads the mapping it
is given. It mirrors Literate.jl's `create_configuration`: Travis CI, GitHub Actions, GitLab
CI, and DocumentationGenerator.jl. Pass the result to `LiterateOptions` with
`dataclasses.replace(options, **links)`; explicit URLs given by the caller should win.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_DEPLOY_BRANCH = "gh-pages"
_VERSION = re.compile(  # Julia's Base.VERSION_REGEX
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:(-)|(?:-((?:[0-9a-z-]+\.)*[0-9a-z-]+))?([+]|(?:\+((?:[0-9a-z-]+\.)*[0-9a-z-]+))?))$",
    re.IGNORECASE,
)


def version_tag_strip_build(tag: str) -> str:
    """A version tag without its build part: `v1.2.0+docs` -> `v1.2.0`.

    As in Literate, a pre-release keeps its text but loses its dash (`v1.0.0-rc1` -> `v1.0.0rc1`).
    """
    m = _VERSION.search(tag)
    if m is None:
        return tag
    prefix = "v" if tag.startswith("v") else ""
    minor = f".{m[2]}" if m[2] is not None else ""
    patch = f".{m[3]}" if m[3] is not None else ""
    return f"{prefix}{m[1]}{minor}{patch}{m[5] or ''}"


def _github_links(slug: str, edit_commit: str, folder: str) -> dict[str, str]:
    return {
        "repo_root_url": f"https://github.com/{slug}/blob/{edit_commit}",
        "nbviewer_root_url": f"https://nbviewer.jupyter.org/github/{slug}/blob/{_DEPLOY_BRANCH}/{folder}",
        "binder_root_url": f"https://mybinder.org/v2/gh/{slug}/{_DEPLOY_BRANCH}?filepath={folder}",
    }


def ci_links(
    env: Mapping[str, str], *, edit_commit: str = "master", devurl: str = "dev"
) -> dict[str, str]:
    """The `LiterateOptions` URL fields Literate would set in the environment `env`."""
    if env.get("DOCUMENTATIONGENERATOR", "") == "true":
        base = env.get("DOCUMENTATIONGENERATOR_BASE_URL", "DOCUMENTATIONGENERATOR_BASE_URL")
        return {"documentation_generator_base_url": base}
    if "HAS_JOSH_K_SEAL_OF_APPROVAL" in env:  # Travis CI
        slug = env.get("TRAVIS_REPO_SLUG", "unknown-repository")
        if env.get("TRAVIS_PULL_REQUEST") == "false":
            tag = env.get("TRAVIS_TAG", "")
            folder = version_tag_strip_build(tag) if tag else devurl
        else:
            folder = f"previews/PR{env.get('TRAVIS_PULL_REQUEST', '##')}"
        return _github_links(slug, edit_commit, folder)
    if "GITHUB_ACTIONS" in env:
        slug = env.get("GITHUB_REPOSITORY", "unknown-repository")
        ref = env.get("GITHUB_REF", "")
        if env.get("GITHUB_EVENT_NAME") == "push":
            pushed_tag = re.search(r"^refs/tags/(.*)$", ref)
            folder = version_tag_strip_build(pushed_tag[1]) if pushed_tag else devurl
        elif pr := re.search(r"refs/pull/(\d+)/merge", ref):
            folder = f"previews/PR{pr[1]}"
        else:
            folder = "dev"
        return _github_links(slug, edit_commit, folder)
    if "GITLAB_CI" in env:
        links = {}
        if (url := env.get("CI_PROJECT_URL")) is not None:
            links["repo_root_url"] = f"{url}/blob/{edit_commit}"
        if (url := env.get("CI_PAGES_URL")) is not None and (m := re.search(r"https://(.+)", url)):
            links["nbviewer_root_url"] = f"https://nbviewer.jupyter.org/urls/{m[1]}"
        return links
    return {}
