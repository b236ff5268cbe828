"""The site's pages and files, one registry of them (`site_files`): the overview, a page per unit
with its downloads, a page per document (or for the table), and the timeline; each is rendered
to bytes that depend on nothing but the model, so the same input gives the same site."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from html import escape

from dzshare_cli.exporters import Format, file_bytes
from dzshare_cli.exporters.html import view_table
from dzshare_cli.models import ProgressNote, Task, UnitKind
from dzshare_cli.query import MilestoneStatus, State, UnitTask, summarize
from dzshare_cli.render import (KIND_LABELS, Cell, Column, Lang, Lines, Row, add_document_column, dept_view,
                                note_text, report_view, state_text, status_text)
from dzshare_cli.reporting import GroupReport, reported_done
from dzshare_cli.site.html import FilterBox, frame, href, light_badge, light_word, link, milestone_state_text, \
    state_badge, task_state_badge, word
from dzshare_cli.site.model import LIGHT_ORDER, DocumentStanding, Light, SiteModel, TaskEntry, UnitStanding
from dzshare_cli.site.parallel import rendered_alongside, usable_cores
from dzshare_cli.units import Role

OVERVIEW, TIMELINE_PAGE, TIMELINE_PICTURE = "index.html", "timeline.html", "timeline.svg"
#: Beside the pages: says the folder is a site dzshare wrote, and lists its files, so that a
#: rebuild may replace the folder whole without touching anything else (site.write).
MARKER = ".dzshare-site"


@dataclass(frozen=True)
class SiteFile:
    """A file of the site: its path (always with /) and what renders it."""

    path: str
    render: Callable[[], bytes]


@dataclass(frozen=True)
class UnitFiles:
    """A unit's page and, for a unit (a group has none), its calendar and list: rendered
    together (`render_unit_files`) from the model, so that its view is made once and let go,
    and possibly in a worker process."""

    paths: tuple[str, ...]
    index: int  # the unit's place in model.units
    rows: int  # the unit's tasks: how much work it is


def site_files(model: SiteModel, lang: Lang) -> list[SiteFile]:
    """The site's pages but the units' (`unit_files`), in the order they are listed."""
    svg = cache(lambda: timeline_svg(model, lang))  # drawn once for the page and the picture
    return [SiteFile(OVERVIEW, lambda: overview_page(model, lang)),
            *(SiteFile(document.page, lambda document=document: document_page(model, document, lang))
              for document in model.documents),
            SiteFile(TIMELINE_PAGE, lambda: timeline_page(model, lang, svg())),
            SiteFile(TIMELINE_PICTURE, lambda: svg().encode("utf-8"))]


def unit_files(model: SiteModel) -> list[UnitFiles]:
    """Each unit's files, worst light first, as the overview lists them."""
    return [UnitFiles((standing.page, *(standing.downloads[kind] for kind, _ in DOWNLOADS if standing.downloads)),
                      index, len(standing.entries))
            for index, standing in enumerate(model.units)]


#: Tasks in the units' lists from which their files are rendered in worker processes: below it
#: the processes' start-up costs more than it saves.
POOL_FROM_ROWS = 3000


def build_site(model: SiteModel, lang: Lang, workers: int | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (path, bytes), one at a time, so that each can be written and
    let go before the next is built; the marker listing every file comes last. On a big site
    the units' files (most of the work) are rendered by `workers` processes (default: one per
    usable core) while this one renders the other pages, in an order that is the same on every
    run; the bytes are the same either way."""
    pages = site_files(model, lang)
    units = unit_files(model)
    workers = usable_cores() if workers is None else workers
    if workers > 1 and sum(unit.rows for unit in units) >= POOL_FROM_ROWS:
        yield from rendered_alongside([(page.path, page.render) for page in pages],
                                      [(unit.paths, (unit.index,)) for unit in units],
                                      render_unit_files, (model, lang), workers)
    else:
        for page in pages:
            yield page.path, page.render()
        for unit in units:
            yield from zip(unit.paths, render_unit_files(model, lang, unit.index))
    paths = [page.path for page in pages] + [path for unit in units for path in unit.paths]
    yield MARKER, marker_bytes(sorted(paths))


def marker_bytes(paths: list[str]) -> bytes:
    return ("dzshare site: the files below were written by `dzshare site`; a rebuild replaces them\n"
            + "".join(f"{path}\n" for path in paths)).encode("utf-8")


# --- the overview -------------------------------------------------------------------------

def overview_page(model: SiteModel, lang: Lang) -> bytes:
    page = OVERVIEW
    # Groups have pages but are no units: their work is already counted for each member, and a
    # count of units that took them in would not match the registry's units.
    units = [standing for standing in model.units if not standing.is_group]
    groups = [standing for standing in model.units if standing.is_group]
    lights = Counter(standing.light for standing in units)
    lede = word("lede", lang, day=model.as_of.isoformat(), units=str(len(units)), red=str(lights[Light.RED]),
                yellow=str(lights[Light.YELLOW]))
    if groups:
        lede += (";" if lang is Lang.ZH else "; ") + word("lede_groups", lang, groups=str(len(groups)))
    body = [f"<h1>{escape(model.title)}</h1>",
            f'<p class="lede">{escape(lede)}</p>',
            f'<h2 id="lights">{escape(word("unit_lights", lang))}</h2>',
            _light_cards(lights, lang),
            f'<p class="lede">{escape(word("legend", lang, soon=str(model.soon_days)))}</p>',
            FilterBox([(light.value, light_word(light, lang)) for light in LIGHT_ORDER], [],
                      "filter_count_units").html(lang),
            _units_table(units, page, lang, "units", filtered=True)]
    if groups:
        body += [f'<h2 id="groups">{escape(word("groups", lang))}</h2>',
                 f'<p class="lede">{escape(word("groups_rule", lang))}</p>',
                 _units_table(groups, page, lang, "groups", filtered=False)]
    body += [f'<h2 id="totals">{escape(word("totals", lang))}</h2>',
             # The report's own table of milestones by outcome, as `report --format html` shows it.
             f'<div class="table">{view_table(report_view(model.report, lang).parts[0], lang)}</div>']
    if model.is_ledger:
        body += [f'<h2 id="documents">{escape(word("documents_part", lang))}</h2>', _documents_table(model, page, lang)]
    body += [f'<h2 id="overdue">{escape(word("overdue", lang))}</h2>', _overdue_table(model, page, lang)]
    if model.report.named:
        body += [f'<h2 id="named">{escape(word("named", lang))}</h2>', _named(model, page, lang)]
    # The timeline is one click away in every page's navigation: no second link to it here.
    return frame(model, page, model.title, "\n".join(body), lang, scripted=True)


def _named(model: SiteModel, page: str, lang: Lang) -> str:
    """The units `dzshare report` names, each with the overdue milestones it leads itself, and
    the rule that picked them, so that a reader does not take them for the worst lights."""
    rule = word("named_rule", lang)
    group = next((unit.name for unit in model.registry.units if unit.kind is UnitKind.GROUP), None)
    if group is not None:
        rule += ("" if lang is Lang.ZH else " ") + word("named_rule_groups", lang, group=group)
    keys = ("unit", "led_overdue")
    rows = "".join("<tr>" + _cell(word("unit", lang), link(page, model.unit_pages[line.unit.name], line.unit.name))
                   + _cell(word("led_overdue", lang), str(line.overdue_led_directly), "num") + "</tr>"
                   for line in model.report.named)
    return (f'<p class="lede">{escape(rule)}</p>'
            f'<div class="table"><table class="stack" id="named-units">{_head(lang, *keys, numeric=keys[1:])}'
            f"<tbody>{rows}</tbody></table></div>")


def _light_cards(lights: Counter[Light], lang: Lang) -> str:
    # A card is outlined in its colour only when some unit has that light.
    cards = "".join(f'<li class="{light.value if lights[light] else "none"}">{light_badge(light, lang)}'
                    f'<span class="n">{escape(word("n_units", lang, count=str(lights[light])))}</span></li>'
                    for light in LIGHT_ORDER)
    return f'<ul class="cards">{cards}</ul>'


def _head(lang: Lang, *keys: str, numeric: tuple[str, ...] = (), extra: tuple[str, ...] = ()) -> str:
    def attribute(key: str) -> str:
        classes = _column_class(key, numeric, extra)
        return f' class="{classes}"' if classes else ""

    cells = "".join(f'<th scope="col"{attribute(key)}>{escape(word(key, lang))}</th>' for key in keys)
    return f"<thead><tr>{cells}</tr></thead>"


def _cell(label: str, content: str, css: str = "") -> str:
    """A cell that names its column on a phone, where the table's rows stack (data-label)."""
    klass = f' class="{css}"' if css else ""
    return f'<td data-label="{escape(label)}"{klass}>{content}</td>'


def _units_table(standings: list[UnitStanding], page: str, lang: Lang, table_id: str, filtered: bool) -> str:
    """Units (or groups) with their lights, worst first; the filter box narrows only the units'."""
    keys = ("light", "group" if table_id == "groups" else "unit", "n_overdue", "n_due_soon", "n_open", "n_open_tasks")
    numeric, extra = keys[2:], keys[4:]  # a phone shows the light, the unit and what is pressing
    rows = []
    for standing in standings:
        values = [light_badge(standing.light, lang), link(page, standing.page, standing.unit.name),
                  str(standing.overdue), str(standing.due_soon), str(standing.open_milestones),
                  str(standing.open_tasks)]
        cells = "".join(_cell(word(key, lang), value, _column_class(key, numeric, extra))
                        for key, value in zip(keys, values))
        row = " data-row" if filtered else ""
        rows.append(f'<tr{row} data-state="{standing.light.value}">{cells}</tr>')
    return (f'<div class="table"><table id="{table_id}">{_head(lang, *keys, numeric=numeric, extra=extra)}'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _column_class(key: str, numeric: tuple[str, ...], extra: tuple[str, ...]) -> str:
    return " ".join(name for name, on in (("num", key in numeric), ("extra", key in extra)) if on)


def _kind(standing: UnitStanding, lang: Lang) -> str:
    kind = standing.unit.kind
    return "" if kind is None else KIND_LABELS[kind][0 if lang is Lang.ZH else 1]


def _documents_table(model: SiteModel, page: str, lang: Lang) -> str:
    from dzshare_cli.report import Outcome

    keys = ("light", "document", "document_title", "n_overdue", "n_due_soon", "n_open")
    rows = []
    for document in model.documents:
        by = document.counts.by_outcome
        values = [light_badge(document.light, lang), link(page, document.page, document.key or ""),
                  escape(document.title), str(by[Outcome.OVERDUE]), str(by[Outcome.DUE_SOON]),
                  str(document.counts.open)]
        rows.append("<tr>" + "".join(_cell(word(key, lang), value, "num" if index > 2 else "")
                                     for index, (key, value) in enumerate(zip(keys, values))) + "</tr>")
    return (f'<div class="table"><table class="stack">{_head(lang, *keys, numeric=keys[3:])}'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _overdue_table(model: SiteModel, page: str, lang: Lang) -> str:
    if not model.report.overdue:
        return f"<p>{escape(word('no_overdue', lang, day=model.as_of.isoformat()))}</p>"
    keys = ("task", "title", "due", "days_overdue", "lead")
    rows = []
    for status in model.report.overdue:
        entry = model.tasks[id(status.task)]
        goal = f'<br><span class="goal">{escape(status.milestone.goal)}</span>' if status.milestone.goal else ""
        values = [link(page, entry.href, status.task.ref), escape(status.task.short_title) + goal,
                  status.milestone.due.isoformat(), state_badge(State.OVERDUE, status_text(status, lang)),
                  _unit_links(model, page, status.task.lead)]
        rows.append("<tr>" + "".join(_cell(word(key, lang), value, "nowrap" if key in ("due", "days_overdue") else "")
                                     for key, value in zip(keys, values)) + "</tr>")
    return f'<div class="table"><table class="stack">{_head(lang, *keys)}<tbody>{"".join(rows)}</tbody></table></div>'


def _unit_links(model: SiteModel, page: str, names: list[str]) -> str:
    """Unit names joined by 、, each a link to its page when the registry knows it."""
    shown = [link(page, model.unit_pages[name], name) if name in model.unit_pages else escape(name) for name in names]
    return "、".join(shown) or "—"


# --- a unit's page ------------------------------------------------------------------------

def unit_page(model: SiteModel, standing: UnitStanding, lang: Lang) -> bytes:
    page, unit = standing.page, standing.unit
    body = [f"<h1>{escape(unit.name)} {light_badge(standing.light, lang)}</h1>",
            f'<p class="lede">{escape(_unit_lede(standing, lang))}</p>',
            _membership(model, standing, page, lang),
            f'<h2 id="downloads">{escape(word("downloads", lang))}</h2>', _downloads(standing, page, lang)]
    for key, entries in _by_role(standing):
        body.append(f'<h2 id="{key}">{escape(word(key, lang))}</h2>')
        body.append(_role_table(model, standing, entries, page, lang) if entries
                    else f"<p>{escape(word('no_tasks', lang))}</p>")
    body += [f'<h2 id="progress">{escape(word("progress", lang))}</h2>', _progress(model, standing, page, lang)]
    return frame(model, page, unit.name, "\n".join(body), lang)


def _unit_lede(standing: UnitStanding, lang: Lang) -> str:
    counts = word("unit_counts", lang, tasks=str(len(standing.entries)), open=str(standing.open_milestones),
                  overdue=str(standing.overdue), soon=str(standing.due_soon))
    kind = _kind(standing, lang)
    return f"{word('unit_kind', lang, kind=kind)} · {counts}" if kind else counts


def _membership(model: SiteModel, standing: UnitStanding, page: str, lang: Lang) -> str:
    unit = standing.unit
    if unit.kind is UnitKind.GROUP:
        members = sorted(model.registry.members(unit), key=list(model.unit_pages).index)
        return f"<p>{escape(word('members', lang))}:{_unit_links(model, page, members)}</p>" if members else ""
    groups = [other.unit.name for other in model.units
              if other.unit.kind is UnitKind.GROUP and unit.name in model.registry.members(other.unit)]
    return f"<p>{escape(word('member_of', lang))}:{_unit_links(model, page, groups)}</p>" if groups else ""


def _downloads(standing: UnitStanding, page: str, lang: Lang) -> str:
    if not standing.downloads:
        return f"<p>{escape(word('group_downloads', lang))}</p>"
    items = "".join(f'<li><a href="{escape(href(page, target))}" download>{escape(word(f"download_{kind}", lang))}</a></li>'
                    for kind, target in standing.downloads.items())
    return f'<ul class="downloads">{items}</ul>'


def _by_role(standing: UnitStanding) -> list[tuple[str, list]]:
    """The unit's tasks in three lists: those it leads, those it holds (责任, 配合 …) and those
    that reach it through a group, each in table order."""
    lead = [entry for entry in standing.entries if entry.relation.via is None and entry.relation.role is Role.LEAD]
    held = [entry for entry in standing.entries if entry.relation.via is None and entry.relation.role is not Role.LEAD]
    via = [entry for entry in standing.entries if entry.relation.via is not None]
    return [("role_lead", lead), ("role_responsible", held), ("role_via", via)]


def _role_table(model: SiteModel, standing: UnitStanding, entries: list, page: str, lang: Lang) -> str:
    """The tasks as `dzshare dept` lists them (its view, rendered as the html report renders
    views), each id linking to the task on its document's page."""
    summary = summarize(standing.unit, entries, model.as_of, model.soon_days)
    view = dept_view(standing.unit, entries, summary, model.as_of, model.soon_days, lang)
    if model.table.multi_document:
        add_document_column(view)
    by_ref = {(entry.task.document, str(entry.task.id)): model.tasks[id(entry.task)] for entry in entries}
    id_column = next(index for index, column in enumerate(view.columns) if column.key == "id")
    state_column = next(index for index, column in enumerate(view.columns) if column.key == "state")
    for row, entry in zip(view.rows, entries):  # dept_view writes a row per entry, in order
        row.cells[state_column] = _milestone_lines(model, standing, entry, lang)

    def task_link(row: Row, column: Column) -> str | None:
        if column.key != "id":
            return None
        entry = by_ref.get((row.document, str(row.cells[id_column])))
        return href(page, entry.href) if entry is not None else None

    return f'<div class="table">{view_table(view, lang, task_link)}</div>'


def _milestone_lines(model: SiteModel, standing: UnitStanding, entry: UnitTask, lang: Lang) -> Cell:
    """The state cell of a unit's task: each milestone with its due day and state in words that
    cannot be misread (milestone_state_text), and, for a milestone a group holds, what its
    members reported: on a member's page whether it reported the milestone done, on the group's
    page how many members did (成员报告已完成 2/8, as `dzshare report` counts them)."""
    lines = []
    for status in _shown_statuses(model.tasks[id(entry.task)]):
        line = f"{word('due_on', lang, day=status.milestone.due.isoformat())} · {milestone_state_text(status, lang)}"
        lines += [line, *_member_reports(model, standing, entry, status, lang)]
    if entry.task.deadline.ongoing:
        lines.append(state_text(State.ONGOING, lang))
    if not lines:
        return state_text(State.NO_DEADLINE, lang)
    return Lines(tuple(lines), "; ".join(lines))


def _member_reports(model: SiteModel, standing: UnitStanding, entry: UnitTask, status: MilestoneStatus,
                    lang: Lang) -> list[str]:
    if standing.is_group:
        return [_members_done(line, lang) for line in _group_reports(model, status)
                if line.group.name == standing.unit.name]
    if entry.relation.via is None or not any(line.group.name == entry.relation.via
                                             for line in _group_reports(model, status)):
        return []
    note = reported_done(status, model.registry, model.as_of).get(standing.unit.name)
    if note is None:
        return []
    if note.done_on is not None:
        return [word("own_done_on", lang, day=note.done_on.isoformat())]
    if note.date is not None:
        return [word("own_done_reported", lang, day=note.date.isoformat())]
    return [word("own_done", lang)]


def _group_reports(model: SiteModel, status: MilestoneStatus) -> list[GroupReport]:
    """The report's lines for this milestone: a group holding it, with how many members reported it done."""
    return [line for line in model.report.group_reports
            if line.status.task is status.task and line.status.number == status.number]


def _members_done(line: GroupReport, lang: Lang) -> str:
    return word("members_done", lang, group=line.group.name, done=str(line.reported_done), members=str(line.members))


def _progress(model: SiteModel, standing: UnitStanding, page: str, lang: Lang) -> str:
    """The progress notes of the unit's tasks, as `dzshare show` words them: first those the
    unit sent itself (a group: it or its members), then, set apart, those of the other units on
    the same tasks and the table's own unsigned notes, each under its task."""
    own_units = {standing.unit.name} | (model.registry.members(standing.unit) if standing.is_group else set())

    def is_own(note: ProgressNote) -> bool:
        unit = model.registry.exact(note.unit) if note.unit else None
        return unit is not None and unit.name in own_units

    own = _notes_by_task(model, standing, page, is_own, lang)
    others = _notes_by_task(model, standing, page, lambda note: not is_own(note), lang)
    if not own and not others:
        return f"<p>{escape(word('no_progress', lang))}</p>"
    own_heading = word("progress_own_group" if standing.is_group else "progress_own", lang)
    parts = [f'<h3 id="progress-own">{escape(own_heading)}</h3>',
             own or f"<p>{escape(word('no_own_progress', lang))}</p>"]
    if others:
        parts += [f'<h3 id="progress-others">{escape(word("progress_others", lang))}</h3>', others]
    return "\n".join(parts)


def _notes_by_task(model: SiteModel, standing: UnitStanding, page: str, chosen: Callable[[ProgressNote], bool],
                   lang: Lang) -> str:
    parts = []
    for entry in standing.entries:
        task = entry.task
        notes = "".join(f"<li>{escape(_dated(note, lang))}</li>" for note in task.progress if chosen(note))
        if notes:
            parts.append(f"<h4>{link(page, model.tasks[id(task)].href, f'{task.ref} {task.short_title}')}</h4>"
                         f'<ul class="plain">{notes}</ul>')
    return "\n".join(parts)


def _dated(note, lang: Lang) -> str:  # noqa: ANN001 - a models.ProgressNote
    text = note_text(note, lang)
    return f"{note.date.isoformat()} {text}" if note.date else text


# --- a document's page (or the table's) -----------------------------------------------------

def document_page(model: SiteModel, document: DocumentStanding, lang: Lang) -> bytes:
    page = document.page
    title = document.title or document.key or model.title
    heading = f"{document.key} · {title}" if document.key else title
    states = [(state.value, _state_word(state, lang)) for state in
              (State.OVERDUE, State.DUE_SOON, State.UPCOMING, State.ONGOING, State.NO_DEADLINE, State.DONE)
              if any(entry.state is state for entry in document.tasks)]
    units = [name for name in model.unit_pages if any(name in entry.units for entry in document.tasks)]
    body = [f"<h1>{escape(heading)} {light_badge(document.light, lang)}</h1>",
            f'<p class="lede">{escape(word("document_tasks", lang, count=str(len(document.tasks))))}</p>',
            FilterBox(states, units, "filter_count_tasks").html(lang),
            _tasks_table(model, document.tasks, page, lang)]
    return frame(model, page, heading, "\n".join(body), lang, scripted=True)


def _state_word(state: State, lang: Lang) -> str:
    words = {State.OVERDUE: ("逾期", "overdue"), State.DUE_SOON: ("即将到期", "due soon")}
    pair = words.get(state)
    return (pair[0] if lang is Lang.ZH else pair[1]) if pair else state_text(state, lang)


def _tasks_table(model: SiteModel, entries: list[TaskEntry], page: str, lang: Lang) -> str:
    keys = ("id", "title", "lead", "responsible", "deadline", "milestones", "state")
    rows = []
    for entry in entries:
        task = entry.task
        values = [escape(str(task.id)), _task_text(task, lang), _unit_links(model, page, task.lead),
                  _unit_links(model, page, task.responsible) + _other_roles(model, task, page),
                  escape(task.deadline.text or "—"), _milestones(model, entry, lang),
                  task_state_badge(entry.state, entry.statuses, lang)]
        cells = "".join(_cell(word(key, lang), value, "nowrap" if key == "id" else "")
                        for key, value in zip(keys, values))
        units = "|".join(entry.units)
        rows.append(f'<tr id="{entry.anchor}" data-row data-state="{entry.state.value}" '
                    f'data-units="|{escape(units)}|">{cells}</tr>')
    return (f'<div class="table"><table class="stack" id="tasks">{_head(lang, *keys)}'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _task_text(task: Task, lang: Lang) -> str:
    parts = [f"<strong>{escape(task.short_title)}</strong>"]
    if task.title and task.text != task.title:
        parts.append(f"<details><summary>{escape(word('full_text', lang))}</summary>{escape(task.text)}</details>")
    if task.progress:
        notes = "".join(f"<li>{escape(_dated(note, lang))}</li>" for note in task.progress)
        parts.append(f"<details><summary>{escape(word('notes', lang, count=str(len(task.progress))))}</summary>"
                     f'<ul class="plain">{notes}</ul></details>')
    return "".join(parts)


def _other_roles(model: SiteModel, task: Task, page: str) -> str:
    """Further role columns (配合单位) under their published names."""
    return "".join(f"<br>{escape(name)}:{_unit_links(model, page, names)}" for name, names in task.roles.items())


def _shown_statuses(entry: TaskEntry) -> list[MilestoneStatus]:
    """A task's milestones as its lists show them: a recurrence's done occurrences are left out,
    as the tables of `dzshare dept` leave them out (years of monthly ones would fill the cell)."""
    return [status for status in entry.statuses if status.period is None or status.state is not State.DONE]


def _milestones(model: SiteModel, entry: TaskEntry, lang: Lang) -> str:
    """Each milestone's due day, goal and state, and how many members of a group holding it have
    reported it done."""
    items = []
    for status in _shown_statuses(entry):
        goal = f' <span class="goal">{escape(status.milestone.goal)}</span>' if status.milestone.goal else ""
        reports = "".join(f'<br><span class="goal">{escape(_members_done(line, lang))}</span>'
                          for line in _group_reports(model, status))
        items.append(f"<li>{escape(word('due_on', lang, day=status.milestone.due.isoformat()))}{goal}<br>"
                     f"{state_badge(status.state, milestone_state_text(status, lang))}{reports}</li>")
    if entry.task.deadline.ongoing:
        items.append(f"<li>{state_badge(State.ONGOING, _state_word(State.ONGOING, lang))}</li>")
    return f'<ul class="milestones">{"".join(items)}</ul>' if items else "—"


# --- the timeline -------------------------------------------------------------------------

def _timeline(model: SiteModel):  # noqa: ANN202 - a timeline.Timeline
    from dzshare_cli.timeline import build_timeline

    return build_timeline(model.table.tasks, model.as_of, model.soon_days, refs=model.table.multi_document)


def timeline_svg(model: SiteModel, lang: Lang) -> str:
    from dzshare_cli.exporters.timeline_picture import to_svg

    return to_svg(_timeline(model), lang, model.title)


def timeline_page(model: SiteModel, lang: Lang, picture: str | None = None) -> bytes:
    """The timeline's page around its picture (`timeline_svg`, drawn here unless given)."""
    page = TIMELINE_PAGE
    svg = (picture if picture is not None else timeline_svg(model, lang)).replace("<svg ", f'<svg role="img" aria-label="{escape(word("timeline_alt", lang))}" ', 1)
    body = [f"<h1>{escape(word('timeline', lang))}</h1>",
            f'<p><a href="{escape(href(page, TIMELINE_PICTURE))}" download>{escape(word("timeline_svg", lang))}</a></p>',
            f'<div class="timeline" tabindex="0" aria-label="{escape(word("timeline", lang))}">{svg}</div>']
    return frame(model, page, word("timeline", lang), "\n".join(body), lang)


# --- downloads ----------------------------------------------------------------------------

#: What a unit downloads, in the order its page links them: the files `export --per-unit` writes.
DOWNLOADS = (("ics", Format.ICS), ("xlsx", Format.XLSX))


def render_unit_files(model: SiteModel, lang: Lang, index: int) -> tuple[bytes, ...]:
    """The files of model.units[index], in UnitFiles.paths' order: its page, then its downloads
    made from its view (module-level: a worker process runs it)."""
    from dzshare_cli.exporters.per_unit import unit_view

    standing = model.units[index]
    files = [unit_page(model, standing, lang)]
    if standing.downloads:
        # The model's entries are the unit's tasks as unit_tasks() finds them, found once for all units.
        view, _ = unit_view(model.table, standing.unit, standing.entries, lang, model.as_of, model.soon_days)
        files += [file_bytes(fmt, view, lang) for _, fmt in DOWNLOADS]
    return tuple(files)
