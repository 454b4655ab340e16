# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the optimisation rule and where it comes
# from (paper, blog post). As it stands, this tutorial implements Signum, sign descent with
# momentum (Bernstein et al., "signSGD: Compressed Optimisation for Non-Convex Problems", 2018),
# and compares it with Adam on a small network.
#
# Flux's optimisers come from Optimisers.jl. A rule there is a small struct holding the
# hyper-parameters, plus two functions that act on one parameter array at a time: `init`
# creates the rule's state for that array (momentum, step counters, ...), and `apply!` turns a
# gradient into the step to subtract. `Flux.setup` then builds the state for every array of a
# model, and `Flux.update!` walks the model, calling `apply!` on each. Because the state is a
# separate tree rather than hidden inside the rule, it can be saved, moved to a GPU, or
# adjusted (`Flux.adjust!`, `Flux.freeze!`) like the model itself.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
import Optimisers
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-3
    momentum::Float64 = 0.9
    batchsize::Int = 64
    epochs::Int = 100
    hidden_dim::Int = 64
    n_samples::Int = 2048
    seed::Int = 42
    use_gpu::Bool = false
end

# ## The rule
#
# Signum keeps an exponential moving average `m` of the gradient and moves every parameter by the
# same amount `η` in the direction of the sign of `m`:
#
# ```
# m ← β m + (1 - β) g
# x ← x - η sign(m)
# ```
#
# The struct holds `η` and `β`; subtyping `Optimisers.AbstractRule` is what lets `Flux.setup`,
# `OptimiserChain` and `Flux.adjust!` work with it.

"""
    Signum(η = 1e-3, β = 0.9)

Sign descent with momentum: step by `η * sign(m)`, where `m` is a moving average of the
gradient with decay `β`.
"""
struct Signum{T <: Real} <: Optimisers.AbstractRule
    eta::T
    beta::T
    function Signum(η::Real = 1e-3, β::Real = 0.9)
        η >= 0 || throw(DomainError(η, "the learning rate cannot be negative"))
        0 <= β < 1 || throw(DomainError(β, "the momentum must be in [0, 1)"))
        eta, beta = promote(float(η), float(β))
        return new{typeof(eta)}(eta, beta)
    end
end

# Naming the learning rate `eta`, as the built-in rules do, lets `Flux.adjust!(opt_state, η)`
# change it during training.
#
# `init` runs once per parameter array, in `Flux.setup`. Signum's state is the moving average,
# which starts at zero and has the array's shape, element type and device.

## TODO(fluxzoo): the state your rule keeps for each parameter array.
Optimisers.init(::Signum, x::AbstractArray) = zero(x)

# `apply!` runs at every step. It receives the rule, this array's state, the array `x` and its
# gradient `dx`, and returns the new state and the step; `update!` then does `x .-= step`.
# Converting the hyper-parameters to the element type of `x` keeps `Float32` models in
# `Float32`. The state may be updated in place, as it is here: `apply!` owns it.
# `Optimisers.@lazy` returns the step as an unmaterialised broadcast, which `update!` fuses
# into its own `x .-= step`, so no temporary array is allocated.

function Optimisers.apply!(o::Signum, m, x::AbstractArray{T}, dx) where {T}
    ## TODO(fluxzoo): your rule's update of the state and the step it returns.
    η, β = T(o.eta), T(o.beta)
    @. m = β * m + (1 - β) * dx
    return m, Optimisers.@lazy η * sign(m)
end

# ## Data
#
# TODO(fluxzoo): load your data. This placeholder classifies noisy points by which of two
# interleaved spirals they lie on, a small problem where optimisers differ visibly.

function get_data(; n::Int, batchsize::Int, shuffle::Bool = false)
    labels = rand(Bool, n)
    t = Float32(3π) .* rand(Float32, n)
    r = ifelse.(labels, 1.0f0, -1.0f0) .* (t .+ 1) ./ Float32(3π + 1)
    x = permutedims([r .* cos.(t) r .* sin.(t)]) .+ 0.02f0 .* randn(Float32, 2, n)
    y = Flux.onehotbatch(labels, (false, true))
    return Flux.DataLoader((x, y); batchsize, shuffle)
end

# ## Model
#
# TODO(fluxzoo): the model to train. The rule itself works with any model, of any size.

build_model(; hidden_dim::Int) =
    Chain(Dense(2 => hidden_dim, relu), Dense(hidden_dim => hidden_dim, relu), Dense(hidden_dim => 2))

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

# ## Training
#
# The new rule is used exactly like a built-in one: `Flux.setup(Signum(...), model)` builds its
# state and `Flux.update!` applies it. It also combines with other rules, e.g.
# `OptimiserChain(WeightDecay(1e-4), Signum())`.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; rule = nothing, kws...)
    args = HyperParams(; kws...)
    rule = something(rule, Signum(args.learning_rate, args.momentum))
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    loader = get_data(; n = args.n_samples, args.batchsize, shuffle = true)
    model = device(build_model(; args.hidden_dim))
    opt_state = Flux.setup(rule, model)
    history = Float32[]
    for epoch in 1:args.epochs
        push!(history, train_epoch!(model, opt_state, loader, device))
        epoch % 10 == 0 && @info "Epoch $epoch" rule train_loss = history[end]
    end
    return cpu_device()(model), history
end

# ## Comparison
#
# With the same seed, both runs start from the same weights and see the same batches, so the
# loss curves differ only by the rule.

function compare(; kws...)
    args = HyperParams(; kws...)
    rules = (Signum(args.learning_rate, args.momentum), Adam(args.learning_rate))
    return map(rules) do rule
        _, history = train(; rule, kws...)
        (; rule, final_loss = history[end], history)
    end
end

# ## Results
#
# TODO(fluxzoo): report the loss curves of both rules (plot them into `docs/`), how the
# learning rate changes the picture, and on what hardware the runs took how long.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains with the new rule for 10 epochs,
# then compares both rules over 10 epochs each: seconds on a laptop CPU. From this folder,
# `julia --project=. {{ a.slug }}.jl` compares them with the defaults instead.

{% set short %}
model, history = train(rule = Signum(3e-4), epochs = 10)
[(result.rule, result.final_loss) for result in compare(epochs = 10)]
{% endset %}{% set full %}
for result in compare()
    @info "Final training loss" result.rule result.final_loss
end
{% endset %}{% include "kinds/_partials/run.jl" -%}
