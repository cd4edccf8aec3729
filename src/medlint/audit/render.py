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

SEV_COLORS = {"error": "#b42318", "warning": "#b54708", "info": "#175cd3"}
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
        lines.append("  worst pages (score):")
        lines += [f"    {p['score']:>7.1f}  {p['path']}" for p in worst]
    if summary["pasted_sentences"]:
        top = summary["pasted_sentences"][0]
        lines.append(f"  {len(summary['pasted_sentences'])} sentence(s) pasted across pages; "
                     f"most: {top['pages']} pages")
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
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
.charts figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:12px}
figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eceef2}svg .axis{stroke:#9aa1ad}svg .tick{font-size:11px;fill:#5b6475}
svg .val{font-size:10px;fill:#333}svg .axis-label{font-size:12px;fill:#333}
svg .target{stroke:#b42318;stroke-width:2;stroke-dasharray:5 4}
svg .target-label{font-size:11px;fill:#b42318;font-weight:600}
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
.filter input{padding:5px 8px;border:1px solid #c9ced8;border-radius:6px;width:280px}
.sev{display:inline-block;padding:0 6px;border-radius:4px;color:#fff;font-size:11.5px;
font-weight:600}
.sev-error{background:#b42318}.sev-warning{background:#b54708}.sev-info{background:#175cd3}
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


def render_html(summary: dict[str, Any], title: str = "medlint site audit",
                generated: str = "", sources: Sequence[str] = (), version: str = "",
                base: str = "") -> str:
    """The report as one HTML document; paths under ``base`` are shown relative to it."""
    prefix = base.rstrip("/\\") + "/" if base else ""

    def rel(path: str) -> str:
        return path[len(prefix):] if prefix and path.startswith(prefix) else path

    s = summary["site"]
    sev = s["by_severity"]
    target = summary["target_grade"]
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>")
    w(f"<h1>{e(title)}</h1>")
    meta = [f"{len(sources)} source(s): " + ", ".join(sources[:4]) if sources else "",
            f"generated {generated}" if generated else "",
            f"medlint {version}" if version else ""]
    w(f'<p class="sub">{e(" · ".join(m for m in meta if m))}</p>')

    # At a glance
    w('<section id="glance"><h2>Site at a glance</h2><div class="grid">')
    w(_card("files", "Pages", _num(s["files"]),
            f"{_num(s['pages_with_findings'])} with findings"))
    w(_card("words", "Words", _num(s["words"]),
            f"{s['words'] / s['files']:,.0f} per page" if s["files"] else ""))
    w(_card("findings", "Findings", _num(s["findings"]),
            f"{sev['error']:,} errors · {sev['warning']:,} warnings · {sev['info']:,} info"))
    w(_card("reviewer_share", "Named medical reviewer", _pct(s["reviewer_share"]),
            f"{_num(s['reviewer_pages'])} of {_num(s['attribution_pages'])} pages"))
    w(_card("stale_share", "Stale review", _pct(s["stale_share"]),
            f"{_num(s['stale_pages'])} pages past the review window"))
    w(_card("median_grade", "Median reading grade", _num(s["median_grade"]),
            f"target ≤ {target}; {_num(s['pages_above_target'])} pages above"))
    w(_card("mean_score", "Mean page score", _num(s["mean_score"]), "higher is worse"))
    w(_card("errors", "Errors", _num(sev["error"]), "highest severity"))
    w("</div>")
    cats = s["by_category"]
    order = [c for c in CATEGORY_ORDER if c in cats] + sorted(set(cats) - set(CATEGORY_ORDER))
    w('<div class="cats">' + "".join(
        f'<span class="chip">{e(c)}: <b data-category="{e(c)}">{cats[c]:,}</b></span>'
        for c in order) + "</div></section>")

    # Charts
    w('<section id="charts"><h2>Charts</h2><div class="charts">')
    hist = summary["charts"]["grade_histogram"]
    colors = ["#3e6fb0" if b["grade"] <= target else "#d9822b" for b in hist]
    w("<figure><figcaption>Reading grade distribution (Flesch-Kincaid)</figcaption>")
    w(column_chart("Reading grade distribution", [(b["label"], b["pages"]) for b in hist],
                   "reading grade, rounded up (US school grade)", "pages", colors,
                   (target + 1, f"target ≤ grade {target}")))
    w("</figure>")
    rules = summary["by_rule"][:18]
    w("<figure><figcaption>Findings per rule"
      + (f" (top {len(rules)} of {len(summary['by_rule'])})"
         if len(summary["by_rule"]) > len(rules) else "") + "</figcaption>")
    w(bar_chart("Findings per rule",
                [(r["rule"], [(r[k], SEV_COLORS[k], k) for k in ("error", "warning", "info")])
                 for r in rules], "findings",
                legend=[(k, SEV_COLORS[k]) for k in ("error", "warning", "info")]))
    w("</figure>")
    ages = summary["charts"]["review_age"]
    w("<figure><figcaption>Age of the latest medical review</figcaption>")
    w(column_chart("Review age", [(a["label"], a["pages"]) for a in ages],
                   "time since the last medical review", "pages",
                   ["#3e6fb0", "#3e6fb0", "#7d9cc9", "#d9822b", "#b42318", "#9aa1ad"]))
    w("</figure>")
    claims = summary["charts"]["claims"]
    w("<figure><figcaption>Claim strength mix</figcaption>")
    w(bar_chart("Claim strength mix",
                [(c["strength"], [(c["supported"], "#2f9e6b", "supported"),
                                  (c["unsupported"], "#d9534f", "unsupported")])
                 for c in claims], "claim sentences", label_width=120,
                legend=[("supported", "#2f9e6b"), ("unsupported", "#d9534f")]))
    w("</figure></div></section>")

    # Worst pages
    worst = summary["worst_pages"]
    w(f'<section id="worst"><h2>Worst pages first <small class="sub">(top {len(worst):,} by '
      "page score)</small></h2>")
    w(f'<p class="def"><b>Page score.</b> {e(summary["score_definition"])}</p>')
    w(_filter("worst-table", "Filter pages, rules, reviewers…"))
    w('<div class="tablebox"><table id="worst-table" class="sortable"><thead><tr>')
    w(_th("#", numeric=True) + _th("Page") + _th("Score", numeric=True)
      + _th("Words", numeric=True) + _th("Findings", numeric=True)
      + _th("Errors", numeric=True) + _th("Grade", numeric=True) + _th("Reviewer")
      + _th("Review age", numeric=True) + _th("Unsourced", numeric=True)
      + _th("Top rule"))
    w("</tr></thead><tbody>")
    for i, p in enumerate(worst, 1):
        name = p.get("title") or rel(p["path"])
        link = (f'<a href="#page-{i}">{e(name)}</a>'
                + (f'<span class="path">{e(rel(p["path"]))}</span>' if p.get("title") else ""))
        w("<tr>" + _td(i, True) + f'<td class="pg" data-v="{e(name)}">{link}</td>'
          + _td(p["score"], True) + _td(p["words"], True) + _td(p["findings"], True)
          + _td(p["errors"], True) + _td(p["grade"], True)
          + f"<td>{e(p['reviewer'] or '—')}</td>"
          + _td(p["review_age_days"], True, e(_age(p["review_age_days"])))
          + _td(p["unsupported_claims"], True)
          + f'<td class="rule">{e(p["top_rule"]).replace("/", "/<wbr>")}</td></tr>')
    w("</tbody></table></div></section>")

    # Cross-page signals
    pasted = summary["pasted_sentences"]
    w('<section id="cross-page"><h2>Cross-page signals</h2>')
    w(f"<h3>Sentences pasted across pages ({len(pasted):,})</h3>")
    if pasted:
        w(_filter("pasted-table", "Filter sentences…"))
        w('<div class="tablebox"><table id="pasted-table" class="sortable"><thead><tr>'
          + _th("Sentence") + _th("Pages", numeric=True) + _th("Examples") + "</tr></thead>"
          "<tbody>")
        for g in pasted:
            w(f"<tr><td>{e(g['excerpt'])}</td>" + _td(g["pages"], True)
              + '<td class="path">' + "<br>".join(e(rel(x)) for x in g["examples"][:3])
              + ("<br>…" if g["pages"] > 3 else "") + "</td></tr>")
        w("</tbody></table></div>")
    else:
        w("<p>No sentence was found pasted across pages.</p>")
    titled = summary["title_insertions"]
    w(f"<h3>Other articles' titles inside sentences ({len(titled):,})</h3>")
    if titled:
        w(_filter("titles-table", "Filter phrases and titles…"))
        w('<div class="tablebox"><table id="titles-table" class="sortable"><thead><tr>'
          + _th("Pasted phrase") + _th("Title of") + _th("Found on", numeric=True)
          + _th("Pages") + "</tr></thead><tbody>")
        for g in titled:
            pages = "<br>".join(f"{e(rel(p['path']))}:{e(p['line'])}"
                                for p in g["pages"][:8])
            w(f"<tr><td><mark>{e(g['phrase'])}</mark></td><td>{e(g['title'])}<br>"
              f'<span class="path">{e(rel(g["title_page"]))}</span></td>'
              + _td(len(g["pages"]), True) + f'<td class="path">{pages}</td></tr>')
        w("</tbody></table></div>")
    else:
        w("<p>No inserted phrase matched another article's title.</p>")
    w("</section>")

    # Rules table
    w('<section id="rules"><h2>Findings by rule</h2>')
    w(_filter("rules-table", "Filter rules…"))
    w('<div class="tablebox"><table id="rules-table" class="sortable"><thead><tr>'
      + _th("Rule") + _th("Findings", numeric=True) + _th("Pages", numeric=True)
      + _th("Errors", numeric=True) + _th("Warnings", numeric=True)
      + _th("Info", numeric=True) + "</tr></thead><tbody>")
    for r in summary["by_rule"]:
        w(f'<tr><td class="rule">{e(r["rule"])}</td>' + _td(r["findings"], True)
          + _td(r["pages"], True) + _td(r["error"], True) + _td(r["warning"], True)
          + _td(r["info"], True) + "</tr>")
    w("</tbody></table></div></section>")

    # Page sections
    w('<section id="pages"><h2>Worst pages in detail</h2>')
    for i, p in enumerate(worst, 1):
        name = p.get("title") or rel(p["path"])
        w(f'<article class="page" id="page-{i}"><h3>{i}. {e(name)}</h3>')
        w(f'<div class="meta"><span class="path">{e(rel(p["path"]))}</span> · score '
          f"<b>{e(_num(p['score']))}</b> · {e(_num(p['words']))} words · "
          f"grade {e(_num(p['grade']))} · reviewer {e(p['reviewer'] or 'none')}"
          f" · reviewed {e(p['reviewed'] or 'never')} · {e(_num(p['findings']))} findings"
          " · <a href=\"#worst\">back to the list</a></div><ol>")
        for f in p["findings_list"]:
            if "marked" in f:
                ctx = (f'{e(f["before"])}<mark>{e(f["marked"])}</mark>{e(f["after"])}')
            elif f["excerpt"]:
                ctx = f"<mark>{e(f['excerpt'])}</mark>"
            else:
                ctx = ""
            w(f'<li><span class="sev sev-{e(f["severity"])}">{e(f["severity"])}</span> '
              f'<span class="rule">{e(f["rule"])}</span> line {e(f["line"])}: '
              f"{e(f['message'])}" + (f'<span class="ctx">{ctx}</span>' if ctx else "")
              + "</li>")
        if p["findings"] > len(p["findings_list"]):
            w(f"<li>… and {p['findings'] - len(p['findings_list']):,} more</li>")
        w("</ol></article>")
    w("</section>")
    w(f'<footer class="sub">Made by medlint audit. {e(summary["score_definition"])}</footer>')
    w(f"</main><script>{JS}</script></body></html>\n")
    return "".join(out)
