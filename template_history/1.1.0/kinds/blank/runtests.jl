using Flux
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    model = Tutorial.build_model()
    x = rand(Float32, 1, 64)
    y = 2 .* x .- 1
    @test size(model(x)) == (1, 64)

    loader = Flux.DataLoader((x, y); batchsize = 16, shuffle = true)
    opt_state = Flux.setup(Adam(1e-2), model)
    before = Tutorial.loss(model, x, y)
    epoch_losses = [Tutorial.train_epoch!(model, opt_state, loader, cpu_device()) for _ in 1:5]
    after = Tutorial.loss(model, x, y)
    @test all(isfinite, epoch_losses)
    @test isfinite(before) && isfinite(after)
    @test after < before
end
