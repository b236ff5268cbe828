"""The table's models (models.py): structured progress notes as a reporting form leaves them."""

from __future__ import annotations

from datetime import date

import pytest

from dzshare_cli.digest import table_data, table_from_data
from dzshare_cli.errors import TableError
from dzshare_cli.loader import load_table
from dzshare_cli.models import Reported
from dzshare_cli.records import progress_record
from dzshare_cli.render import Lang, note_text
from tests.helpers import write_table

HEAD = """document:
  title: 测试
tasks:
  - id: 1
    text: 做事
    lead: [市财政局]
    deadline: 2022年6月底
    progress:
"""

FULL_NOTE = """      - date: 2022-06-01
        unit: 市财政局
        note: 已上线
        milestone: 1
        status: done
        done_on: 2022-05-20
        evidence: 上线通知
        problems: 无
        reporter: 张三
"""


def test_a_structured_note_loads_and_says_everything_in_json(tmp_path):
    note = load_table(write_table(tmp_path, HEAD + FULL_NOTE)).tasks[0].progress[0]
    assert note.status is Reported.DONE and note.done_on == date(2022, 5, 20)
    assert progress_record(note) == {
        "date": "2022-06-01", "unit": "市财政局", "note": "已上线", "milestone": 1, "period": None,
        "status": "done", "done_on": "2022-05-20", "evidence": "上线通知", "problems": "无", "reporter": "张三"}
    assert note_text(note, Lang.ZH) == "市财政局: 已上线 · 节点 1 · 已完成 · 完成于 2022-05-20 · 佐证材料: 上线通知 · " \
                                      "存在问题: 无 · 填报人: 张三"


def test_a_plain_note_has_every_key_null(tmp_path):
    note = load_table(write_table(tmp_path, HEAD + "      - note: 已启动\n")).tasks[0].progress[0]
    assert progress_record(note) == {"date": None, "unit": None, "note": "已启动", "milestone": None, "period": None,
                                     "status": None, "done_on": None, "evidence": None, "problems": None,
                                     "reporter": None}


@pytest.mark.parametrize(("label", "status"), [("已完成", Reported.DONE), ("推进中", Reported.IN_PROGRESS),
                                               ("未启动", Reported.NOT_STARTED), ("无法按期完成", Reported.CANNOT_MEET)])
def test_the_forms_own_words_are_accepted_as_status(tmp_path, label, status):
    note = load_table(write_table(tmp_path, HEAD + f"      - note: x\n        status: {label}\n")).tasks[0].progress[0]
    assert note.status is status


@pytest.mark.parametrize(("extra", "line", "says"), [
    ("        status: in_progress\n        done_on: 2022-05-20\n", 9, "done_on is given but status is not done"),
    ("        milestone: 1\n        period: 2022-06\n", 9, "a milestone or a period, not both"),
    ("        status: finished\n", 10, "'done', 'in_progress', 'not_started' or 'cannot_meet'"),
])
def test_a_contradictory_note_is_an_error_at_its_line(tmp_path, extra, line, says):
    path = write_table(tmp_path, HEAD + "      - note: x\n" + extra)
    with pytest.raises(TableError) as raised:
        load_table(path)
    problem = raised.value.problems[0]
    assert problem.line == line and says in problem.message


def test_a_structured_note_survives_the_cache(tmp_path):
    table = load_table(write_table(tmp_path, HEAD + FULL_NOTE))
    again = table_from_data(table_data(table))
    assert again.tasks[0].progress == table.tasks[0].progress
