# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the idea behind the model, and where it
# comes from (paper, blog post). As it stands, this tutorial trains a small convolutional
# network in the spirit of LeNet-5 (LeCun et al., 1998) to sort the images of
# {{ a.dataset_name | markdown_text }} into classes.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
using MLDatasets: MNIST
using MLUtils: DataLoader, numobs
using OneHotArrays: onecold, onehotbatch
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 3e-4  # TODO(fluxzoo): tune for your model and data
    batchsize::Int = 128
    epochs::Int = 10
    seed::Int = 42
    use_gpu::Bool = true
end

# ## Data
#
{% set download = "MNIST (about 12 MB)" %}{% include "kinds/_partials/datadeps.jl" %}#
# Convolutional layers take a 4-d array, width × height × channels × batch, and the labels
# become one-hot columns.

const IMAGE_SIZE = (28, 28, 1)  # TODO(fluxzoo): width, height and channels of your images
const CLASSES = 0:9             # TODO(fluxzoo): the labels of your data set

function get_data(split::Symbol; batchsize::Int, shuffle::Bool = false)
    data = MNIST(; split)  # TODO(fluxzoo): load your data set
    x = reshape(data.features, IMAGE_SIZE..., :)
    y = onehotbatch(data.targets, CLASSES)
    return DataLoader((x, y); batchsize, shuffle)
end

# ## Model
#
# Two convolution and pooling stages find local features; three dense layers turn them into one
# score per class. `Flux.@autosize` works out each layer's input size from the image size.

function build_model(; image_size = IMAGE_SIZE, nclasses = length(CLASSES))
    return Flux.@autosize (image_size..., 1) Chain(
        Conv((5, 5), _ => 6, relu),
        MaxPool((2, 2)),
        Conv((5, 5), _ => 16, relu),
        MaxPool((2, 2)),
        Flux.flatten,
        Dense(_ => 120, relu),
        Dense(_ => 84, relu),
        Dense(_ => nclasses),
    )
end

# The model returns raw scores (logits), so the loss applies the softmax itself.

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

function evaluate(model, loader, device)
    total, correct, n = 0.0, 0, 0
    for (x, y) in loader
        x, y = device(x), device(y)
        ŷ = model(x)
        total += Flux.logitcrossentropy(ŷ, y; agg = sum)
        correct += sum(onecold(ŷ) .== onecold(y))
        n += numobs(x)
    end
    return (loss = total / n, accuracy = correct / n)
end

# ## Training
#
# One epoch is one pass over the training data: for each batch, `Flux.withgradient` returns the
# loss and its gradient with respect to the model, and `Flux.update!` takes an optimiser step.

{% include "kinds/_partials/train_epoch.jl" %}

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    train_loader = get_data(:train; batchsize = args.batchsize, shuffle = true)
    test_loader = get_data(:test; batchsize = args.batchsize)
    model = device(build_model())
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, train_loader, device)
        metrics = evaluate(model, test_loader, device)
        @info "Epoch $epoch" train_loss test_loss = metrics.loss test_accuracy = metrics.accuracy
    end
    return cpu_device()(model)
end

# ## Results
#
# TODO(fluxzoo): report what a full run reaches (test accuracy, time, hardware) and show a few
# predictions or a figure (put figures in `docs/`).
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for one epoch: about two minutes
# on a laptop CPU, enough to pass 95% test accuracy. From this folder,
# `julia --project=. {{ a.slug }}.jl` trains with the defaults instead; change any setting the
# same way, e.g. `train(epochs = 3, learning_rate = 1e-3)`.

{% set short %}
model = train(epochs = 1)
{% endset %}{% set full %}
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
