"""Renderers for a finished site audit: a self-contained HTML report (inline CSS, inline SVG
charts, a little plain JavaScript for sorting and filtering; no network), JSON, CSV rows and a
short text summary. Every string from the pages is escaped: pages are hostile input."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from html import escape
from typing import IO, Any

from medlint.audit.aggregate import CSV_FIELDS, PageRow

# Distinct hues (red, amber, blue), and every badge also carries an icon and a word.
SEV_COLORS = {"error": "#c4161c", "warning": "#e8a317", "info": "#2563c9"}
SEV_ICONS = {"error": "✖", "warning": "▲", "info": "ℹ"}
PRIORITY_ICONS = {"high": "●●●", "medium": "●●○", "low": "●○○"}
FIRST_SHOWN = 3  # findings shown per rule in a page's details
CATEGORY_ORDER = ("spam", "claims", "attribution", "readability", "language", "document")


def e(value: Any) -> str:
    """Escapes any value for HTML text and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.1f}%"


# CSV / JSON / text ---------------------------------------------------------------------------
class CsvSink:
    """Writes one CSV row per page as the audit streams (use as ``SiteAudit.on_row``)."""

    def __init__(self, out: IO[str]) -> None:
        self.writer = csv.writer(out)
        self.writer.writerow(CSV_FIELDS)

    def __call__(self, row: PageRow) -> None:
        values = row.as_dict()
        self.writer.writerow(["" if values[k] is None else
                              (str(values[k]).lower() if isinstance(values[k], bool)
                               else values[k]) for k in CSV_FIELDS])


def write_json(summary: dict[str, Any], out: IO[str]) -> None:
    json.dump(summary, out, ensure_ascii=False, indent=1, default=str)
    out.write("\n")


def text_summary(summary: dict[str, Any]) -> str:
    s = summary["site"]
    sev = s["by_severity"]
    lines = [
        f"medlint audit: {s['files']:,} pages, {s['words']:,} words, {s['findings']:,} findings "
        f"({sev['error']:,} errors, {sev['warning']:,} warnings, {sev['info']:,} info)",
        f"  named medical reviewer: {_pct(s['reviewer_share'])} of pages; stale review: "
        f"{_pct(s['stale_share'])}; median reading grade: {_num(s['median_grade'])} "
        f"(target {summary['target_grade']})",
    ]
    if s["by_category"]:
        lines.append("  by category: " + ", ".join(f"{k} {v:,}" for k, v in
                                                   s["by_category"].items()))
    worst = summary["worst_pages"][:5]
    if worst:
        lines.append("  worst pages (health 0-100, higher is better):")
        lines += [f"    {p['score']:>7.1f}  {p['path']}" for p in worst]
    src, gov = summary.get("sources") or {}, summary.get("governance") or {}
    if src.get("without_sources_share") is not None:
        lines.append(f"  pages citing no source at all: {src['pages_without_sources']:,} "
                     f"({_pct(src['without_sources_share'])})")
    if gov.get("today"):
        lines.append(f"  reviews overdue: {gov['overdue']:,}; due in 30 days: "
                     f"{gov['due_30']:,}; in 90 days: {gov['due_90']:,}")
    for d in gov.get("same_date") or []:
        lines.append(f"  {d['pages']:,} pages share the review date {d['date']}")
    clusters = summary.get("template_clusters") or []
    if clusters:
        top = clusters[0]
        lines.append(f"  {len(clusters)} template cluster(s) of text shared across pages; "
                     f"largest: {top['page_count']:,} pages")
    fix = summary.get("fix_first") or []
    if fix:
        lines.append("  fix first: " + "; ".join(
            f"{i['rule']} ({i['pages']:,} pages)" for i in fix[:3]))
    if summary["title_insertions"]:
        lines.append(f"  {len(summary['title_insertions'])} other article title(s) found "
                     "pasted inside sentences")
    return "\n".join(lines) + "\n"


# SVG charts ----------------------------------------------------------------------------------
def _nice_max(value: int) -> int:
    """The axis maximum: a multiple of a 1-2-5 step, about four ticks high."""
    return _step(value) * max(1, -(-value // _step(value)))


def _step(value: int) -> int:
    if value <= 5:
        return 1
    magnitude = 10 ** (len(str(value)) - 1)
    for base in (1, 2, 5, 10, 20, 50):
        step = base * magnitude // 10 or 1
        if value / step <= 5:
            return step
    return magnitude


def _ticks(top: int) -> list[int]:
    step = _step(top)
    return list(range(0, top + 1, step))


def column_chart(title: str, bins: Sequence[tuple[str, int]], x_label: str, y_label: str,
                 colors: Sequence[str] | None = None, marker: tuple[int, str] | None = None,
                 width: int = 560, height: int = 260) -> str:
    """A vertical bar chart; ``marker`` = (bin index, label) draws a dashed target line."""
    left, right, top_pad, bottom = 48, 12, 22, 46
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _nice_max(max((v for _, v in bins), default=0))
    n = max(len(bins), 1)
    slot = plot_w / n
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{e(title)}">',
             f"<title>{e(title)}</title>"]
    for t in _ticks(top):
        y = top_pad + plot_h - plot_h * t / top
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" '
                     f'text-anchor="end">{t:,}</text>')
    for i, (label, value) in enumerate(bins):
        h = plot_h * value / top
        x = left + i * slot + slot * 0.12
        color = colors[i] if colors else "#3e6fb0"
        parts.append(f'<rect x="{x:.1f}" y="{top_pad + plot_h - h:.1f}" '
                     f'width="{slot * 0.76:.1f}" height="{h:.1f}" fill="{color}">'
                     f"<title>{e(label)}: {value:,}</title></rect>")
        if value:
            parts.append(f'<text x="{x + slot * 0.38:.1f}" y="{top_pad + plot_h - h - 4:.1f}" '
                         f'class="val" text-anchor="middle">{value:,}</text>')
        parts.append(f'<text x="{x + slot * 0.38:.1f}" y="{top_pad + plot_h + 15:.1f}" '
                     f'class="tick" text-anchor="middle">{e(label)}</text>')
    if marker is not None:
        index, text = marker
        x = left + index * slot
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad - 6}" '
                     f'y2="{top_pad + plot_h}" class="target"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{top_pad - 8}" class="target-label">'
                     f"{e(text)}</text>")
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" '
                 f'y2="{top_pad + plot_h}" class="axis"/>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" class="axis-label" '
                 f'text-anchor="middle">{e(x_label)}</text>')
    parts.append(f'<text transform="translate(13 {top_pad + plot_h / 2:.1f}) rotate(-90)" '
                 f'class="axis-label" text-anchor="middle">{e(y_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, items: Sequence[tuple[str, Sequence[tuple[int, str, str]]]],
              x_label: str, width: int = 560, label_width: int = 210,
              legend: Sequence[tuple[str, str]] = ()) -> str:
    """Horizontal stacked bars: items = (label, [(value, color, name), ...])."""
    row_h, top_pad, bottom = 20, 8 + (18 if legend else 0), 36
    height = top_pad + row_h * max(len(items), 1) + bottom
    plot_w = width - label_width - 50
    top = _nice_max(max((sum(v for v, _, _ in segs) for _, segs in items), default=0))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{e(title)}">',
             f"<title>{e(title)}</title>"]
    lx = label_width
    for name, color in legend:
        parts.append(f'<rect x="{lx}" y="4" width="10" height="10" fill="{color}"/>'
                     f'<text x="{lx + 14}" y="13" class="tick">{e(name)}</text>')
        lx += 14 + 7 * len(name) + 18
    for t in _ticks(top):
        x = label_width + plot_w * t / top
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad}" '
                     f'y2="{top_pad + row_h * len(items)}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{top_pad + row_h * len(items) + 14}" '
                     f'class="tick" text-anchor="middle">{t:,}</text>')
    for i, (label, segs) in enumerate(items):
        y = top_pad + i * row_h
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" class="tick" '
                     f'text-anchor="end">{e(short)}<title>{e(label)}</title></text>')
        x = float(label_width)
        total = 0
        for value, color, name in segs:
            w = plot_w * value / top
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{color}"><title>{e(label)} – {e(name)}: {value:,}</title>'
                         "</rect>")
            x += w
            total += value
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="val">{total:,}</text>')
    parts.append(f'<text x="{label_width + plot_w / 2:.1f}" y="{height - 4}" '
                 f'class="axis-label" text-anchor="middle">{e(x_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# HTML ----------------------------------------------------------------------------------------
CSS = """
:root{--ink:#1d2433;--muted:#5b6475;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--accent:#3e6fb0}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1240px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:0 0 2px}h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;
border-bottom:2px solid var(--line)}h3{font-size:16px;margin:0 0 6px}
.sub{color:var(--muted);margin:0 0 18px;font-size:13px}
.grid{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px}
@media (max-width:760px){.grid{grid-template-columns:repeat(2,minmax(0,1fr))}}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .v{font-size:26px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card .d{font-size:12px;color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:14px}
.charts figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:12px}
figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eceef2}svg .axis{stroke:#9aa1ad}svg .tick{font-size:11px;fill:#5b6475}
svg .val{font-size:10px;fill:#333}svg .axis-label{font-size:12px;fill:#333}
svg .target{stroke:#c4161c;stroke-width:2;stroke-dasharray:5 4}
svg .target-label{font-size:11px;fill:#c4161c;font-weight:600}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
td.pg{min-width:260px}td.pg .path{display:block;color:var(--muted);font-size:11.5px}
td.rule{min-width:140px}
th{background:#eef1f5;font-weight:600;position:sticky;top:0;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
th[data-sort]{cursor:pointer}th[data-sort]:after{content:" ⇅";color:#9aa1ad;font-size:11px}
th.asc:after{content:" ▲";color:var(--ink)}th.desc:after{content:" ▼";color:var(--ink)}
.tablebox{max-height:560px;overflow:auto;border:1px solid var(--line);border-radius:8px}
.filter{margin:6px 0 8px;display:flex;gap:10px;align-items:center;font-size:13px}
.filter[hidden]{display:none}
.filter input{max-width:100%}
.scroll-cue{display:none;font-size:12px;color:var(--muted);margin:2px 0}
@media (max-width:900px){.scroll-cue{display:block}}
.tablebox{background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/40px 100%
no-repeat local,linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/40px 100% no-repeat
local,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.18),transparent) right/12px 100%
no-repeat scroll,#fff}
details.page>summary{cursor:pointer;font-weight:600}
details.issue{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:10px 14px;margin:8px 0}
details.issue>summary{cursor:pointer;list-style-position:outside}
.issue .why,.issue .fix{margin:4px 0;font-size:13.5px}
.prio{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
.prio-high{color:#c4161c}.prio-medium{color:#8a5a00}.prio-low{color:#5b6475}
.callout{background:#fdecec;border:1px solid #f3b4b4;border-radius:8px;padding:8px 12px;
margin:8px 0;font-size:14px}
.health{font-size:40px;font-weight:700}
@media (max-width:500px){main{padding:14px 12px 40px}td.pg{min-width:180px}}
.filter input{padding:5px 8px;border:1px solid #c9ced8;border-radius:6px;width:280px}
.sev{display:inline-block;padding:0 6px;border-radius:4px;color:#fff;font-size:11.5px;
font-weight:600;white-space:nowrap}
.sev-error{background:#c4161c}.sev-warning{background:#e8a317;color:#1d2433}
.sev-info{background:#2563c9}
mark{background:#ffe58a;padding:0 1px;border-radius:2px}
.page{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;
margin:10px 0}
.page .meta{color:var(--muted);font-size:13px;margin-bottom:6px}
.page ol{margin:0;padding-left:20px}.page li{margin:5px 0}
.ctx{display:block;color:#333;font-size:13px;margin-top:2px;word-break:break-word}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;
word-break:break-all}
.cats{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.chip{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:2px 10px;
font-size:13px}
.def{background:#fff8e6;border:1px solid #f0dca8;border-radius:8px;padding:8px 12px;
font-size:13px}
a{color:var(--accent)}
"""

JS = r"""
(function(){
  function val(td){var v=td.getAttribute('data-v');if(v===null)v=td.textContent.trim();
    var n=parseFloat(v);return (v!==''&&!isNaN(n)&&isFinite(v))?n:v.toLowerCase();}
  document.querySelectorAll('table.sortable').forEach(function(table){
    var heads=table.querySelectorAll('th[data-sort]');
    heads.forEach(function(th,i){
      th.setAttribute('tabindex','0');
      function sort(){
        var col=Array.prototype.indexOf.call(th.parentNode.children,th);
        var asc=!th.classList.contains('asc');
        heads.forEach(function(h){h.classList.remove('asc','desc');});
        th.classList.add(asc?'asc':'desc');
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=val(a.cells[col]),y=val(b.cells[col]);
          if(typeof x!==typeof y){x=String(x);y=String(y);}
          return (x<y?-1:x>y?1:0)*(asc?1:-1);});
        rows.forEach(function(r){body.appendChild(r);});
      }
      th.addEventListener('click',sort);
      th.addEventListener('keydown',function(ev){if(ev.key==='Enter')sort();});
    });
  });
  document.querySelectorAll('.filter').forEach(function(box){
    box.hidden=false;
    var input=box.querySelector('input');var table=document.getElementById(box.dataset.table);
    var count=box.querySelector('.count');
    function apply(){var q=input.value.toLowerCase();var shown=0;
      Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
        var ok=!q||r.textContent.toLowerCase().indexOf(q)!==-1;r.hidden=!ok;if(ok)shown++;});
      count.textContent=shown+' of '+table.tBodies[0].rows.length+' rows';}
    input.addEventListener('input',apply);apply();
  });
  document.documentElement.setAttribute('data-js','ready');
})();
"""


def _card(key: str, label: str, value: str, detail: str = "") -> str:
    return (f'<div class="card"><div class="k">{e(label)}</div>'
            f'<div class="v" data-metric="{e(key)}">{e(value)}</div>'
            f'<div class="d">{e(detail)}</div></div>')


def _filter(table_id: str, placeholder: str) -> str:
    return (f'<div class="filter" data-table="{e(table_id)}" hidden>'
            f'<input type="search" placeholder="{e(placeholder)}" '
            f'aria-label="{e(placeholder)}"><span class="count"></span></div>')


def _th(label: str, kind: str = "", numeric: bool = False) -> str:
    cls = ' class="n"' if numeric else ""
    sort = ' data-sort="1"' if kind != "none" else ""
    return f"<th{cls}{sort}>{e(label)}</th>"


def _td(value: Any, numeric: bool = False, raw: str | None = None) -> str:
    sort = "" if value is None else f' data-v="{e(value)}"'
    cls = ' class="n"' if numeric else ""
    return f"<td{cls}{sort}>{raw if raw is not None else e(_num(value))}</td>"


def _age(days: int | None) -> str:
    if days is None:
        return "–"
    if days < 60:
        return f"{days} d"
    if days < 730:
        return f"{days / 30.44:.0f} mo"
    return f"{days / 365.25:.1f} y"


def _sev(severity: str) -> str:
    return (f'<span class="sev sev-{e(severity)}">{SEV_ICONS.get(severity, "")} '
            f"{e(severity)}</span>")


def _table(table_id: str, heads: str, rows: Sequence[str], placeholder: str = "") -> str:
    return ((_filter(table_id, placeholder) if placeholder else "")
            + '<p class="scroll-cue">Swipe or scroll sideways for more columns →</p>'
            f'<div class="tablebox"><table id="{e(table_id)}" class="sortable"><thead><tr>'
            + heads + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def page_url(path: str, base_url: str) -> str:
    """The live page for a relative path: ``base_url`` plus the path, ``.md`` dropped."""
    if not base_url:
        return path
    tail = path[:-3] if path.endswith(".md") else path
    return base_url.rstrip("/") + "/" + tail.lstrip("/")


def _age_bins(ages: Sequence[dict[str, Any]], window: int) -> tuple[list[tuple[str, int]], int]:
    """Review ages in 6-month bars up to 4 years, and the bar where the window ends."""
    bins = [0] * 9
    for a in ages:
        bins[min(8, a["month"] // 6)] += a["pages"]
    labels = [f"{6 * i}–{6 * i + 6}" for i in range(8)] + ["48+"]
    return list(zip(labels, bins, strict=True)), min(8, -(-window // 6))


def render_html(summary: dict[str, Any], title: str = "medlint site audit",
                generated: str = "", sources: Sequence[str] = (), version: str = "",
                base_url: str = "") -> str:
    """The report as one HTML document, most urgent first: fix first, governance, sources,
    templates, charts, then the pages (collapsed). Paths are already relative."""
    s = summary["site"]
    sev = s["by_severity"]
    target = summary["target_grade"]
    out: list[str] = []
    w = out.append

    def link(path: str, label: str | None = None) -> str:
        if not base_url:
            return f'<span class="path">{e(label or path)}</span>'
        return f'<a class="path" href="{e(page_url(path, base_url))}">{e(label or path)}</a>'

    w("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>")
    w(f"<h1>{e(title)}</h1>")
    meta = [f"{len(sources)} source(s): " + ", ".join(sources[:4]) if sources else "",
            f"generated {generated}" if generated else "",
            f"medlint {version}" if version else "",
            f"site health {_num(s['health'])} / 100" if s.get("health") is not None else ""]
    w(f'<p class="sub">{e(" · ".join(m for m in meta if m))}</p>')

    # Fix first ------------------------------------------------------------------------
    issues = summary["fix_first"]
    w('<section id="fix-first"><h2>Fix first</h2>')
    w(f'<p class="sub">{len(issues):,} kinds of issue, most urgent first: priority comes from '
      "the worst severity found and the share of pages affected. Open one for its pages.</p>")
    for it in issues:
        w(f'<details class="issue" data-rule="{e(it["rule"])}"><summary>'
          f'<span class="prio prio-{e(it["priority"])}">'
          f'{PRIORITY_ICONS.get(it["priority"], "")} {e(it["priority"])}</span> '
          f'{_sev(it["severity"])} <b class="rule">{e(it["rule"])}</b> — '
          f'{it["pages"]:,} page{"s" if it["pages"] != 1 else ""} '
          f'({_pct(it["share"])}), {it["findings"]:,} finding'
          f'{"s" if it["findings"] != 1 else ""}</summary>')
        if it["why"]:
            w(f'<p class="why"><b>Why:</b> {e(it["why"])}</p>')
        fix = it["fix"] or f"see `medlint explain {it['rule']}` for failing and passing examples"
        w(f'<p class="fix"><b>How to fix:</b> {e(fix)}</p>')
        shown = it["page_list"]
        w("<ul>" + "".join(
            f"<li>{link(p['path'])}"
            + (f" — {p['findings']:,}×" if p.get("findings") else "") + "</li>"
            for p in shown) + "</ul>")
        if it["pages"] > len(shown):
            w(f'<p class="sub">first {len(shown):,} of {it["pages"]:,} pages; the CSV and '
              "JSONL list every page</p>")
        w("</details>")
    if not issues:
        w("<p>No findings: nothing to fix.</p>")
    w("</section>")

    # At a glance -----------------------------------------------------------------------
    w('<section id="glance"><h2>Site at a glance</h2><div class="grid">')
    w(_card("health", "Site health (0–100)", _num(s["health"]), "mean page health; "
            "higher is better"))
    w(_card("files", "Pages", _num(s["files"]),
            f"{_num(s['pages_with_findings'])} with findings"))
    w(_card("words", "Words", _num(s["words"]),
            f"{s['words'] / s['files']:,.0f} per page" if s["files"] else ""))
    w(_card("findings", "Findings", _num(s["findings"]),
            f"{sev['error']:,} errors · {sev['warning']:,} warnings · {sev['info']:,} info"))
    w(_card("errors", "Errors", _num(sev["error"]), "highest severity"))
    w(_card("reviewer_share", "Named medical reviewer", _pct(s["reviewer_share"]),
            f"{_num(s['reviewer_pages'])} of {_num(s['attribution_pages'])} pages"))
    w(_card("stale_share", "Stale review", _pct(s["stale_share"]),
            f"{_num(s['stale_pages'])} pages past the review window"))
    w(_card("median_grade", "Median reading grade", _num(s["median_grade"]),
            f"target ≤ {target}; {_num(s['pages_above_target'])} pages above"))
    w("</div>")
    cats = s["by_category"]
    order = [c for c in CATEGORY_ORDER if c in cats] + sorted(set(cats) - set(CATEGORY_ORDER))
    w('<div class="cats">' + "".join(
        f'<span class="chip">{e(c)}: <b data-category="{e(c)}">{cats[c]:,}</b></span>'
        for c in order) + "</div></section>")

    # Review governance -------------------------------------------------------------------
    g = summary["governance"]
    w('<section id="governance"><h2>Review governance</h2>')
    w('<div class="grid">')
    w(_card("overdue", "Reviews overdue", _num(g["overdue"]),
            f"older than the {g['window_months']}-month window"))
    w(_card("due_30", "Due in 30 days", _num(g["due_30"]), f"from {g['today'] or 'today'}"))
    w(_card("due_90", "Due in 90 days", _num(g["due_90"]), "including the next 30 days"))
    w(_card("no_attribution", "No reviewer or date", _num(g["no_attribution"]),
            "pages naming neither"))
    w("</div>")
    for d in g["same_date"]:
        w(f'<p class="callout">⚠ {d["pages"]:,} pages carry the same review date '
          f'<b>{e(d["date"])}</b>: they fall due together; check that each was really '
          "reviewed.</p>")
    bins, window_bar = _age_bins(g["age_months"], g["window_months"])
    w('<div class="charts"><figure><figcaption>Age of the latest medical review (months)'
      "</figcaption>")
    w(column_chart("Review age in months", bins, "months since the last medical review",
                   "pages", ["#3e6fb0" if i < window_bar else "#c4161c"
                             for i in range(len(bins))],
                   (window_bar, f"review window {g['window_months']} mo")))
    w("</figure></div>")
    if g["reviewers"]:
        w("<h3>Reviewers</h3>")
        rows = [f"<tr><td>{e(r['name'])}</td>"
                f"<td>{e(', '.join(r.get('credentials') or ()) or '—')}</td>"
                + _td(r["pages"], True)
                + _td(r["distinct_dates"], True)
                + f"<td>{e(', '.join(r['dates']))}</td><td>"
                + "<br>".join(link(x) for x in r["examples"][:3]) + "</td></tr>"
                for r in g["reviewers"]]
        w(_table("reviewers-table", _th("Reviewer") + _th("Credentials")
                 + _th("Pages", numeric=True) + _th("Distinct dates", numeric=True)
                 + _th("Review dates") + _th("Example pages"), rows))
    w("</section>")

    # Sources ---------------------------------------------------------------------------
    src = summary["sources"]
    w('<section id="sources"><h2>Sources</h2>')
    w(f'<p><b data-metric="no_sources">{src.get("pages_without_sources", 0):,}</b> pages '
      f"({_pct(src.get('without_sources_share'))}) cite no source at all: no link to another "
      "site, no references list or heading, no footnotes or [1]-style markers.</p>")
    if src.get("without_sources"):
        w("<details><summary>Pages without any source</summary><ul>"
          + "".join(f"<li>{link(x)}</li>" for x in src["without_sources"]) + "</ul></details>")
    w(f'<p><b data-metric="unsourced_pages">{src["pages_with_unsourced_claims"]:,}</b> pages '
      f"({_pct(src['share'])}) make specific claims without a source; "
      f"{src['unsourced_claims']:,} such claims in all.</p>")
    if src["pages"]:
        rows = [f"<tr><td>{link(p['path'])}</td>" + _td(p["unsourced_claims"], True) + "</tr>"
                for p in src["pages"]]
        w(_table("sources-table", _th("Page") + _th("Claims without a source", numeric=True),
                 rows))
    w("</section>")

    # Templates ------------------------------------------------------------------------
    clusters = summary["template_clusters"]
    w(f'<section id="templates"><h2>Template clusters ({len(clusters):,})</h2>')
    w('<p class="sub">Sentences shared across pages, grouped by the pages they occur on. '
      "One cluster is one template or one pasted block; it is credited to every page in "
      "it, not to the first file.</p>")
    if clusters:
        rows = [f"<tr><td>{c['id']}</td>" + _td(c["page_count"], True)
                + _td(c["sentences"], True)
                + f"<td>{e(c['examples'][0])}</td><td>"
                + "<br>".join(link(x) for x in c["pages"][:3])
                + ("<br>…" if c["page_count"] > 3 else "") + "</td></tr>"
                for c in clusters[:200]]
        w(_table("templates-table", _th("#", numeric=True) + _th("Pages", numeric=True)
                 + _th("Sentences", numeric=True) + _th("Example sentence")
                 + _th("Pages (first 3)"), rows, "Filter clusters…"))
    else:
        w("<p>No sentence was found shared across pages.</p>")
    titled = summary["title_insertions"]
    w(f"<h3>Other articles' titles inside sentences ({len(titled):,})</h3>")
    if titled:
        rows = [f"<tr><td><mark>{e(t['phrase'])}</mark></td><td>{e(t['title'])}<br>"
                f"{link(t['title_page'])}</td>" + _td(len(t["pages"]), True) + "<td>"
                + "<br>".join(f"{link(p['path'])}:{e(p['line'])}" for p in t["pages"][:8])
                + "</td></tr>" for t in titled[:200]]
        w(_table("titles-table", _th("Pasted phrase") + _th("Title of")
                 + _th("Found on pages", numeric=True) + _th("Pages"), rows))
    else:
        w("<p>No inserted phrase matched another article's title.</p>")
    w("</section>")

    # Charts ----------------------------------------------------------------------------
    w('<section id="charts"><h2>Charts</h2><div class="charts">')
    hist = summary["charts"]["grade_histogram"]
    colors = ["#3e6fb0" if b["grade"] <= target else "#d9822b" for b in hist]
    w("<figure><figcaption>Reading grade distribution (Flesch-Kincaid)</figcaption>")
    w(column_chart("Reading grade distribution", [(b["label"], b["pages"]) for b in hist],
                   "reading grade, rounded up (US school grade)", "pages", colors,
                   (target + 1, f"target ≤ grade {target}")))
    w("</figure>")
    rules = summary["by_rule"][:12]
    w("<figure><figcaption>Findings per rule"
      + (f" (top {len(rules)} of {len(summary['by_rule'])})"
         if len(summary["by_rule"]) > len(rules) else "") + "</figcaption>")
    w(bar_chart("Findings per rule",
                [(r["rule"], [(r[k], SEV_COLORS[k], k) for k in ("error", "warning", "info")])
                 for r in rules], "findings",
                legend=[(f"{SEV_ICONS[k]} {k}", SEV_COLORS[k])
                        for k in ("error", "warning", "info")]))
    w("</figure></div></section>")

    # Pages -----------------------------------------------------------------------------
    worst = summary["worst_pages"]
    w(f'<section id="worst"><h2>Pages, least healthy first <small class="sub">({len(worst):,} '
      "kept)</small></h2>")
    w(f'<p class="def"><b>Page health.</b> {e(summary["score_definition"])}</p>')
    rows = []
    for i, p in enumerate(worst, 1):
        name = p.get("title") or p["path"]
        cell = (f'<a href="#page-{i}">{e(name)}</a>'
                + (f'<span class="path">{e(p["path"])}</span>' if p.get("title") else ""))
        rows.append("<tr>" + _td(i, True) + f'<td class="pg" data-v="{e(name)}">{cell}</td>'
                    + _td(p["score"], True) + _td(p["findings"], True)
                    + _td(p["errors"], True) + _td(p["unsupported_claims"], True)
                    + f"<td>{e(p['reviewer'] or '—')}</td>"
                    + _td(p["review_age_days"], True, e(_age(p["review_age_days"])))
                    + _td(p["grade"], True) + _td(p["words"], True) + "</tr>")
    w(_table("worst-table", _th("#", numeric=True) + _th("Page") + _th("Health", numeric=True)
             + _th("Findings", numeric=True) + _th("Errors", numeric=True)
             + _th("Unsourced", numeric=True) + _th("Reviewer")
             + _th("Review age", numeric=True) + _th("Grade", numeric=True)
             + _th("Words", numeric=True), rows, "Filter pages, reviewers…"))
    w('<h3 id="pages">Page details</h3>')
    for i, p in enumerate(worst, 1):
        _page_details(w, i, p, link)
    w("</section>")

    # Rules table -------------------------------------------------------------------------
    w('<section id="rules"><h2>Findings by rule</h2>')
    rows = [f'<tr><td class="rule">{e(r["rule"])}</td>' + _td(r["findings"], True)
            + _td(r["pages"], True) + _td(r["error"], True) + _td(r["warning"], True)
            + _td(r["info"], True) + "</tr>" for r in summary["by_rule"]]
    w(_table("rules-table", _th("Rule") + _th("Findings", numeric=True)
             + _th("Pages", numeric=True) + _th("Errors", numeric=True)
             + _th("Warnings", numeric=True) + _th("Info", numeric=True), rows,
             "Filter rules…"))
    w("</section>")
    w(f'<footer class="sub">Made by medlint audit. {e(summary["score_definition"])}</footer>')
    w(f"</main><script>{JS}</script></body></html>\n")
    return "".join(out)


def _page_details(w: Any, i: int, p: dict[str, Any], link: Any) -> None:
    """One page, collapsed: its findings grouped by rule, the first few of each shown."""
    name = p.get("title") or p["path"]
    w(f'<details class="page" id="page-{i}"><summary>{i}. {e(name)} — health '
      f"{e(_num(p['score']))}, {e(_num(p['findings']))} findings</summary>")
    w(f'<div class="meta">{link(p["path"])} · {e(_num(p["words"]))} words · '
      f"grade {e(_num(p['grade']))} · reviewer {e(p['reviewer'] or 'none')}"
      f" · reviewed {e(p['reviewed'] or 'never')}"
      + (" · template cluster " + ", ".join(f"#{c}" for c in p["template_clusters"][:5])
         if p.get("template_clusters") else "")
      + ' · <a href="#worst">back to the list</a></div>')
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in p["findings_list"]:
        groups.setdefault(f["rule"], []).append(f)
    w("<ul>")
    for rule, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        first = items[:FIRST_SHOWN]
        w(f"<li>{_sev(items[0]['severity'])} <b>{len(items):,}×</b> "
          f'<span class="rule">{e(rule)}</span>'
          + (f", first {len(first)} shown" if len(items) > len(first) else "") + "<ol>")
        for f in first:
            if "marked" in f:
                ctx = f'{e(f["before"])}<mark>{e(f["marked"])}</mark>{e(f["after"])}'
            elif f["excerpt"]:
                ctx = f"<mark>{e(' '.join(str(f['excerpt']).split()))}</mark>"
            else:
                ctx = ""
            where = ("page" if f.get("anchor") == "page" else
                     f"section at line {e(f['line'])}" if f.get("anchor") == "section" else
                     f"line {e(f['line'])}")
            w(f"<li>{where}: {e(f['message'])}"
              + (f'<span class="ctx">{ctx}</span>' if ctx else "") + "</li>")
        w("</ol></li>")
    if p["findings"] > len(p["findings_list"]):
        w(f"<li>… and {p['findings'] - len(p['findings_list']):,} more in the JSONL</li>")
    w("</ul></details>")
