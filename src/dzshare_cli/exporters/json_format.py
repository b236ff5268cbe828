"""JSON output: the view's payload, which is the stable contract scripts rely on."""

from __future__ import annotations

import json
import re
from typing import Any

from dzshare_cli.render import Lang, View

#: Where orjson and the json module may write a float differently: below 1e-4 (json `1e-05`,
#: orjson 3.13 `0.00001`) or in exponent form at all. Text that merely looks like one only costs
#: the slower path.
_UNLIKE_FLOAT = re.compile(rb"0\.0000|[0-9][eE][-+]?[0-9]")


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
    if _UNLIKE_FLOAT.search(written):
        return _json_module(payload)
    return written.decode() + "\n"


def _json_module(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
