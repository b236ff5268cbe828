"""JSON output: the view's payload, which is the stable contract scripts rely on."""

from __future__ import annotations

import json
from typing import Any

from dzshare_cli.render import Lang, View

#: What a float that orjson and the json module may write differently holds: one below 1e-4
#: (json `1e-05`, orjson `0.00001`, or `1e-7` for json's `1e-07`), or any in exponent form (both
#: write `e+` or `e-`). Text that merely holds them only costs the slower path. (Plain substring
#: tests: a regular expression over a 100,000-task answer costs more than orjson saves.)
_UNLIKE_FLOAT = (b"0.0000", b"e-", b"e+")


def to_json(view: View, lang: Lang) -> str:
    return dumps_indented(view.payload)


def dumps_indented(payload: Any) -> str:
    """`json.dumps(payload, ensure_ascii=False, indent=2)` and a newline, byte for byte.

    The json module indents in pure Python (a 100,000-task ledger's `due` spent most of its time
    there); orjson writes the same bytes in C for what dzshare's payloads hold: text, whole
    numbers, booleans, null, lists and objects with text keys, and ratios of counts. What it
    cannot write alike (a non-text key, an integer over 64 bits, a float below 1e-4 or in
    exponent form) takes the json module's path. A payload never holds NaN or infinity, which orjson would write as null.
    """
    try:
        import orjson  # noqa: PLC0415 - only JSON output needs it
    except ImportError:  # a build without it (orjson has wheels for the usual platforms)
        return _json_module(payload)
    try:
        written = orjson.dumps(payload, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError: a key, number or text it does not take
        return _json_module(payload)
    if any(mark in written for mark in _UNLIKE_FLOAT):
        return _json_module(payload)
    return written.decode() + "\n"


def _json_module(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
