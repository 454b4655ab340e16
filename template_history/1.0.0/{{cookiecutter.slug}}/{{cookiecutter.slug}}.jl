{%- set a = cookiecutter | answers -%}
# # {{ a.title }}
#
# {{ a.description }}

{% include "kinds/" ~ a.kind ~ "/script.jl" -%}
