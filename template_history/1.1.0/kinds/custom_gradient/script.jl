# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, which function needs its own gradient and
# why, and where it comes from (paper, blog post). As it stands, this tutorial writes the
# gradient of a smooth clipping activation by hand and trains a small network with it.
#
# Flux differentiates with Zygote, which works through almost any Julia code. Some functions
# still deserve a hand-written gradient: code Zygote cannot trace (mutation, calls into C or a
# GPU kernel), a derivative that is cheaper or more stable than the one automatic
# differentiation finds, or a gradient that must deliberately differ from the true one. The
# rule is written once, for ChainRulesCore: Zygote uses it automatically, and Enzyme and
# Mooncake can import it (`Enzyme.@import_rrule`, `Mooncake.@from_rrule`).
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using ChainRulesCore
using Flux
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 3e-3
    batchsize::Int = 64
    epochs::Int = 200
    hidden_dim::Int = 32
    limit::Float32 = 2       # the clipping level of the activation
    n_samples::Int = 1024
    seed::Int = 42
    use_gpu::Bool = false
end

# ## The function
#
# `softclip` squashes every entry of `x` smoothly into `(-limit, limit)`: near zero it is the
# identity, far from zero it flattens out like `clamp`, but it has a gradient everywhere.
# It is written with broadcasting only, so it runs unchanged on GPU arrays.

"""
    softclip(x, limit)

`limit * tanh(x / limit)`, elementwise, in the element type of `x`.
"""
function softclip(x::AbstractArray{T}, limit::Real) where {T <: AbstractFloat}
    ## TODO(fluxzoo): the function your tutorial is about.
    l = T(limit)
    return @. l * tanh(x / l)
end

# ## The gradient rule
#
# A reverse-mode rule, `rrule`, runs the function and returns its result together with a
# pullback: a closure that maps the gradient with respect to the output, `ȳ`, to gradients with
# respect to every input, starting with the function itself (`NoTangent()`: `softclip` has no
# fields to differentiate).
#
# The derivative of `tanh` is `1 - tanh^2`, and `tanh(x / limit)` is the output divided by
# `limit`, so the pullback reuses the forward result instead of recomputing `tanh`; Zygote's
# generic broadcasting would have to keep its own intermediate arrays. `ProjectTo` returns each
# input gradient in the type of its input: a `Float32` array for a `Float32` array, a real
# number for a real number.
#
# Each input gradient is also wrapped in `@thunk`, which delays computing it until something
# calls `unthunk` on it; a caller that never needs a tangent then never pays for it. Zygote,
# behind `Flux.withgradient`, is not such a caller here: it carries the thunk for `limit` into
# the gradient of the `SoftClip` layer, and `withgradient` unthunks the whole gradient before
# returning it, if nothing on the way did. So the `limit` gradient is computed at every step,
# although `trainable=()` below keeps the optimiser from using it. It is cheap next to the
# gradient of `x`: one sum over the same broadcast.

function ChainRulesCore.rrule(::typeof(softclip), x::AbstractArray{T}, limit::Real) where {T <: AbstractFloat}
    ## TODO(fluxzoo): the derivatives of your function.
    y = softclip(x, limit)
    l = T(limit)
    project_x = ProjectTo(x)
    project_limit = ProjectTo(limit)
    function softclip_pullback(ȳ)
        Δ = unthunk(ȳ)
        t = y ./ l  # tanh(x / limit), read off the output
        x̄ = @thunk project_x(Δ .* (1 .- t .^ 2))
        l̄ = @thunk project_limit(sum(Δ .* (t .- x ./ l .* (1 .- t .^ 2))))
        return NoTangent(), x̄, l̄
    end
    return y, softclip_pullback
end

# The rule is checked against finite differences in `test/runtests.jl`, with
# ChainRulesTestUtils. `test_rrule` calls the rule with random inputs and random output
# gradients, and compares every tangent it returns with a numerical estimate:
#
# ```julia
# using ChainRulesTestUtils
# test_rrule(softclip, randn(3, 4), 1.5)
# ```
#
# ## Data
#
# TODO(fluxzoo): load your data. This placeholder samples noisy points of a curve whose values
# stay within the clipping level.

function get_data(; n::Int, batchsize::Int, shuffle::Bool = false)
    x = 4 .* rand(Float32, 1, n) .- 2
    y = 1.5f0 .* sin.(2 .* x) .+ 0.05f0 .* randn(Float32, 1, n)
    return Flux.DataLoader((x, y); batchsize, shuffle)
end

# ## Model
#
# A layer that applies the function is a struct with a call method. The clipping level is a
# fixed setting, not a parameter, so `trainable=()` tells the optimiser to leave it alone.
# Zygote finds the `rrule` whenever the model calls `softclip`: nothing else needs to change.

struct SoftClip{T <: Real}
    limit::T
end

Flux.@layer SoftClip trainable=()

(s::SoftClip)(x) = softclip(x, s.limit)

build_model(; hidden_dim::Int, limit::Real) =
    Chain(Dense(1 => hidden_dim), SoftClip(limit), Dense(hidden_dim => hidden_dim), SoftClip(limit),
          Dense(hidden_dim => 1))

loss(model, x, y) = Flux.mse(model(x), y)

# ## Training
#
# For each batch, `Flux.withgradient` returns the loss and its gradient with respect to the
# model (through the custom rule), and `Flux.update!` takes an optimiser step.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    loader = get_data(; n = args.n_samples, args.batchsize, shuffle = true)
    model = device(build_model(; args.hidden_dim, args.limit))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, loader, device)
        epoch % 20 == 0 && @info "Epoch $epoch" train_loss
    end
    return cpu_device()(model)
end

# ## Results
#
# TODO(fluxzoo): report what a full run reaches, compare with the same model trained without the
# custom rule (time and memory of a gradient, e.g. with `@time`), and say on what hardware.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for 20 epochs, a few seconds on a
# laptop CPU. From this folder, `julia --project=. {{ a.slug }}.jl` trains with the defaults
# instead; change any setting the same way, e.g. `train(epochs = 50, limit = 1)`.

{% set short %}
model = train(epochs = 20)
{% endset %}{% set full %}
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
