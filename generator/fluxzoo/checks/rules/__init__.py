"""The rule modules, imported by name: importing one registers its rules (no scanning)."""

from fluxzoo.checks.rules import docs, layout, metadata, notebook, project, source

__all__ = ["docs", "layout", "metadata", "notebook", "project", "source"]
