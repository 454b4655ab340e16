{#- The loss and validation loss of the kinds that predict the next token at every position
    (logits vocabulary x time x batch against one-hot targets of the same size). -#}
# The model returns raw scores (logits), so the loss applies the softmax itself; it averages
# the cross-entropy over every position of every sequence.

loss(model, x, y) = Flux.logitcrossentropy(model(x), y)

## No validation split, no validation loss (rather than 0 / 0 = NaN).
evaluate(model, ::Nothing, device) = nothing

function evaluate(model, loader, device)
    total, n = 0.0, 0
    for (x, y) in loader
        x, y = device(x), device(y)
        total += loss(model, x, y) * length(x)
        n += length(x)
    end
    return total / n
end

