using Flux
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    text = repeat("the quick brown fox jumps over the lazy dog. ", 40)

    @testset "data" begin
        alphabet = sort!(unique(text))
        ids = Tutorial.encode(text, alphabet)
        @test alphabet[ids] == collect(text)
        x, y = Tutorial.make_sequences(ids, 8)
        @test size(x) == size(y) == (8, (length(ids) - 1) ÷ 8)
        @test x[2:end, :] == y[1:(end - 1), :]
        @test vec(x)[2:end] == vec(y)[1:(end - 1)]

        data = Tutorial.get_data(text; seq_len = 8, batchsize = 4, valid_fraction = 0.25)
        xb, yb = first(data.train)
        @test size(xb) == (8, 4)
        @test size(yb) == (length(alphabet), 8, 4)
        @test data.alphabet == alphabet

        # Nothing held out: no validation loader and no validation loss, not NaN.
        nothing_held_out = Tutorial.get_data(text; seq_len = 8, batchsize = 4, valid_fraction = 0.0)
        @test nothing_held_out.valid === nothing
        model = Tutorial.CharLM(length(alphabet); embed_dim = 4, hidden_dim = 8)
        @test Tutorial.evaluate(model, nothing_held_out.valid, cpu_device()) === nothing
    end

    @testset "shapes over a batch of sequences" begin
        vocab, seq_len, batch = 11, 7, 3
        model = Tutorial.CharLM(vocab; embed_dim = 4, hidden_dim = 8)
        x = rand(1:vocab, seq_len, batch)
        @test size(model(x)) == (vocab, seq_len, batch)
        @test size(model(x[:, 1:1])) == (vocab, seq_len, 1)
        # No state is carried between calls: the same input gives the same output.
        @test model(x) == model(x)
    end

    @testset "training lowers the loss" begin
        data = Tutorial.get_data(text; seq_len = 16, batchsize = 8, valid_fraction = 0.2)
        model = Tutorial.CharLM(length(data.alphabet); embed_dim = 8, hidden_dim = 32)
        opt_state = Flux.setup(Adam(1e-2), model)
        before = Tutorial.evaluate(model, data.valid, cpu_device())
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, data.train, cpu_device()) for _ in 1:5]
        after = Tutorial.evaluate(model, data.valid, cpu_device())
        @test all(isfinite, epoch_losses)
        @test isfinite(before) && isfinite(after)
        @test after < before
        @test epoch_losses[end] < epoch_losses[1]

        sample = Tutorial.generate(model, data.alphabet, "the ", 30; temperature = 0.5)
        @test length(sample) == 34
        @test startswith(sample, "the ")
        @test all(in(data.alphabet), sample)
        @test_throws ArgumentError Tutorial.generate(model, data.alphabet, "", 5)
    end

    @testset "train runs end to end on a local file" begin
        mktempdir() do dir
            path = joinpath(dir, "input.txt")
            write(path, text)
            model, alphabet = Tutorial.train(; data_path = path, epochs = 1, seq_len = 16, batchsize = 8,
                                             embed_dim = 4, hidden_dim = 8, use_gpu = false)
            @test alphabet == sort!(unique(text))
            @test size(model(rand(1:length(alphabet), 16, 2))) == (length(alphabet), 16, 2)
        end
    end
end
