"""What to write today instead of a legacy Flux-stack name: the advice the API rules give.

The API table (`julia_api`) knows *that* a name went away or is deprecated, and the package's
own deprecation message when there is one; it cannot know the idiom that replaced it. This is
that knowledge, read from the packages' sources and docs (file:line at the tag named):

- `REPLACEMENT`: (module, name) -> the sentence saying what to write instead.
- `RENAME`: (module, name) -> the new name, when the change is a pure rename that a fixer may
  apply mechanically (`ADAM` -> `Adam`: Flux v0.13.17 src/deprecations.jl:76 and Optimisers
  v0.4.8 src/rules.jl:1 `@deprecate ADAM Adam`).
- `DEPRECATED`: deprecations the sources state in a comment rather than with `@deprecate`
  (Flux v0.16.11 src/optimise/Optimise.jl:1 "Deprecated since Flux v0.13 in favor of
  Optimisers.jl"), as (module, name) -> (since, replacement).
- `SUPERSEDED`: whole packages the stack replaced (Tracker, Flux's AD before v0.10).
"""

from __future__ import annotations

EXPLICIT_GRADIENT = "take the gradient explicitly: `Flux.withgradient(m -> loss(m, x, y), model)`"
EXPLICIT_UPDATE = (
    "set up the optimiser state once, `opt_state = Flux.setup(Adam(), model)`, and update "
    "with `Flux.update!(opt_state, model, grads[1])`"
)
EXPLICIT_TRAIN = (
    "use the explicit form: `opt_state = Flux.setup(Adam(), model)` and "
    "`Flux.train!((m, x, y) -> loss(m(x), y), model, data, opt_state)`"
)

RENAME: dict[tuple[str, str], str] = {
    ("Flux", "ADAM"): "Adam",
    ("Flux", "ADAMW"): "AdamW",
    ("Flux", "NADAM"): "NAdam",
    ("Flux", "RADAM"): "RAdam",
    ("Flux", "OADAM"): "OAdam",
    ("Flux", "ADAGrad"): "AdaGrad",
    ("Flux", "ADADelta"): "AdaDelta",
    ("Flux", "Optimiser"): "OptimiserChain",
    ("Flux", "ClipValue"): "ClipGrad",
    ("Flux.Optimise", "ADAM"): "Adam",
    ("Flux.Optimise", "ADAMW"): "AdamW",
    ("Flux.Optimise", "NADAM"): "NAdam",
    ("Flux.Optimise", "RADAM"): "RAdam",
    ("Flux.Optimise", "OADAM"): "OAdam",
    ("Flux.Optimise", "ADAGrad"): "AdaGrad",
    ("Flux.Optimise", "ADADelta"): "AdaDelta",
    ("Optimisers", "ADAM"): "Adam",
    ("Optimisers", "ADAMW"): "AdamW",
    ("Optimisers", "NADAM"): "NAdam",
    ("Optimisers", "RADAM"): "RAdam",
    ("Optimisers", "OADAM"): "OAdam",
}
"""Pure renames: the new name is exported by Flux (from Optimisers) with the same arguments."""

REPLACEMENT: dict[tuple[str, str], str] = {
    ("Flux", "params"): EXPLICIT_GRADIENT
    + ", and collect the arrays with `Flux.trainables(model)` when you need them",
    ("Flux", "reset!"): "delete the call: recurrent layers keep no state between calls since "
    "Flux 0.15 (pass the state explicitly when you need it)",
    ("Flux", "Data"): "batches come from `Flux.DataLoader` (MLUtils' `DataLoader`, "
    "re-exported by Flux) and data sets from MLDatasets.jl (`MLDatasets.MNIST(:train)`)",
    ("Flux.Data", "DataLoader"): "use `Flux.DataLoader` (MLUtils' `DataLoader`, re-exported "
    "by Flux)",
    ("Flux", "Optimise"): "use the Optimisers.jl rules Flux exports (`Adam`, `Descent`, ...) "
    "with explicit state: " + EXPLICIT_UPDATE,
    ("Flux.Optimise", "update!"): EXPLICIT_UPDATE,
    ("Flux.Optimise", "_update_params!"): EXPLICIT_UPDATE,
    ("Flux.Optimise", "apply!"): "let `Flux.update!(opt_state, model, grads[1])` apply the "
    "rule (Optimisers.jl's `apply!` is for writing new rules)",
    ("Flux.Optimise", "train!"): EXPLICIT_TRAIN,
    ("Flux", "InvDecay"): "change the learning rate as training goes with "
    "`Flux.adjust!(opt_state, η)`",
    ("Flux", "ExpDecay"): "change the learning rate as training goes with "
    "`Flux.adjust!(opt_state, η)`",
    ("Flux", "Tracker"): "Flux differentiates with Zygote since 0.10: "
    "`Flux.gradient(m -> loss(m, x), model)`; drop `Tracker.data`/`param` wrappers",
    ("Flux", "@treelike"): "declare the layer with `Flux.@layer MyLayer`",
    ("Flux", "treelike"): "declare the layer with `Flux.@layer MyLayer`",
    ("Flux", "mapleaves"): "use `Flux.fmap`",
    ("Flux", "back!"): EXPLICIT_GRADIENT,
    # Flux v0.13.17 src/deprecations.jl: "loadparams! will be deprecated eventually. Use
    # loadmodel! instead."
    ("Flux", "loadparams!"): "copy the weights with `Flux.loadmodel!(model, other)`",
    ("Flux", "data"): "drop it: parameters are plain arrays since Flux 0.10",
    ("Flux", "param"): "drop it: parameters are plain arrays since Flux 0.10",
    ("Flux", "@epochs"): "write the loop: `for epoch in 1:n ... end`",
    ("Flux", "flip"): "write it out: `reverse([f(x) for x in reverse(xs)])`",
    ("Flux", "Zeros"): "pass `bias=false` to the layer",
}
"""The sentence after "; " in a finding's message."""

DEPRECATED: dict[tuple[str, str], tuple[str, str]] = {
    ("Flux", "Optimise"): ("0.13", REPLACEMENT[("Flux", "Optimise")]),
}

SUPERSEDED: dict[str, str] = {
    "Tracker": "Tracker is Flux's automatic differentiation from before Flux 0.10; Flux uses "
    "Zygote now: `Flux.gradient(m -> loss(m, x), model)`, with no `param`/`Tracker.data`",
}
"""Package -> the message for loading it."""


def replacement(module: str, name: str, fallback: str | None = None) -> str | None:
    """What to write instead of `module.name`: the advice above, else `fallback`."""
    if (module, name) in RENAME:
        return f"use `{RENAME[(module, name)]}`"
    advice = REPLACEMENT.get((module, name))
    if advice:
        return advice
    if module.startswith("Flux.Optimise"):
        return EXPLICIT_UPDATE
    return fallback or None
