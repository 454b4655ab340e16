using Flux
using GraphNeuralNetworks
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    nclasses = length(Tutorial.CLASSES)
    # A small graph laid out like Cora: informative features, labels and the three masks.
    n = 30
    labels = rand(Tutorial.CLASSES, n)
    noise = 0.1f0 .* randn(Float32, nclasses, n)
    features = Float32.(Flux.onehotbatch(labels, Tutorial.CLASSES)) .+ noise
    train_mask, val_mask, test_mask = (1:n) .<= 20, 20 .< (1:n) .<= 25, (1:n) .> 25
    g = rand_graph(n, 20; ndata = (; features, targets = labels, train_mask, val_mask, test_mask))
    data = Tutorial.node_data(g)

    @testset "node data" begin
        @test size(data.x) == (nclasses, n)
        @test size(data.y) == (nclasses, n)
        @test Flux.onecold(data.y, Tutorial.CLASSES) == labels
        @test (count(data.train_mask), count(data.val_mask), count(data.test_mask)) == (20, 5, 5)
    end

    @testset "a two-layer GCN sees two hops" begin
        # A path 1 - 2 - ... - 8, each edge in both directions.
        path = GNNGraph([1:7; 2:8], [2:8; 1:7]; num_nodes = 8)
        model = Tutorial.build_model(4; hidden_dim = 8, dropout = 0.0)
        x = randn(Float32, 4, 8)
        @test size(model(path, x)) == (nclasses, 8)
        changed = copy(x)
        changed[:, 1] .+= 1
        y, y_changed = model(path, x), model(path, changed)
        @test y[:, 4:8] ≈ y_changed[:, 4:8]  # three hops or more from node 1
        @test !(y[:, 1:3] ≈ y_changed[:, 1:3])
    end

    @testset "the loss looks only at the training nodes" begin
        model = Tutorial.build_model(nclasses; hidden_dim = 16, dropout = 0.5)
        relabelled = copy(labels)
        relabelled[.!train_mask] = mod1.(relabelled[.!train_mask] .+ 1, nclasses)
        y_other = Flux.onehotbatch(relabelled, Tutorial.CLASSES)
        # Dropout is off outside a gradient, so the two losses see the same network.
        @test Tutorial.loss(model, g, data.x, y_other, data.train_mask) ≈
              Tutorial.loss(model, g, data.x, data.y, data.train_mask)
        grads = Flux.gradient(m -> Tutorial.loss(m, g, data.x, data.y, data.train_mask), model)[1]
        @test all(isfinite, grads.layers[1].weight)
        @test any(!iszero, grads.layers[1].weight)
        @test any(!iszero, grads.layers[3].weight)
    end

    @testset "training lowers the loss" begin
        model = Tutorial.build_model(nclasses; hidden_dim = 16, dropout = 0.0)
        opt_state = Flux.setup(Adam(1e-2), model)
        before = Tutorial.loss(model, g, data.x, data.y, data.train_mask)
        losses = [Tutorial.train_step!(model, opt_state, g, data) for _ in 1:50]
        after = Tutorial.loss(model, g, data.x, data.y, data.train_mask)
        @test all(isfinite, losses)
        @test after < before
        @test losses[end] < losses[1]
        @test Tutorial.accuracy(model, g, data.x, data.y, data.train_mask) > 0.5
        @test 0 <= Tutorial.accuracy(model, g, data.x, data.y, data.test_mask) <= 1
    end

    @testset "train runs end to end on a given graph" begin
        model = Tutorial.train(; graph = g, epochs = 3, hidden_dim = 4, use_gpu = false)
        @test size(model(g, data.x)) == (nclasses, n)
    end
end
