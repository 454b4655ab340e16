{%- set a = cookiecutter | answers -%}
# # {{ a.title | markdown_text }}
#
# {{ a.description | markdown_text }}

{% include "kinds/" ~ a.kind ~ "/script.jl" -%}
