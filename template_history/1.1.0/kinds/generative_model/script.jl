# ## Background
#
# TODO(fluxzoo): explain what the reader will learn, the idea behind the model, and where it
# comes from (paper, blog post). As it stands, this tutorial trains a variational autoencoder
# (VAE; Kingma and Welling, "Auto-Encoding Variational Bayes", 2013) on {{ a.dataset_name | markdown_text }}.
#
# A VAE has two halves. The encoder maps an image `x` to a Gaussian distribution over a small
# latent space, through its mean `μ` and log standard deviation `logσ`. The decoder maps a point
# `z` of that space back to an image. Training maximises the evidence lower bound: the decoder
# must reconstruct `x` from a `z` drawn near `μ`, while a Kullback-Leibler term keeps every
# encoded distribution close to the standard normal prior. Once trained, decoding draws from
# that prior produces new images.
#
# ## Setup
#
# The packages are listed in this folder's `Project.toml`; `julia --project=.` loads them.

using Flux
using MLDatasets: MNIST
using MLUtils: DataLoader, randn_like
using Random
using Statistics: mean

{% include "kinds/_partials/gpu.jl" -%}
# ## Hyper-parameters
#
# Every setting lives in one struct, so `train(epochs = 2)` changes one and keeps the others.

Base.@kwdef struct HyperParams
    learning_rate::Float64 = 1e-3
    batchsize::Int = 128
    epochs::Int = 20
    latent_dim::Int = 16     # TODO(fluxzoo): size the model for your data
    hidden_dim::Int = 512
    β::Float32 = 1           # weight of the KL term; β = 1 is the plain VAE
    seed::Int = 42
    use_gpu::Bool = true
end

# ## Data
#
{% set download = "MNIST (about 12 MB)" %}{% include "kinds/_partials/datadeps.jl" %}#
# Each 28 × 28 image becomes a column of 784 pixel intensities in [0, 1]; the labels are not
# needed.

const IMAGE_SIZE = (28, 28)  # TODO(fluxzoo): the size of your images

function get_data(split::Symbol; batchsize::Int, shuffle::Bool = false)
    x = MNIST(; split).features  # TODO(fluxzoo): load your data set
    return DataLoader(reshape(x, prod(IMAGE_SIZE), :); batchsize, shuffle)
end

# ## Model
#
# The encoder shares one hidden layer between its two heads. `Flux.@layer` makes the fields of
# both structs trainable and movable to a GPU.

struct Encoder{H, M, S}
    hidden::H
    μ::M
    logσ::S
end

Flux.@layer Encoder

function (e::Encoder)(x)
    h = e.hidden(x)
    return e.μ(h), e.logσ(h)
end

struct VAE{E, D}
    encoder::E
    decoder::D
end

Flux.@layer VAE

function VAE(input_dim::Integer; latent_dim::Integer, hidden_dim::Integer)
    ## TODO(fluxzoo): the encoder and decoder your tutorial is about (convolutional, deeper, ...).
    encoder = Encoder(
        Dense(input_dim => hidden_dim, relu),
        Dense(hidden_dim => latent_dim),
        Dense(hidden_dim => latent_dim),
    )
    decoder = Chain(Dense(latent_dim => hidden_dim, relu), Dense(hidden_dim => input_dim))
    return VAE(encoder, decoder)
end

latent_dim(m::VAE) = size(m.encoder.μ.weight, 1)

# The reparametrisation trick makes the random draw differentiable: `z = μ + σ ε` with noise
# `ε` drawn outside the model, so gradients flow through `μ` and `σ`. `randn_like` draws `ε` on
# the same device as `μ`. The decoder returns logits, so the reconstruction term is
# `logitbinarycrossentropy`, summed over pixels and averaged over the batch like the KL term.

function reconstruct(m::VAE, x)
    μ, logσ = m.encoder(x)
    z = μ .+ exp.(logσ) .* randn_like(μ)
    return m.decoder(z), μ, logσ
end

function loss(m::VAE, x; β = 1.0f0)
    logits, μ, logσ = reconstruct(m, x)
    batch = size(x, 2)
    reconstruction = Flux.logitbinarycrossentropy(logits, x; agg = sum) / batch
    kl = sum(@. exp(2 * logσ) + μ^2 - 1 - 2 * logσ) / (2 * batch)
    return reconstruction + β * kl
end

# New images come from decoding draws of the prior; `sigmoid` turns the logits into pixel
# intensities. `similar` allocates the draws on the model's device.

function generate(m::VAE, n::Integer)
    z = randn!(similar(m.encoder.μ.bias, latent_dim(m), n))
    return sigmoid.(m.decoder(z))
end

# ## Training
#
# One epoch is one pass over the training images: for each batch, `Flux.withgradient` returns
# the loss and its gradient with respect to the model, and `Flux.update!` takes an optimiser
# step. The test loss is the same bound on unseen images; each evaluation draws fresh noise.

function train_epoch!(model, opt_state, loader, device; β = 1.0f0)
    losses = Float32[]
    for x in loader
        x = device(x)
        l, grads = Flux.withgradient(m -> loss(m, x; β), model)
        Flux.update!(opt_state, model, grads[1])
        push!(losses, l)
    end
    return mean(losses)
end

evaluate(model, loader, device; β = 1.0f0) = mean(loss(model, device(x); β) for x in loader)

function train(; kws...)
    args = HyperParams(; kws...)
    Random.seed!(args.seed)
    device = args.use_gpu ? gpu_device() : cpu_device()
    train_loader = get_data(:train; batchsize = args.batchsize, shuffle = true)
    test_loader = get_data(:test; batchsize = args.batchsize)
    model = device(VAE(prod(IMAGE_SIZE); args.latent_dim, args.hidden_dim))
    opt_state = Flux.setup(Adam(args.learning_rate), model)
    for epoch in 1:args.epochs
        train_loss = train_epoch!(model, opt_state, train_loader, device; args.β)
        test_loss = evaluate(model, test_loader, device; args.β)
        @info "Epoch $epoch" train_loss test_loss
    end
    return cpu_device()(model)
end

# ## Sampling
#
# Each column of `generate(model, n)` is one new image; `reshape(samples, IMAGE_SIZE..., :)`
# gives an array of images to plot or save.
#
# TODO(fluxzoo): show a grid of samples and of reconstructions (put figures in `docs/`), and
# what moving through the latent space does.
#
# ## Results
#
# TODO(fluxzoo): report the test loss a full run reaches, and how long it takes on what hardware.
#
# ## Running it
#
# In the notebook and on the docs page, the code below trains for two epochs (a few minutes on a
# laptop CPU; the samples are blurry but recognisable) and draws 16 images. From this folder,
# `julia --project=. {{ a.slug }}.jl` trains with the defaults instead.

{% set short %}
model = train(epochs = 2)
samples = generate(model, 16)
size(samples)
{% endset %}{% set full %}
model = train()
samples = generate(model, 16)
@info "Sampled $(size(samples, 2)) images" extrema(samples)
{% endset %}{% include "kinds/_partials/run.jl" -%}
