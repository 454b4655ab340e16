function train_epoch!(model, opt_state, loader, device)
    losses = Float32[]
    for (x, y) in loader
        x, y = device(x), device(y)
        l, grads = Flux.withgradient(m -> loss(m, x, y), model)
        Flux.update!(opt_state, model, grads[1])
        push!(losses, l)
    end
    return mean(losses)
end