"""A chunk's memory budget counts whole landing days in the integers the vector engine stores them in."""

from __future__ import annotations

import dataclasses

import pytest

from supplychain import load_baseline
from supplychain.analytics._toy import toy_network
from supplychain.compile.compiler import compile_scenario
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import draw_batch
from supplychain.model import Scenario
from supplychain.model.dists.continuous import LogNormal
from supplychain.run import chunks
from supplychain.run.chunks import _bytes_per_run, _landing_day_bytes


def _unbounded(days: int) -> Scenario:
    """The toy with log-normal lead times (no longest), so a horizon over 255 days needs 2-byte days."""
    net = toy_network()
    lanes = tuple(dataclasses.replace(lane, lead_time=LogNormal(10.0, 3.0)) for lane in net.lanes)
    return Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=days)


@pytest.mark.parametrize("scenario, itemsize", [
    (load_baseline(random_lead_times=True).with_horizon(60), 1),    # the baseline's days fit in a byte
    (_unbounded(200), 1),                                            # a horizon under 256 days: a byte
    (_unbounded(300), 2),                                            # longer, and no longest lead time
])
def test_the_budget_uses_the_dtype_the_engine_draws_into(scenario, itemsize, monkeypatch):
    c = compile_scenario(scenario)
    drawn = draw_batch(c, run_seed_sequences(0, 2), arrival_days=True).arrival_days
    assert drawn is not None and drawn.dtype.itemsize == _landing_day_bytes(c) == itemsize
    # The summary budget holds each lane-day's landing day at that size: 8-byte days would add the rest.
    budget = _bytes_per_run(c, "summary")
    monkeypatch.setattr(chunks, "_landing_day_bytes", lambda _: 8)
    assert _bytes_per_run(c, "summary") - budget == c.n_days * c.n_lanes * (8 - itemsize)
