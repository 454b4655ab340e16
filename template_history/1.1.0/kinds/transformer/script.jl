# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the idea behind the model, and where it
# comes from (paper, blog post). As it stands, this tutorial trains a small GPT, a decoder-only
# transformer (Vaswani et al., "Attention Is All You Need", 2017; Radford et al., 2018), on
# {{ a.dataset_name | markdown_text }}, one character at a time: it learns to predict each next character from
# all the characters before it, and can then write new text in the same style.
#
# Where a recurrent network reads a sequence step by step, a transformer looks at every position
# at once: in each block, multi-head self-attention lets every position gather information from
# the others, and a small feed-forward network transforms each position on its own. A causal mask
# keeps every position from looking at the ones after it, so that predicting character `t + 1`
# can only use characters `1:t`, at training time as when writing.
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
    learning_rate::Float64 = 1e-3
    context::Int = 64        # characters the model sees at once: its longest attention span
    batchsize::Int = 32
    dim::Int = 128           # TODO(fluxzoo): size the model for your data
    nheads::Int = 4          # attention heads per block; each works on dim ÷ nheads features
    nlayers::Int = 3         # transformer blocks
    dropout::Float64 = 0.1
    epochs::Int = 3
    valid_fraction::Float64 = 0.1
    seed::Int = 42
    use_gpu::Bool = true
    data_path::String = joinpath(@__DIR__, "data", "input.txt")
end

# ## Data
#
{% include "kinds/_partials/char_corpus.jl" %}# ## Model
#
# A block normalises its input, lets every position attend to the earlier ones
# (`MultiHeadAttention` with the causal mask), adds the result back to its input, and does the
# same with a feed-forward network. The additions (residual connections) and the normalisation
# before each part ("pre-norm", as in GPT-2) keep deep stacks trainable. `Flux.@layer` makes
# the structs' fields trainable and movable to a GPU.

struct Block{A, F, N1, N2}
    attention::A
    feedforward::F
    norm1::N1
    norm2::N2
end

Flux.@layer Block

function Block(dim::Integer; nheads::Integer, dropout::Real)
    return Block(
        MultiHeadAttention(dim; nheads, dropout_prob = dropout),
        Chain(Dense(dim => 4dim, gelu), Dense(4dim => dim), Dropout(dropout)),
        LayerNorm(dim),
        LayerNorm(dim),
    )
end

## Features × time × batch in and out; `mask[i, j]` says whether position `j` may see `i`.
function (b::Block)(x::AbstractArray{<:Real, 3}, mask)
    h, _ = b.attention(b.norm1(x); mask)  # self-attention; the scores are not needed here
    x = x .+ h
    return x .+ b.feedforward(b.norm2(x))
end

# Attention by itself does not know where a character is, so the model adds a learned position
# embedding to the character embedding. A final `LayerNorm` and a `Dense` head then score every
# character of the alphabet at every position.

struct GPT{E, P, B, N, H}
    token_embedding::E
    position_embedding::P
    blocks::B
    norm::N
    head::H
end

Flux.@layer GPT

function GPT(vocab_size::Integer; context::Integer, dim::Integer, nheads::Integer,
             nlayers::Integer, dropout::Real = 0.1)
    ## TODO(fluxzoo): the architecture your tutorial is about (sizes, weight tying, ...).
    return GPT(
        Embedding(vocab_size => dim),
        Embedding(context => dim),
        ntuple(_ -> Block(dim; nheads, dropout), nlayers),
        LayerNorm(dim),
        Dense(dim => vocab_size),
    )
end

context_length(m::GPT) = size(m.position_embedding.weight, 2)

## Token indices (time × batch) in, logits (vocabulary × time × batch) out.
function (m::GPT)(x::AbstractMatrix{<:Integer})
    len = size(x, 1)
    len <= context_length(m) ||
        throw(ArgumentError("$len characters exceed the context of $(context_length(m))"))
    ## Slicing the weight (rather than looking up 1:len) keeps the positions on the device.
    h = m.token_embedding(x) .+ m.position_embedding.weight[:, 1:len]
    mask = make_causal_mask(h)  # len × len, true where i ≤ j: no position sees a later one
    for block in m.blocks
        h = block(h, mask)
    end
    return m.head(m.norm(h))
end

# `Dropout` is active only while a gradient is taken, so evaluation and text generation use
# the whole network.
#
{% include "kinds/_partials/next_token_loss.jl" %}# ## Training
#
# One epoch is one pass over the training sequences: for each batch, `Flux.withgradient`
# returns the loss and its gradient with respect to the model, and `Flux.update!` takes an
# optimiser step with `Adam`.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    data = get_data(load_text(args.data_path); seq_len = args.context, args.batchsize,
                    args.valid_fraction)
    model = device(GPT(length(data.alphabet); args.context, args.dim, args.nheads, args.nlayers,
                       args.dropout))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, data.train, device)
        valid_loss = evaluate(model, data.valid, device)
        @info "Epoch $epoch" train_loss valid_loss
    end
    return cpu_device()(model), data.alphabet
end

# ## Generating text
#
# To write, the model reads the prompt and scores the character that comes next; one is drawn
# from the softmax of the scores, appended, and the model reads again. It sees at most `context`
# characters, so only the last ones are fed back. A `temperature` below 1 makes the choice more
# conservative, above 1 more adventurous.

function generate(model::GPT, alphabet::AbstractVector{Char}, prompt::AbstractString, n::Integer;
                  temperature::Real = 1)
    isempty(prompt) && throw(ArgumentError("the prompt must have at least one character"))
    ids = encode(prompt, alphabet)
    for _ in 1:n
        window = ids[max(1, end - context_length(model) + 1):end]
        logits = model(reshape(window, :, 1))[:, end, 1]
        probabilities = softmax(logits ./ Float32(temperature))
        r = rand(eltype(probabilities))
        push!(ids, something(findfirst(>=(r), cumsum(probabilities)), length(probabilities)))
    end
    return String(alphabet[ids])
end

# ## Results
#
# TODO(fluxzoo): report the validation loss a full run reaches, how long it takes on what
# hardware, and a sample of generated text.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains a smaller model (two blocks of 64
# features) for one epoch, several minutes on a laptop CPU, and prints a sample: it has the
# shape of a play, not yet its words. From this folder, `julia --project=. {{ a.slug }}.jl`
# trains with the defaults and prints a longer sample instead.

{% set short %}
model, alphabet = train(epochs = 1, dim = 64, nlayers = 2)
println(generate(model, alphabet, "ROMEO:", 200; temperature = 0.8))
{% endset %}{% set full %}
model, alphabet = train()
println(generate(model, alphabet, "ROMEO:", 500; temperature = 0.8))
{% endset %}{% include "kinds/_partials/run.jl" -%}
