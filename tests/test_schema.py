"""The JSON Schema of the table format: valid, kept in the repository, and it accepts our table."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from dzshare_cli.models import table_schema

ROOT = Path(__file__).resolve().parents[1]
STORED = ROOT / "schema" / "tasks.schema.json"


def test_stored_schema_is_current():
    assert json.loads(STORED.read_text(encoding="utf-8")) == table_schema(), \
        "run `dzshare schema > schema/tasks.schema.json`"


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(table_schema())


def test_bundled_table_passes_the_schema():
    data = yaml.safe_load((ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(table_schema()).validate(data)


def test_bundled_table_names_the_schema_for_editors():
    first_line = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/tasks.schema.json"


@pytest.mark.parametrize("mutate", [
    lambda data: data["tasks"][0].update(deadine="2021年9月底"),
    lambda data: data["tasks"][0].update(lead="市财政局"),
    lambda data: data["document"].update(year="2021"),
])
def test_schema_rejects_what_validate_rejects(mutate):
    data = yaml.safe_load((ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(table_schema()).validate(data)
