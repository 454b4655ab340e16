# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, what the loss measures and why the usual
# ones do not, and where it comes from (paper, blog post). As it stands, this tutorial writes
# the quantile (pinball) loss (Koenker and Bassett, "Regression Quantiles", 1978) and trains a
# network that predicts a whole range of likely values instead of one average.
#
# Mean squared error makes a network predict the mean of the target given the input. When the
# noise varies from input to input, the mean hides how uncertain the prediction is. The
# quantile loss for a level `τ` in (0, 1) penalises under-predictions with weight `τ` and
# over-predictions with weight `1 - τ`; its minimiser is the `τ`-quantile of the target. A
# network with one output per level, trained on the sum of their losses, predicts several
# quantiles at once: the 0.1 and 0.9 outputs bound an 80% prediction interval.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 3e-3
    batchsize::Int = 128
    epochs::Int = 200
    hidden_dim::Int = 64
    quantiles::Vector{Float32} = [0.1, 0.5, 0.9]
    n_samples::Int = 2048
    seed::Int = 42
    use_gpu::Bool = false
end

# ## The loss function
#
# The function follows the conventions of `Flux.Losses`: predictions first, targets second,
# and an `agg` keyword that reduces the elementwise losses (`mean` by default; `sum`, or
# `identity` to keep them all). The levels `τ` may be one number or one per row of the
# predictions; they are converted to the element type of `ŷ` so a `Float32` model stays in
# `Float32`. Only broadcasting is used, so the loss runs on a GPU and Zygote differentiates it.
#
# The loss has a kink where `ŷ == y`. Its gradient there is one of the two one-sided slopes,
# which is all gradient descent needs; the gradient check in `test/runtests.jl` compares the
# gradient with finite differences away from the kink.

"""
    quantile_loss(ŷ, y; τ = 0.5, agg = mean)

The pinball loss `max(τ * (y - ŷ), (τ - 1) * (y - ŷ))`, elementwise, reduced by `agg`.
`τ` is a number in (0, 1), or a vector with one level per row of `ŷ`.
"""
function quantile_loss(ŷ::AbstractArray, y::AbstractArray; τ = 0.5, agg = mean)
    ## TODO(fluxzoo): the loss your tutorial is about.
    size(ŷ, 1) == size(y, 1) || size(y, 1) == 1 ||
        throw(DimensionMismatch("predictions have $(size(ŷ, 1)) rows, targets $(size(y, 1))"))
    all(t -> 0 < t < 1, τ) || throw(DomainError(τ, "quantile levels must be in (0, 1)"))
    T = float(eltype(ŷ))
    τ = T.(τ)
    r = y .- ŷ
    return agg(max.(τ .* r, (τ .- 1) .* r))
end

# ## Data
#
# TODO(fluxzoo): load your data. This placeholder samples a curve whose noise grows with `x`,
# so the predicted interval should widen from left to right.

function get_data(; n::Int, batchsize::Int, shuffle::Bool = false)
    x = 2 .* rand(Float32, 1, n) .- 1
    y = sin.(3 .* x) .+ (0.05f0 .+ 0.3f0 .* (x .+ 1)) .* randn(Float32, 1, n)
    return Flux.DataLoader((x, y); batchsize, shuffle)
end

# ## Model
#
# One output per quantile level. Each output row is compared with the same target row; the
# loss broadcasts `y` (one row) against `ŷ` (one row per level) and `τ` down the rows.

build_model(; hidden_dim::Int, nquantiles::Int) =
    Chain(Dense(1 => hidden_dim, relu), Dense(hidden_dim => hidden_dim, relu), Dense(hidden_dim => nquantiles))

loss(model, x, y; τ) = quantile_loss(model(x), y; τ)

# ## Training
#
# For each batch, `Flux.withgradient` returns the loss and its gradient with respect to the
# model, and `Flux.update!` takes an optimiser step. The coverage, the fraction of targets
# that fall below each predicted quantile, shows whether the model learned what the loss
# asks for: it should approach the levels themselves.

function train_epoch!(model, opt_state, loader, device; τ)
    losses = Float32[]
    for (x, y) in loader
        x, y = device(x), device(y)
        l, grads = Flux.withgradient(m -> loss(m, x, y; τ), model)
        Flux.update!(opt_state, model, grads[1])
        push!(losses, l)
    end
    return mean(losses)
end

function coverage(model, loader, device)
    below, n = 0, 0
    for (x, y) in loader
        x, y = device(x), device(y)
        below = below .+ cpu_device()(vec(sum(y .<= model(x); dims = 2)))
        n += size(x, 2)
    end
    return below ./ n
end

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    loader = get_data(; n = args.n_samples, args.batchsize, shuffle = true)
    τ = device(args.quantiles)
    model = device(build_model(; args.hidden_dim, nquantiles = length(args.quantiles)))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, loader, device; τ)
        if epoch % 20 == 0
            @info "Epoch $epoch" train_loss coverage = coverage(model, loader, device)
        end
    end
    return cpu_device()(model)
end

# ## Results
#
# TODO(fluxzoo): plot the data with the predicted quantiles (put figures in `docs/`), report
# the coverage on held-out data, and say how long a run takes on what hardware.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for 20 epochs, a few seconds on a
# laptop CPU. From this folder, `julia --project=. {{ a.slug }}.jl` trains with the defaults
# instead; change any setting the same way, e.g. `train(quantiles = [0.05, 0.5, 0.95])`.

{% set short %}
model = train(epochs = 20)
{% endset %}{% set full %}
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
