# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, why a pretrained network suits the task,
# and where the approach comes from (paper, blog post). As it stands, this tutorial adapts
# ResNet-18 (He et al., "Deep Residual Learning for Image Recognition", 2015), pretrained on
# ImageNet, to the ten classes of CIFAR-10.
#
# Training a deep network from scratch needs far more labelled images than most tasks have.
# A network trained on ImageNet has already learned features that describe most photographs:
# edges and textures in its early layers, parts of objects in its later ones. Transfer learning
# keeps those layers, the backbone, and replaces only the last layer, the head, with a new one
# for the new classes. Training runs in two stages: first only the head learns, on top of a
# frozen backbone; then the whole network is fine-tuned at a lower learning rate.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.
# Metalhead.jl provides the architectures and downloads the pretrained weights on first use
# (about 45 MB for ResNet-18, as a lazy artifact: no prompt). Metalhead 0.9.5 is the first
# release that works with Flux 0.16, hence its bound in `Project.toml`; Metalhead 0.9.6 allows
# CUDA.jl 4 and 5 only, so with CUDA the resolver installs CUDA 5 rather than a newer one.

using Flux
using MLDatasets: CIFAR10
using MLUtils: DataLoader
using Metalhead: Metalhead, ResNet
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs_frozen = 1)` changes one and keeps the
# others. `pretrain = false` starts from random weights, which is only useful for testing.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-3     # for the head, while the backbone is frozen
    finetune_rate::Float64 = 1e-5     # for the whole network, in the second stage
    batchsize::Int = 64
    epochs_frozen::Int = 3
    epochs_finetune::Int = 2
    image_size::Int = 224             # ImageNet resolution; smaller is faster, less accurate
    max_images::Int = typemax(Int)    # images used from each split; fewer for a quick run
    pretrain::Bool = true
    seed::Int = 42
    use_gpu::Bool = true
end

# ## Data
#
{% set download = "CIFAR-10 (about 170 MB)" %}{% include "kinds/_partials/datadeps.jl" %}#
# The pretrained network expects what it saw on ImageNet: colour images of about 224 × 224
# pixels, normalised with ImageNet's per-channel mean and standard deviation. Images are kept
# small on the CPU and resized and normalised batch by batch on the device, which is cheaper
# than storing them at full size.

const CLASSES = 0:9  # TODO(fluxzoo): the labels of your data set

const IMAGENET_MEAN = Float32[0.485, 0.456, 0.406]
const IMAGENET_STD = Float32[0.229, 0.224, 0.225]

function get_data(split::Symbol; batchsize::Int, shuffle::Bool = false,
                  max_images::Int = typemax(Int))
    ## TODO(fluxzoo): load your images, as width × height × 3 × n Float32 in [0, 1].
    data = CIFAR10(; split)
    n = min(max_images, length(data.targets))
    x = data.features[:, :, :, 1:n]
    y = Flux.onehotbatch(data.targets[1:n], CLASSES)
    return DataLoader((x, y); batchsize, shuffle)
end

function preprocess(x::AbstractArray{<:Real, 4}, image_size::Int)
    x = upsample_bilinear(x; size = (image_size, image_size))
    ## The statistics go to the same device as `x`, one value per channel.
    μ = copyto!(similar(x, 1, 1, 3, 1), IMAGENET_MEAN)
    σ = copyto!(similar(x, 1, 1, 3, 1), IMAGENET_STD)
    return (x .- μ) ./ σ
end

# ## Model
#
# `ResNet(18; pretrain = true)` builds the network and loads its ImageNet weights.
# `Metalhead.backbone` returns its convolutional part, which maps an image to 512 feature maps,
# without the 1000-class ImageNet head; one call on a blank image finds that number. The new
# head pools each feature map to one number and maps them to one score per class. Naming the two parts in the `Chain` lets the
# optimiser state be addressed the same way: `opt_state.layers.backbone`.

function build_model(; nclasses::Int = length(CLASSES), pretrain::Bool = true)
    ## TODO(fluxzoo): the pretrained network your tutorial adapts.
    backbone = Metalhead.backbone(ResNet(18; pretrain))
    nfeatures = size(backbone(zeros(Float32, 64, 64, 3, 1)), 3)  # 512 for ResNet-18
    head = Chain(AdaptiveMeanPool((1, 1)), Flux.flatten, Dense(nfeatures => nclasses))
    return Chain(; backbone, head)
end

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

function evaluate(model, loader, device; image_size::Int)
    total, correct, n = 0.0, 0, 0
    for (x, y) in loader
        x, y = preprocess(device(x), image_size), device(y)
        ŷ = model(x)
        total += Flux.logitcrossentropy(ŷ, y; agg = sum)
        correct += sum(Flux.onecold(ŷ) .== Flux.onecold(y))
        n += size(x, 4)
    end
    return (loss = total / n, accuracy = correct / n)
end

# ## Freezing the backbone
#
# `Flux.freeze!` marks part of the optimiser state as frozen: `Flux.update!` then leaves those
# parameters alone, however large their gradients. `Flux.thaw!` undoes it. Freezing is a
# property of the optimiser state, not of the model, so the same model can be trained frozen
# and then thawed without being rebuilt.
#
# Batch normalisation layers also change in the forward pass: in training mode they update
# their running statistics from each batch. `Flux.testmode!` makes the backbone use the
# ImageNet statistics it was trained with and keep them fixed, which also protects them from
# the noise of small fine-tuning batches.

function setup_optimiser(model, learning_rate::Real)
    opt_state = Flux.setup(Adam(learning_rate), model)
    Flux.freeze!(opt_state.layers.backbone)
    Flux.testmode!(model.layers.backbone)
    return opt_state
end

# ## Training
#
# For each batch, `Flux.withgradient` returns the loss and its gradient with respect to the
# model, and `Flux.update!` takes an optimiser step, skipping the frozen parameters. The second
# stage thaws the backbone and lowers the learning rate of the whole network with
# `Flux.adjust!`, so that fine-tuning refines the pretrained features rather than erasing them.

function train_epoch!(model, opt_state, loader, device; image_size::Int)
    losses = Float32[]
    for (x, y) in loader
        x, y = preprocess(device(x), image_size), device(y)
        l, grads = Flux.withgradient(m -> loss(m, x, y), model)
        Flux.update!(opt_state, model, grads[1])
        push!(losses, l)
    end
    return mean(losses)
end

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    train_loader = get_data(:train; args.batchsize, shuffle = true, args.max_images)
    test_loader = get_data(:test; args.batchsize, args.max_images)
    model = device(build_model(; args.pretrain))
    opt_state = setup_optimiser(model, args.learning_rate)
    for epoch in 1:(args.epochs_frozen + args.epochs_finetune)
        if epoch == args.epochs_frozen + 1
            Flux.thaw!(opt_state)
            Flux.adjust!(opt_state, args.finetune_rate)
        end
        train_loss = train_epoch!(model, opt_state, train_loader, device; args.image_size)
        test = evaluate(model, test_loader, device; args.image_size)
        @info "Epoch $epoch" train_loss test.loss test.accuracy
    end
    return cpu_device()(model)
end

# ## Results
#
# TODO(fluxzoo): report the test accuracy after each stage, compare with the same network
# trained from scratch (`pretrain = false`), and say how long a run takes on what hardware.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains only the new head, for one epoch
# on 2,000 images resized to 64 × 64, and tests it on 2,000 more: a few minutes on a laptop CPU,
# enough to see the pretrained features at work (it still downloads all of CIFAR-10). From this
# folder, `julia --project=. {{ a.slug }}.jl` trains with the defaults instead: 5 epochs of
# ResNet-18 at 224 × 224 over 50,000 images, hours on a laptop CPU.

{% set short %}
model = train(epochs_frozen = 1, epochs_finetune = 0, image_size = 64, max_images = 2_000)
{% endset %}{% set full %}
train()
{% endset %}{% include "kinds/_partials/run.jl" -%}
