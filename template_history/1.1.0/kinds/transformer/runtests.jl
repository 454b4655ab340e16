using Flux
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    text = repeat("to be, or not to be: that is the question. ", 40)
    vocab, len, batch = 11, 7, 3
    model = Tutorial.GPT(vocab; context = 8, dim = 16, nheads = 2, nlayers = 2, dropout = 0.0)

    @testset "shapes" begin
        x = rand(1:vocab, len, batch)
        @test size(model(x)) == (vocab, len, batch)
        @test size(model(x[1:1, :])) == (vocab, 1, batch)
        @test Tutorial.context_length(model) == 8
        @test_throws ArgumentError model(rand(1:vocab, 9, 1))
        h = randn(Float32, 16, len, batch)
        @test size(model.blocks[1](h, make_causal_mask(h))) == (16, len, batch)
        # Dropout is off outside a gradient: the same input gives the same output.
        dropping = Tutorial.GPT(vocab; context = 8, dim = 16, nheads = 2, nlayers = 1,
                                dropout = 0.5)
        @test dropping(x) == dropping(x)
    end

    @testset "the causal mask hides later positions" begin
        x = rand(1:vocab, len, batch)
        changed = copy(x)
        changed[end, :] = mod1.(x[end, :] .+ 1, vocab)
        y, y_changed = model(x), model(changed)
        @test y[:, 1:(end - 1), :] ≈ y_changed[:, 1:(end - 1), :]
        @test !(y[:, end, :] ≈ y_changed[:, end, :])
        # A sequence scored alone, or as the start of a longer one, gets the same scores.
        @test model(x[1:3, :]) ≈ model(x)[:, 1:3, :]
    end

    @testset "gradients reach every part" begin
        x = rand(1:vocab, len, batch)
        y = Flux.onehotbatch(rand(1:vocab, len, batch), 1:vocab)
        grads = Flux.gradient(m -> Tutorial.loss(m, x, y), model)[1]
        @test all(isfinite, grads.token_embedding.weight)
        # Only the positions a sequence of `len` characters uses get a gradient.
        @test all(!iszero, eachcol(grads.position_embedding.weight[:, 1:len]))
        @test all(iszero, grads.position_embedding.weight[:, (len + 1):end])
        for block in grads.blocks
            @test any(!iszero, block.attention.q_proj.weight)
            @test any(!iszero, block.feedforward.layers[1].weight)
        end
        @test any(!iszero, grads.head.weight)
    end

    @testset "training lowers the loss" begin
        data = Tutorial.get_data(text; seq_len = 16, batchsize = 8, valid_fraction = 0.2)
        model = Tutorial.GPT(length(data.alphabet); context = 16, dim = 32, nheads = 4, nlayers = 2,
                             dropout = 0.0)
        opt_state = Flux.setup(Adam(3e-3), model)
        before = Tutorial.evaluate(model, data.valid, cpu_device())
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, data.train, cpu_device())
                        for _ in 1:5]
        after = Tutorial.evaluate(model, data.valid, cpu_device())
        @test all(isfinite, epoch_losses)
        @test isfinite(before) && isfinite(after)
        @test after < before
        @test epoch_losses[end] < epoch_losses[1]

        # Longer than the context: only the last 16 characters are fed back.
        sample = Tutorial.generate(model, data.alphabet, "to be", 40; temperature = 0.5)
        @test length(sample) == 45
        @test startswith(sample, "to be")
        @test all(in(data.alphabet), sample)
        @test_throws ArgumentError Tutorial.generate(model, data.alphabet, "", 5)
    end

    @testset "train runs end to end on a local file" begin
        mktempdir() do dir
            path = joinpath(dir, "input.txt")
            write(path, text)
            model, alphabet = Tutorial.train(; data_path = path, epochs = 1, context = 16,
                                             batchsize = 8, dim = 8, nheads = 2, nlayers = 1,
                                             use_gpu = false)
            @test alphabet == sort!(unique(text))
            @test size(model(rand(1:length(alphabet), 16, 2))) == (length(alphabet), 16, 2)
        end
    end
end
