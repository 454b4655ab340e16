using FiniteDifferences
using Flux
using Random
using Statistics: mean

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    quantile_loss = Tutorial.quantile_loss

    @testset "values computed by hand" begin
        # An under-prediction by 1 costs τ, an over-prediction by 1 costs 1 - τ.
        @test quantile_loss([0.0], [1.0]; τ = 0.9) ≈ 0.9
        @test quantile_loss([1.0], [0.0]; τ = 0.9) ≈ 0.1
        @test quantile_loss([0.0, 1.0], [1.0, 0.0]; τ = 0.9, agg = sum) ≈ 1.0
        @test quantile_loss([0.0, 3.0], [1.0, 0.0]; τ = 0.25, agg = identity) ≈ [0.25, 2.25]
        # One level per row of the predictions.
        @test quantile_loss([0.0; 0.0;;], [1.0;;]; τ = [0.1, 0.9], agg = identity) ≈ [0.1; 0.9;;]
        # At τ = 0.5 the loss is half the absolute error.
        ŷ, y = randn(3, 10), randn(3, 10)
        @test quantile_loss(ŷ, y) ≈ mean(abs.(ŷ .- y)) / 2
        @test quantile_loss(rand(Float32, 3, 4), rand(Float32, 1, 4); τ = 0.9) isa Float32
        @test_throws DomainError quantile_loss(ŷ, y; τ = 1.5)
        @test_throws DimensionMismatch quantile_loss(ŷ, randn(2, 10))
    end

    @testset "gradient matches finite differences" begin
        τ = [0.1, 0.5, 0.9]
        y = randn(1, 8)
        # Every prediction at least 0.5 away from its target: the kink is out of reach.
        ŷ = y .+ rand([-1, 1], 3, 8) .* (0.5 .+ rand(3, 8))
        fdm = central_fdm(5, 1)
        f(ŷ) = quantile_loss(ŷ, y; τ)
        @test Flux.gradient(f, ŷ)[1] ≈ FiniteDifferences.grad(fdm, f, ŷ)[1]
        g(y) = quantile_loss(ŷ, y; τ, agg = sum)
        @test Flux.gradient(g, y)[1] ≈ FiniteDifferences.grad(fdm, g, y)[1]
    end

    @testset "training with the loss" begin
        τ = Float32[0.1, 0.5, 0.9]
        loader = Tutorial.get_data(; n = 256, batchsize = 64, shuffle = true)
        model = Tutorial.build_model(; hidden_dim = 16, nquantiles = 3)
        x, y = first(loader)
        @test size(model(x)) == (3, 64)
        opt_state = Flux.setup(Adam(1e-2), model)
        before = Tutorial.loss(model, x, y; τ)
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, loader, cpu_device(); τ) for _ in 1:20]
        @test all(isfinite, epoch_losses)
        @test Tutorial.loss(model, x, y; τ) < before
        covered = Tutorial.coverage(model, loader, cpu_device())
        @test length(covered) == 3
        @test all(c -> 0 <= c <= 1, covered)
    end
end
