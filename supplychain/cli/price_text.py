"""What ``supplychain run`` says about scarcity prices (docs/model.md §5.9): bounds reached, demand given up."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._format import format_columns, format_usd
from ..errors import SimulationWarning
from ..metrics.incidence import export_supply_note, who_pays
from ..metrics.price_bounds import format_prices_at_bounds, prices_at_bounds
from ..plotting.prices import final_buyer_steps
from ..results import EnsembleResults, Results
from .price_peaks import (PRICE_MOVED, _band_peaks_line, _largest_shortfall, feedback_line, format_price_peaks,
                          price_peaks)

__all__ = ["format_price_notes", "format_who_pays", "who_pays_table", "WHO_PAYS_HEADERS", "WHO_PAYS_NEGATED",
           "TARIFF_PAID", "price_peaks", "format_price_peaks", "feedback_line", "PRICE_MOVED"]

#: Column headers of `format_who_pays`, two blocks of a few columns each (a 13-column table of money
#: does not fit a terminal): what buyers paid, then what producers earned and sold, in USD. Each block
#: has one sign convention, said in its title: buyers' columns are + when buyers paid more (or gave up
#: more demand), producers' columns + when producers earned or sold more. `who_pays` keeps its own signs
#: (``sales_lost_usd`` > 0 when a region sold less; the tariff columns > 0 when it paid duty): the
#: columns of `WHO_PAYS_NEGATED` are printed with the sign turned, so that "sold $44.5bn less" reads -$44.5bn.
#: ``buyer_cost_increase_usd`` (final buyers plus producers' inputs) is not printed: it counts an input's rise
#: again in the price of what is made from it (`BUYERS_NOTE`).
WHO_PAYS_HEADERS: dict[str, dict[str, str]] = {
    "Buyers (USD over the horizon, above reference prices and the tariffs in force at the start; + = buyers paid "
    "more or gave up more demand, - = less)": {
        "final_buyer_cost_increase_usd": "final buyers",
        "intermediate_buyer_cost_increase_usd": "producers' inputs",
        "tariff_paid_by_importer_usd": "tariff (importer)",
        "demand_destroyed_usd": "demand given up",
    },
    "Producers (USD over the horizon; + = producers earned or sold more, - = earned or sold less)": {
        "scarcity_rent_usd": "rent",
        "scarcity_rent_net_of_inputs_usd": "rent net of inputs",
        "sales_lost_usd": "sales",
        "sales_lost_net_of_inputs_usd": "sales net of inputs bought",
        "producer_stock_drawn_usd": "stock change",
        "producer_margin_change_usd": "margin",
        "tariff_paid_by_exporter_usd": "tariff (exporter)",
    },
}

#: Columns of `who_pays` that `format_who_pays` prints with the sign turned, to read as the producers' gain:
#: sales lost (+ = sold less) as sales (+ = sold more), the duty exporters bore as earnings lost to it.
WHO_PAYS_NEGATED = frozenset({"sales_lost_usd", "sales_lost_net_of_inputs_usd", "producer_stock_drawn_usd",
                              "tariff_paid_by_exporter_usd"})

#: The line under the producers' block: a fall in inputs bought is not a saving when stocks paid for it.
PRODUCERS_NOTE = ("Margin is rent net of inputs plus sales net of inputs bought plus stock change (producers' stocks "
                  "on the last day, inputs in transit to them included, at reference prices): inputs not bought "
                  "because a plant drew its stocks are not a saving, so the margin counts the inputs used.")

#: The line under the buyers' block: which column is the cost, and why the others are not added to it.
BUYERS_NOTE = ("Final buyers is what the shock cost buyers, nothing counted twice: producers' inputs are passed on in the "
               "prices of what the producers sell (in final buyers already, not to be added), and tariff (importer) "
               "is paid within the two.")


#: The line under `format_who_pays` when the scenario ran without price feedback (``who_pays``'s attrs say so).
FEEDBACK_OFF_NOTE = ("Price feedback was off: the prices moved no quantity (demand, sourcing and rationing ran as at "
                     "reference prices), so rents and buyers' costs are what the shortage would cost at those prices had "
                     "nobody reacted to them, not a market outcome; the sales, stock change and the margin's "
                     "volume part are at reference prices and hold either way (price_feedback=True, or --price-feedback, "
                     "for prices that act).")


def rent_note(table: pd.DataFrame) -> str:
    """One sentence on rent and rent net of inputs, for the region whose producers paid most more for inputs.

    '' when no region's producers paid a dollar more or less for their inputs (the two columns are equal).

    Examples
    --------
    >>> t = pd.DataFrame({"scarcity_rent_usd": [42.8e6, 1e3], "scarcity_rent_net_of_inputs_usd": [-1.35e6, 1e3]},
    ...                  index=["US", "KR"])
    >>> print(rent_note(t))
    Rent is what a region's producers earned above reference prices on what they sold; rent net of inputs takes off what they paid above reference prices for their inputs, duty included: US producers earned $42.8M more on their sales and paid $44.2M more for their inputs, so their rent net of inputs is -$1.35M.
    """
    if not {"scarcity_rent_usd", "scarcity_rent_net_of_inputs_usd"} <= set(table.columns):
        return ""
    inputs = table["scarcity_rent_usd"] - table["scarcity_rent_net_of_inputs_usd"]
    if inputs.empty or float(inputs.abs().max()) < 0.5:
        return ""
    region = inputs.abs().idxmax()

    def words(x: float) -> str:
        return "$0 more" if abs(x) < 0.5 else f"{format_usd(abs(float(x)))} {'more' if x > 0 else 'less'}"
    rent, net = float(table.loc[region, "scarcity_rent_usd"]), float(table.loc[region, "scarcity_rent_net_of_inputs_usd"])
    signed = "$0" if abs(net) < 0.5 else format_usd(net, sign=True)
    return ("Rent is what a region's producers earned above reference prices on what they sold; rent net of inputs "
            "takes off what they paid above reference prices for their inputs, duty included: "
            f"{region} producers earned {words(rent)} on their sales and paid {words(float(inputs[region]))} for "
            f"their inputs, so their rent net of inputs is {signed}.")


def format_price_notes(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None = None) -> str:
    """Lines on prices for ``run``: the largest peaks, markets pinned at a bound, and demand given up ('' if nothing).

    With the unshocked runs as ``baseline``, the first lines are the largest price peaks and whether prices
    fed back (`format_price_peaks`; for a summary ensemble, each region's final-demand index,
    `_band_peaks_line`); without one, a run with no shock to compare, there are none. The others
    come from `prices_at_bounds` and
    `who_pays`, which read daily prices; with the
    unshocked runs as ``baseline`` (what ``run`` compares against), the
    money is the change against them, and the tariff paid is the change
    table's figure. A summary
    ensemble keeps none, so for one the same lines say that they are not
    known and how to get them: when price feedback is on, or when the
    ensemble's price-index bands show that prices moved (all at 1: no market
    left its reference price, so none reached a bound).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_network
    >>> from supplychain.model import Scenario
    >>> format_price_notes(simulate(Scenario(toy_network(), horizon_days=20)))
    ''
    >>> on = Scenario(toy_network(), horizon_days=20, price_feedback=True)
    >>> print(format_price_notes(simulate(on)))
    Demand given up to higher prices: $0 (at reference prices).
    >>> print(format_price_notes(simulate(on, engine="vector", keep="summary")))
    Prices pinned at a bound and demand given up to higher prices: not known from per-run summaries, which keep no daily prices (--keep series keeps them).
    """
    if isinstance(results, EnsembleResults):
        peaks = _band_peaks_line(results, baseline) if isinstance(baseline, EnsembleResults) else []
        note = _summary_note(results)
        return "\n".join(line for line in (*peaks, note) if line)
    lines = []
    if isinstance(baseline, Results):   # the peaks are the shock's: a run without one has nothing to compare
        lines += format_price_peaks(price_peaks(results, baseline), results.scenario, n_runs=results.n_runs,
                                    largest_short=_largest_shortfall(results, baseline))
    pinned = format_prices_at_bounds(prices_at_bounds(results))
    if pinned:
        lines.append(pinned)
    if results.scenario.price_feedback:
        against = baseline if isinstance(baseline, Results) else None
        with warnings.catch_warnings():  # the pinned markets are already named above
            warnings.simplefilter("ignore", SimulationWarning)
            table = who_pays(results, baseline=against)
        lines += _who_pays_lines(table, results.n_runs, against_baseline=against is not None)
    return "\n".join(lines)


def _who_pays_lines(table: pd.DataFrame, n_runs: int = 1, *, against_baseline: bool = False) -> list[str]:
    """Demand given up to prices (and added where they fell), what final buyers paid and to whom, and tariff paid.

    A region's ``demand_destroyed_usd`` is negative where its landed price fell below the reference
    (for example a blockaded exporter's home market, left with what it cannot ship): demand gained,
    named as such, never a negative loss. The second line splits the final buyers' extra cost into
    producers' rents net of their inputs by region and tariffs (`final_buyer_steps`: the parts
    add up to the total), and names the producers' extra input costs as passed along the chain inside
    it, so that no one adds them to it. The duty in that split is the duty added (rates above those in
    force at the start, on what was shipped, at the prices paid); the tariff paid, the one definition
    every table uses (rate x reference price x units shipped, docs/model.md §6.4.2), has a line of its
    own, as the change against the unshocked baseline when ``against_baseline`` (the change table's
    figure), else the whole duty over the horizon. Figures of several runs (``n_runs``) are means, and
    say so.

    Examples
    --------
    >>> t = pd.DataFrame({"demand_destroyed_usd": [2e9, -3.2e6, 0.0], "final_buyer_cost_increase_usd": [0.0, 1e9, 5e9],
    ...                   "intermediate_buyer_cost_increase_usd": [0.0, 3e9, 0.0],
    ...                   "buyer_cost_increase_usd": [0.0, 4e9, 5e9], "scarcity_rent_usd": [5e9, 4e9, -2e6]},
    ...                  index=["CN", "TW", "US"])
    >>> print("\\n".join(_who_pays_lines(t, n_runs=20)))
    Demand given up to higher prices: $2.00bn; demand added by lower prices: $3.20M, in TW (at reference prices, mean over runs).
    Paid by final buyers above reference prices (who_pays): $6.00bn, going to producers' rents net of input costs (most to CN $5.00bn, TW $1.00bn; US -$2.00M) and duty added $2.00M (rates above those in force at the start, on what was shipped); producers' extra input costs ($3.00bn) were passed along the chain within it, not on top.
    >>> t["tariff_paid_usd"] = [0.0, 0.0, 1.5e6]
    >>> print(_who_pays_lines(t, against_baseline=True)[2])
    Tariff paid (rate x reference price x units shipped, docs/model.md §6.4.2; who_pays' tariff_paid_usd): +$1.50M against the unshocked baseline, as in the change table; the duty added differs: it counts only the rates' rise, at the prices paid, so not the old rates' duty on trade that moved.
    """
    destroyed = table["demand_destroyed_usd"]
    given_up = float(destroyed[destroyed > 0].sum())
    added = destroyed[destroyed < 0]
    line = f"Demand given up to higher prices: {format_usd(given_up)}"
    if len(added):
        line += (f"; demand added by lower prices: {format_usd(-float(added.sum()))}, "
                 f"in {', '.join(added.index)}")
    lines = [line + (" (at reference prices, mean over runs)." if n_runs > 1 else " (at reference prices).")]
    steps, tariffs = final_buyer_steps(table)
    paid = float(table["final_buyer_cost_increase_usd"].sum())
    passed = float(table["intermediate_buyer_cost_increase_usd"].sum())
    if steps or abs(paid) >= 0.5 or abs(passed) >= 0.5:
        rents = [(r, v) for r, v in steps if r != "tariffs"]
        gains = ", ".join(f"{r} {format_usd(v)}" for r, v in [(r, v) for r, v in rents if v > 0][:2])
        falls = ", ".join(f"{r} {format_usd(v)}" for r, v in rents if v < 0)
        who = "; ".join(([f"most to {gains}"] if gains else []) + ([falls] if falls else []))
        parts = ([f"producers' rents net of input costs ({who})"] if who else []) + (
            [f"duty added {format_usd(tariffs)} (rates above those in force at the start, on what was shipped)"]
            if abs(tariffs) >= 0.5 else [])
        lines.append(f"Paid by final buyers above reference prices (who_pays): {format_usd(paid)}"
                     + (f", going to {' and '.join(parts)}" if parts else "")
                     + f"; producers' extra input costs ({format_usd(passed)}) were passed along the chain "
                     "within it, not on top.")
    if "tariff_paid_usd" in table:
        lines += _tariff_line(float(table["tariff_paid_usd"].sum()), tariffs, against_baseline)
    if "producer_margin_change_usd" in table:
        lines += _margin_line(table["producer_margin_change_usd"], table.get("sales_lost_usd"))
    return lines


#: The one definition of tariff paid, as every table and line of ``run`` uses it.
TARIFF_PAID = "rate x reference price x units shipped, docs/model.md §6.4.2; who_pays' tariff_paid_usd"


def _tariff_line(paid: float, added: float, against_baseline: bool) -> list[str]:
    """The tariff paid (`TARIFF_PAID`), and how it differs from the duty added ([] if no duty at all).

    Examples
    --------
    >>> print(_tariff_line(6.01e9, 0.0, False)[0])
    Tariff paid (rate x reference price x units shipped, docs/model.md §6.4.2; who_pays' tariff_paid_usd): $6.01bn over the horizon, every duty in force.
    """
    if abs(paid) < 0.5 and abs(added) < 0.5:
        return []
    if not against_baseline:
        return [f"Tariff paid ({TARIFF_PAID}): {format_usd(paid)} over the horizon, every duty in force."]
    line = (f"Tariff paid ({TARIFF_PAID}): {format_usd(paid, sign=True)} against the unshocked baseline, "
            "as in the change table")
    if abs(paid - added) >= max(0.5, 1e-3 * abs(paid)):
        line += ("; the duty added differs: it counts only the rates' rise, at the prices paid, so not the old "
                 "rates' duty on trade that moved")
    return [line + "."]


def _margin_line(margin: pd.Series, sales_lost: pd.Series | None = None) -> list[str]:
    """Producers' margin change by region, in words, with the sales each region lost or gained ([] if none moved).

    ``margin`` is `who_pays`'s ``producer_margin_change_usd`` (rents net of inputs less output lost net of the
    inputs used: sales lost net of inputs bought plus stocks drawn), ``sales_lost`` its ``sales_lost_usd`` (+ when a region sold less, at reference prices): the
    line says the direction in words ("sold $44.5bn less") rather than with a sign, whose convention
    differs between the two columns.

    Examples
    --------
    >>> margin = pd.Series([-21.3e9, 11.5e9, 0.2, 6.8e9], index=["TW", "KR", "US", "CN"])
    >>> print(_margin_line(margin)[0])
    Producers' margin (rents net of inputs, less output lost net of the inputs it would have used, at reference prices; stocks drawn count as spent, not saved): lost by TW $21.3bn; gained by KR $11.5bn, CN $6.80bn.
    >>> print(_margin_line(margin, pd.Series([44.5e9, -7.19e9, 0.0, 0.3], index=margin.index))[0])
    Producers' margin (rents net of inputs, less output lost net of the inputs it would have used, at reference prices; stocks drawn count as spent, not saved): lost by TW $21.3bn (sold $44.5bn less); gained by KR $11.5bn (sold $7.19bn more), CN $6.80bn.
    """
    moved = margin[margin.abs() >= 0.5].sort_values()
    if moved.empty:
        return []

    def sold(region: str) -> str:
        if sales_lost is None or region not in sales_lost.index or abs(float(sales_lost[region])) < 0.5:
            return ""
        usd = float(sales_lost[region])
        return f" (sold {format_usd(abs(usd))} {'less' if usd > 0 else 'more'})"
    lost = ", ".join(f"{r} {format_usd(-v)}{sold(str(r))}" for r, v in moved[moved < 0].items())
    gained = ", ".join(f"{r} {format_usd(v)}{sold(str(r))}" for r, v in moved[moved > 0][::-1].items())
    parts = ([f"lost by {lost}"] if lost else []) + ([f"gained by {gained}"] if gained else [])
    return ["Producers' margin (rents net of inputs, less output lost net of the inputs it would have used, at reference "
            "prices; stocks drawn count as spent, not saved): "
            + "; ".join(parts) + "."]


def _summary_note(results: EnsembleResults) -> str:
    """What a summary ensemble can say of the two price lines: that they need daily prices ('' if no price moved)."""
    feedback = results.scenario.price_feedback
    if not feedback and bool(np.all(results.bands["price_index"] == 1.0)):
        return ""
    what = "Prices pinned at a bound" + (" and demand given up to higher prices" if feedback else "")
    return f"{what}: not known from per-run summaries, which keep no daily prices (--keep series keeps them)."


def format_who_pays(table: pd.DataFrame) -> str:
    """The table of `who_pays` for a terminal: money as in every other table, one sign convention a block.

    Two blocks (buyers, then producers), one row per region and a total row, money in US dollars
    with three significant figures (``$92.4M``), signed where a sign is news; a figure under half a
    dollar prints as ``$0``. Buyers' columns are + when buyers paid more (or gave up more demand);
    producers' columns + when producers earned or sold more: the columns of `WHO_PAYS_NEGATED` are
    printed with `who_pays`'s sign turned (its ``sales_lost_usd`` is + when a region sold less), and a
    title says each block's convention. ``tariff_paid_usd`` and ``deliveries_lost_usd`` are left out (the
    first is the importer's plus the exporter's part, both shown; the second is the shortfall the
    change table already gives). The numbers are the function's, unrounded, in ``table``. Under the
    producers' block, a line says how the tariff was split (`supplychain.metrics.incidence.export_supply_note`:
    by default importers bear it all, by assumption), when ``table`` comes from `who_pays` and a duty moved.
    A paragraph after the table says which buyers' column is the cost (`BUYERS_NOTE`: final buyers; the
    producers' inputs are passed on in their prices, so ``buyer_cost_increase_usd``, which adds the two, is
    not printed) and, when a region's producers paid more or less for inputs, what its rent net of inputs
    is (`rent_note`). Under the producers' block, when producers' stocks moved, a line says that the margin
    counts the inputs used, not bought (`PRODUCERS_NOTE`: stock drawn is not a saving). From ``table.attrs``
    (`who_pays` sets them): when the scenario ran without price feedback, a line says that its prices acted on
    no quantity (`FEEDBACK_OFF_NOTE`), and a scenario's known misfit to the record
    (``Scenario.against_record``) is printed last, as ``supplychain run`` prints it under its header.

    Examples
    --------
    >>> t = pd.DataFrame({m: [0.0, 0.0] for m in ("buyer_cost_increase_usd", "final_buyer_cost_increase_usd",
    ...     "intermediate_buyer_cost_increase_usd", "tariff_paid_by_importer_usd", "demand_destroyed_usd",
    ...     "scarcity_rent_usd", "scarcity_rent_net_of_inputs_usd", "sales_lost_usd",
    ...     "sales_lost_net_of_inputs_usd", "producer_margin_change_usd", "tariff_paid_by_exporter_usd")},
    ...     index=pd.Index(["CN", "US"], name="region"))
    >>> t.loc["US", "buyer_cost_increase_usd"] = 389.526175
    >>> t.loc["CN", ["sales_lost_usd", "producer_margin_change_usd"]] = [1.2e9, -35_000.0]   # CN sold $1.2bn less
    >>> t.loc["US", ["final_buyer_cost_increase_usd", "intermediate_buyer_cost_increase_usd"]] = [300.0, 89.526175]
    >>> print(format_who_pays(t))  # doctest: +NORMALIZE_WHITESPACE
    Buyers (USD over the horizon, above reference prices and the tariffs in force at the start; + = buyers paid
    more or gave up more demand, - = less)
    region  final buyers  producers' inputs  tariff (importer)  demand given up
    ------  ------------  -----------------  -----------------  ---------------
    CN                $0                 $0                 $0               $0
    US             +$300            +$89.5                 $0               $0
    all            +$300            +$89.5                 $0               $0
    <BLANKLINE>
    Producers (USD over the horizon; + = producers earned or sold more, - = earned or sold less)
    region  rent  rent net of inputs     sales  sales net of inputs bought   margin  tariff (exporter)
    ------  ----  ------------------  --------  --------------------------  -------  -----------------
    CN        $0                  $0  -$1.20bn                          $0  -$35.0k                 $0
    US        $0                  $0        $0                          $0       $0                 $0
    all       $0                  $0  -$1.20bn                          $0  -$35.0k                 $0
    <BLANKLINE>
    Final buyers is what the shock cost buyers, nothing counted twice: producers' inputs are passed on in the prices of what
    the producers sell (in final buyers already, not to be added), and tariff (importer) is paid within the two.
    """
    def money(x: float) -> str:
        return "$0" if abs(x) < 0.5 else format_usd(float(x), sign=True)

    def turn(column: str) -> float:
        return -1.0 if column in WHO_PAYS_NEGATED else 1.0

    blocks = []
    for title, columns in WHO_PAYS_HEADERS.items():
        shown = [c for c in columns if c in table]
        if not shown:
            continue
        rows = [[str(region)] + [money(turn(c) * row[c]) for c in shown] for region, row in table.iterrows()]
        rows.append(["all"] + [money(turn(c) * float(table[c].sum())) for c in shown])
        blocks.append("\n".join([title, *format_columns(["region"] + [columns[c] for c in shown], rows, 1)]))
    if ("export_supply_elasticity" in table.attrs and "tariff_paid_by_importer_usd" in table
            and float(table["tariff_paid_by_importer_usd"].abs().sum()) >= 0.5):
        blocks[-1] += "\n" + export_supply_note(table.attrs["export_supply_elasticity"])  # an assumption, said
    notes = [BUYERS_NOTE] if "final_buyer_cost_increase_usd" in table else []
    notes += [n for n in (rent_note(table),) if n]
    if "producer_stock_drawn_usd" in table and float(table["producer_stock_drawn_usd"].abs().sum()) >= 0.5:
        notes.append(PRODUCERS_NOTE)
    if table.attrs.get("price_feedback") is False:
        notes.append(FEEDBACK_OFF_NOTE)
    if table.attrs.get("against_record"):
        notes.append("Against the record: " + str(table.attrs["against_record"]))
    return "\n\n".join(blocks + ([" ".join(notes)] if notes else []))


def who_pays_table(results: Results, baseline: Results | None = None) -> str:
    """What ``run --all`` prints with price feedback on: `format_who_pays` of the results, titled.

    With ``baseline`` (the unshocked runs ``run`` compared against) every figure is the change against
    it, and the title says so: the importer's tariff column less the exporter's (printed as what exporters
    earned less, `WHO_PAYS_NEGATED`) then adds up to the change table's tariff paid.
    """
    with warnings.catch_warnings():  # the pinned markets are named in the price notes already
        warnings.simplefilter("ignore", SimulationWarning)
        table = who_pays(results, baseline=baseline)
    table.attrs["against_record"] = ""   # run prints it under its header already
    mean = ", means over runs" if results.n_runs > 1 else ""
    call = "who_pays(results, baseline=baseline)" if baseline is not None else "who_pays(results)"
    what = ("each figure the change against the unshocked baseline; tariffs: the change in tariff paid"
            if baseline is not None else "tariffs: every duty paid over the horizon")
    return (f"Who pays, by region (supplychain.metrics.{call}{mean}; {what}, {TARIFF_PAID.split(';')[0]}):\n\n"
            + format_who_pays(table))
