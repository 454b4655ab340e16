using Flux
using Random

# Measured inside a function, after a first call, so that neither compilation nor global
# variables are counted.
function shuffle_allocations(xs, ys, x, y, perm)
    Tutorial.shuffle_into!(xs, ys, x, y, perm)
    return @allocated Tutorial.shuffle_into!(xs, ys, x, y, perm)
end

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    args = Tutorial.HyperParams(; n_samples = 128, n_features = 8, n_classes = 3, hidden_dim = 16, batchsize = 16)
    @test all(isconcretetype, fieldtypes(Tutorial.HyperParams))
    x, y = Tutorial.get_data(args)
    @test x isa Matrix{Float32} && size(x) == (8, 128)
    @test y isa Matrix{Float32} && size(y) == (3, 128)
    @test all(==(1), sum(y; dims = 1))
    model = Tutorial.build_model(args)

    @testset "type stability" begin
        xb, yb = view(x, :, 1:16), view(y, :, 1:16)
        @test @inferred(model(xb)) isa Matrix{Float32}
        @test @inferred(Tutorial.loss(model, xb, yb)) isa Float32
    end

    @testset "the preallocated shuffle" begin
        xs, ys, perm = similar(x), similar(y), randperm(size(x, 2))
        Tutorial.shuffle_into!(xs, ys, x, y, perm)
        @test xs == x[:, perm]
        @test ys == y[:, perm]
        # Whether the two `view`s themselves reach the heap (a few dozen bytes each) depends on
        # what this Julia version's escape analysis proves, so the test asks what the tutorial
        # claims: no copy of the data, the same few bytes for 64 times the data.
        xl, yl = randn(Float32, 8, 64 * 128), rand(Float32, 3, 64 * 128)
        large = shuffle_allocations(similar(xl), similar(yl), xl, yl, randperm(size(xl, 2)))
        @test shuffle_allocations(xs, ys, x, y, perm) == large
        @test large < 512 < sizeof(x)
    end

    @testset "training steps lower the loss" begin
        opt_state = Flux.setup(Adam(1e-2), model)
        before = Tutorial.loss(model, x, y)
        losses = [Tutorial.train_step!(model, opt_state, view(x, :, cols), view(y, :, cols))
                  for _ in 1:10 for cols in Iterators.partition(1:128, 16)]
        @test all(isfinite, losses)
        @test losses isa Vector{Float32}
        @test Tutorial.loss(model, x, y) < before

        trained = Tutorial.train(; n_samples = 128, n_features = 8, n_classes = 3, hidden_dim = 16,
                                 batchsize = 16, epochs = 2, use_gpu = false)
        @test size(trained(x)) == (3, 128)
    end
end
