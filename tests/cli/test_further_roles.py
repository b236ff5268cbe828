"""Further roles (task.roles: 配合单位, 数据提供单位 …) seen by unit queries, and imported progress
notes that have no date and no unit, end to end."""

import json

from tests.cli.helpers import run, progress_json
from tests.helpers import write_table

AS_OF = "2022-01-15"
WIDE = {"COLUMNS": "200"}

ROLES_TABLE = """\
document:
  title: 配合单位表
  year: 2022
units:
  - name: 市发展改革局
  - name: 市财政局
  - name: 市审计局
  - name: 市统计局
  - name: 各县（市、区）政府
    kind: group
    members: [甲县政府]
  - name: 甲县政府
tasks:
  - id: 1
    text: 编制投资计划。
    lead: [市发展改革局]
    roles:
      配合单位: [市财政局, 市审计局]
      数据提供单位: [市统计局]
    deadline: 2022年6月底
    progress:
      - note: 已完成初稿。
  - id: 2
    text: 推进项目建设。
    lead: [市财政局]
    roles:
      配合单位: [各县（市、区）政府]
    deadline: 2022年12月底
"""


def _table(tmp_path):
    return str(write_table(tmp_path, ROLES_TABLE))


def _json(*args: str):
    result = run(*args, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_table_validates(tmp_path):
    result = run("validate", _table(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def test_dept_finds_a_task_through_a_further_role_with_its_label(tmp_path):
    path = _table(tmp_path)
    tasks = _json("dept", "市审计局", "-f", path)
    assert [(t["id"], t["role"], t["role_label"], t["via"]) for t in tasks] == [(1, "other", "配合单位", None)]
    assert tasks[0]["roles"] == {"配合单位": ["市财政局", "市审计局"], "数据提供单位": ["市统计局"]}
    # a unit leading one task and 配合 in none keeps lead first; a further role through a group
    assert [(t["id"], t["role"], t["role_label"], t["via"]) for t in _json("dept", "甲县政府", "-f", path)] == \
        [(2, "other", "配合单位", "各县（市、区）政府")]


def test_dept_shows_the_published_role_name_and_counts_it_with_responsible(tmp_path):
    result = run("dept", "市统计局", "-f", _table(tmp_path), "--as-of", AS_OF, env=WIDE)
    assert result.exit_code == 0, result.output
    assert "数据提供单位" in result.stdout
    assert "牵头 0 项, 责任 1 项" in result.stdout


def test_dept_role_other_filters(tmp_path):
    path = _table(tmp_path)
    assert [t["id"] for t in _json("dept", "市财政局", "-f", path, "--role", "other")] == [1]
    assert [t["id"] for t in _json("dept", "市财政局", "-f", path, "--role", "lead")] == [2]


def test_units_matrix_report_and_list_see_further_roles(tmp_path):
    path = _table(tmp_path)
    units = {u["name"]: u for u in _json("units", "-f", path)}
    assert (units["市审计局"]["lead"], units["市审计局"]["responsible"]) == (0, 1)
    matrix = run("matrix", "-f", path, "--format", "json")
    records = json.loads(matrix.stdout)
    assert {"unit": "市统计局", "document": None, "task": 1, "role": "other", "role_label": "数据提供单位", "via": None} in records
    text = run("matrix", "-f", path, env=WIDE)
    assert "(牵)/(责)=经由组, 配=配合单位, 数=数据提供单位" in text.stdout
    assert text.stdout.splitlines()[-1].split() == ["甲县政府", "(配)"]
    report = _json("report", "-f", path)
    audit = next(line for line in report["units"] if line["name"] == "市审计局")
    assert audit["responsible"]["open"] == 1 and audit["lead"]["open"] == 0
    assert [t["id"] for t in _json("list", "-f", path, "--unit", "市审计局")] == [1]


def test_an_undated_progress_note_without_a_unit(tmp_path):
    path = _table(tmp_path)
    task = _json("show", "1", "-f", path)
    assert task["progress"] == [progress_json(None, None, "已完成初稿。")]
    shown = run("show", "1", "-f", path, "--as-of", AS_OF, env=WIDE)
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.stdout.splitlines() if "已完成初稿。" in line)
    assert row.split("│")[1].strip() == "进展" and "—" not in row and ":" not in row
    assert "│ 配合单位     │ 市财政局            │\n│              │ 市审计局            │" in shown.stdout


def test_an_unknown_unit_in_a_further_role_is_reported_at_its_line(tmp_path):
    path = write_table(tmp_path, ROLES_TABLE.replace("配合单位: [市财政局, 市审计局]", "配合单位: [市财政局, 市审计厅]"))
    result = run("validate", str(path), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"{path}:18:20:" in result.stdout and "tasks[0].roles.配合单位[1]: '市审计厅' is not a known unit" in result.stdout


def test_export_keeps_the_further_role_columns_under_their_published_names(tmp_path):
    path = _table(tmp_path)
    result = run("export", "--format", "csv", "-f", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = result.stdout.lstrip("\ufeff").splitlines()
    assert rows[0] == "序号,工作任务,牵头单位,责任单位,配合单位,数据提供单位,完成时限,状态"
    assert rows[1].startswith("1,编制投资计划。,市发展改革局,,市财政局、市审计局,市统计局,2022年6月底,")
    assert rows[2].startswith("2,推进项目建设。,市财政局,,各县（市、区）政府,,2022年12月底,")
