"""Trade balancing with a pinned link (tools.baseline.network.Draft.balance_trade): a cited import share is a
fixed flow, and the rest of the matrix is balanced around it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / "tools" / "baseline").is_dir():  # pragma: no cover - e.g. testing an installed wheel
    pytest.skip("tools/baseline is not in this checkout", allow_module_level=True)
sys.path.insert(0, str(ROOT))

from tools.baseline.network import Draft  # noqa: E402
from tools.baseline.sources import V  # noqa: E402


def _draft() -> Draft:
    net = Draft()
    net.commodity("aam", "anode", "t", "batteries", V(4000.0, "test"), V(1.0, "test"), V(30.0, "test"),
                  V(30.0, "test"))
    return net


def _flows(net: Draft) -> dict[tuple[str, str], float]:
    out = {}
    for lane in net.lanes:
        flow = float(lane["share"].source.split("flow ")[1].split(" of")[0].replace(",", ""))
        out[lane["origin"], lane["destination"]] = flow
    return out


def test_a_pinned_share_is_a_fixed_flow_and_the_rest_balances_around_it():
    """Hand-computed: suppliers KR.s and US.s make 10 each; buyers KR.b and US.b use 10 each; uniform prior.

    Pinning KR.s at 30 % of US.b's use fixes KR.s->US.b = 3; the remainder (KR.s 7, US.s 10; KR.b 10, US.b 7)
    with the pinned cell out of the prior leaves KR.s only KR.b (7), so US.s->KR.b = 3 and US.s->US.b = 7.
    Without the pin the uniform prior balances to 5 on every link.
    """
    suppliers = {"KR.s": "KR", "US.s": "US"}
    buyers = {"KR.b": 10.0, "US.b": 10.0}
    targets = {"KR.s": 10.0, "US.s": 10.0}
    pinned = _draft()
    pinned.balance_trade("aam", suppliers, buyers, targets, lambda s, b: 1.0, "test", "test",
                         pinned={("KR.s", "US"): 0.3})
    assert _flows(pinned) == pytest.approx({("KR.s", "KR.b"): 7.0, ("US.s", "KR.b"): 3.0, ("KR.s", "US.b"): 3.0,
                                            ("US.s", "US.b"): 7.0})
    pinned_lane = next(l for l in pinned.lanes if (l["origin"], l["destination"]) == ("KR.s", "US.b"))
    assert pinned_lane["share"].value == pytest.approx(0.3)
    assert "pinned at the cited share 0.3" in pinned_lane["share"].source
    free = _draft()
    free.balance_trade("aam", suppliers, buyers, targets, lambda s, b: 1.0, "test", "test")
    assert _flows(free) == pytest.approx({k: 5.0 for k in _flows(pinned)})


def test_a_pin_larger_than_the_supplier_is_refused():
    net = _draft()
    with pytest.raises(ValueError, match="exceed a supplier's output"):
        net.balance_trade("aam", {"KR.s": "KR", "US.s": "US"}, {"KR.b": 10.0, "US.b": 30.0},
                          {"KR.s": 10.0, "US.s": 30.0}, lambda s, b: 1.0, "test", "test",
                          pinned={("KR.s", "US"): 0.5})
