"""Builders of the published tables that offices circulate as Word and Excel files (the corpus in
tests/fixtures/published/): built at test time rather than committed as binaries, with the
merged cells of the published layout. Texts and units are as published (sources in that README)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

#: 潍坊市2017年政务公开工作要点实施方案 (four rows of 一、(一)): 目标 and 任务 merged down the rows.
WEIFANG_ROWS = [
    ("围绕我市经济社会发展形势、国家宏观经济政策和全市相关经济政策执行落实情况，通过市政府例行新闻发布会、"
     "市政府新闻办新闻发布会、媒体采访、提供解读素材等形式及时宣传解读。", "市发改委牵头落实"),
    ("围绕出台促进就业规划、就业创业政策，加强就业创业政策信息公开，深入解读政策背景、依据、目标任务、"
     "涉及范围、落实情况等。", "市人社局牵头落实"),
    ("围绕稳健中性的货币政策、优化融资结构和信贷结构等信贷政策，加强金融政策信息公开，通过政策通报会、"
     "银企对接会等方式，加大货币和金融业改革发展政策的宣传和预期引导，及时准确将政策意图传递给市场，"
     "以政策解读的“透”赢得市场预期的“稳”。", "市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实"),
    ("加强财政政策信息公开，按月公开全市财政收支情况，解读财政收支增减变化情况及原因、预判财政收入走势，"
     "主动解释说明收支运行中可能引发社会关注的热点问题，引导社会各方面正确认识财政形势。", "市财政局牵头落实"),
]


def weifang_2017_zwgk(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("潍坊市2017年政务公开工作要点实施方案")
    table = document.add_table(rows=1 + len(WEIFANG_ROWS), cols=4)
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ("目标", "任务", "主要内容", "责任单位")):
        cell.text = name
    for row, (text, units) in zip(table.rows[1:], WEIFANG_ROWS):
        row.cells[2].text = text
        row.cells[3].text = units
    last = len(WEIFANG_ROWS)
    table.cell(1, 0).merge(table.cell(last, 0)).text = "一、以政务公开助力稳增长"
    table.cell(1, 1).merge(table.cell(last, 1)).text = "（一）加强预期引导"
    document.save(str(path))
    return path


#: 威海市商务局2017年政务公开重点工作实施方案: (具体要求, 责任科室（单位）, 完成时限); None = the
#: cell above is merged down over this row. The header row repeats where the next page begins.
WEIHAI_PAGE_1 = [
    ("加强组织领导，主要负责人年内至少听取 1 次政务公开工作汇报；政务公开列入部门分工，明确分管负责人并对外公布；"
     "及时调整政务公开领导小组。", "办公室牵头，各科室、单位配合", "11 月底前"),
    ("强化考核监督，政务公开纳入部门年度考核并实施，所占分值不低于 4%。", "政工科牵头，办公室配合", None),
    ("全面落实“五公开 ”工作机制，把“ 五公开”纳入办文程序，加强公文公开属性管理，规范发布程序和渠道，"
     "从源头上解决公开属性的认定问题。", "办公室牵头，各科室、单位配合", "11 月底前"),
    ("局机关各网站栏目信息更新及时、准确，不发生严重错误（包括严重错别字、虚假或伪造内容、反动、色情、暴力内容等）；"
     "网站无空白栏目；网站链接可正常访问。", "各科室、单位", "11 月底前"),
    ("进一步发挥政务新媒体作用，每个工作日政务微博、微信发布信息数不少于 3 条。", "办公室牵头，各科室、单位配合", "11 月底前"),
    ("建立例行新闻发布会制度，设立新闻发言人，定期举办新闻发布会。", "办公室牵头，各科室、单位配合", "11 月底前"),
]
WEIHAI_PAGE_2 = [
    ("定期向档案馆、图书馆等公共查阅场所报送政府信息。", "办公室", "11 月底前"),
    ("主动公开并及时更新信息公开指南。按时发布政府信息公开年度报告（3 月底前）。", "办公室", "11 月底前"),
]
WEIHAI_HEADER = ("序号", "工作任务", "具体要求", "责任科室（单位）", "完成时限")


def weihai_swj_2017_zwgk(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("威海市商务局2017年政务公开重点工作实施方案")
    rows = [WEIHAI_HEADER, *[("", "", *r) for r in WEIHAI_PAGE_1], WEIHAI_HEADER,
            *[("", "", *r) for r in WEIHAI_PAGE_2]]
    table = document.add_table(rows=len(rows), cols=5)
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            if value is not None:
                cell.text = value
    # 1 基础建设 over rows 1-3, 2 平台建设 over rows 4-6 and again, on the next page, rows 8-9.
    for first, last, number, name in ((1, 3, "1", "基础建设"), (4, 6, "2", "平台建设"), (8, 9, "2", "平台建设")):
        table.cell(first, 0).merge(table.cell(last, 0)).text = number
        table.cell(first, 1).merge(table.cell(last, 1)).text = name
    table.cell(1, 4).merge(table.cell(2, 4)).text = "11 月底前"  # one deadline cell for two rows
    document.save(str(path))
    return path


#: 济南市市中区2019年第二季度《政府工作报告》主要工作任务落实情况表: one row per unit's progress,
#: 序号, 主要任务 and 责任单位 merged down over them.
JINAN_SHIZHONG_TASKS = [
    ("1", "重点打造儒商总部大厦特色楼宇。", "区投促局、\n大观园街道办事处", [
        "区投促局：对楼宇信息全面掌握，已开始针对楼宇行业特色进行重点推介。",
        "大观园街道办事处：目前项目竣工手续完备，已具备开业条件。目前楼内有4家公司正在进行装修，分别为泰康人寿2000平，"
        "永达理保险经济1500平，邦成合兴企业咨询400平，聚力金服500平。招商方向主要为金融、保险类公司为主。"
        "济南铁路烟草公司、济南铁路广告公司和中国建设银行铁道支行已明确入驻，正在签约中。"]),
    ("2", "重点打造国华时代广场特色楼宇。", "区投促局、\n舜耕街道办事处", [
        "区投促局：对楼宇信息全面掌握，已开始针对楼宇行业特色进行重点推介。",
        "舜耕街道办事处：已联合区投促局、山东国华成立招商小组，制定了下一步时代广场重点招商的政策计划。"]),
    ("3", "重点打造绿地科创大厦特色楼宇。", "区科技局、\n投促局、\n十六里河街道办事处", [
        "区科技局：就加快绿地科创大厦特色楼宇建设与市中控股、山东绿中商办资产运用管理有限公司进行多次对接，"
        "落实目标任务与责任分工，预计大厦今年6月底前即可完工，7月上旬交付使用，并提前就大厦功能区划分作了初步研究与设计；"
        "目前已与齐鲁新经济研究院等一批项目达成入驻计划协议或意向。",
        "区投促局：对楼宇信息全面掌握，已开始针对楼宇行业特色进行重点推介。"]),
]


def jinan_shizhong_2019q2(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.append(["2019年第二季度《政府工作报告》主要工作任务落实情况表"])
    sheet.merge_cells("A1:D1")
    sheet.append(["（二季度）"])
    sheet.merge_cells("A2:D2")
    sheet.append(["序号", "主要任务", "进展情况", "责任单位"])
    for number, text, units, notes in JINAN_SHIZHONG_TASKS:
        first = sheet.max_row + 1
        for index, note in enumerate(notes):
            sheet.append([number, text, note, units] if index == 0 else [None, None, note, None])
        last = sheet.max_row
        for column in "ABD":
            sheet.merge_cells(f"{column}{first}:{column}{last}")
        sheet[f"D{first}"].alignment = Alignment(wrap_text=True)
    book.save(path)
    return path


#: 2021年重大民生实事项目目标任务责任分解表 (常州市钟楼区), items 1-3: (序号, 项目名称, [(主要内容,
#: 区政府分管领导, 牵头单位, 配合单位 one per line)]). An item with two 主要内容 rows has its 序号
#: and 项目名称 merged down over them; each row has its own leader and units.
ZHONGLOU_ITEMS = [
    ("1", "增加教育资源供给", [
        ("实施新建、改扩建学校重点建设项目12个，计划竣工3个，其中幼儿园7个、小学4个、初中1个；增加学位5000个，"
         "其中幼儿园420个，中小学4580个。", "何海平", "教育局", "经开区\n高新园（邹区镇）\n各街道\n市国有公司")]),
    ("2", "促进就业稳定增长", [
        ("落实就业优先战略。全区城镇新增就业15000人，失业人员再就业5800人，新增参保大学生5400人，"
         "城乡“零就业家庭”动态清零，城镇登记失业率控制在3%以内；支持成功自主创业2000人，支持大学生创业240人；"
         "开展职业技能补贴培训10000人次。", "何海平", "人社局", "高新园（邹区镇）\n各街道")]),
    ("3", "老城厢复兴发展", [
        ("完成瞿秋白纪念馆整体提升工程对外开放，完成常州盛宣怀故居（本体）修缮展陈。", "何海平", "文体旅局",
         "晋陵公司\n轨道公司"),
        ("推进大庙弄核心区改造、瞿秋白纪念馆周边立面整治及三堡街、西横街、民元里、邮电路、北大街等老城厢道路整治。",
         "芮春祥", "住建局", "五星街道\n南大街街道\n荷花池街道")]),
]
ZHONGLOU_HEADER = ("序号", "项目名称", "主要内容", "区政府分管领导", "牵头单位", "配合单位")


def zhonglou_2021_msss(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("2021年重大民生实事项目目标任务责任分解表")
    rows = [(number, name, *row) for number, name, item_rows in ZHONGLOU_ITEMS for row in item_rows]
    table = document.add_table(rows=1 + len(rows), cols=len(ZHONGLOU_HEADER))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ZHONGLOU_HEADER):
        cell.text = name
    for row, values in zip(table.rows[1:], rows):
        for column in range(2, len(ZHONGLOU_HEADER)):
            row.cells[column].text = values[column]
    first = 1
    for number, name, item_rows in ZHONGLOU_ITEMS:
        last = first + len(item_rows) - 1
        for column, value in ((0, number), (1, name)):
            cell = table.cell(first, column) if first == last else table.cell(first, column).merge(table.cell(last, column))
            cell.text = value
        first = last + 1
    document.save(str(path))
    return path


#: The built sources, by the `source:` name their expectation file gives.
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "weifang_2017_zwgk.docx": weifang_2017_zwgk,
    "weihai_swj_2017_zwgk.docx": weihai_swj_2017_zwgk,
    "jinan_shizhong_2019q2.xlsx": jinan_shizhong_2019q2,
    "zhonglou_2021_msss.docx": zhonglou_2021_msss,
}
