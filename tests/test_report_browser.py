"""report.html in a real browser: headless Chromium prints the Hebei example's report to A4 PDF within the page
count docs/report.md states, and lays the pages out in a 1280 px window without anything wider than the window (a
table wider than the page scrolls in its own box), with a font of the page's CJK list installed (no boxes for
康保县).

Chromium, fonts-noto-cjk and poppler-utils (pdfinfo) are installed by ``.ci/run``; a machine without them fails
these tests rather than skipping them.
"""
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fundalloc import cli

ROOT = Path(__file__).resolve().parents[1]
#: the bound docs/report.md states for the Hebei example's report printed on A4 (measured: 14 pages)
HEBEI_PAGES = (12, 16)
A4 = (595.3, 841.9)  # points, portrait
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

#: appended to a test copy of the page: writes the page's width and every element wider than the window (outside
#: a box that scrolls) into the DOM, which --dump-dom prints
PROBE = """<script>
window.addEventListener("load", () => {
  const root = document.documentElement, limit = root.clientWidth + 0.5, wide = [];
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
    if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > limit && !scrolls(el)) wide.push(el.tagName.toLowerCase() + "." + el.className);
  }
  // a font is installed when text set in it (falling back to monospace) is not as wide as in monospace
  const width = family => { const s = document.createElement("span");
    s.style.cssText = `font: 40px ${family}; position: absolute; white-space: nowrap`; s.textContent = "mmmiiiWW";
    document.body.appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return w; };
  const fonts = getComputedStyle(document.body).fontFamily.split(",").map(f => f.trim())
    .filter(f => f !== "sans-serif" && width(`${f}, monospace`) !== width("monospace"));
  document.body.dataset.probe = JSON.stringify({scroll: root.scrollWidth, client: root.clientWidth,
                                                wide: wide.slice(0, 10), fonts});
});
</script>"""


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; .ci/run installs chromium, fonts-noto-cjk and poppler-utils")
    return found


def chromium(*args: str, profile: Path) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or tool("chromium")
    run = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """report.html of the Hebei example (Chinese; 20 Monte Carlo draws instead of 200: the same pages, faster)
    and of the minimal example (English)."""
    out = tmp_path_factory.mktemp("reports")
    code = cli.main([str(ROOT / "examples" / "hebei" / "scenario.yaml"), "--out", str(out / "hebei"), "--quiet",
                     "--set", "sensitivity.monte_carlo.draws=20"])
    assert code == 0
    assert cli.main([str(ROOT / "examples" / "minimal" / "scenario.yaml"), "--out", str(out / "minimal"),
                     "--quiet"]) == 0
    return {"hebei": out / "hebei" / "report.html", "minimal": out / "minimal" / "report.html"}


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run([tool("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def test_the_hebei_report_prints_on_a4_in_the_stated_number_of_pages_with_its_chinese_font(reports, tmp_path):
    pdf = tmp_path / "report.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", reports["hebei"].as_uri(), profile=tmp_path / "p")
    sizes = page_sizes(pdf)
    assert HEBEI_PAGES[0] <= len(sizes) <= HEBEI_PAGES[1], f"{len(sizes)} pages"
    for width, height in sizes:  # portrait, or landscape for the wide tables
        assert sorted((width, height)) == pytest.approx(sorted(A4), abs=1.0)
    assert any(w > h for w, h in sizes) and sizes[0][0] < sizes[0][1]  # the 分配表 on landscape pages


@pytest.mark.parametrize("name", ["hebei", "minimal"])
def test_nothing_is_wider_than_a_1280_px_window(reports, tmp_path, name):
    page = reports[name].read_text(encoding="utf-8")
    copy = tmp_path / "probe.html"
    copy.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium("--window-size=1280,900", "--dump-dom", copy.as_uri(), profile=tmp_path / "p")
    probe = re.search(r'data-probe="([^"]*)"', dom)
    assert probe is not None, dom[-500:]
    found = json.loads(html.unescape(probe.group(1)))
    assert found["wide"] == [] and found["scroll"] <= found["client"] <= 1280, found
    assert found["fonts"], "none of the page's CJK fonts is installed: Chinese names would be boxes"
