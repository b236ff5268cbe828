"""The site's style sheet and filter script, inlined into every page: a page opened from disk
(file://) or copied anywhere needs no other file, and nothing is fetched from a network."""

from __future__ import annotations

from dzshare_cli.exporters.html import FONT_STACK

#: Colours come in pairs (text on background) with a contrast of at least 4.5:1 in both schemes.
CSS = """
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #555b61; --line: #d5d8dc; --head: #f1f3f4; --card: #f8f9fa;
  --link: #0b57d0; --focus: #0b57d0;
  --red: #a8201a; --red-bg: #fde8e6; --yellow: #6e4a00; --yellow-bg: #fdf0c4;
  --green: #1d6b2c; --green-bg: #e2f3e5; --grey: #4f565c; --grey-bg: #eceff1; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #131416; --fg: #e6e7e8; --muted: #a9afb5; --line: #3a3d41; --head: #202226; --card: #1b1d20;
  --link: #8ab4f8; --focus: #8ab4f8;
  --red: #ffb4a9; --red-bg: #5a1712; --yellow: #ffd98a; --yellow-bg: #443300;
  --green: #a3d9ab; --green-bg: #173a1f; --grey: #c3c8cc; --grey-bg: #2c2f33; } }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font-family: FONT_STACK;
  font-size: 16px; line-height: 1.55; overflow-wrap: anywhere; }
a { color: var(--link); }
a:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5em 1em; }
.skip:focus { left: .5em; z-index: 1; }
header.site, main, footer.site { max-width: 76rem; margin: 0 auto; padding: 0 1rem; }
header.site { padding-top: .8rem; border-bottom: 1px solid var(--line); }
.site-title { margin: 0; font-weight: 700; font-size: 1.05rem; }
.site-title a { color: inherit; text-decoration: none; }
nav ul { list-style: none; margin: .4rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
nav a[aria-current="page"] { font-weight: 700; color: inherit; }
.meta { margin: 0 0 .6rem; color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: 1.2rem 0 .6rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: .95rem; margin: .8rem 0 .3rem; }
.lede { color: var(--muted); margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr)); gap: .6rem;
  padding: 0; margin: 0 0 1rem; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: .5rem; padding: .6rem .8rem; background: var(--card); }
.cards .n { display: block; font-size: 1.4rem; font-weight: 700; line-height: 1.3; margin-top: .2rem; }
.cards li.red { border-color: var(--red); } .cards li.yellow { border-color: var(--yellow); }
.light { display: inline-flex; align-items: baseline; gap: .3em; white-space: pre; padding: .05em .55em; border-radius: 1em;
  font-weight: 600; font-size: .92em; white-space: nowrap; }
.light.red { color: var(--red); background: var(--red-bg); }
.light.yellow { color: var(--yellow); background: var(--yellow-bg); }
.light.green { color: var(--green); background: var(--green-bg); }
.light.grey { color: var(--grey); background: var(--grey-bg); }
.table { width: 100%; overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--head); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
tr.overdue td.styled { color: var(--red); font-weight: 600; }
tr.due-soon td.styled { color: var(--yellow); }
tr.done td.styled { color: var(--green); }
tr.overdue td.styled::before { content: "■ "; } tr.due-soon td.styled::before { content: "▲ "; }
ul.plain { margin: .2rem 0; padding-left: 1.1rem; }
ul.milestones { list-style: none; margin: 0; padding: 0; }
ul.milestones li + li { margin-top: .2rem; }
.goal { color: var(--muted); }
details summary { cursor: pointer; color: var(--link); }
.downloads { display: flex; flex-wrap: wrap; gap: .5rem 1rem; padding: 0; list-style: none; }
.downloads a { display: inline-block; padding: .35rem .8rem; border: 1px solid var(--line); border-radius: .4rem;
  text-decoration: none; }
form.filter { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 0 0 .8rem;
  padding: .6rem .8rem; background: var(--card); border: 1px solid var(--line); border-radius: .5rem; }
form.filter label { display: flex; flex-direction: column; font-size: .9rem; color: var(--muted); }
form.filter input, form.filter select { font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--line); border-radius: .3rem; padding: .3rem .4rem; min-width: 9rem; max-width: 100%; }
form.filter output { color: var(--muted); font-size: .9rem; padding-bottom: .35rem; }
.timeline { overflow-x: auto; width: fit-content; max-width: 100%; background: #fff;
  border: 1px solid var(--line); border-radius: .5rem; }  /* the picture is drawn on white */
.timeline svg { display: block; }
footer.site { margin-top: 2.5rem; padding-top: .6rem; padding-bottom: 1.5rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.3rem; }
  td.nowrap { white-space: normal; }
  .extra, #units .why, #groups .why { display: none; }
  thead th { white-space: normal; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.stack td { display: grid; grid-template-columns: 5.5em 1fr; gap: .5em; border: 0; padding: .15rem .2rem; }
  table.stack td::before { content: attr(data-label); color: var(--muted); font-size: .9em; }
  form.filter label, form.filter input, form.filter select { width: 100%; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #333; --line: #999; --head: #eee; --card: #fff; }
  body { font-size: 10pt; }
  .skip, nav, form.filter, .downloads { display: none !important; }
  a { color: inherit; text-decoration: none; }
  .light { border: 1px solid currentColor; }
  .table, .timeline { overflow: visible; }
  thead { display: table-header-group; }
  tr, li { break-inside: avoid; }
  h2 { break-after: avoid; }
  details > *:not(summary) { display: block; }
}
""".replace("FONT_STACK", FONT_STACK)

#: Narrows a list to the rows whose text, state and units match the filter box. Without
#: JavaScript the box stays hidden and every row shows; with it, nothing but the page is read.
FILTER_JS = """
(function () {
  var form = document.querySelector("form.filter");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  var output = form.querySelector("output");
  function fold(text) { return (text || "").toLowerCase().replace(/\\s+/g, ""); }
  function apply() {
    var text = fold(form.elements.q.value);
    var state = form.elements.state ? form.elements.state.value : "";
    var unit = form.elements.unit ? form.elements.unit.value : "";
    var shown = 0;
    rows.forEach(function (row) {
      var match = (!text || fold(row.textContent).indexOf(text) >= 0) &&
        (!state || row.getAttribute("data-state") === state) &&
        (!unit || (row.getAttribute("data-units") || "").split("|").indexOf(unit) >= 0);
      row.hidden = !match;
      if (match) shown += 1;
    });
    output.textContent = output.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.hidden = false;
  apply();
})();
"""
