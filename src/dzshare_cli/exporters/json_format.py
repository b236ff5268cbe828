"""JSON output: the view's payload, which is the stable contract scripts rely on."""

from __future__ import annotations

import json

from dzshare_cli.render import Lang, View


def to_json(view: View, lang: Lang) -> str:
    return json.dumps(view.payload, ensure_ascii=False, indent=2) + "\n"
