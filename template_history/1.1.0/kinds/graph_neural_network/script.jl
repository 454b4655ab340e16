# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the idea behind the model, and where it
# comes from (paper, blog post). As it stands, this tutorial classifies the nodes of a graph:
# the {{ a.dataset_name | markdown_text }} citation network, where every node is a paper (its features say which
# words it uses), every edge a citation, and the task is to find each paper's subject from a
# few labelled ones. The model is a graph convolutional network (GCN; Kipf and Welling,
# "Semi-Supervised Classification with Graph Convolutional Networks", 2017) built with
# GraphNeuralNetworks.jl.
#
# A graph convolution updates every node from its neighbours: each `GCNConv` layer averages the
# features of a node and its neighbours (weighted by their degrees), then applies a learned
# linear map. Two layers let every node see the nodes up to two citations away. The whole graph
# goes through the network at once, and the loss only looks at the labelled nodes.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
using GraphNeuralNetworks
using MLDatasets: Cora
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-2
    weight_decay::Float64 = 5e-4  # an L2 penalty on the weights, as in the GCN paper
    hidden_dim::Int = 16          # TODO(fluxzoo): size the model for your data
    dropout::Float64 = 0.5
    epochs::Int = 200             # each epoch is one step on the whole graph
    seed::Int = 42
    use_gpu::Bool = true
end

# ## Data
#
{% set download = a.dataset_name ~ " (under 1 MB)" %}{% include "kinds/_partials/datadeps.jl" %}#
# `mldataset2gnngraph` turns the MLDatasets graph into a `GNNGraph`, which keeps the node data
# beside the edges: `features` (one column of 1,433 word indicators per paper), `targets` (the
# subject, 1 to 7) and the masks of the standard split: 140 labelled nodes to train on, 500 to
# validate, 1,000 to test.

const CLASSES = 1:7  # TODO(fluxzoo): the labels of your data set

load_graph() = mldataset2gnngraph(Cora())  # TODO(fluxzoo): load your graph

# The features and the one-hot labels of every node, and the three masks.

function node_data(g::GNNGraph)
    x = g.ndata.features
    y = Flux.onehotbatch(g.ndata.targets, CLASSES)
    return (; x, y, g.ndata.train_mask, g.ndata.val_mask, g.ndata.test_mask)
end

# ## Model
#
# A `GNNChain` is a `Chain` whose graph layers also receive the graph: `model(g, x)` passes `g`
# to each `GCNConv` and only `x` to the other layers. It returns one score per class and node.

function build_model(nfeatures::Integer; hidden_dim::Integer, dropout::Real,
                     nclasses::Integer = length(CLASSES))
    ## TODO(fluxzoo): the architecture your tutorial is about (GATConv, more layers, ...).
    return GNNChain(
        GCNConv(nfeatures => hidden_dim, relu),
        Dropout(dropout),
        GCNConv(hidden_dim => nclasses),
    )
end

# The model scores every node, and the loss and the accuracy keep the nodes of one mask.
# `Dropout` is active only while a gradient is taken, so evaluation uses the whole network.

function loss(model, g, x, y, mask)
    ŷ = model(g, x)
    return Flux.logitcrossentropy(ŷ[:, mask], y[:, mask])
end

function accuracy(model, g, x, y, mask)
    ŷ = model(g, x)
    return mean(Flux.onecold(ŷ[:, mask]) .== Flux.onecold(y[:, mask]))
end

# ## Training
#
# One epoch is one optimiser step on the whole graph: `Flux.withgradient` returns the loss on the
# training nodes and its gradient with respect to the model, and `Flux.update!` applies `Adam`
# after `WeightDecay`, the L2 penalty.

function train_step!(model, opt_state, g, data)
    l, grads = Flux.withgradient(m -> loss(m, g, data.x, data.y, data.train_mask), model)
    Flux.update!(opt_state, model, grads[1])
    return l
end

## `graph`: a `GNNGraph` with Cora's node data (your own data, or the tests'); else Cora itself.
function train(; graph::Union{Nothing, GNNGraph} = nothing, kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    graph = graph === nothing ? load_graph() : graph
    data = device(node_data(graph))  # one-hot labels made on the CPU, then moved
    g = device(graph)
    model = device(build_model(size(data.x, 1); args.hidden_dim, args.dropout))
    opt_state = Flux.setup(OptimiserChain(WeightDecay(args.weight_decay), Adam(args.learning_rate)),
                           model)
    for epoch in 1:args.epochs
        train_loss = train_step!(model, opt_state, g, data)
        if epoch % 20 == 0 || epoch == args.epochs
            valid_accuracy = accuracy(model, g, data.x, data.y, data.val_mask)
            @info "Epoch $epoch" train_loss valid_accuracy
        end
    end
    test_accuracy = accuracy(model, g, data.x, data.y, data.test_mask)
    @info "Done" test_accuracy
    return cpu_device()(model)
end

# ## Results
#
# TODO(fluxzoo): report the test accuracy a full run reaches (the GCN paper reports 81.5% on
# this split), how long it takes on what hardware, and what the model gets wrong.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for 50 epochs, seconds on a laptop
# CPU once Julia has compiled the code, enough to pass 70% test accuracy. From this folder,
# `julia --project=. {{ a.slug }}.jl` trains with the defaults instead.

{% set short %}
model = train(epochs = 50)
{% endset %}{% set full %}
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
