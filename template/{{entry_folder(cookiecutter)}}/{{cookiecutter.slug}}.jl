{%- set a = cookiecutter | answers -%}
# # {{ a.title | markdown_text }}
#
# {{ a.description | markdown_text }}
#
{{ a | about }}

{% include "kinds/" ~ a.kind ~ "/script.jl" -%}
