using ChainRulesCore
using ChainRulesTestUtils
using Flux
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)

    @testset "rrule agrees with finite differences" begin
        test_rrule(Tutorial.softclip, randn(4, 3), 1.7)
        test_rrule(Tutorial.softclip, 3 .* randn(5), 0.5)
    end

    @testset "Zygote uses the rule" begin
        x = randn(Float32, 3, 4)
        y, pullback = rrule(Tutorial.softclip, x, 2.0f0)
        @test y ≈ 2 .* tanh.(x ./ 2)
        _, x̄, l̄ = pullback(ones(Float32, 3, 4))
        @test unthunk(x̄) ≈ 1 .- tanh.(x ./ 2) .^ 2
        @test unthunk(l̄) isa Float32
        g = Flux.gradient(x -> sum(Tutorial.softclip(x, 2.0f0)), x)[1]
        @test g ≈ unthunk(x̄)
        @test eltype(g) == Float32
    end

    @testset "training a network through the rule" begin
        model = Tutorial.build_model(; hidden_dim = 16, limit = 2)
        @test length(Flux.trainables(model)) == 6  # the weights and biases of the Dense layers only
        loader = Tutorial.get_data(; n = 128, batchsize = 32, shuffle = true)
        x, y = first(loader)
        @test size(model(x)) == size(y)
        opt_state = Flux.setup(Adam(1e-2), model)
        before = Tutorial.loss(model, x, y)
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, loader, cpu_device()) for _ in 1:20]
        after = Tutorial.loss(model, x, y)
        @test all(isfinite, epoch_losses)
        @test after < before
        @test model[2].limit == 2  # a setting, untouched by the optimiser
    end
end
