# ## Background
#
# TODO(fluxzoo): explain what the reader will learn and the idea behind it. The code below is
# the smallest complete example of the standard layout: it fits a line to noisy points. Replace
# each part with your own, keeping the functions' names so the tests keep working.
#
# ## Setup

using Flux
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-2
    batchsize::Int = 32
    epochs::Int = 50
    seed::Int = 42
    use_gpu::Bool = false
end

# ## Data
#
# TODO(fluxzoo): load your data. This placeholder samples `n` noisy points of y = 2x - 1.

function get_data(; n::Int = 256, batchsize::Int, shuffle::Bool = false)
    x = rand(Float32, 1, n)
    y = 2 .* x .- 1 .+ 0.1f0 .* randn(Float32, 1, n)
    return Flux.DataLoader((x, y); batchsize, shuffle)
end

# ## Model
#
# TODO(fluxzoo): define your model.

build_model() = Chain(Dense(1 => 16, relu), Dense(16 => 1))

loss(model, x, y) = Flux.mse(model(x), y)

# ## Training
#
# For each batch, `Flux.withgradient` returns the loss and its gradient with respect to the
# model, and `Flux.update!` takes an optimiser step.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    loader = get_data(; batchsize = args.batchsize, shuffle = true)
    model = device(build_model())
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, loader, device)
        epoch % 10 == 0 && @info "Epoch $epoch" train_loss
    end
    return cpu_device()(model)
end

# ## Results
#
# TODO(fluxzoo): report what a full run reaches, and how long it takes on what hardware.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for 5 epochs, a few seconds on a
# laptop CPU. From this folder, `julia --project=. {{ a.slug }}.jl` trains with the defaults
# instead; change any setting the same way, e.g. `train(epochs = 10)`.

{% set short %}
model = train(epochs = 5)
{% endset %}{% set full %}
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
