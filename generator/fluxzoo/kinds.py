"""The tutorial kinds: which skeleton a new entry starts from, and what each one needs.

A kind's Julia files live in `template/kinds/<name>/` (`script.jl`, `runtests.jl`); everything
else about it (dependencies, defaults, the docs sections it promises) is declared here, once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    source: str
    """How a reader gets it; for a download, how large it is and how to accept it headless."""
    license: str


DATADEPS_ACCEPT = "set DATADEPS_ALWAYS_ACCEPT=true to download without a prompt"
"""DataDeps.jl (under MLDatasets.jl) asks on standard input before its first download, and
throws under `CI=true` unless this is set (DataDeps v0.7.13 src/resolution_automatic.jl:25)."""

DEFAULT_RUNTIME = "about 5 minutes on a laptop CPU"


STANDARD_SECTIONS = (
    "Background",
    "Setup",
    "Hyper-parameters",
    "Data",
    "Model",
    "Training",
    "Results",
    "Running it",
)
"""The `## ` headings every skeleton keeps; a kind that shows more adds its own between them."""


def sections_with(extra: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The standard headings with a kind's own inserted after the standard one each follows."""
    return tuple(h for std in STANDARD_SECTIONS for h in (std, *extra.get(std, ())))


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    summary: str
    dataset: Dataset | None = None
    hardware: str = "gpu-optional"
    expected_runtime: str = DEFAULT_RUNTIME
    """A full run at the script's defaults (not the notebook's short run), and on what."""
    tags: tuple[str, ...] = ()
    deps: tuple[str, ...] = ("Flux",)
    """Packages the script loads; each gets a `[deps]` and a `[compat]` entry."""
    test_deps: tuple[str, ...] = ("Test",)
    """Packages only the tests load; they go to `[extras]` and `[targets] test`."""
    sections: tuple[str, ...] = STANDARD_SECTIONS
    """`## ` headings the script (and so the docs page) must keep."""

    @property
    def runtime_marker(self) -> str:
        """The default `expected_runtime`: a marker to replace, since the contributor's entry
        will not train what the skeleton trains; it carries the skeleton's own figure."""
        return f"TODO(fluxzoo): time a full run; the skeleton takes {self.expected_runtime}"

    @property
    def needs_dataset(self) -> bool:
        return self.dataset is not None


MNIST = Dataset(
    name="MNIST",
    source=(
        "downloaded on first use by MLDatasets.jl (`MLDatasets.MNIST`, about 12 MB); "
        + DATADEPS_ACCEPT
    ),
    license="CC BY-SA 3.0",
)

TINY_SHAKESPEARE = Dataset(
    name="Tiny Shakespeare",
    source="downloaded on first use from the char-rnn repository (Karpathy)",
    license="public domain text",
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            name="image_classification",
            label="Image classification",
            summary="a convolutional network trained on labelled images",
            dataset=MNIST,
            tags=("vision", "classification", "cnn"),
            deps=("Flux", "MLDatasets", "MLUtils", "OneHotArrays", "Random", "Statistics"),
        ),
        Kind(
            name="sequence_model",
            label="Sequence / text model",
            summary="a recurrent or attention model over token sequences",
            dataset=TINY_SHAKESPEARE,
            tags=("text", "sequence", "rnn"),
            deps=("Downloads", "Flux", "Random", "Statistics"),
            sections=sections_with({"Training": ("Generating text",)}),
        ),
        Kind(
            name="generative_model",
            label="Generative model",
            summary="a variational autoencoder (or GAN) that learns to sample new data",
            dataset=MNIST,
            tags=("generative", "vae"),
            deps=("Flux", "MLDatasets", "MLUtils", "Random", "Statistics"),
            sections=sections_with({"Training": ("Sampling",)}),
        ),
        Kind(
            name="custom_gradient",
            label="Custom gradient",
            summary="a ChainRulesCore `rrule` for a function Zygote should not trace",
            hardware="cpu",
            tags=("autodiff", "chainrules"),
            deps=("ChainRulesCore", "Flux", "Random", "Statistics"),
            test_deps=("ChainRulesTestUtils", "Test"),
            sections=sections_with({"Hyper-parameters": ("The function", "The gradient rule")}),
        ),
        Kind(
            name="custom_optimiser",
            label="Custom optimiser rule",
            summary="a new Optimisers.jl rule with `init` and `apply!`",
            hardware="cpu",
            tags=("optimisers",),
            deps=("Flux", "Optimisers", "Random", "Statistics"),
            sections=sections_with(
                {"Hyper-parameters": ("The rule",), "Training": ("Comparison",)}
            ),
        ),
        Kind(
            name="transfer_learning",
            label="Transfer learning",
            summary="fine-tuning a pretrained Metalhead backbone with frozen layers",
            dataset=Dataset(
                name="CIFAR-10",
                source=(
                    "downloaded on first use by MLDatasets.jl (`MLDatasets.CIFAR10`, about "
                    "170 MB; the ResNet-18 weights add about 45 MB); " + DATADEPS_ACCEPT
                ),
                license=(
                    "no licence stated; cite Krizhevsky (2009), "
                    "Learning Multiple Layers of Features from Tiny Images"
                ),
            ),
            expected_runtime=(
                "hours on a laptop CPU, well under an hour on a recent GPU "
                "(5 epochs of ResNet-18 at 224x224 over 50,000 images)"
            ),
            tags=("vision", "transfer-learning", "metalhead"),
            deps=("Flux", "MLDatasets", "MLUtils", "Metalhead", "Random", "Statistics"),
            sections=sections_with({"Model": ("Freezing the backbone",)}),
        ),
        Kind(
            name="custom_loss",
            label="Custom loss function",
            summary="a new loss function, checked against finite-difference gradients",
            hardware="cpu",
            tags=("loss",),
            deps=("Flux", "Random", "Statistics"),
            test_deps=("FiniteDifferences", "Test"),
            sections=sections_with({"Hyper-parameters": ("The loss function",)}),
        ),
        Kind(
            name="model_serving",
            label="Serving a model",
            summary="a trained model answering requests behind an HTTP server",
            hardware="cpu",
            tags=("deployment", "http"),
            deps=("Flux", "HTTP", "JLD2", "JSON", "Random", "Statistics"),
            sections=sections_with(
                {"Training": ("Saving and loading", "Request handlers", "Serving")}
            ),
        ),
        Kind(
            name="performance",
            label="Performance-sensitive training",
            summary="a type-stable, preallocated training loop with benchmarks",
            tags=("performance", "benchmarking"),
            deps=("BenchmarkTools", "Flux", "Random", "Statistics"),
            sections=sections_with({"Training": ("Benchmarks",)}),
        ),
        Kind(
            name="text_classification",
            label="Text classification",
            summary="labelling short texts: word tokens, an `Embedding` and a recurrent encoder",
            dataset=Dataset(
                name="SMS Spam Collection",
                source=(
                    "downloaded on first use by MLDatasets.jl (`MLDatasets.SMSSpamCollection`, "
                    "about 200 KB); " + DATADEPS_ACCEPT
                ),
                license=(
                    "CC BY 4.0 (UCI Machine Learning Repository); cite Almeida, Gómez Hidalgo "
                    "and Yamakami (2011), Contributions to the Study of SMS Spam Filtering"
                ),
            ),
            expected_runtime=(
                "a few minutes on a laptop CPU (10 epochs of a small GRU over 4,459 messages)"
            ),
            tags=("text", "classification", "rnn"),
            deps=("Flux", "MLDatasets", "Random", "Statistics"),
            sections=sections_with({"Training": ("Classifying new messages",)}),
        ),
        Kind(
            name="transformer",
            label="Transformer",
            summary="a small character-level GPT: `MultiHeadAttention` blocks with a causal mask",
            dataset=TINY_SHAKESPEARE,
            expected_runtime=(
                "tens of minutes on a laptop CPU, a few minutes on a recent GPU (3 epochs of a "
                "3-block, 128-wide GPT over 1.1 million characters)"
            ),
            tags=("text", "transformer", "attention", "gpt"),
            deps=("Downloads", "Flux", "Random", "Statistics"),
            sections=sections_with({"Training": ("Generating text",)}),
        ),
        Kind(
            name="graph_neural_network",
            label="Graph neural network",
            summary="node classification with GraphNeuralNetworks.jl graph convolutions",
            dataset=Dataset(
                name="Cora",
                source=(
                    "downloaded on first use by MLDatasets.jl (`MLDatasets.Cora`, the Planetoid "
                    "files, well under 1 MB); " + DATADEPS_ACCEPT
                ),
                license=(
                    "no licence stated; cite McCallum et al. (2000), Automating the Construction "
                    "of Internet Portals with Machine Learning, and Yang, Cohen and "
                    "Salakhutdinov (2016) for the split"
                ),
            ),
            expected_runtime=(
                "about a minute on a laptop CPU (200 full-graph steps of a two-layer GCN over "
                "2,708 nodes), most of it compiling"
            ),
            tags=("graphs", "gnn", "classification"),
            deps=("Flux", "GraphNeuralNetworks", "MLDatasets", "Random", "Statistics"),
        ),
        Kind(
            name="blank",
            label="Blank",
            summary="the standard sections and a minimal model, nothing more",
            hardware="cpu",
            deps=("Flux", "Random", "Statistics"),
        ),
    )
}
