"""docs/report.md runs as written, and states the page count the browser test holds."""
import contextlib
import io
import re
from pathlib import Path

from test_report_browser import HEBEI_PAGES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "report.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)


def test_the_example_prints_what_the_page_shows():
    fences = list(FENCE.finditer(DOC.read_text(encoding="utf-8")))
    [(code, shown)] = [(m.group(2), after.group(2)) for m, after in zip(fences, fences[1:])
                       if m.group(1) == "python" and after.group(1) == "text"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(DOC), "exec"), {})
    assert printed.getvalue().split() == shown.split()


def test_the_stated_page_count_is_the_one_the_browser_test_holds():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    stated = int(re.search(r"prints on \*\*(\d+) A4 pages\*\*", text).group(1))
    low, high = map(int, re.search(r"holds it between (\d+) and (\d+) pages", text).groups())
    assert (low, high) == HEBEI_PAGES and low <= stated <= high
