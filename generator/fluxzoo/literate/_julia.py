"""The few Julia and JSON.jl behaviours Literate's output depends on, reproduced exactly.

- `rstrip`/`eachline`: Julia's notion of whitespace and line splitting.
- `dict_order`: the iteration order of a `Dict` with `String` keys (Julia 1.6-1.12 hash strings
  with MurmurHash3 x64-128 seeded by `memhash_seed`; a Dict iterates in slot order). Literate
  builds notebooks from `Dict`s and JSON.jl 0.21 prints them in that order, which is why every
  Literate notebook starts with `"cells"` and ends with `"nbformat"`.
- `json_print`: `JSON.print(io, x, 1)` of JSON.jl 0.21 and 1.x (escaping, number format, the key
  order of `Dict`s and of `JSON.Object`s, the final newline that only 0.21 writes).
- `ends_with_semicolon`: the REPL heuristic Literate uses to append `nothing #hide`.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

_SPACE = (
    " \t\n\x0b\x0c\r\x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u202f\u205f\u3000"
)
"""Julia's `isspace`: ASCII space and tab..CR, NEL, and Unicode category Zs."""

HSPACE_CHARS = (
    " \t\xa0\u1680\u180e" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
)
"""PCRE's `\\h` (horizontal whitespace), for `str.lstrip`."""
HSPACE = f"[{re.escape(HSPACE_CHARS)}]"
"""`HSPACE_CHARS` as a Python character class."""


def rstrip(s: str) -> str:
    return s.rstrip(_SPACE)


def isspace(c: str) -> bool:
    return c in _SPACE


def eachline(s: str) -> list[str]:
    """`collect(eachline(IOBuffer(s)))`: split on LF, no final empty line, `\\r\\n` chomped."""
    if not s:
        return []
    lines = s.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def uppercasefirst(s: str) -> str:
    """Julia's `uppercasefirst`: the first character's single-character titlecase mapping."""
    if not s:
        return s
    title = s[0].title()
    return (title if len(title) == 1 else s[0]) + s[1:]


def ends_with_semicolon(line: str) -> bool:
    """`REPL.ends_with_semicolon` (Julia 1.6-1.11): a `;` followed only by space or comments."""
    at = line.rfind(";")
    if at < 0:
        return False
    comment = comment_start = comment_close = False
    comment_multi = 0
    for c in line[at + 1 :]:
        if comment_multi > 0:
            if comment_close and c == "#":
                comment_close = False
                comment_multi -= 1
            elif comment_start and c == "=":
                comment_start = False
                comment_multi += 1
            else:
                comment_start = c == "#"
                comment_close = c == "="
        elif comment:
            if c in "\r\n":
                comment = False
        elif comment_start:
            comment_start = False
            if c == "=":
                comment_multi = 1
            else:
                comment = True
        elif c == "#":
            comment_start = True
        elif not isspace(c):
            return False
    return True


# -- Dict iteration order ------------------------------------------------------------------

_M64 = (1 << 64) - 1
_MEMHASH_SEED = 0x71E729FD56419C81


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _M64


def _fmix(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & _M64
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & _M64
    return k ^ (k >> 33)


def _murmur3_x64_128_high(data: bytes, seed: int) -> int:
    """Second half of MurmurHash3_x64_128, which Julia's `memhash_seed` returns."""
    c1, c2 = 0x87C37B91114253D5, 0x4CF5AD432745937F
    n = len(data)
    h1 = h2 = seed
    nblocks = n // 16
    for i in range(nblocks):
        k1 = int.from_bytes(data[16 * i : 16 * i + 8], "little")
        k2 = int.from_bytes(data[16 * i + 8 : 16 * i + 16], "little")
        h1 ^= (_rotl((k1 * c1) & _M64, 31) * c2) & _M64
        h1 = (((_rotl(h1, 27) + h2) & _M64) * 5 + 0x52DCE729) & _M64
        h2 ^= (_rotl((k2 * c2) & _M64, 33) * c1) & _M64
        h2 = (((_rotl(h2, 31) + h1) & _M64) * 5 + 0x38495AB5) & _M64
    tail = data[16 * nblocks :]
    if len(tail) > 8:
        h2 ^= (_rotl((int.from_bytes(tail[8:], "little") * c2) & _M64, 33) * c1) & _M64
    if tail:
        h1 ^= (_rotl((int.from_bytes(tail[:8], "little") * c1) & _M64, 31) * c2) & _M64
    h1 ^= n
    h2 ^= n
    h1 = (h1 + h2) & _M64
    h2 = (h2 + h1) & _M64
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _M64
    return (h2 + h1) & _M64


@lru_cache(maxsize=4096)
def string_hash(s: str) -> int:
    """`hash(s::String)` in Julia 1.6-1.12 on 64-bit machines."""
    h = _MEMHASH_SEED
    return (_murmur3_x64_128_high(s.encode("utf-8"), h & 0xFFFFFFFF) + h) & _M64


def _tablesz(n: int) -> int:
    return 16 if n < 16 else 1 << (n - 1).bit_length()


def dict_order(keys: list[str]) -> list[str]:
    """The order a new `Dict` iterates `keys` in after inserting them in this order."""
    slots: list[str | None] = [None] * 16
    for count, key in enumerate(keys, start=1):
        _place(slots, key)
        if count * 3 > len(slots) * 2:  # more than 2/3 full: Julia rehashes in slot order
            grown: list[str | None] = [None] * _tablesz(count * 2 if count > 64000 else count * 4)
            for old in slots:
                if old is not None:
                    _place(grown, old)
            slots = grown
    return [k for k in slots if k is not None]


def _place(slots: list[str | None], key: str) -> None:
    """Linear probing from the hash's slot, as Julia's `Dict` does."""
    mask = len(slots) - 1
    i = string_hash(key) & mask
    while slots[i] is not None:
        if slots[i] == key:
            return
        i = (i + 1) & mask
    slots[i] = key


# -- JSON.jl 0.21 printing -----------------------------------------------------------------

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_ESCAPE_TABLE = {
    i: _ESCAPES.get(chr(i), f"\\u{i:04x}") for i in [*range(0x20), 0x7F, ord('"'), ord("\\")]
}


def json_string(s: str) -> str:
    return '"' + s.translate(_ESCAPE_TABLE) + '"'


def julia_float(x: float) -> str:
    """`print(x::Float64)`: shortest round-trip digits, exponent form outside [1e-4, 1e6)."""
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    digits, exponent = _shortest_digits(abs(x))
    if -4 <= exponent < 6:
        if exponent >= 0:
            whole = digits[: exponent + 1].ljust(exponent + 1, "0")
            frac = digits[exponent + 1 :] or "0"
        else:
            whole, frac = "0", "0" * (-exponent - 1) + digits
        return f"{sign}{whole}.{frac}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}e{exponent}"


def _shortest_digits(x: float) -> tuple[str, int]:
    """Significant digits and decimal exponent of `repr(x)` (the shortest round-trip form)."""
    text = repr(x)
    mant, _, exp = text.partition("e")
    whole, _, frac = mant.partition(".")
    exponent = int(exp) if exp else 0
    digits = (whole + frac).lstrip("0")
    exponent += len(whole) - 1 - (len(whole + frac) - len((whole + frac).lstrip("0")))
    return digits.rstrip("0") or "0", exponent


class JSONObject(dict):  # type: ignore[type-arg]
    """An object JSON.jl 1.x parsed (`JSON.Object`): written in its insertion order."""


def json_print(
    value: Any, step: int = 1, *, sort_dicts: bool = False, final_newline: bool = True
) -> str:
    """`JSON.print(io, value, step)`: pretty JSON with JSON.jl's escapes and number format.

    A plain dict stands for a Julia `Dict`: its keys are sorted (`sort_dicts`, JSON.jl 1.5 and
    later) or in `Dict` iteration order; a `JSONObject` keeps its order. JSON.jl 0.21 ends the
    text with a newline (`final_newline`), 1.x does not.
    """
    out: list[str] = []
    _write(value, out, step, 0, sort_dicts)
    if final_newline:
        out.append("\n")
    return "".join(out)


def _keys(value: dict[str, Any], sort_dicts: bool) -> list[str]:
    if isinstance(value, JSONObject):
        return list(value)
    return sorted(value) if sort_dicts else dict_order(list(value))


def _write(value: Any, out: list[str], step: int, level: int, sort_dicts: bool) -> None:
    if isinstance(value, str):
        out.append(json_string(value))
    elif value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(julia_float(value) if math.isfinite(value) else "null")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + step)
        out.append("{")
        for n, key in enumerate(_keys(value, sort_dicts)):
            out.append(("," if n else "") + inner + json_string(key) + ": ")
            _write(value[key], out, step, level + step, sort_dicts)
        out.append("\n" + " " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + step)
        out.append("[")
        if all(type(item) is str for item in value):  # a cell's source lines
            out.append(inner + ("," + inner).join(map(json_string, value)))
            out.append("\n" + " " * level + "]")
            return
        for n, item in enumerate(value):
            out.append(("," if n else "") + inner)
            _write(item, out, step, level + step, sort_dicts)
        out.append("\n" + " " * level + "]")
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")
