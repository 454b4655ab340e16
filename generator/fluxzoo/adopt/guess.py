"""Guessing what a legacy entry is: its main script, its kind and its metadata."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

from fluxzoo import answers
from fluxzoo.adopt.changes import TODO, Plan
from fluxzoo.adopt.read import table
from fluxzoo.adopt.readme import Readme

_INCLUDE = re.compile(
    r"""\binclude\(\s*(?:joinpath\(\s*@__DIR__\s*,\s*)?"([^"]+\.jl)"\s*\)?\s*\)"""
)
_TRAINING = re.compile(r"\b(train!|withgradient|gradient|Flux\.setup|update!|epoch)s?\b")
_GPU = re.compile(r"\b(CUDA|cuDNN|AMDGPU|Metal)\b|\bgpu\b|gpu_device\(")
_MLDATASET = re.compile(r"\b(FashionMNIST|MNIST|CIFAR100|CIFAR10|SVHN2|Iris|BostonHousing)\b")
"""Datasets MLDatasets.jl downloads, by the name a script loading MLDatasets uses."""
_TITLE_MAX = 100


def includes(source: str) -> set[str]:
    return set(_INCLUDE.findall(source))


def choose_main_script(folder: str, sources: dict[str, str]) -> str:
    """`<folder>.jl`, else the file nothing includes that trains the most (ties: by name)."""
    if f"{folder}.jl" in sources:
        return f"{folder}.jl"
    included = {name for text in sources.values() for name in includes(text)}

    def rank(name: str) -> tuple[bool, int, str]:
        return (name in included, -len(_TRAINING.findall(sources[name])), name)

    return min(sources, key=rank)


def _major_minor(version: str) -> str | None:
    m = re.match(r"\s*(?:[\^~=]\s*)?(\d+)\.(\d+)", version)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _newest(spec: object) -> str | None:
    """The newest major.minor a `[compat]` entry names ("0.13.9, 0.14" -> "0.14")."""
    if not isinstance(spec, str):
        return None
    found = [v for v in (_major_minor(part) for part in spec.split(",")) if v]
    return max(found, key=lambda v: tuple(int(x) for x in v.split("."))) if found else None


def _manifest_versions(manifest: dict[str, Any]) -> tuple[str | None, str | None]:
    """(julia, Flux) as major.minor from a Manifest.toml, either format."""
    julia = manifest.get("julia_version")
    deps = manifest.get("deps") if "manifest_format" in manifest else manifest
    flux = None
    entries = deps.get("Flux") if isinstance(deps, dict) else None
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        flux = entries[0].get("version")
    return (
        _major_minor(julia) if isinstance(julia, str) else None,
        _major_minor(flux) if isinstance(flux, str) else None,
    )


_GRAPH = re.compile(r"\b(GraphNeuralNetworks|GeometricFlux|GNNChain|GNNGraph|GCNConv|GATConv)\b")
_ATTENTION = re.compile(r"\b(MultiHeadAttention|make_causal_mask|Transformers)\b")
"""Flux's attention layer and mask (Flux `src/layers/attention.jl`, NNlib `make_causal_mask`), or
Transformers.jl: a spatial transformer network, which has neither, stays a vision entry."""
_CLASSIFIES_TEXT = re.compile(r"classif|sentiment|detect|spam|imdb|treebank")


def guess_kind(slug: str, category: str, code: str) -> str:
    """The skeleton the legacy code is closest to, from the packages and layers it uses first,
    then its name and category."""
    text = f"{slug} {code}".lower()
    if _GRAPH.search(code):
        return "graph_neural_network"
    if _ATTENTION.search(code):
        return "transformer"
    if re.search(r"gan\b|gan_|vae|diffusion|generative|autoencoder", text):
        return "generative_model"
    if "metalhead" in text or "transfer" in slug:
        return "transfer_learning"
    if category == "vision":
        return "image_classification"
    if category == "text":
        return "text_classification" if _CLASSIFIES_TEXT.search(text) else "sequence_model"
    return "blank"


def _created(entry: Path, today: dt.date) -> str:
    """The date the folder first appears in git history, when there is one; else today."""
    try:
        out = subprocess.run(
            ["git", "log", "--reverse", "--format=%as", "--", "."],
            cwd=entry,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return today.isoformat()
    first = out.stdout.split("\n", 1)[0].strip()
    return (
        first
        if out.returncode == 0 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", first)
        else today.isoformat()
    )


def build_metadata(
    entry: Path,
    slug: str,
    category: str,
    readme: Readme,
    code: str,
    project: dict[str, Any],
    manifest: dict[str, Any],
    today: dt.date,
    plan: Plan,
) -> dict[str, Any]:
    """tutorial.toml for an adopted entry: what the entry says, else a TODO marker."""
    from fluxzoo.kinds import KINDS, MNIST

    kind = guess_kind(slug, category, code)
    plan.notes.append(f"kind guessed as {kind} (the skeleton it is closest to)")
    title = readme.title[:_TITLE_MAX] or " ".join(re.split(r"[-_]+", slug)).capitalize()
    if not readme.title:
        plan.notes.append(f"title taken from the folder name: {title!r}")
    compat = table(project, "compat")
    m_julia, m_flux = _manifest_versions(manifest)
    julia = (
        m_julia or _newest(compat.get("julia")) or f"{TODO} the Julia version it was last run with"
    )
    flux = m_flux or _newest(compat.get("Flux")) or f"{TODO} the Flux version it was last run with"
    deps = table(project, "deps")
    gpu = bool(_GPU.search(code)) or any(
        name in deps for name in ("CUDA", "cuDNN", "AMDGPU", "Metal")
    )
    authors = project.get("authors")
    meta: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "category": category,
        "kind": kind,
        "description": readme.description or f"{TODO} say in one line what this tutorial teaches.",
        "tags": list(dict.fromkeys([category, *KINDS[kind].tags])),
        "difficulty": "beginner" if category == "tutorials" else "intermediate",
        "authors": [str(a) for a in authors]
        if isinstance(authors, list) and authors
        else [f"{TODO} the original authors (see the git history of this folder)"],
        "created": _created(entry, today),
        "updated": today.isoformat(),
        "hardware": "gpu-optional" if gpu else "cpu",
    }
    if gpu:
        meta["gpu_backend"] = (
            "AMDGPU" if "AMDGPU" in code else "Metal" if "Metal" in deps else "CUDA"
        )
    meta |= {
        "expected_runtime": f"{TODO} how long a full run takes, and on what hardware",
        "references": readme.references,
        "docs_flavor": "commonmark",
        "tested": {"julia": julia, "flux": flux},
    }
    if KINDS[kind].needs_dataset:
        m = _MLDATASET.search(code) if "MLDatasets" in code else None
        licences = {"MNIST": MNIST.license}
        if m:
            name = m.group(1)
            meta["dataset"] = {
                "name": name,
                "source": f"downloaded on first use by MLDatasets.jl (`MLDatasets.{name}`)",
                "license": licences.get(name, f"{TODO} the dataset's licence"),
            }
        else:
            meta["dataset"] = {
                "name": f"{TODO} the dataset's name",
                "source": f"{TODO} where the data comes from and how it is fetched",
                "license": f"{TODO} the dataset's licence",
            }
    meta["fluxzoo"] = {"template_version": answers.template_version()}
    return meta
