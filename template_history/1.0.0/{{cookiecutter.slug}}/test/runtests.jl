{%- set a = cookiecutter | answers -%}
# Smoke test: the script is included inside a module, where its `PROGRAM_FILE` guard keeps it
# from training; then a few steps on a tiny synthetic batch check shapes and the loss.
# Run it with `julia --project=. test/runtests.jl` from the entry's folder.

using Test

module Tutorial
include(joinpath(@__DIR__, "..", {{ (a.slug ~ ".jl") | julia_str }}))
end

{% include "kinds/" ~ a.kind ~ "/runtests.jl" -%}
