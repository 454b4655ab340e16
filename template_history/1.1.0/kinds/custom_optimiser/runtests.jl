using Flux
import Optimisers
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)

    @testset "two steps computed by hand" begin
        rule = Tutorial.Signum(0.1, 0.9)
        x = [1.0, -2.0, 3.0]
        state = Optimisers.setup(rule, x)
        @test state.state == zeros(3)

        # m = 0.9 * 0 + 0.1 * g = [0.05, -0.01, 0]; x - 0.1 * sign(m) = [0.9, -1.9, 3.0]
        state, x = Optimisers.update(state, x, [0.5, -0.1, 0.0])
        @test state.state ≈ [0.05, -0.01, 0.0]
        @test x ≈ [0.9, -1.9, 3.0]

        # m = 0.9 * [0.05, -0.01, 0] + 0.1 * [-1, -1, 1] = [-0.055, -0.109, 0.1]
        # x - 0.1 * sign(m) = [1.0, -1.8, 2.9]
        state, x = Optimisers.update(state, x, [-1.0, -1.0, 1.0])
        @test state.state ≈ [-0.055, -0.109, 0.1]
        @test x ≈ [1.0, -1.8, 2.9]
    end

    @testset "one step on a Flux model" begin
        model = Tutorial.build_model(; hidden_dim = 4)
        x, y = rand(Float32, 2, 8), Flux.onehotbatch(rand(Bool, 8), (false, true))
        old = deepcopy(model)
        opt_state = Flux.setup(Tutorial.Signum(0.01, 0.5), model)
        grads = Flux.gradient(m -> Tutorial.loss(m, x, y), model)[1]
        Flux.update!(opt_state, model, grads)
        for (layer, before, g) in zip(model.layers, old.layers, grads.layers)
            @test layer.weight ≈ before.weight .- 0.01f0 .* sign.(0.5f0 .* g.weight)
            @test layer.bias ≈ before.bias .- 0.01f0 .* sign.(0.5f0 .* g.bias)
            @test eltype(layer.weight) == Float32
        end

        Flux.adjust!(opt_state, 0.5)
        @test opt_state.layers[1].weight.rule.eta == 0.5
    end

    @testset "hyper-parameters are checked" begin
        @test Tutorial.Signum() isa Optimisers.AbstractRule
        @test Tutorial.Signum(1, 0.5).eta === 1.0
        @test_throws DomainError Tutorial.Signum(-1.0)
        @test_throws DomainError Tutorial.Signum(1e-3, 1.0)
    end

    @testset "training with the rule lowers the loss" begin
        loader = Tutorial.get_data(; n = 256, batchsize = 32, shuffle = true)
        model = Tutorial.build_model(; hidden_dim = 16)
        opt_state = Flux.setup(Tutorial.Signum(1e-2), model)
        x, y = first(loader)
        @test size(x) == (2, 32) && size(y) == (2, 32)
        before = Tutorial.loss(model, x, y)
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, loader, cpu_device()) for _ in 1:20]
        @test all(isfinite, epoch_losses)
        @test Tutorial.loss(model, x, y) < before
        @test epoch_losses[end] < epoch_losses[1]
    end
end
