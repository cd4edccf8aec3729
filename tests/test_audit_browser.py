"""The audit report in a real headless browser at 1400 and 390 px: no console errors, the
numbers shown match the JSON summary, the script ran, "fix first" is the first section, page
details start collapsed, no chart overflows a phone screen and no excerpt shows raw front
matter or Markdown markup. Screenshots go to the pytest tmp dir (their paths are printed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"
PAGES = 500
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions",
         "--no-first-run", "--hide-scrollbars")
WIDTHS = (1400, 390)
FRAME_HEIGHT = 2400
# Measures the laid-out report inside its frame and writes the answers (and, for the widest
# frame, the report's DOM after its script ran) into the parent page for --dump-dom to show.
PROBE = """<script>window.addEventListener('load',function(){
var w=document.documentElement.clientWidth,over=[];
document.querySelectorAll('svg.chart').forEach(function(c){var r=c.getBoundingClientRect();
  if(r.right>w+1||r.left<-1)over.push(c.getAttribute('aria-label'));});
var secs=document.querySelectorAll('main section');
var open=document.querySelectorAll('details[open]').length;
var ctx=[];document.querySelectorAll('.ctx').forEach(function(x){ctx.push(x.textContent);});
var out={width:w,overflow:over,first:secs.length?secs[0].id:'',open:open,
  details:document.querySelectorAll('details.page').length,ctx:ctx,
  dom:w>1000?document.documentElement.outerHTML:''};
var pre=document.createElement('pre');pre.className='probe';pre.textContent=JSON.stringify(out);
window.parent.document.body.appendChild(pre);});</script>"""
RAW_MARKUP = re.compile(r"^---|\n---|\]\(|\*\*|__|^#{1,6} |\s#{1,6} |```|<[a-z/!]|"
                        r"(?:^|\s)(?:title|reviewer|last_reviewed|date):\s")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    why = ("no headless browser on PATH (looked for " + ", ".join(BROWSERS) + "): install "
           "Debian's 'chromium' package to run the audit report browser test")
    if os.environ.get("CI"):  # .ci/run installs it: in CI this test must run, never skip
        pytest.fail(why)
    pytest.skip(why)


def _run_browser(browser: str, url: str, *extra: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([browser, *FLAGS, "--enable-logging=stderr", "--v=0",
                           f"--user-data-dir={cwd / 'profile'}", *extra, url],
                          capture_output=True, text=True, timeout=60, cwd=cwd)


def _console_errors(stderr: str) -> list[str]:
    """Console messages and uncaught exceptions Chromium logs with --enable-logging."""
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line]


class _Metrics(HTMLParser):
    """Collects the text of elements carrying data-metric / data-category, and table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.metrics: dict[str, str] = {}
        self.categories: dict[str, str] = {}
        self.counts: list[str] = []
        self.worst_rows = 0
        self._key: tuple[str, str] | None = None
        self._table: str | None = None
        self._depth = 0
        self.js_ready = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html" and a.get("data-js") == "ready":
            self.js_ready = True
        if "data-metric" in a:
            self._key = ("m", a["data-metric"])
        elif "data-category" in a:
            self._key = ("c", a["data-category"])
        elif tag == "span" and a.get("class") == "count":
            self._key = ("n", "")
        if tag == "table":
            self._table = a.get("id")
        if tag == "tr" and self._table == "worst-table" and self._depth:
            self.worst_rows += 1
        if tag == "tbody":
            self._depth = 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._depth = 0

    def handle_data(self, data):
        if self._key is None:
            return
        kind, key = self._key
        if kind == "m":
            self.metrics[key] = data.strip()
        elif kind == "c":
            self.categories[key] = data.strip()
        else:
            self.counts.append(data.strip())
        self._key = None


def _site(kind: str, folder: Path) -> Path:
    if kind == "corpus":
        return ROOT / "corpus"
    from tools.sitegen import generate_site

    generate_site(folder, PAGES, seed=7)
    return folder


def test_console_errors_are_detected(tmp_path):
    """The detector itself can fail: a page with a broken script is caught."""
    browser = _browser()
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script>"
                    "</body></html>", encoding="utf-8")
    run = _run_browser(browser, page.as_uri(), "--dump-dom", cwd=tmp_path)
    assert "<p>x</p>" in run.stdout
    assert _console_errors(run.stderr), run.stderr[-2000:]


@pytest.mark.parametrize("kind", ["corpus", "generated"])
def test_report_renders_in_headless_chromium(tmp_path, kind):
    browser = _browser()
    site = _site(kind, tmp_path / "site")
    report, data = tmp_path / "audit.html", tmp_path / "audit.json"
    result = CliRunner().invoke(cli, ["audit", str(site), "--today", TODAY, "--no-cache",
                                      "--no-progress", "--html", str(report),
                                      "--json", str(data)])
    assert result.exit_code == 0, result.output
    summary = json.loads(data.read_text(encoding="utf-8"))
    s = summary["site"]
    if kind == "generated":
        assert s["files"] == PAGES
    else:
        assert s["files"] == len([p for p in site.rglob("*") if p.suffix in (".md", ".html",
                                                                              ".txt")])

    # Both widths in one page (headless windows are at least 500 px wide, so a phone is an
    # iframe of its width): one browser run measures both, one more takes the screenshot.
    html = report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>")
    frame = tmp_path / "frames.html"
    frame.write_text('<!DOCTYPE html><html><body style="margin:0;white-space:nowrap">' + "".join(
        f'<iframe style="border:0;vertical-align:top;width:{width}px;height:{FRAME_HEIGHT}px;'
        f'margin-right:20px" srcdoc="{escape(html, quote=True)}"></iframe>' for width in WIDTHS)
        + "</body></html>", encoding="utf-8")
    window = f"--window-size={sum(WIDTHS) + 20 * len(WIDTHS)},{FRAME_HEIGHT}"
    run = _run_browser(browser, frame.as_uri(), "--dump-dom", window, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert not _console_errors(run.stderr), _console_errors(run.stderr)
    probes = {p["width"]: p for p in (json.loads(unescape(m)) for m in re.findall(
        r'<pre class="probe">(.*?)</pre>', run.stdout, re.S))}
    assert sorted(probes) == sorted(WIDTHS), (sorted(probes), run.stderr[-2000:])

    dom = _Metrics()
    dom.feed(probes[max(WIDTHS)]["dom"])
    assert dom.js_ready, "the report's script did not run"
    shown = dom.metrics
    assert shown["files"] == f"{s['files']:,}"
    assert shown["words"] == f"{s['words']:,}"
    assert shown["findings"] == f"{s['findings']:,}"
    assert shown["errors"] == f"{s['by_severity']['error']:,}"
    assert shown["reviewer_share"] == f"{100 * s['reviewer_share']:.1f}%"
    assert shown["stale_share"] == f"{100 * s['stale_share']:.1f}%"
    assert shown["median_grade"] == f"{s['median_grade']:,.1f}"
    assert shown["health"] == f"{s['health']:,.1f}"
    assert 0 <= s["health"] <= 100
    assert {k: int(v.replace(",", "")) for k, v in dom.categories.items()} == s["by_category"]
    worst = len(summary["worst_pages"])
    assert dom.worst_rows == worst
    assert f"{worst} of {worst} rows" in dom.counts  # the filter script ran on the table
    assert re.search(r'<svg class="chart"', probes[max(WIDTHS)]["dom"])

    for width, probe in probes.items():
        assert probe["first"] == "fix-first", probe["first"]
        assert probe["overflow"] == [], f"charts wider than {width} px: {probe['overflow']}"
        assert probe["details"] == worst and probe["open"] == 0  # collapsed until asked
        assert probe["ctx"], "no excerpts shown"
        raw = [c for c in probe["ctx"] if RAW_MARKUP.search(c)]
        assert not raw, raw[:5]

    shot = tmp_path / f"audit-report-{kind}-{'-'.join(map(str, WIDTHS))}.png"
    run = _run_browser(browser, frame.as_uri(), f"--screenshot={shot}", window, cwd=tmp_path)
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    print(f"screenshot ({' and '.join(f'{w} px' for w in WIDTHS)} side by side): {shot}")
