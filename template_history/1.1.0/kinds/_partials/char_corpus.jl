{#- The character corpus of the kinds that model text one character at a time: Tiny
    Shakespeare downloaded to `data_path`, each character its index in the sorted alphabet, cut
    into columns of `seq_len` characters with the next-character targets. -#}
# The corpus is one long string. Each character becomes its index in the sorted alphabet of the
# corpus, and the stream of indices is cut into columns of `seq_len` characters. The targets
# are the same stream shifted by one: `y[t, j]` is the character that follows `x[t, j]`.

const DATA_URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"

function load_text(path::AbstractString)
    ## TODO(fluxzoo): load your corpus (and describe it in tutorial.toml).
    if !isfile(path)
        mkpath(dirname(path))
        Downloads.download(DATA_URL, path)
    end
    return read(path, String)
end

function encode(text::AbstractString, alphabet::AbstractVector{Char})
    index = Dict(c => i for (i, c) in enumerate(alphabet))
    return [index[c] for c in text]
end

function make_sequences(ids::AbstractVector{<:Integer}, seq_len::Integer)
    n = (length(ids) - 1) ÷ seq_len
    n > 0 || throw(ArgumentError("the text is too short for sequences of $seq_len characters"))
    x = reshape(ids[1:(n * seq_len)], seq_len, n)
    y = reshape(ids[2:(n * seq_len + 1)], seq_len, n)
    return x, y
end

# The targets become one-hot columns here, on the CPU, so that each batch moves to the device as
# a compact `OneHotArray`. The last `valid_fraction` of the sequences is held out. When that
# leaves nothing (`valid_fraction = 0`, or a text of a few sequences), `valid` is `nothing`:
# a `DataLoader` needs at least one observation.

function get_data(text::AbstractString; seq_len::Int, batchsize::Int, valid_fraction::Float64)
    alphabet = sort!(unique(text))
    x, y = make_sequences(encode(text, alphabet), seq_len)
    y = Flux.onehotbatch(y, 1:length(alphabet))
    n_train = max(1, round(Int, (1 - valid_fraction) * size(x, 2)))
    n_valid = size(x, 2) - n_train
    train_set = (x[:, 1:n_train], y[:, :, 1:n_train])
    valid_set = (x[:, (n_train + 1):end], y[:, :, (n_train + 1):end])
    train = Flux.DataLoader(train_set; batchsize = min(batchsize, n_train), shuffle = true)
    valid = n_valid > 0 ? Flux.DataLoader(valid_set; batchsize = min(batchsize, n_valid)) : nothing
    return (; train, valid, alphabet)
end

