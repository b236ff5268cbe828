"""The site's html pieces: the page frame (header, navigation, as-of date and version on every
page), lights and state badges shown by colour, shape and text, links relative to the page,
the filter box, and the words (Chinese, or English with --lang en)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from dzshare_cli import __version__
from dzshare_cli.query import MilestoneStatus, State, earliest_open
from dzshare_cli.render import Lang, fill, state_text, status_text
from dzshare_cli.site.assets import CSS, FILTER_JS
from dzshare_cli.site.model import STATE_LIGHTS, Light, SiteModel, TableVersion

WORDS: dict[str, tuple[str, str]] = {
    "skip": ("跳到正文", "Skip to content"),
    "nav": ("站点导航", "Site"),
    "overview": ("亮灯总览", "Overview"),
    "all_tasks": ("全部任务", "All tasks"),
    "documents": ("各文件", "Documents"),
    "timeline": ("时间轴", "Timeline"),
    "as_of": ("截至 {day}", "as of {day}"),
    "version_git": ("版本 {commit}", "version {commit}"),
    "version_dirty": ("版本 {commit}(含未提交的修改,内容 {content})", "version {commit} (with uncommitted changes, content {content})"),
    "version_content": ("内容版本 {content}", "content version {content}"),
    "made_by": ("由 dzshare {version} 生成 · 静态页面,无需联网", "Made by dzshare {version} · a static site, no network needed"),
    "filter": ("筛选", "Filter"),
    "filter_text": ("查找", "Search"),
    "filter_state": ("灯色 / 状态", "Light / state"),
    "filter_unit": ("单位", "Unit"),
    "filter_all": ("全部", "All"),
    "filter_count_units": ("显示 {shown} / {total} 个单位", "showing {shown} of {total} units"),
    "filter_count_tasks": ("显示 {shown} / {total} 项任务", "showing {shown} of {total} tasks"),
    "lede": ("亮灯督办 · 截至 {day} · {units} 个单位中红灯 {red} 个、黄灯 {yellow} 个",
             "Traffic lights as of {day} · of {units:unit}, {red} red and {yellow} yellow"),
    "lede_groups": ("另有 {groups} 个组,其事项计入各成员单位(见下方各组)", "besides {groups:group}, whose work counts "
                    "for each of their members (see Groups)"),
    "groups": ("各组", "Groups"),
    "groups_rule": ("组不是单独的单位:交给组的事项计入它的每个成员单位,上面的亮灯和单位数不含组。",
                    "A group is not a unit of its own: work given to it counts for each of its members, and "
                    "the lights and unit counts above leave groups out."),
    "group": ("组", "Group"),
    "n_members": ("成员单位数", "Members"),
    "unit_lights": ("各单位亮灯情况", "Units by light"),
    "legend": ("红灯:牵头或承担的事项有节点逾期;黄灯:有节点在 {soon} 天内到期;绿灯:未完成事项均按期推进;"
               "无未完成事项:节点均已完成或没有任务。经由组(如 市直相关部门)承担的事项计入各成员单位。",
               "Red: the unit leads or holds overdue work; yellow: a milestone is due within {soon} days; "
               "green: open work on track; nothing open: every milestone done, or no task. Work given to a "
               "group counts for each of its members."),
    "light": ("灯", "Light"),
    "unit": ("单位", "Unit"),
    "n_overdue": ("逾期节点", "Overdue"),
    "n_due_soon": ("即将到期", "Due soon"),
    "n_open": ("未完成节点", "Open milestones"),
    "n_open_tasks": ("未完成任务", "Open tasks"),
    "n_units": ("{count} 个单位", "{count:unit}"),
    "totals": ("节点统计", "Milestones by state"),
    "documents_part": ("各文件情况", "Documents"),
    "document": ("文件", "Document"),
    "document_title": ("文件名称", "Title"),
    "overdue": ("逾期事项", "Overdue milestones"),
    "no_overdue": ("截至 {day} 没有逾期的节点。", "Nothing is overdue as of {day}."),
    "task": ("任务", "Task"),
    "id": ("序号", "ID"),
    "title": ("工作任务", "Task"),
    "due": ("节点时限", "Due"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "lead": ("牵头单位", "Lead units"),
    "responsible": ("责任单位", "Responsible units"),
    "deadline": ("完成时限", "Deadline"),
    "milestones": ("节点与状态", "Milestones"),
    "state": ("状态", "State"),
    "named": ("拟通报单位", "Units to be named"),
    "named_rule": ("与 dzshare report 的拟通报单位一致:自身牵头的逾期节点最多的单位。",
                   "As dzshare report names them: the units that themselves lead the most overdue milestones."),
    "named_rule_groups": ("由组(如 {group})牵头的事项不计入其成员单位。",
                          "Work led by a group (such as {group}) is not counted against its members."),
    "led_overdue": ("牵头逾期节点", "Overdue milestones led"),
    "timeline_svg": ("下载时间轴图片(SVG)", "Download the timeline (SVG)"),
    "timeline_alt": ("时间轴:每项任务一行,节点按月份标出,颜色与形状表示状态", "Timeline: a row per task, milestones on a month axis, coloured and shaped by state"),
    "unit_kind": ("类型:{kind}", "Kind: {kind}"),
    "members": ("成员单位", "Members"),
    "member_of": ("所属组", "Groups it belongs to"),
    "unit_counts": ("共 {tasks} 项任务 · 未完成节点 {open} 个,其中逾期 {overdue} 个、即将到期 {soon} 个",
                    "{tasks:task} · {open:open milestone}, {overdue} overdue, {soon} due soon"),
    "downloads": ("下载本单位事项", "Download this unit's work"),
    "download_ics": ("日历(ICS,可导入手机或 Outlook)", "Calendar (ICS)"),
    "download_xlsx": ("表格(xlsx)", "Spreadsheet (xlsx)"),
    "group_downloads": ("组的事项已列入各成员单位的下载文件。", "A group's work is in each member's downloads."),
    "role_lead": ("牵头的任务", "Tasks it leads"),
    "role_responsible": ("承担(责任、配合)的任务", "Tasks it is responsible for"),
    "role_via": ("经由组承担的任务", "Tasks through its groups"),
    "no_tasks": ("没有任务。", "No tasks."),
    "progress": ("进展情况", "Progress notes"),
    "progress_own": ("本单位报送", "Sent by this unit"),
    "progress_own_group": ("本组及成员单位报送", "Sent by this group or its members"),
    "progress_others": ("其他单位报送及表内进展", "From other units, and the table's own notes"),
    "no_own_progress": ("本单位尚未报送进展。", "This unit has sent no progress notes yet."),
    "due_on": ("时限 {day}", "due {day}"),
    "done_on_day": ("已于 {day} 完成", "done on {day}"),
    "done_late": ("(逾期 {days} 天)", " ({days:day} late)"),
    "own_done_on": ("本单位报告已于 {day} 完成", "this unit reports it done on {day}"),
    "own_done_reported": ("本单位 {day} 报告已完成", "this unit reported it done on {day}"),
    "own_done": ("本单位报告已完成", "this unit reports it done"),
    "members_done": ("{group} 成员报告已完成 {done}/{members}", "{group}: {done} of {members} members report it done"),
    "no_progress": ("尚无进展记录。", "No progress notes yet."),
    "full_text": ("全文", "Full text"),
    "notes": ("进展 {count} 条", "{count:progress note}"),
    "document_tasks": ("{count} 项任务", "{count:task}"),
}

#: A light's name and why it is lit; a narrow screen shows only the name. A unit with nothing
#: open is not a colour of the traffic light: it is grey, and says so.
LIGHT_WORDS: dict[Light, tuple[tuple[str, str], tuple[str, str]]] = {
    Light.RED: (("红灯", "有逾期"), ("red", "overdue")),
    Light.YELLOW: (("黄灯", "即将到期"), ("yellow", "due soon")),
    Light.GREEN: (("绿灯", "按期推进"), ("green", "on track")),
    Light.GREY: (("无未完成事项", ""), ("nothing open", "")),
}
#: A light's shape, so that it reads without colour: ■ stop, ▲ warning, ● go, ○ empty.
LIGHT_SHAPES = {Light.RED: "■", Light.YELLOW: "▲", Light.GREEN: "●", Light.GREY: "○"}
STATE_SHAPES = {State.OVERDUE: "■", State.DUE_SOON: "▲", State.UPCOMING: "●", State.ONGOING: "◆",
                State.NO_DEADLINE: "○", State.DONE: "✓"}


def word(key: str, lang: Lang, **values: str) -> str:
    """The site's wording of `key`; a count given as digits counts its noun as `say` does
    (`{count:unit}`: 1 unit, 3 units)."""
    template = WORDS[key][0 if lang is Lang.ZH else 1]
    counted = {name: int(value) if "{" + name + ":" in template else value for name, value in values.items()}
    return fill(template, **counted)


def light_word(light: Light, lang: Lang) -> str:
    """红灯 · 有逾期, or the name alone when it says it all (无未完成事项)."""
    name, why = LIGHT_WORDS[light][0 if lang is Lang.ZH else 1]
    return f"{name} · {why}" if why else name


def href(page: str, target: str) -> str:
    """The link from `page` to `target` (both site paths): relative, so that the site works
    from disk and under any sub-path, and escaped for a URL (unit names are Chinese)."""
    path, _, fragment = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(page) or ".") if path else ""
    link = quote(relative, safe="/")
    return f"{link}#{quote(fragment, safe='')}" if fragment else link


def link(page: str, target: str, text: str, current: bool = False) -> str:
    attribute = ' aria-current="page"' if current else ""
    return f'<a href="{escape(href(page, target))}"{attribute}>{escape(text)}</a>'


def light_badge(light: Light, lang: Lang) -> str:
    name, why = LIGHT_WORDS[light][0 if lang is Lang.ZH else 1]
    reason = f'<span class="why"> · {escape(why)}</span>' if why else ""
    return (f'<span class="light {light.value}"><span aria-hidden="true">{LIGHT_SHAPES[light]}</span>'
            f"{escape(name)}{reason}</span>")


def state_badge(state: State, text: str) -> str:
    """A task's or milestone's state: its words (逾期 12 天), its shape and its light's colour."""
    light = STATE_LIGHTS[state]
    return (f'<span class="light {light.value}"><span aria-hidden="true">{STATE_SHAPES[state]}</span>'
            f"{escape(text)}</span>")


def milestone_state_text(status: MilestoneStatus, lang: Lang) -> str:
    """A milestone's state in words that cannot be taken for a date it was done on: a done
    milestone says the day it was done (已于 2022-05-20 完成(逾期 232 天)), where the other
    commands' status_text says only 已完成(逾期 232 天) beside the day it was due."""
    done = status.milestone.done
    if status.state is not State.DONE or done is None:
        return status_text(status, lang)
    late = word("done_late", lang, days=str(status.days_late)) if status.days_late else ""
    return word("done_on_day", lang, day=done.isoformat()) + late


def task_state_badge(state: State, statuses: list[MilestoneStatus], lang: Lang) -> str:
    """The state of a task in words: its earliest open milestone's (逾期 274 天), else 长期推进 or 已完成."""
    first = earliest_open(statuses)
    return state_badge(state, status_text(first, lang) if first is not None else state_text(state, lang))


def version_text(version: TableVersion, lang: Lang) -> str:
    content = version.content[:12]
    if version.commit is None:
        return word("version_content", lang, content=content)
    commit = version.commit[:12]
    if version.dirty:
        return word("version_dirty", lang, commit=commit, content=content)
    return word("version_git", lang, commit=commit)


@dataclass(frozen=True)
class FilterBox:
    """The filter box of a list page: its state choices (value, label) and, on task lists, units."""

    states: list[tuple[str, str]]
    units: list[str]
    count_key: str  # filter_count_units / filter_count_tasks

    def html(self, lang: Lang) -> str:
        def options(choices: list[tuple[str, str]]) -> str:
            return "".join(f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in
                           [("", word("filter_all", lang)), *choices])

        unit = (f'<label>{escape(word("filter_unit", lang))}<select name="unit">'
                f'{options([(name, name) for name in self.units])}</select></label>' if self.units else "")
        template = escape(word(self.count_key, lang, shown="{shown}", total="{total}"))
        return (f'<form class="filter" role="search" aria-label="{escape(word("filter", lang))}" hidden>'
                f'<label>{escape(word("filter_text", lang))}<input type="search" name="q" autocomplete="off"></label>'
                f'<label>{escape(word("filter_state", lang))}<select name="state">{options(self.states)}</select></label>'
                f'{unit}<output aria-live="polite" data-template="{template}"></output></form>')


def frame(model: SiteModel, page: str, title: str, body: str, lang: Lang, scripted: bool = False) -> bytes:
    """A whole page: the site's header with navigation, the as-of date and version, the body."""
    nav = [("index.html", word("overview", lang))]
    if model.is_ledger:
        nav += [(document.page, f"{word('documents', lang)} · {document.key}") for document in model.documents]
    else:
        nav.append((model.documents[0].page, word("all_tasks", lang)))
    nav.append(("timeline.html", word("timeline", lang)))
    items = "".join(f"<li>{link(page, target, text, target == page)}</li>" for target, text in nav)
    meta = f"{word('as_of', lang, day=model.as_of.isoformat())} · {version_text(model.version, lang)}"
    script = f"<script>{FILTER_JS}</script>\n" if scripted else ""
    page_title = title if title == model.title else f"{title} · {model.title}"
    # The overview's heading is the document's title: the header does not say it twice.
    title_line = "" if page == "index.html" else f'<p class="site-title">{link(page, "index.html", model.title)}</p>'
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang is Lang.ZH else "en"}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(page_title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<a class="skip" href="#main">{escape(word("skip", lang))}</a>\n'
            f'<header class="site">{title_line}\n'
            f'<nav aria-label="{escape(word("nav", lang))}"><ul>{items}</ul></nav>\n'
            f'<p class="meta">{escape(meta)}</p></header>\n'
            f'<main id="main">\n{body}\n</main>\n'
            f'<footer class="site"><p>{escape(meta)}</p><p>{escape(word("made_by", lang, version=__version__))}</p></footer>\n'
            f"{script}</body>\n</html>\n").encode("utf-8")
