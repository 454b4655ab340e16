# # Classifying digits with a small MLP
#
# This page trains a multi-layer perceptron on MNIST with Flux and explicit
# gradients. Run it as a script with `julia --project tutorial.jl`.
#
# > **Data download**
# >
# > The first run downloads MNIST (about 11 MB).
#
# Links: [repository](https://github.com/FluxML/model-zoo/blob/master), [notebook](https://nbviewer.jupyter.org/github/FluxML/model-zoo/blob/gh-pages/dev/tutorial.ipynb).

using Flux, MLDatasets, Random
using Statistics: mean
Random.seed!(42);  #hide

# ## Hyper-parameters
#
# One struct holds every knob, so tests can shrink the run.

Base.@kwdef struct Args
    η::Float64 = 3e-4     # learning rate
    batchsize::Int = 256
    epochs::Int = 2
end

# ## Model
#
# The ``\sigma`` nonlinearity is applied inside `Dense`:
# ```math
# y = \sigma(Wx + b)
# ```

function build_model()
    return Chain(Flux.flatten, Dense(28^2 => 32, relu), Dense(32 => 10))
end

# Comments with two hashes stay in the code.
model = build_model()

# ## Training loop

function train(; kws...)
    args = Args(; kws...)
    opt_state = Flux.setup(Adam(args.η), model)
    for epoch in 1:args.epochs

# Each step takes an explicit gradient:

        loss, grads = Flux.withgradient(m -> Flux.logitcrossentropy(m(x), y), model)
        Flux.update!(opt_state, model, grads[1])
    end
end

%% Training [code] {"tags": ["skip-ci"], "slideshow": {"slide_type": "skip"}}
if abspath(PROGRAM_FILE) == @__FILE__
    train()
end

# This file was generated using Literate.jl, https://github.com/fredrikekre/Literate.jl
