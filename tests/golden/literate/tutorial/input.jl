# # Classifying digits with a small MLP
#
# This page trains a multi-layer perceptron on MNIST with [Flux](@ref) and explicit
# gradients. Run it as a script with `julia --project @__NAME__.jl`.
#
# !!! note "Data download"
#     The first run downloads MNIST (about 11 MB).
#
# Links: [repository](@__REPO_ROOT_URL__), [notebook](@__NBVIEWER_ROOT_URL__/@__NAME__.ipynb).

using Flux, MLDatasets, Random
using Statistics: mean
Random.seed!(42);  #hide

#=
## Hyper-parameters

One struct holds every knob, so tests can shrink the run.
=#

Base.@kwdef struct Args
    η::Float64 = 3e-4     # learning rate
    batchsize::Int = 256
    epochs::Int = 2
end

#src This line is for the source only.
#md # The docs page shows this sentence; the notebook does not.
#nb # The notebook shows this sentence; the docs page does not.

# ## Model
#
# The ``\sigma`` nonlinearity is applied inside `Dense`:
# ```math
# y = \sigma(Wx + b)
# ```

function build_model()
    return Chain(Flux.flatten, Dense(28^2 => 32, relu), Dense(32 => 10))
end
#-
## Comments with two hashes stay in the code.
model = build_model()

# ## Training loop

function train(; kws...)
    args = Args(; kws...)
    opt_state = Flux.setup(Adam(args.η), model)
    for epoch in 1:args.epochs
# Each step takes an explicit gradient:
#+
        loss, grads = Flux.withgradient(m -> Flux.logitcrossentropy(m(x), y), model)
        Flux.update!(opt_state, model, grads[1])
    end
end

#-
%% Training [code] {"tags": ["skip-ci"], "slideshow": {"slide_type": "skip"}}
if abspath(PROGRAM_FILE) == @__FILE__
    train()
end
