"""Write tutorial.toml, Project.toml, the notebook and the docs page (fluxzoo runs this too)."""

from fluxzoo.hooks_impl import run_post_gen

raise SystemExit(run_post_gen({{ cookiecutter | jsonify | tojson }}))
