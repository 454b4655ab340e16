# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the idea behind the model, and where it
# comes from (paper, blog post). As it stands, this tutorial sorts the text messages of the
# {{ a.dataset_name | markdown_text }} (Almeida, Gómez Hidalgo and Yamakami, 2011) into spam and ham
# (everything else): each message becomes a sequence of word tokens, an `Embedding` turns every
# token into a learned vector, a recurrent encoder (a `GRU`) reads the vectors in order, and a
# `Dense` layer scores the two classes from the encoder's state after the last word.
#
# Since Flux 0.16, recurrent layers such as `GRU` and `LSTM` take a whole sequence at once, as
# an array of size features × time × batch, and return the hidden state at every step. They
# keep no state between calls, so there is nothing to reset between batches.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
using MLDatasets: SMSSpamCollection
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-3
    vocab_size::Int = 5_000  # the most frequent training words, plus <pad> and <unk>
    max_len::Int = 40        # words read per message: longer ones are cut, shorter ones padded
    embed_dim::Int = 64      # TODO(fluxzoo): size the model for your data
    hidden_dim::Int = 64
    batchsize::Int = 64
    epochs::Int = 10
    test_fraction::Float64 = 0.2
    seed::Int = 42
    use_gpu::Bool = true
    data_dir::Union{Nothing, String} = nothing  # nothing: where DataDeps keeps its downloads
end

# ## Data
#
{% set download = "the 200 KB corpus" %}{% include "kinds/_partials/datadeps.jl" %}#
# Each message is a string and each label `"ham"` or `"spam"`. About one message in seven is
# spam, so a model that always answers "ham" is already 87% accurate: the evaluation below
# also reports how much of the spam is caught.

const LABELS = ["ham", "spam"]  # TODO(fluxzoo): the classes of your data set

## `dir = nothing` is DataDeps' own folder (downloading once); a folder of your own that holds
## the file `SMSSpamCollection` (one message a line: label, tab, text) is read as it is.
function load_messages(dir::Union{Nothing, String} = nothing)
    data = SMSSpamCollection(; dir)  # TODO(fluxzoo): load your data set
    return data.features, data.targets
end

# A token is a lower-cased run of letters, digits and apostrophes. The vocabulary is built from
# the training messages only, most frequent words first; index 1 is the padding token and
# index 2 stands for every word outside the vocabulary.

const PAD = 1  # fills the front of short messages
const UNK = 2  # stands for every word outside the vocabulary

tokenize(text::AbstractString) = split(lowercase(text), r"[^a-z0-9']+"; keepempty = false)

function build_vocabulary(texts; vocab_size::Integer)
    vocab_size > 2 ||
        throw(ArgumentError("vocab_size must leave room for words besides <pad> and <unk>"))
    counts = Dict{String, Int}()
    for text in texts, word in tokenize(text)
        counts[word] = get(counts, word, 0) + 1
    end
    ranked = sort!(collect(keys(counts)); by = word -> (-counts[word], word))
    return ["<pad>"; "<unk>"; first(ranked, vocab_size - 2)]
end

# Every message becomes a column of `max_len` token indices. The padding goes in front, so that
# the encoder's last step always reads the message's last word.

function encode(texts, vocabulary::AbstractVector{String}; max_len::Integer)
    index = Dict(word => i for (i, word) in enumerate(vocabulary))
    x = fill(PAD, max_len, length(texts))
    for (j, text) in enumerate(texts)
        ids = [get(index, word, UNK) for word in first(tokenize(text), max_len)]
        x[(max_len - length(ids) + 1):max_len, j] = ids
    end
    return x
end

# A seeded shuffle holds out `test_fraction` of the messages; the labels become one-hot columns.

function get_data(texts, labels; vocab_size::Int, max_len::Int, batchsize::Int,
                  test_fraction::Float64)
    n_test = round(Int, test_fraction * length(texts))
    0 < n_test < length(texts) ||
        throw(ArgumentError("test_fraction = $test_fraction leaves no training or test messages"))
    order = randperm(length(texts))
    test_ids, train_ids = order[1:n_test], order[(n_test + 1):end]
    vocabulary = build_vocabulary(texts[train_ids]; vocab_size)
    x = encode(texts, vocabulary; max_len)
    y = Flux.onehotbatch(labels, LABELS)
    train = Flux.DataLoader((x[:, train_ids], y[:, train_ids]); batchsize, shuffle = true)
    test = Flux.DataLoader((x[:, test_ids], y[:, test_ids]); batchsize)
    return (; train, test, vocabulary)
end

# ## Model
#
# The three parts live in a struct, so that the forward pass can pick the encoder's last step;
# `Flux.@layer` makes its fields trainable and movable to a GPU.

struct TextClassifier{E, R, H}
    embedding::E
    encoder::R
    head::H
end

Flux.@layer TextClassifier

function TextClassifier(vocab_size::Integer; embed_dim::Integer, hidden_dim::Integer,
                        nclasses::Integer = length(LABELS))
    ## TODO(fluxzoo): the encoder your tutorial is about (LSTM, stacked GRUs, attention, ...).
    return TextClassifier(
        Embedding(vocab_size => embed_dim),
        GRU(embed_dim => hidden_dim),
        Dense(hidden_dim => nclasses),
    )
end

## Token indices (time × batch) in, one score per class and message (classes × batch) out.
function (m::TextClassifier)(x::AbstractMatrix{<:Integer})
    h = m.encoder(m.embedding(x))  # hidden × time × batch
    return m.head(h[:, end, :])
end

# The model returns raw scores (logits), so the loss applies the softmax itself.

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

function evaluate(model, loader, device)
    total, correct, n, caught, spam = 0.0, 0, 0, 0, 0
    for (x, y) in loader
        x, y = device(x), device(y)
        ŷ = model(x)
        predicted, actual = Flux.onecold(ŷ), Flux.onecold(y)
        total += Flux.logitcrossentropy(ŷ, y; agg = sum)
        correct += sum(predicted .== actual)
        caught += sum((predicted .== 2) .& (actual .== 2))
        spam += sum(actual .== 2)
        n += size(x, 2)
    end
    ## The share of the spam the model flags; missing when the data holds no spam.
    spam_recall = spam > 0 ? caught / spam : missing
    return (loss = total / n, accuracy = correct / n, spam_recall)
end

# ## Training
#
# One epoch is one pass over the training messages: for each batch, `Flux.withgradient` returns
# the loss and its gradient with respect to the model, and `Flux.update!` takes an optimiser
# step.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    texts, labels = load_messages(args.data_dir)
    data = get_data(texts, labels; args.vocab_size, args.max_len, args.batchsize,
                    args.test_fraction)
    model = device(TextClassifier(length(data.vocabulary); args.embed_dim, args.hidden_dim))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, data.train, device)
        metrics = evaluate(model, data.test, device)
        @info "Epoch $epoch" train_loss metrics.loss metrics.accuracy metrics.spam_recall
    end
    return cpu_device()(model), data.vocabulary
end

# ## Classifying new messages
#
# A new text goes through the same tokens and vocabulary as the training data; the softmax of
# the scores gives the probability of each class.

function classify(model, vocabulary, text::AbstractString; max_len::Integer = HyperParams().max_len)
    probabilities = softmax(model(encode([text], vocabulary; max_len)))[:, 1]
    best = argmax(probabilities)
    return LABELS[best], probabilities[best]
end

# ## Results
#
# TODO(fluxzoo): report the test accuracy and spam recall a full run reaches, how long it takes
# on what hardware, and a few messages the model gets wrong.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for three epochs (about a minute
# on a laptop CPU; the test accuracy passes 95%) and classifies two messages. From this folder,
# `julia --project=. {{ a.slug }}.jl` trains with the defaults instead.

{% set short %}
model, vocabulary = train(epochs = 3)
for text in ("WINNER! Claim your free prize now", "Are we still on for lunch today?")
    println(text, " => ", classify(model, vocabulary, text))
end
{% endset %}{% set full %}
model, vocabulary = train()
println(classify(model, vocabulary, "WINNER! Claim your free prize now"))
{% endset %}{% include "kinds/_partials/run.jl" -%}
