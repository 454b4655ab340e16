"""`fluxzoo site`: the zoo as a static gallery website.

The build reads every entry once (`collect`), finds the Flux-stack names each one uses
(`patterns`), renders the docs pages (`markdown`) and the HTML pages (`pages`, jinja2 templates
in `templates/`), and writes the whole site into a temporary folder that replaces `--output`
in one step (`output`). `build` runs these stages; `layout` is where each file goes.
"""
