"""JSON output is json.dumps(indent=2)'s bytes, whichever encoder writes them."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzshare_cli.exporters import json_format
from dzshare_cli.exporters.json_format import dumps_indented


def reference(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


class Outcome(str, Enum):
    OVERDUE = "overdue"


class Level(int, Enum):
    HIGH = 3


leaves = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text()
          | st.sampled_from([Outcome.OVERDUE, Level.HIGH, "市财政局", "\x00\x1f\x7f\u2028\"\\/", ""]))
payloads = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)


@settings(max_examples=400)
@given(payloads)
def test_the_same_bytes_as_the_json_module(payload: Any) -> None:
    assert dumps_indented(payload) == reference(payload)


@pytest.mark.parametrize("payload", [
    {1: "a non-text key"}, [2**64], [1e-05], [3.3333333333333335e-05], [1e16], [1e22],
    {"rate": 0.6666666666666666, "text": "written 1e-5 in a note"},
], ids=repr)
def test_what_orjson_writes_otherwise_takes_the_json_modules_path(payload: Any) -> None:
    assert dumps_indented(payload) == reference(payload)


def test_the_json_module_answers_when_orjson_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def without_orjson(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "orjson":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_orjson)
    payload = [{"document": "dz2021", "id": 1, "title": "市财政局"}]
    assert json_format.dumps_indented(payload) == reference(payload)


def test_a_lone_surrogate_is_left_to_the_json_module() -> None:
    # orjson refuses it; the json module writes it, and writing it to stdout then fails as before
    assert dumps_indented(["\udc80"]) == reference(["\udc80"])
