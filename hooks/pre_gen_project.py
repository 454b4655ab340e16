"""Validate the answers before plain cookiecutter renders anything (fluxzoo runs the same code)."""

from fluxzoo.hooks_impl import run_hook

raise SystemExit(run_hook("pre_gen", {{ cookiecutter | jsonify | tojson }}))
