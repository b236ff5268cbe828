"""The bundled table: all 18 published tasks, verbatim, with their units and deadlines pinned."""

from datetime import date

from tests.helpers import FIXTURES

CITY = "市直相关部门"
TOWNS = "各乡镇(街道)"
MECHANISM = "市政务数据共享协调机制"
APPROVAL = "市行政审批局"

# (序号, 牵头单位, 责任单位, 完成时限) as published.
PUBLISHED = [
    (1, [APPROVAL], [CITY], "2021年9月底"),
    (2, [CITY], [], "2021年9月底"),
    (3, [MECHANISM], [CITY, TOWNS], "2021年12月底"),
    (4, ["市委办公室", "市政府办公室"], [CITY, TOWNS], "长期推进"),
    (5, [MECHANISM], [CITY], "2021年12月底取得阶段成效;2022年10月底基本建成"),
    (6, [MECHANISM], [CITY], "长期推进;2021年12月底取得阶段成效"),
    (7, [MECHANISM], [CITY], "长期推进"),
    (8, [MECHANISM], [CITY], "长期推进;2021年12月底取得阶段成效"),
    (9, [CITY], [], "长期推进;2022年6月底取得明显成效"),
    (10, [CITY], [], "长期推进;2022年6月底取得明显成效"),
    (11, ["市发展改革局"], ["市委网信办", APPROVAL, "市科学技术局", "各相关部门"], "长期推进"),
    (12, [APPROVAL], [CITY], "长期推进;2022年6月底取得明显成效"),
    (13, [APPROVAL], [CITY], "2022年9月底"),
    (14, [CITY], [], "2022年6月底取得阶段成效"),
    (15, [CITY], [], "长期推进"),
    (16, ["市财政局"], [], "长期推进"),
    (17, [APPROVAL], [CITY, TOWNS], "长期推进"),
    (18, [APPROVAL, "市纪委监委", "督查室"], [CITY, TOWNS], "长期推进"),
]


def _published_texts() -> dict[int, str]:
    """序号 -> 工作任务 read from the published table's text dump (cells split by '|')."""
    raw = (FIXTURES / "published_table.txt").read_text(encoding="utf-8")
    cells = ["".join(cell.split()) for cell in raw.split("|")]
    return {int(cells[i]): cells[i + 1] for i in range(len(cells) - 1)
            if cells[i].isdigit() and 1 <= int(cells[i]) <= 18 and len(cells[i + 1]) > 10}


def test_document_header(table):
    assert table.document.title == "关于建立健全政务数据共享协调机制加快推进数据有序共享的重点任务责任分工"
    assert table.document.attachment == "附件2"
    assert table.document.issuer == "定州市人民政府办公室"
    assert table.document.year == 2021


def test_ids_units_and_deadlines_as_published(table):
    got = [(t.id, t.lead, t.responsible, t.deadline.text) for t in table.tasks]
    assert got == PUBLISHED


def test_texts_are_verbatim(table):
    published = _published_texts()
    assert len(published) == 18
    for task in table.tasks:
        assert task.text == published[task.id], f"task {task.id} differs from the published text"


def test_titles_are_short_summaries(table):
    for task in table.tasks:
        assert task.title and len(task.title) <= 20


def test_milestones_of_multi_step_deadlines(table):
    five = table.task("5").deadline
    assert (five.ongoing, [(m.due, m.goal) for m in five.milestones]) == (
        False, [(date(2021, 12, 31), "取得阶段成效"), (date(2022, 10, 31), "基本建成")])
    nine = table.task("9").deadline
    assert (nine.ongoing, [(m.due, m.goal) for m in nine.milestones]) == (
        True, [(date(2022, 6, 30), "取得明显成效")])


def test_ongoing_only_tasks(table):
    ongoing_only = [t.id for t in table.tasks if t.deadline.ongoing and not t.deadline.milestones]
    assert ongoing_only == [4, 7, 11, 15, 16, 17, 18]
