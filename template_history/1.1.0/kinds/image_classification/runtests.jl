using Flux
using MLUtils: DataLoader
using OneHotArrays: onehotbatch
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    model = Tutorial.build_model()
    n = 32
    x = rand(Float32, Tutorial.IMAGE_SIZE..., n)
    y = onehotbatch(rand(Tutorial.CLASSES, n), Tutorial.CLASSES)
    @test size(model(x)) == (length(Tutorial.CLASSES), n)

    loader = DataLoader((x, y); batchsize = 8, shuffle = true)
    opt_state = Flux.setup(Adam(1e-3), model)
    before = Tutorial.loss(model, x, y)
    epoch_losses = [Tutorial.train_epoch!(model, opt_state, loader, cpu_device()) for _ in 1:5]
    after = Tutorial.loss(model, x, y)
    @test all(isfinite, epoch_losses)
    @test isfinite(before) && isfinite(after)
    @test after < before

    metrics = Tutorial.evaluate(model, loader, cpu_device())
    @test isfinite(metrics.loss)
    @test 0 <= metrics.accuracy <= 1
end
