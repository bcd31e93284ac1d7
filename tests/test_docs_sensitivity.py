"""docs/sensitivity.md runs as written, and shows what the code prints.

Every ```python block runs in order, in one namespace, with the repository's root as working directory (as
tests/test_readme.py does for the README); a block whose first line says ``# not run in tests`` is only
compiled. A ```text block right after a ```python block is that block's output: it must be what the block
prints, line by line (runs of spaces collapsed). A block whose first line says ``# needs dask`` runs when Dask's
``distributed`` is installed (an optional extra). A few key numbers are also checked by value, and the page's
``sensitivity:`` section for the scenario file must be the one its Python twin builds.
"""
import contextlib
import importlib.util
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import fundalloc as fa

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "sensitivity.md"
SKIP = "# not run in tests"
NEEDS_DASK = "# needs dask"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)


@dataclass
class Block:
    number: int          # 1-based among the page's python blocks
    code: str
    shown: str | None    # the text block right after it, if any


def fenced(lang: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(DOC.read_text(encoding="utf-8")) if m.group(1) == lang]


def python_blocks() -> list[Block]:
    text = DOC.read_text(encoding="utf-8")
    fences = list(FENCE.finditer(text))
    blocks = []
    for i, m in enumerate(fences):
        if m.group(1) != "python":
            continue
        after = fences[i + 1] if i + 1 < len(fences) else None
        shown = (after.group(2) if after is not None and after.group(1) == "text"
                 and not text[m.end():after.start()].strip() else None)
        blocks.append(Block(len(blocks) + 1, m.group(2), shown))
    return blocks


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def page():
    """Run the page once: (namespace, [(block, printed)]) for the blocks that run."""
    blocks = python_blocks()
    assert len(blocks) >= 10
    namespace, ran = {}, []
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        for block in blocks:
            code = compile(block.code, f"docs/sensitivity.md, python block {block.number}", "exec")
            if block.code.startswith(SKIP) or (block.code.startswith(NEEDS_DASK)
                                               and importlib.util.find_spec("distributed") is None):
                continue
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(code, namespace)
            ran.append((block, out.getvalue()))
    return namespace, ran


def test_every_block_prints_what_the_page_shows(page):
    _, ran = page
    checked = 0
    for block, printed in ran:
        if block.shown is not None:
            assert lines(printed) == lines(block.shown), f"python block {block.number} prints something else now"
            checked += 1
        else:
            assert not printed.strip(), f"python block {block.number} prints output the page does not show"
    assert checked >= 10


def test_the_numbers_the_page_explains(page):
    ns, _ = page
    prices = ns["res"].shadow_prices
    assert ns["res"].objective == pytest.approx(498.25)
    assert prices["budget"] == pytest.approx(0.8)
    assert prices["tilt"] == pytest.approx(-1 / 12)
    assert prices["zero_employment"] == pytest.approx(-2 / 3)

    budget = ns["limits"].set_index("rule").loc["budget"]
    assert (budget["lowest"], budget["highest"]) == pytest.approx((800 / 3, 450))

    tilt = ns["prices"].set_index("rule").loc["tilt"]
    assert tilt["price"] == pytest.approx(3.0)                      # 36 万元 × 1/12, not 116 × 1/12
    assert tilt["price_of_step"] == pytest.approx(29 / 12)          # 10 points of 290 万元 × 1/12
    assert tilt["estimate_of_step"] == pytest.approx(29 / 12)

    bp = ns["sw"].breakpoints
    assert bp["budget"].tolist() == pytest.approx([450, 455, 462.5])
    assert bp["shadow_price_above"].tolist() == pytest.approx([0.75, 0.5, 0.3])
    assert ns["tilt"].table.set_index("value").loc[0.45, "status"] == "infeasible"

    # infeasible sides first (the loudest rows), then the largest swing
    assert ns["tor"]["swing"].isna().tolist()[:2] == [True, True]
    assert ns["tor"]["parameter"].iloc[2] == "measures.post.unit_cost"

    assert (ns["mc"].draws["status"] == "optimal").sum() == 36
    tied = ns["mc_tie"].units["within_10pct"]
    assert tied["A"] < 0.9 and tied["B"] < 0.9 and tied["C"] == 1.0
    assert ns["base"].units["amount"].tolist() == pytest.approx([105, 105, 80])   # the tie-break's even split
    before, after = ns["before"], ns["after"]                                  # Hebei without and with it
    pd.testing.assert_series_equal(before.draws["objective"], after.draws["objective"], rtol=1e-9)
    steady = [int((run.units["within_10pct"] >= 0.9).sum()) for run in (before, after)]
    assert steady[1] > steady[0]
    never = [int((run.units["within_10pct"] == 0).sum()) for run in (before, after)]
    assert never[1] < never[0]
    assert ns["again"].draws.equals(ns["mc"].draws)

    # the Hebei numbers the prose quotes (the blocks print the rest)
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    hebei, res = ns["hebei_res"].scenario, ns["hebei_res"]
    quoted = [f"{steady[1]} rather than {steady[0]} of the 63 counties",
              f"never within ±10 % go from {never[0]} to {never[1]}",
              f"In `examples/hebei` {int(res.units['tie_decided'].sum())} of the 63 counties are tied"]
    low, high = res.units.loc["130529", ["amount_min_at_optimum", "amount_max_at_optimum"]]
    quoted.append(f"anything from {low:.2f} to {high:.2f} 万元")
    assert int(after.clipped.sum()) == 0  # the example leaves the posts' effectiveness (at its bound) undrawn
    quoted.append("the example draws none")
    rate = res.shadow_prices["budget"]
    quote = next(q for q in ns["hebei_sentences"][0].quotes)
    asked = [fa.rules.share_pieces(s, s.rule("tilt"), res.program.masks)[0].level
             for s in (hebei, hebei.with_changes(quote.changes))]
    quoted += [f"the budget's rate, {rate:.2f}", f"adds {quote.gain:.1f} rather than 400 × {rate:.2f} = {400 * rate:.0f}",
               f"from {100 * asked[0]:.2f} % to {100 * asked[1]:.2f} %"]
    tilt = ns["hebei_prices"].set_index("rule").loc["tilt"]
    quoted += [f"gains {tilt['price_of_step']:,.0f} weighted persons, not {tilt['estimate_of_step']:,.0f}",
               f"{100 * tilt['price'] / res.objective:.1f} % of the objective"]
    members = res.rule_duals("population.zero_employment_members")
    quoted.append(f"worth up to {members.max():.2f}")
    limits = fa.rulestate.limits(res, "population.zero_employment_members")
    quoted.append(f"at its ceiling in {limits.at_limit} of 63 counties, with a price in {limits.priced}")
    missing = [q for q in quoted if q not in text]
    assert not missing, missing
    assert ns["sob"].sobol.sort_values("ST")["parameter"].iloc[-1] == "measures.post.effectiveness"
    assert "sweep_budget_total_breakpoints" in ns["report"].tables()


def test_the_scenario_file_section_is_the_python_one(page, tmp_path):
    ns, _ = page
    (yaml,) = fenced("yaml")
    shutil.copytree(ROOT / "examples" / "minimal", tmp_path, dirs_exist_ok=True)
    (tmp_path / "minimal-sensitivity.yaml").write_text(yaml, encoding="utf-8")
    sc = fa.load_scenario(tmp_path / "minimal-sensitivity.yaml")
    assert sc.sensitivity == ns["sc_s"].sensitivity
