using Flux
using Random

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    spam = ["WIN a free prize now!", "Free cash: claim your prize now",
            "URGENT: claim your free prize"]
    ham = ["See you at lunch", "Are we still meeting today?", "Call me when you get home"]
    texts = repeat([spam; ham], 8)
    labels = repeat([fill("spam", 3); fill("ham", 3)], 8)

    @testset "tokens and vocabulary" begin
        @test Tutorial.tokenize("WIN a free prize, now!") == ["win", "a", "free", "prize", "now"]
        @test Tutorial.tokenize("  ...  ") == String[]
        vocabulary = Tutorial.build_vocabulary(texts; vocab_size = 6)
        @test length(vocabulary) == 6
        @test vocabulary[Tutorial.PAD] == "<pad>" && vocabulary[Tutorial.UNK] == "<unk>"
        # "free" and "prize" come 3 times per round, then "claim", "now", "you", "your" twice:
        # the most frequent first, ties in alphabetical order.
        @test vocabulary[3:6] == ["free", "prize", "claim", "now"]
        @test_throws ArgumentError Tutorial.build_vocabulary(texts; vocab_size = 2)
    end

    @testset "encoding pads in front and cuts long messages" begin
        vocabulary = ["<pad>", "<unk>", "free", "prize", "now"]
        x = Tutorial.encode(["free prize", "free lunch now", "now now now now now now"], vocabulary;
                            max_len = 4)
        @test size(x) == (4, 3)
        @test x[:, 1] == [Tutorial.PAD, Tutorial.PAD, 3, 4]
        @test x[:, 2] == [Tutorial.PAD, 3, Tutorial.UNK, 5]
        @test x[:, 3] == [5, 5, 5, 5]
        @test Tutorial.encode([""], vocabulary; max_len = 3) == fill(Tutorial.PAD, 3, 1)
    end

    @testset "data" begin
        data = Tutorial.get_data(texts, labels; vocab_size = 50, max_len = 8, batchsize = 4,
                                 test_fraction = 0.25)
        xb, yb = first(data.train)
        @test size(xb) == (8, 4)
        @test size(yb) == (length(Tutorial.LABELS), 4)
        n_train = sum(size(x, 2) for (x, _) in data.train)
        n_test = sum(size(x, 2) for (x, _) in data.test)
        @test (n_train, n_test) == (36, 12)
        @test_throws ArgumentError Tutorial.get_data(texts, labels; vocab_size = 50, max_len = 8,
                                                     batchsize = 4, test_fraction = 0.0)
    end

    @testset "shapes and gradients" begin
        vocab, len, batch = 20, 7, 3
        model = Tutorial.TextClassifier(vocab; embed_dim = 4, hidden_dim = 8)
        x = rand(3:vocab, len, batch)
        @test size(model(x)) == (length(Tutorial.LABELS), batch)
        @test size(model(x[1:2, :])) == (length(Tutorial.LABELS), batch)
        # No state is carried between calls: the same input gives the same output.
        @test model(x) == model(x)
        y = Flux.onehotbatch(["spam", "ham", "ham"], Tutorial.LABELS)
        grads = Flux.gradient(m -> Tutorial.loss(m, x, y), model)[1]
        @test all(isfinite, grads.embedding.weight)
        # Only the tokens in the batch get a gradient; index 1 and 2 (<pad>, <unk>) are absent.
        used = sort!(unique(vec(x)))
        @test all(!iszero, eachcol(grads.embedding.weight[:, used]))
        @test all(iszero, grads.embedding.weight[:, setdiff(1:vocab, used)])
        @test any(!iszero, grads.encoder.cell.Wh)
        @test any(!iszero, grads.head.weight)
    end

    @testset "training lowers the loss" begin
        data = Tutorial.get_data(texts, labels; vocab_size = 50, max_len = 8, batchsize = 8,
                                 test_fraction = 0.25)
        model = Tutorial.TextClassifier(length(data.vocabulary); embed_dim = 8, hidden_dim = 16)
        opt_state = Flux.setup(Adam(1e-2), model)
        before = Tutorial.evaluate(model, data.train, cpu_device())
        epoch_losses = [Tutorial.train_epoch!(model, opt_state, data.train, cpu_device())
                        for _ in 1:15]
        after = Tutorial.evaluate(model, data.train, cpu_device())
        @test all(isfinite, epoch_losses)
        @test after.loss < before.loss
        @test epoch_losses[end] < epoch_losses[1]
        metrics = Tutorial.evaluate(model, data.test, cpu_device())
        @test 0 <= metrics.accuracy <= 1
        @test ismissing(metrics.spam_recall) || 0 <= metrics.spam_recall <= 1

        label, probability = Tutorial.classify(model, data.vocabulary, "claim your free prize")
        @test label in Tutorial.LABELS
        @test 0.5 <= probability <= 1
    end

    @testset "train runs end to end on a local copy of the data" begin
        mktempdir() do dir
            # The file layout MLDatasets reads: one message a line, label, tab, text.
            write(joinpath(dir, "SMSSpamCollection"), join(labels .* "\t" .* texts, "\n"))
            @test Tutorial.load_messages(dir) == (texts, labels)
            model, vocabulary = Tutorial.train(; data_dir = dir, epochs = 1, vocab_size = 30,
                                               max_len = 8, batchsize = 8, embed_dim = 4,
                                               hidden_dim = 8, use_gpu = false)
            @test vocabulary[1:2] == ["<pad>", "<unk>"]
            @test length(vocabulary) <= 30
            @test size(model(Tutorial.encode(texts[1:2], vocabulary; max_len = 8))) == (2, 2)
        end
    end
end
