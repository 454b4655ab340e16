using Flux
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    # Random weights (`pretrain = false`): nothing is downloaded.
    model = Tutorial.build_model(; nclasses = 3, pretrain = false)
    x = rand(Float32, 32, 32, 3, 2)
    y = Flux.onehotbatch([1, 3], 1:3)

    @testset "shapes" begin
        xp = Tutorial.preprocess(x, 64)
        @test size(xp) == (64, 64, 3, 2)
        @test eltype(xp) == Float32
        @test size(model(xp)) == (3, 2)
    end

    @testset "a frozen backbone does not change" begin
        opt_state = Tutorial.setup_optimiser(model, 1e-2)
        backbone_before = deepcopy(Flux.state(model.layers.backbone))
        head_before = deepcopy(Flux.state(model.layers.head))
        l = Tutorial.train_epoch!(model, opt_state, [(x, y)], cpu_device(); image_size = 64)
        @test isfinite(l)
        # Weights and batch-norm statistics alike.
        @test Flux.state(model.layers.backbone) == backbone_before
        @test Flux.state(model.layers.head) != head_before

        Flux.thaw!(opt_state)
        Tutorial.train_epoch!(model, opt_state, [(x, y)], cpu_device(); image_size = 64)
        @test Flux.state(model.layers.backbone) != backbone_before
    end

    @testset "evaluation" begin
        metrics = Tutorial.evaluate(model, [(x, y)], cpu_device(); image_size = 64)
        @test isfinite(metrics.loss)
        @test 0 <= metrics.accuracy <= 1
    end
end
