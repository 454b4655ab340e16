"""Small trees the safety tests build: a legacy entry, a standard entry, a newer template.

Plain functions (not fixtures) so the interrupt tests, the attack suite and the hypothesis
strategies build the same trees.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from fluxzoo import _paths, answers

LEGACY_SCRIPT = """\
# A line fitted with gradient descent.

using Flux

model = Dense(1 => 1)
opt_state = Flux.setup(Descent(0.1), model)
for epoch in 1:10
    # one step per epoch
    Flux.train!(model, [([1f0;;], [2f0;;])], opt_state) do m, x, y
        Flux.mse(m(x), y)
    end
end
"""

LEGACY_README = """\
# Line fit

This tutorial fits a straight line to a few points with plain gradient descent in Flux.
"""

LEGACY_PROJECT = """\
[deps]
Flux = "587475ba-b771-5e3f-ad9e-33799f191a9c"

[compat]
Flux = "0.14"
julia = "1.9"
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def legacy_entry(zoo: Path, name: str = "line_fit") -> Path:
    """A pre-standard entry in `zoo/other/<name>`: script, README, Project.toml."""
    return write_tree(
        zoo / "other" / name,
        {
            f"{name}.jl": LEGACY_SCRIPT,
            "README.md": LEGACY_README,
            "Project.toml": LEGACY_PROJECT,
            "docs/plot.png": b"\x89PNG not really",
        },
    )


def standard_entry(zoo: Path, slug: str = "line_fit") -> Path:
    """An entry rendered by the current template in `zoo/other/<slug>`."""
    from fluxzoo.render import render_entry

    resolved = answers.resolve(
        {
            "title": "Line fit",
            "slug": slug,
            "kind": "blank",
            "category": "other",
            "created": "2024-05-01",
            "author_name": "A. Person",
        }
    )
    return render_entry(resolved, zoo / "other" / slug)


def newer_template(root: Path) -> str:
    """A template root at `root` one minor version ahead, shipping today's as history.

    Three files of an entry change under it (script, .gitignore, and so tutorial.toml and the
    derived files). Returns the new version; point FLUXZOO_TEMPLATE_ROOT at `root` to use it.
    """
    old = answers.template_version()
    major, minor = old.split(".")[:2]
    new = f"{major}.{int(minor) + 1}.0"
    shutil.copytree(_paths.template_dir(), root / "template", symlinks=True)
    shutil.copytree(_paths.template_dir(), root / "template_history" / old, symlinks=True)
    config_path = root / "template" / "cookiecutter.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["_template_version"] = new
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    script = root / "template" / "kinds" / "blank" / "script.jl"
    script.write_text(
        script.read_text(encoding="utf-8") + f"\n# Added by template {new}.\n", encoding="utf-8"
    )
    ignore = root / "template" / _paths.ENTRY_FOLDER / ".gitignore"
    ignore.write_text(ignore.read_text(encoding="utf-8") + "*.newer\n", encoding="utf-8")
    return new


def state(root: Path) -> dict[str, bytes | str]:
    """Every path under `root`, hidden ones included: file bytes, link targets, folders."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = f"-> {path.readlink()}"
            elif path.is_dir():
                found[rel] = "dir"
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "special"
    return found
