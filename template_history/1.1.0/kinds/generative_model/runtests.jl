using Flux
using MLUtils: DataLoader
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    input_dim, n = 16, 64
    # Tiny synthetic data: noisy copies of four binary patterns.
    patterns = Float32.(rand(Bool, input_dim, 4))
    x = clamp.(patterns[:, rand(1:4, n)] .+ 0.1f0 .* randn(Float32, input_dim, n), 0, 1)
    model = Tutorial.VAE(input_dim; latent_dim = 2, hidden_dim = 32)

    @testset "shapes" begin
        logits, μ, logσ = Tutorial.reconstruct(model, x)
        @test size(logits) == (input_dim, n)
        @test size(μ) == size(logσ) == (2, n)
        @test Tutorial.latent_dim(model) == 2
        samples = Tutorial.generate(model, 5)
        @test size(samples) == (input_dim, 5)
        @test all(s -> 0 <= s <= 1, samples)
    end

    @testset "loss" begin
        # The same noise for both calls: only the β-weighted KL term differs, and it is >= 0.
        l1 = (Random.seed!(1); Tutorial.loss(model, x; β = 1.0f0))
        l0 = (Random.seed!(1); Tutorial.loss(model, x; β = 0.0f0))
        @test isfinite(l1) && isfinite(l0)
        @test l1 >= l0
        grads = Flux.gradient(m -> Tutorial.loss(m, x), model)[1]
        @test any(!iszero, grads.encoder.μ.weight)
        @test any(!iszero, grads.encoder.logσ.weight)
        @test any(!iszero, grads.decoder.layers[end].weight)
    end

    @testset "training lowers the loss" begin
        loader = DataLoader(x; batchsize = 16, shuffle = true)
        opt_state = Flux.setup(Adam(1e-2), model)
        before = (Random.seed!(2); Tutorial.evaluate(model, loader, cpu_device()))
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, loader, cpu_device()) for _ in 1:20]
        after = (Random.seed!(2); Tutorial.evaluate(model, loader, cpu_device()))
        @test all(isfinite, epoch_losses)
        @test after < before
    end
end
