# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, which part of training is the bottleneck
# and why, and where the techniques come from. As it stands, this tutorial trains a multilayer
# perceptron with a training loop written for speed, and measures where the time goes.
#
# Most of the time in training should be spent in the large array operations: matrix
# products, convolutions, their gradients. Everything around them (reading the data, building
# batches, type conversions, dynamic dispatch) is overhead, and for small and medium models it
# can dominate. This tutorial applies the habits that remove it:
#
# - keep every array in `Float32`, the element type of Flux's layers and of fast GPU kernels;
# - write type-stable code, so Julia compiles each call once, for concrete types;
# - move the data set to the device once, and reuse preallocated buffers instead of allocating
#   a new batch at every step;
# - measure, with BenchmarkTools, before and after each change.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using BenchmarkTools
using Flux
using Random
using Statistics: mean, median

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.
# Each field has a concrete type: a field without one would be `Any`, and every function that
# reads it would have to look up its type at run time.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-3
    batchsize::Int = 256
    epochs::Int = 10
    n_samples::Int = 60_000   # TODO(fluxzoo): the size of your data and model
    n_features::Int = 784
    n_classes::Int = 10
    hidden_dim::Int = 512
    seed::Int = 42
    use_gpu::Bool = true
end

# ## Data
#
# The inputs are a `Float32` matrix with one column per example, and the targets a dense
# `Float32` one-hot matrix, so that both can be shuffled into preallocated buffers of the same
# type. A `Float64` input would make every `Dense` layer convert it first, at every step.

function get_data(args::HyperParams)
    ## TODO(fluxzoo): load your data. This placeholder labels random inputs with a random
    ## linear "teacher" network, a task the model can learn.
    x = randn(Float32, args.n_features, args.n_samples)
    teacher = randn(Float32, args.n_classes, args.n_features)
    labels = map(argmax, eachcol(teacher * x))
    y = Float32.(Flux.onehotbatch(labels, 1:args.n_classes))
    return x, y
end

# Shuffling the whole data set once per epoch, into buffers allocated once, turns every batch
# into a contiguous range of columns: a `view` of it costs nothing, where gathering a random
# batch would copy it into a new array at every step. With the data on a GPU, `perm` lives
# there too and the shuffle runs there.

function shuffle_into!(xs::AbstractMatrix, ys::AbstractMatrix, x::AbstractMatrix, y::AbstractMatrix,
                       perm::AbstractVector{<:Integer})
    xs .= view(x, :, perm)
    ys .= view(y, :, perm)
    return nothing
end

# ## Model
#
# A `Chain` of a tuple of layers is type-stable: the type of the model records every layer, so
# the compiler knows the type of each intermediate result. (A `Chain` built from a `Vector` of
# layers is more flexible, but every call goes through dynamic dispatch.)

function build_model(args::HyperParams)
    ## TODO(fluxzoo): the model your tutorial is about.
    return Chain(
        Dense(args.n_features => args.hidden_dim, relu),
        Dense(args.hidden_dim => args.hidden_dim, relu),
        Dense(args.hidden_dim => args.n_classes),
    )
end

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

# ## Training
#
# A training step is one call to `Flux.withgradient` and one to `Flux.update!`, which updates
# the parameters and the optimiser state in place. The device is chosen once, before the loop:
# `gpu_device()` looks up the available GPU package, which costs time if done at every step.
# Batches all have the same size (the last, incomplete one is dropped), so nothing is
# recompiled and on a GPU the memory pool can reuse the same blocks.

function train_step!(model, opt_state, x, y)
    l, grads = Flux.withgradient(m -> loss(m, x, y), model)
    Flux.update!(opt_state, model, grads[1])
    return l
end

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    x, y = device(get_data(args))
    xs, ys = similar(x), similar(y)
    order = collect(1:size(x, 2))
    perm = device(order)
    model = device(build_model(args))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    nbatches = size(x, 2) ÷ args.batchsize
    losses = zeros(Float32, nbatches)
    for epoch in 1:args.epochs
        seconds = @elapsed begin
            randperm!(order)
            copyto!(perm, order)
            shuffle_into!(xs, ys, x, y, perm)
            for b in 1:nbatches
                cols = ((b - 1) * args.batchsize + 1):(b * args.batchsize)
                losses[b] = train_step!(model, opt_state, view(xs, :, cols), view(ys, :, cols))
            end
        end
        @info "Epoch $epoch" train_loss = mean(losses) samples_per_second = round(Int, nbatches * args.batchsize / seconds)
    end
    return cpu_device()(model)
end

# ## Benchmarks
#
# `@benchmark` runs an expression many times and reports the distribution of its run time and
# its memory allocations; `@btime` prints the minimum. Variables from the surrounding code are
# interpolated with `$`, so that the benchmark measures the call, not the lookup of a global.
# The first call of anything in Julia includes its compilation; BenchmarkTools runs a warm-up
# call first, so the timings show the steady state a long training run sees.
#
# Comparing the forward pass, the gradient and the whole step shows where the time goes: the
# gradient usually costs two to three times the forward pass, and the optimiser update should be small
# next to both. `sum` returns a number to the CPU, which waits for a GPU to finish; for exact
# GPU timings of the other two, synchronise inside the benchmark (e.g. `CUDA.@sync`).

function benchmark(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    model = device(build_model(args))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    x = device(randn(Float32, args.n_features, args.batchsize))
    y = device(Float32.(Flux.onehotbatch(rand(1:args.n_classes, args.batchsize), 1:args.n_classes)))
    forward = @benchmark sum($model($x))
    gradient = @benchmark Flux.withgradient(m -> loss(m, $x, $y), $model)
    step = @benchmark train_step!($model, $opt_state, $x, $y)
    return (; forward, gradient, step)
end

# ## Results
#
# TODO(fluxzoo): report the median times and allocations of the benchmarks and the samples per
# second of training, on the CPU and on a GPU, and what each change in this tutorial gained.
#
# ## Running it
#
# In the notebook and on the docs page, the code below benchmarks a batch of 64 and trains for
# one epoch on 6,000 examples: about a minute on a laptop CPU. From this folder,
# `julia --project=. {{ a.slug }}.jl` runs the benchmarks and trains with the defaults instead.

{% set short %}
trials = benchmark(batchsize = 64)
map(median, trials)
model = train(epochs = 1, n_samples = 6_000)
{% endset %}{% set full %}
for (name, trial) in pairs(benchmark())
    @info "Benchmark: $name" median(trial)
end
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
