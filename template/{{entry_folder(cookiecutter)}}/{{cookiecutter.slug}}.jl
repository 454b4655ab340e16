{%- set a = cookiecutter | answers -%}
{%- set author = a.author_name ~ (" <" ~ a.author_email ~ ">" if a.author_email else "") -%}
{%- if a.hardware == "cpu" -%}{% set hardware = "a CPU is enough" -%}
{%- elif a.hardware == "gpu-optional" -%}
{%- set hardware = "a CPU is enough; it uses a GPU (" ~ a.gpu_backend ~ ") when there is one" -%}
{%- else -%}{% set hardware = "a GPU (" ~ a.gpu_backend ~ ")" -%}
{%- endif -%}
# # {{ a.title | markdown_text }}
#
# {{ a.description | markdown_text }}
#
# ## About this tutorial
#
# - Authors: {{ author | markdown_text }}
{% if "dataset_name" in a %}# - Dataset: {{ a.dataset_name | markdown_text }}, {{ a.dataset_source | markdown_text }}
# - Dataset licence: {{ a.dataset_license | markdown_text }}
{% endif %}# - Hardware: {{ hardware | markdown_text }}
# - Expected runtime of a full run: {{ a.expected_runtime | markdown_text }}
{% if a.references %}# - References: {{ a.references | map("markdown_text") | join(", ") }}
{% endif %}
{% include "kinds/" ~ a.kind ~ "/script.jl" -%}
