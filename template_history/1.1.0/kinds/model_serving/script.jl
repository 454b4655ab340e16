# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, what the served model does and who would
# call it. As it stands, this tutorial trains a small classifier, saves it, and answers
# prediction requests over HTTP with HTTP.jl.
#
# Serving splits a model's life in two. A training script fits the model and saves its
# parameters; a long-running server loads them once and then answers requests, each a JSON
# document with inputs, with a JSON document of predictions. The request handler is an ordinary
# function from an `HTTP.Request` to an `HTTP.Response`, so it can be tested by calling it,
# without opening a port.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
using HTTP
using JLD2
using JSON
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` or `serve(port = 8000)` changes one
# and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-2
    batchsize::Int = 64
    epochs::Int = 50
    hidden_dim::Int = 32
    n_samples::Int = 1024
    seed::Int = 42
    use_gpu::Bool = false
    checkpoint::String = joinpath(@__DIR__, "checkpoints", "model.jld2")
    host::String = "127.0.0.1"   # "0.0.0.0" to accept requests from other machines
    port::Int = 8080
end

# ## Data
#
# TODO(fluxzoo): load your data. This placeholder labels random points of the plane by the
# quadrant they lie in, as "northeast", "northwest", "southwest" or "southeast".

const LABELS = ["northeast", "northwest", "southwest", "southeast"]
const NFEATURES = 2

function quadrant(p::AbstractVector)
    return p[1] >= 0 ? (p[2] >= 0 ? 1 : 4) : (p[2] >= 0 ? 2 : 3)
end

function get_data(; n::Int, batchsize::Int, shuffle::Bool = false)
    x = 2 .* rand(Float32, NFEATURES, n) .- 1
    y = Flux.onehotbatch(map(quadrant, eachcol(x)), 1:length(LABELS))
    return Flux.DataLoader((x, y); batchsize, shuffle)
end

# ## Model
#
# A `Predictor` bundles what the server needs: the network and the names of its classes.
# Calling it on a matrix of inputs, one column per example, returns class probabilities.

build_model(; hidden_dim::Int) =
    Chain(Dense(NFEATURES => hidden_dim, relu), Dense(hidden_dim => length(LABELS)))

struct Predictor{M}
    model::M
    labels::Vector{String}
end

(p::Predictor)(x::AbstractMatrix{<:Real}) = softmax(p.model(x))

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

# ## Training
#
# For each batch, `Flux.withgradient` returns the loss and its gradient with respect to the
# model, and `Flux.update!` takes an optimiser step.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    loader = get_data(; n = args.n_samples, args.batchsize, shuffle = true)
    model = device(build_model(; args.hidden_dim))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, loader, device)
        epoch % 10 == 0 && @info "Epoch $epoch" train_loss
    end
    predictor = Predictor(cpu_device()(model), LABELS)
    save_predictor(args.checkpoint, predictor; args.hidden_dim)
    @info "Saved the model to $(args.checkpoint)"
    return predictor
end

# ## Saving and loading
#
# `Flux.state` extracts the parameters as nested named tuples of plain arrays, which JLD2
# stores without depending on the model's Julia types. Loading rebuilds the same architecture
# from the saved settings and copies the parameters in with `Flux.loadmodel!`. The model is
# moved to the CPU before saving, so a checkpoint written on a GPU loads anywhere.

function save_predictor(path::AbstractString, p::Predictor; hidden_dim::Int)
    mkpath(dirname(path))
    JLD2.jldsave(path; model_state = Flux.state(cpu_device()(p.model)), labels = p.labels, hidden_dim)
    return path
end

function load_predictor(path::AbstractString)
    model_state, labels, hidden_dim = JLD2.load(path, "model_state", "labels", "hidden_dim")
    model = Flux.loadmodel!(build_model(; hidden_dim), model_state)
    return Predictor(model, labels)
end

# ## Request handlers
#
# `POST /predict` takes a body such as `{"inputs": [[0.5, -0.2], [-0.9, 0.1]]}`, one list of
# features per example, and answers with one prediction per example:
# `{"predictions": [{"label": "southeast", "probabilities": {...}}, ...]}`. A body that is not
# valid JSON or has the wrong shape gets a `400 Bad Request` that says what was expected,
# instead of an error inside the server. Every feature must be a number that fits a `Float32`:
# JSON's `true` is a `Bool`, which Julia counts as a `Real`, and `1e39` becomes `Inf32`, which
# can turn into `NaN` probabilities; `JSON.json` refuses to write those, and would fail outside
# the `try`. A model can still overflow on huge finite inputs, so its output is checked too. `GET /health` lets a load balancer check
# that the server is up.
#
# HTTP.jl runs its handlers on Julia's interactive threads, which must stay free to accept
# requests; the model itself runs on the default threads, through `Threads.@spawn :default`.

function json_response(status::Integer, body)
    return HTTP.Response(status; headers = ["Content-Type" => "application/json"], body = JSON.json(body))
end

is_feature(v) = v isa Real && !(v isa Bool) && isfinite(Float32(v))

function parse_inputs(body::AbstractString)
    ## TODO(fluxzoo): the input format of your model.
    document = JSON.parse(body)
    rows = document isa AbstractDict ? get(document, "inputs", nothing) : nothing
    valid = rows isa AbstractVector && !isempty(rows) && all(rows) do row
        row isa AbstractVector && length(row) == NFEATURES && all(is_feature, row)
    end
    valid || throw(ArgumentError(
        "expected {\"inputs\": [...]}, a list of lists of $NFEATURES finite numbers"))
    return Float32[rows[j][i] for i in 1:NFEATURES, j in eachindex(rows)]
end

function predict(p::Predictor, req::HTTP.Request)
    inputs = try
        parse_inputs(String(req.body))
    catch err
        err isa InterruptException && rethrow()
        message = err isa ArgumentError ? err.msg : "the body is not valid JSON"
        return json_response(400, Dict("error" => message))
    end
    probabilities = fetch(Threads.@spawn :default p(inputs))
    if !all(isfinite, probabilities)
        return json_response(400, Dict("error" => "the inputs are too large for the model"))
    end
    predictions = map(eachcol(probabilities)) do column
        Dict("label" => p.labels[argmax(column)], "probabilities" => Dict(zip(p.labels, column)))
    end
    return json_response(200, Dict("predictions" => predictions))
end

health(::HTTP.Request) = json_response(200, Dict("status" => "ok"))

# A router sends each request to its handler by method and path, and answers `404 Not Found`
# for anything else.

function router(p::Predictor)
    r = HTTP.Router()
    HTTP.register!(r, "POST", "/predict", req -> predict(p, req))
    HTTP.register!(r, "GET", "/health", health)
    return r
end

# ## Serving
#
# `serve` loads the checkpoint (training one first if there is none) and answers requests
# until interrupted with Ctrl-C. Start Julia with an interactive thread for the server and the
# others for the model, e.g. `julia --threads=auto,1`. A client can then ask for predictions:
#
# ```
# curl -X POST http://127.0.0.1:8080/predict -d '{"inputs": [[0.5, -0.2]]}'
# ```

function serve(; kws...)
    args = HyperParams(; kws...)
    predictor = isfile(args.checkpoint) ? load_predictor(args.checkpoint) : train(; kws...)
    @info "Serving on http://$(args.host):$(args.port)"
    HTTP.serve(router(predictor), args.host, args.port)
end

# ## Results
#
# TODO(fluxzoo): show a request and its answer, report the accuracy of the served model and the
# latency of a request, and say how to deploy the server (container, reverse proxy, ...).
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for 10 epochs (seconds on a laptop
# CPU) and sends one request to the router directly, without starting a server. From this
# folder, `julia --project=. {{ a.slug }}.jl` trains if needed and starts the server; in the
# REPL, `serve()` does the same.

{% set short %}
predictor = train(epochs = 10)
body = JSON.json(Dict("inputs" => [[0.5, -0.2]]))
request = HTTP.Request("POST", "/predict"; headers = ["Content-Type" => "application/json"], body)
response = router(predictor)(request)
JSON.parse(String(response.body))
{% endset %}{% set full %}
serve()
{% endset %}{% include "kinds/_partials/run.jl" -%}
