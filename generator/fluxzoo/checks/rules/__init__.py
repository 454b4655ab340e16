"""The rule modules, imported by name: importing one registers its rules (no scanning)."""

from fluxzoo.checks.rules import api, docs, layout, metadata, notebook, project, source

__all__ = ["api", "docs", "layout", "metadata", "notebook", "project", "source"]
