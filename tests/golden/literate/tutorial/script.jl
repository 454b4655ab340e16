using Flux, MLDatasets, Random
using Statistics: mean
Random.seed!(42);  #hide

Base.@kwdef struct Args
    η::Float64 = 3e-4     # learning rate
    batchsize::Int = 256
    epochs::Int = 2
end

function build_model()
    return Chain(Flux.flatten, Dense(28^2 => 32, relu), Dense(32 => 10))
end

# Comments with two hashes stay in the code.
model = build_model()

function train(; kws...)
    args = Args(; kws...)
    opt_state = Flux.setup(Adam(args.η), model)
    for epoch in 1:args.epochs

        loss, grads = Flux.withgradient(m -> Flux.logitcrossentropy(m(x), y), model)
        Flux.update!(opt_state, model, grads[1])
    end
end

%% Training [code] {"tags": ["skip-ci"], "slideshow": {"slide_type": "skip"}}
if abspath(PROGRAM_FILE) == @__FILE__
    train()
end

# This file was generated using Literate.jl, https://github.com/fredrikekre/Literate.jl
