# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the idea behind the model, and where it
# comes from (paper, blog post). As it stands, this tutorial trains a character-level language
# model on {{ a.dataset_name | markdown_text }}: reading a text one character at a time, a recurrent network
# learns to predict the next character, and can then write new text in the same style
# (Karpathy, "The Unreasonable Effectiveness of Recurrent Neural Networks", 2015).
#
# Since Flux 0.16, recurrent layers such as `LSTM` and `GRU` take a whole sequence at once, as
# an array of size features × time × batch, and return the hidden state at every step. They
# keep no state between calls, so there is nothing to reset between batches.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Downloads: Downloads
using Flux
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 3e-3
    seq_len::Int = 64        # characters the network reads before its hidden state is dropped
    batchsize::Int = 64      # sequences per batch
    embed_dim::Int = 32      # TODO(fluxzoo): size the model for your data
    hidden_dim::Int = 256
    epochs::Int = 5
    valid_fraction::Float64 = 0.1
    seed::Int = 42
    use_gpu::Bool = true
    data_path::String = joinpath(@__DIR__, "data", "input.txt")
end

# ## Data
#
{% include "kinds/_partials/char_corpus.jl" %}# ## Model
#
# An `Embedding` turns each character index into a learned vector, the `LSTM` reads the sequence
# and the `Dense` head scores every character of the alphabet at every step. Wrapping the layers
# in a struct, rather than a `Chain`, lets the text generator below reach the recurrent cell.
# `Flux.@layer` makes the struct's fields trainable and movable to a GPU.

struct CharLM{E, R, H}
    embedding::E
    rnn::R
    head::H
end

Flux.@layer CharLM

function CharLM(vocab_size::Integer; embed_dim::Integer, hidden_dim::Integer)
    ## TODO(fluxzoo): the architecture your tutorial is about (GRU, stacked LSTMs, ...).
    return CharLM(
        Embedding(vocab_size => embed_dim),
        LSTM(embed_dim => hidden_dim),
        Dense(hidden_dim => vocab_size),
    )
end

## Token indices (time × batch) in, logits (vocabulary × time × batch) out.
(m::CharLM)(x::AbstractMatrix{<:Integer}) = m.head(m.rnn(m.embedding(x)))

{% include "kinds/_partials/next_token_loss.jl" %}# ## Training
#
# One epoch is one pass over the training sequences: for each batch, `Flux.withgradient`
# returns the loss and its gradient with respect to the model, and `Flux.update!` takes an
# optimiser step. Gradients of recurrent networks can explode, so `ClipNorm` rescales each
# gradient array whose norm exceeds 1 before `Adam` sees it.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    data = get_data(load_text(args.data_path); args.seq_len, args.batchsize, args.valid_fraction)
    model = device(CharLM(length(data.alphabet); args.embed_dim, args.hidden_dim))
    opt_state = Flux.setup(OptimiserChain(ClipNorm(1), Adam(args.learning_rate)), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, data.train, device)
        valid_loss = evaluate(model, data.valid, device)
        @info "Epoch $epoch" train_loss valid_loss
    end
    return cpu_device()(model), data.alphabet
end

# ## Generating text
#
# To write new text, the model runs one character at a time: the `LSTMCell` inside the layer
# takes one input and the previous state and returns the new output and state. The next
# character is drawn from the softmax of the scores; a `temperature` below 1 makes the choice
# more conservative, above 1 more adventurous.

function sample_index(probabilities::AbstractVector)
    r = rand(eltype(probabilities))
    return something(findfirst(>=(r), cumsum(probabilities)), length(probabilities))
end

function generate(model::CharLM, alphabet::AbstractVector{Char}, prompt::AbstractString, n::Integer;
                  temperature::Real = 1)
    isempty(prompt) && throw(ArgumentError("the prompt must have at least one character"))
    cell = model.rnn.cell
    state = Flux.initialstates(cell)
    out = collect(prompt)
    h = nothing
    for id in encode(prompt, alphabet)
        h, state = cell(model.embedding(id), state)
    end
    for _ in 1:n
        id = sample_index(softmax(model.head(h) ./ Float32(temperature)))
        push!(out, alphabet[id])
        h, state = cell(model.embedding(id), state)
    end
    return String(out)
end

# ## Results
#
# TODO(fluxzoo): report the validation loss a full run reaches, how long it takes on what
# hardware, and a sample of generated text.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains a smaller network for one epoch
# (a few minutes on a laptop CPU; the text it writes has words, not yet sense) and prints a
# sample. From this folder, `julia --project=. {{ a.slug }}.jl` trains with the defaults and
# prints a longer sample instead.

{% set short %}
model, alphabet = train(epochs = 1, hidden_dim = 128)
println(generate(model, alphabet, "ROMEO:", 200; temperature = 0.8))
{% endset %}{% set full %}
model, alphabet = train()
println(generate(model, alphabet, "ROMEO:", 500; temperature = 0.8))
{% endset %}{% include "kinds/_partials/run.jl" -%}
