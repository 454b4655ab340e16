{%- set a = cookiecutter | answers -%}
# Smoke test: the script is included inside a module, where its `PROGRAM_FILE` guard keeps it
# from training; then a few steps on a tiny synthetic batch check shapes and the loss.
# From the entry's folder, install its packages once with
# `{{ install_command }}`, then run it with
# `{{ test_command }}`.

using Test

module Tutorial
include(joinpath(@__DIR__, "..", {{ (a.slug ~ ".jl") | julia_str }}))
end

{% include "kinds/" ~ a.kind ~ "/runtests.jl" -%}
