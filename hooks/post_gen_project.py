"""Write tutorial.toml, Project.toml, the notebook and the docs page (fluxzoo runs this too)."""

from fluxzoo.hooks_impl import run_hook

raise SystemExit(run_hook("post_gen", {{ cookiecutter | jsonify | tojson }}))
