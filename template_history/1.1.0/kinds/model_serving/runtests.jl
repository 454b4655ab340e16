using Flux
using HTTP
using JSON
using Random
using Statistics: mean

@testset {{ a.title | julia_str }} begin
    Random.seed!(0)
    predictor = Tutorial.Predictor(Tutorial.build_model(; hidden_dim = 8), Tutorial.LABELS)
    post(body) = HTTP.Request("POST", "/predict"; headers = ["Content-Type" => "application/json"], body)

    @testset "a prediction request" begin
        inputs = [[0.5, -0.2], [-0.9, 0.1], [0, 1]]
        response = Tutorial.predict(predictor, post(JSON.json(Dict("inputs" => inputs))))
        @test response.status == 200
        @test HTTP.header(response, "Content-Type") == "application/json"
        predictions = JSON.parse(String(response.body))["predictions"]
        @test length(predictions) == length(inputs)
        for (prediction, input) in zip(predictions, inputs)
            probabilities = prediction["probabilities"]
            @test sort!(collect(keys(probabilities))) == sort(Tutorial.LABELS)
            @test sum(values(probabilities)) ≈ 1 atol = 1e-5
            @test probabilities[prediction["label"]] == maximum(values(probabilities))
            expected = predictor(reshape(Float32.(input), :, 1))
            @test [probabilities[l] for l in Tutorial.LABELS] ≈ vec(expected) atol = 1e-6
        end
    end

    @testset "bad requests get 400 and a reason" begin
        for body in ("not json", "[1, 2]", "{}", "{\"inputs\": []}", "{\"inputs\": [[1, 2, 3]]}",
                     "{\"inputs\": [[1, \"two\"]]}", "{\"inputs\": [[true, 0]]}",
                     "{\"inputs\": [[1e39, 0]]}", "{\"inputs\": [[-1e400, 0]]}")
            response = Tutorial.predict(predictor, post(body))
            @test response.status == 400
            @test JSON.parse(String(response.body))["error"] isa AbstractString
        end
    end

    @testset "a model that overflows gets 400, not an error writing NaN" begin
        overflowing = Tutorial.Predictor(x -> fill(NaN32, length(Tutorial.LABELS), size(x, 2)),
                                         Tutorial.LABELS)
        response = Tutorial.predict(overflowing, post("{\"inputs\": [[0.5, 0.5]]}"))
        @test response.status == 400
        @test JSON.parse(String(response.body))["error"] isa AbstractString
    end

    @testset "routing" begin
        app = Tutorial.router(predictor)
        @test app(HTTP.Request("GET", "/health")).status == 200
        @test app(post(JSON.json(Dict("inputs" => [[0.1, 0.2]])))).status == 200
        @test app(HTTP.Request("GET", "/nowhere")).status == 404
    end

    @testset "saving, loading and training" begin
        mktempdir() do dir
            path = joinpath(dir, "checkpoints", "model.jld2")
            Tutorial.save_predictor(path, predictor; hidden_dim = 8)
            loaded = Tutorial.load_predictor(path)
            x = rand(Float32, 2, 5)
            @test loaded(x) ≈ predictor(x)
            @test loaded.labels == predictor.labels

            trained = Tutorial.train(; epochs = 20, n_samples = 256, checkpoint = path)
            @test isfile(path)
            x = 2 .* rand(Float32, 2, 200) .- 1
            guesses = map(argmax, eachcol(trained(x)))
            @test mean(guesses .== map(Tutorial.quadrant, eachcol(x))) > 0.5
        end
    end
end
