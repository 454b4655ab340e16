{#- The headless-download note of the kinds whose data comes through MLDatasets.jl (DataDeps.jl
    underneath); the kind sets `download` (what is fetched, and its size) before including it.
    DataDeps v0.7.13: src/resolution_automatic.jl:25 throws under CI=true unless
    DATADEPS_ALWAYS_ACCEPT is set, :162 otherwise asks on standard input. -#}
# MLDatasets.jl downloads {{ download }} through DataDeps.jl the first time it is needed, and
# asks on the terminal first. Without a terminal to answer on (CI, a notebook server, a batch
# job), set the environment variable `DATADEPS_ALWAYS_ACCEPT=true` before Julia starts, e.g.
# `DATADEPS_ALWAYS_ACCEPT=true julia --project=. {{ a.slug }}.jl`: under `CI=true` DataDeps
# refuses to download without it, and elsewhere it waits for an answer that never comes. The
# zoo's CI sets it.
