"""Bytes → text: BOMs, declared charsets, legacy encodings (charset-normalizer), binaries."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from unspin.errors import InputError

__all__ = ["decode_bytes", "looks_binary"]

# Share of control bytes (other than whitespace) above which content is not text.
BINARY_CONTROL_RATIO = 0.05


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is not text in any encoding: NUL bytes or many control bytes."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > BINARY_CONTROL_RATIO


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode ``data`` to text: BOM, then the declared charset, UTF-8, then detection.

    Raises:
        InputError: the content is binary or in no encoding that can be detected.
    """
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if looks_binary(data):
        raise InputError(source, "binary file: not text, HTML, a feed, WARC or JSONL")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "cannot detect the text encoding")
    return str(best)
