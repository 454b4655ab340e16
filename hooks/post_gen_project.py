"""Write tutorial.toml, Project.toml and the derived notebook and docs page (fluxzoo runs the same code)."""

from fluxzoo.hooks_impl import run_hook

raise SystemExit(run_hook("post_gen", {{ cookiecutter | jsonify | tojson }}))
