"""Every listing command at COLUMNS=80 and 200: no line wider than the terminal, no unit name or
goal of the bundled table split across lines."""

import json

import pytest
from rich.cells import cell_len

from tests.cli.helpers import run

AS_OF = "2022-01-15"
COMMANDS = {
    "list": ["list"],
    "due": ["due", "--by", "2022-06"],
    "dept": ["dept", "审批局"],
    "units": ["units"],
    "matrix": ["matrix"],
    "show": ["show", "5"],
    "report": ["report"],
}


def _shown_names(name: str, data) -> set[str]:
    """The unit names and goals the command's table shows, read from its JSON."""
    if name in ("list", "show"):
        tasks = [data] if isinstance(data, dict) else data
        names = {unit for task in tasks for unit in task["lead"] + task["responsible"]}
        return names | {m["goal"] for task in tasks for m in task["milestones"] if m["goal"]}
    if name == "due":
        return ({unit for task in data for unit in task["lead"]}
                | {m["goal"] for task in data for m in task["milestones"] if m["goal"]})
    if name == "dept":
        return {task["via"] for task in data if task["via"]}
    if name == "units":
        return {unit["name"] for unit in data}
    if name == "matrix":
        return {record["unit"] for record in data}
    return ({unit for item in data["overdue"] for unit in item["lead"]}
            | {line["name"] for line in data["named"]})


@pytest.mark.parametrize("columns", [70, 72, 80, 200])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_tables_fit_the_terminal_and_keep_names_whole(name, lang, columns):
    args = [*COMMANDS[name], "--lang", lang] + ([] if name == "matrix" else ["--as-of", AS_OF])
    result = run(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    names = _shown_names(name, json.loads(run(*args, "--format", "json").stdout))
    assert names  # the check below checks something
    for whole in names:
        assert whole in result.stdout, whole


def test_matrix_at_80_columns_was_148_wide_and_now_fits():
    narrow = run("matrix", env={"COLUMNS": "80"}).stdout.splitlines()
    wide = run("matrix", env={"COLUMNS": "200"}).stdout.splitlines()
    assert max(map(cell_len, narrow)) <= 80 < max(map(cell_len, wide))
