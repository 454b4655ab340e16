"""fluxzoo: scaffold, sync and check standard tutorial entries for the FluxML model zoo."""

__version__ = "0.1.0"

__all__ = ["__version__"]
