"""A small zoo for the site tests: entries of several kinds baked by `fluxzoo new`, a legacy
folder, a figure, and metadata and prose written to attack the pages."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from fluxzoo import metadata
from fluxzoo.cli import main

HOSTILE_TITLE = '<script>alert(1)</script> "onload=alert(2) {{ 7*7 }}'
HOSTILE_TEXT = "<img src=x onerror=alert(3)> {{ 7*7 }} '\" onload=alert(4)"

ENTRIES = (
    ("vision", "digits", "image_classification", "Digits with a CNN"),
    ("text", "chars", "sequence_model", "Characters with an LSTM"),
    ("tutorials", "hostile", "custom_gradient", HOSTILE_TITLE),
    ("other", "served", "model_serving", "Serving a classifier"),
)


def png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def build_zoo(root: Path) -> Path:
    """`root/zoo` with the entries above, a figure, hostile metadata and a legacy folder."""
    zoo = root / "zoo"
    for category in ("vision", "text", "tutorials", "other"):
        (zoo / category).mkdir(parents=True, exist_ok=True)
    for category, slug, kind, title in ENTRIES:
        code = main(
            [
                "new", "--no-input", "--zoo", str(zoo),
                "--set", f"title={title}", "--set", f"slug={slug}", "--set", f"kind={kind}",
                "--set", f"category={category}", "--set", "author_name=A. Person",
                "--set", "created=2024-05-01",
            ]
        )  # fmt: skip
        assert code == 0
    digits = zoo / "vision" / "digits"
    (digits / "docs").mkdir()
    (digits / "docs" / "filters.png").write_bytes(png())
    readme = digits / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8")
        + "\n## Figures\n\n![The learned filters](docs/filters.png)\n\n"
        "See also [the LSTM tutorial](../../text/chars/) and [a missing file](nowhere.txt).\n"
        "Back to [the training](#training); [the LSTM's](../../text/chars/README.md#training).\n"
        "\n## Main\n\nA heading named like the page's own `main`.\n",
        encoding="utf-8",
    )
    hostile = zoo / "tutorials" / "hostile"
    meta = metadata.read(hostile)
    meta["description"] = HOSTILE_TEXT
    meta["tags"] = ["<b>bold</b>", '"onmouseover=alert(5)']
    meta["authors"] = ['"><script>alert(6)</script>']
    meta["expected_runtime"] = "{{ 7*7 }} <i>minutes</i>"
    meta["references"] = ["javascript:alert(7)", "https://example.org/paper?a=1&b=<2>"]
    meta["dataset"] = {"name": "<svg onload=alert(8)>", "source": "x", "license": "</dd><script>"}
    metadata.write(hostile, meta)
    (hostile / "README.md").write_text(
        f'# {HOSTILE_TITLE}\n\n<script>alert(9)</script>\n\n<img src="x" onerror="alert(10)">\n\n'
        '<h2 id="main">Raw</h2>\n\n'
        '[click](javascript:alert(11)) <a href="#" onclick="alert(12)">here</a>\n\n'
        '```julia\nf(x) = "</code></pre><script>alert(13)</script>"\n```\n',
        encoding="utf-8",
    )
    legacy = zoo / "other" / "fizzbuzz"
    legacy.mkdir()
    (legacy / "fizzbuzz.jl").write_text(
        "using Flux\n\nmodel = Chain(Dense(2 => 3, relu), Dense(3 => 1))\n", encoding="utf-8"
    )
    (legacy / "README.md").write_text(
        "# FizzBuzz\n\nFizzBuzz learned by a small network in Flux.\n", encoding="utf-8"
    )
    return zoo
