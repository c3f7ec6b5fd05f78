"""
Per-run gates read from the real plans that state them: 011's run tables' Gate column and its
tracker's Metrics thresholds, 023's `Metrics / Gate` column. Judging them against recorded
values is tested on a log (tests/projections/test_results_render.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge.cli.main import main
from bridge.plan import load_project
from bridge.plan.run_gates import GateOutcome, clause_said, judge_gate, run_gate
from bridge.projections.reasons import in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@needs_shared
def test_011_run_gates_are_shown_with_how_bridge_reads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """011's run tables have a Gate column (R013 "Dev macro F1 ≥ 0.55", R037 "All gates
    pass") and its tracker's Metrics cells the same thresholds; `bridge plan` showed none of
    them, only the milestones' STOP gates (trial h39C, F6). Now each run's gate is listed with
    how bridge reads it or why it does not, and `--json` has it on the run; a tracker clause
    the plan's cell lacks is added (R009's "valid ≥50%"); a run with none has none."""
    root = as_project("011", tmp_path)
    gates = {r.id: r.gate for r in load_project(root).runs}
    assert gates["R013"] == "Dev macro F1 ≥ 0.55"
    assert gates["R009"] == "Hard ≥400; valid ≥50%"
    assert gates["R037"] == "All gates pass"
    assert gates["R005"] == gates["R015"] == ""
    assert main(["plan", "--project", str(root)]) == 0
    out = capsys.readouterr().out
    assert "run gates (each run's own, from the plan's run tables" in out
    assert "  R012: «Loss < 0.1» read as loss < 0.1\n" in out
    assert "  R020: «F1 gap ≥5pp» read as f1 gap ≥ 5 pp\n" in out
    # κ is kappa ("an absolute threshold without a metric" before), judged on a recorded kappa.
    assert "  R017: «κ ≥ 0.60» read as kappa ≥ 0.6\n" in out
    assert [c.said for c in judge_gate(gates["R033"], {"kappa": 0.5})] == [
        "kappa = 0.5: does not meet ≥ 0.55"
    ]
    assert (
        "  R037: «All gates pass» not checked by bridge: no comparison with a number or with "
        "another system\n"
    ) in out
    assert main(["plan", "--project", str(root), "--json"]) == 0
    runs = {r["id"]: r for r in json.loads(capsys.readouterr().out)["runs"]}
    assert runs["R014"]["gate"] == "Dev macro F1 ≥ 0.60"
    assert runs["R014"]["gate_clauses"] == [
        {"text": "Dev macro F1 ≥ 0.60", "checked": True, "reading": "macro f1 ≥ 0.6"}
    ]
    assert runs["R005"]["gate"] is None


@needs_shared
def test_023_metrics_gate_column_is_each_runs_gate(tmp_path: Path) -> None:
    """023's tracker names its column `Metrics / Gate`: R010's "loss decreases; finite aligned
    RGBN/NDVI; checkpoint/resume works" is the run's gate, none of it a number bridge can
    judge, so it is quoted once as not checked, with why."""
    gate = {r.id: r.gate for r in load_project(as_project("023", tmp_path)).runs}["R010"]
    assert gate == "loss decreases; finite aligned RGBN/NDVI; checkpoint/resume works"
    assert {c.outcome for c in judge_gate(gate, {"loss": 0.1})} == {GateOutcome.NOT_CHECKED}


@needs_shared
def test_004_a_target_noted_in_parentheses_is_the_gates_threshold(tmp_path: Path) -> None:
    """004's R308 Metrics «… (target ≥90%); false-rejection on benign (target ≤10%)» was "not
    checked by bridge: an absolute threshold without a metric": a recorded false_rejection of
    0.12 passed unsaid (trial h42A F8). Each clause is read with its noted target, quoted as
    written; a note with words after its number is not."""
    gate = {r.id: r.gate for r in load_project(as_project("004", tmp_path)).runs}["R308"]
    assert gate == (
        "b.4 rejection rate on attacker-mode (target ≥90%); false-rejection on benign (target ≤10%)"
    )
    attacker, benign = judge_gate(gate, {"b4_rejection_rate": 0.93, "false_rejection": 0.12})
    assert (attacker.outcome, attacker.reading) == (
        GateOutcome.NO_VALUE,
        "b.4 rejection rate on attacker-mode ≥ 90%",
    )
    assert (benign.text, benign.outcome, benign.said) == (
        "false-rejection on benign (target ≤10%)",
        GateOutcome.NOT_MET,
        "false_rejection = 0.12, read as 12%: does not meet ≤ 10%",
    )
    (noted,) = judge_gate("rejection (target ≤ 10% = N=5 calibration commitment)", {})
    assert noted.outcome is GateOutcome.NOT_CHECKED


def test_a_percent_gate_reads_a_fraction_and_a_missing_metric_is_unjudged() -> None:
    """ "Parse ≥90%" on a recorded 0.85 is not met, read as 85% and said so; a gate whose metric
    the run did not record is unjudged, naming what it recorded; a Metrics cell with no
    threshold gives no gate."""
    (clause,) = judge_gate("Parse ≥90%", {"parse": 0.85})
    assert clause.outcome is GateOutcome.NOT_MET
    assert clause.said == "parse = 0.85, read as 85%: does not meet ≥ 90%"
    # At the threshold, as a block's criterion is judged: 0.29 ×100 is 28.999999999999996 in
    # binary floating point, and «Parse ≥29%» read NOT MET; 0.56 ×100 met «> 56%» (trial h42B).
    (clause,) = judge_gate("Parse ≥29%", {"parse": 0.29})
    assert (clause.outcome, clause.said) == (
        GateOutcome.MET,
        "parse = 0.29, read as 29%: meets ≥ 29%",
    )
    assert judge_gate("valid > 56%", {"valid": 0.56})[0].outcome is GateOutcome.NOT_MET
    assert judge_gate("Parse ≥29%", {"parse": 0.2899})[0].outcome is GateOutcome.NOT_MET
    (clause,) = judge_gate("Pass ≥50%", {"pass_rate": 0.62})
    assert clause.outcome is GateOutcome.NO_VALUE
    assert clause.said == "the run recorded no Pass (it recorded: pass_rate)"
    assert run_gate("", "accuracy, loss") == ""


def test_a_gate_on_one_split_or_statistic_is_not_judged_on_another() -> None:
    """011's R013 «Dev macro F1 ≥ 0.55» is read as "macro f1": judged so, a run's test macro
    F1 of 0.6 met it, whatever its dev F1; «accuracy std ≤ 0.02» was met by an accuracy of
    0.01. Unjudged with the word the recorded name lacks; judged on a name that says it."""
    (clause,) = judge_gate("Dev macro F1 ≥ 0.55", {"test_macro_f1": 0.6})
    assert clause.outcome is GateOutcome.NO_VALUE
    assert clause.said == (
        "the gate says 'Dev' of its metric, which the recorded test_macro_f1 does not name"
    )
    assert (
        in_language(clause.said, "zh")
        == "门槛写明其指标的 'Dev'，而所记录的 test_macro_f1 没有写明"
    )
    (clause,) = judge_gate("accuracy std ≤ 0.02", {"accuracy": 0.01})
    assert clause.outcome is GateOutcome.NO_VALUE
    (clause,) = judge_gate("Dev macro F1 ≥ 0.55", {"dev/macro_f1": 0.5})
    assert clause.outcome is GateOutcome.NOT_MET
    # 011's R013 recording macro_f1 beside dev_macro_f1 was unjudged ("… the recorded macro_f1
    # does not name"): the name that says 'Dev' is the one judged (trial h42B, F1).
    (clause,) = judge_gate("Dev macro F1 ≥ 0.55", {"macro_f1": 0.6, "dev_macro_f1": 0.55})
    assert (clause.outcome, clause.said) == (GateOutcome.MET, "dev_macro_f1 = 0.55: meets ≥ 0.55")
    (clause,) = judge_gate("Dev macro F1 ≥ 0.55", {"macro_f1": 0.6, "dev_macro_f1": 0.5})
    assert (clause.outcome, clause.metric) == (GateOutcome.NOT_MET, "dev_macro_f1")
    (clause,) = judge_gate("Held-out loss < 0.1", {"heldout_loss": 0.05})
    assert clause.outcome is GateOutcome.MET
    (clause,) = judge_gate("valid ≥50%", {"valid": 0.4})
    assert clause.outcome is GateOutcome.NOT_MET


def test_a_clause_the_gate_calls_optional_is_left_out_and_said() -> None:
    """A gate's clause marked optional ("if available", "(optional)", "nice to have") asks for
    nothing, yet was judged: «energy ≤ 5 if available» read NOT MET beside a run whose required
    clause was met. Left out, as not checked, with the gate's own word; the others as before."""
    values = {"macro_f1": 0.6, "energy": 9.0, "latency": 30.0}
    first, second = judge_gate("macro F1 ≥ 0.55; energy ≤ 5 if available", values)
    assert first.outcome is GateOutcome.MET
    assert (second.text, second.outcome) == ("energy ≤ 5 if available", GateOutcome.NOT_CHECKED)
    assert second.said == "the gate calls it optional ('if available'): left out of the gate"
    assert in_language(second.said, "zh") == "门槛称其为可选（'if available'）：不计入门槛"
    for gate in (
        "macro F1 ≥ 0.55, latency ≤ 20 (optional)",
        "F1 ≥ 0.55; nice to have: latency ≤ 20",
    ):
        outcomes = [c.outcome for c in judge_gate(gate, values)]
        assert outcomes == [GateOutcome.MET, GateOutcome.NOT_CHECKED], gate


def test_a_percent_gate_on_a_count_above_100_is_unjudged() -> None:
    """«covered tasks ≥ 95%» on a recorded count of 1000 read "1000 ≥ 95 → MET": a count is
    no share. Unjudged with the reason a block's criterion gives (h40Q); a count within 100,
    or a metric that is no count, is judged as before."""
    (clause,) = judge_gate("covered tasks ≥ 95%", {"covered_tasks": 1000.0})
    assert clause.outcome is GateOutcome.NO_VALUE
    assert clause.said == (
        "covered_tasks: 1000 is a count, not a share in percent, so it cannot be held to ≥ 95%: "
        "record the share as a metric, or write 'covered_tasks / <total> ≥ 95%' with the total "
        "recorded"
    )
    assert clause_said(clause).startswith("«covered tasks ≥ 95%» read as covered tasks ≥ 95%, ")
    assert judge_gate("covered tasks ≥ 95%", {"covered_tasks": 96.0})[0].outcome is GateOutcome.MET
    # A count of 1 read "covered_tasks = 1, read as 100%: meets ≥ 95%" (h41F): one or 100 %.
    (one,) = judge_gate("covered tasks ≥ 95%", {"covered_tasks": 1.0})
    assert one.outcome is GateOutcome.NO_VALUE
    assert one.said.startswith("covered_tasks: 1 may be a count of one or a share of 1 (100%)")
    assert judge_gate("covered tasks ≥ 95%", {"covered_tasks": 0.0})[0].outcome is (
        GateOutcome.NOT_MET
    )
    assert judge_gate("speedup ≥ 95%", {"speedup": 120.0})[0].outcome is GateOutcome.MET


def test_a_gate_reads_metrics_units_and_a_unit_its_metrics_name_says() -> None:
    """Run gates read no ``[metrics] units`` (criteria do): «hit rate < 5%» of 0.5 declared
    percent read as 50 % and not met; «latency ≤ 50 ms» was never checked, even of latency_s,
    the unit a criterion reads from the name (h41F). A name that says no unit stays unjudged."""
    (clause,) = judge_gate("hit rate < 5%", {"hit_rate": 0.5}, None, {"hit_rate": "percent"})
    assert (clause.outcome, clause.said) == (
        GateOutcome.MET,
        "hit_rate = 0.5 (percent, as [metrics] units says): meets < 5%",
    )
    (clause,) = judge_gate("hit rate < 0.05", {"hit_rate": 0.5}, None, {"hit_rate": "percent"})
    assert (
        clause.said
        == "hit_rate = 0.5, read as 0.005 (percent, as [metrics] units says): meets < 0.05"
    )
    assert judge_gate("hit rate < 5%", {"hit_rate": 0.5})[0].outcome is GateOutcome.NOT_MET
    # A declared unit settles a count of 1 too.
    (clause,) = judge_gate(
        "covered tasks ≥ 95%", {"covered_tasks": 1.0}, None, {"covered_tasks": "fraction"}
    )
    assert clause.outcome is GateOutcome.MET
    (clause,) = judge_gate("latency ≤ 50 ms", {"latency_s": 0.06})
    assert (clause.outcome, clause.said) == (
        GateOutcome.NOT_MET,
        "latency_s = 0.06 s, read as 60 ms: does not meet ≤ 50 ms",
    )
    assert judge_gate("latency ≤ 50 ms", {"latency_s": 0.05})[0].outcome is GateOutcome.MET
    # Microseconds are a unit too: it said "record it with its unit in its name (latency_us_s)"
    # (review s41).
    (clause,) = judge_gate("latency ≤ 1 s", {"latency_us": 1_500_000.0})
    assert (clause.outcome, clause.said) == (
        GateOutcome.NOT_MET,
        "latency_us = 1.5e+06 us, read as 1.5 s: does not meet ≤ 1 s",
    )
    assert judge_gate("latency ≤ 5 ms", {"latency_µs": 2000.0})[0].outcome is GateOutcome.MET
    (clause,) = judge_gate("latency ≤ 50 ms", {"latency": 40.0})
    assert (clause.outcome, clause.said) == (
        GateOutcome.NO_VALUE,
        "the gate's threshold is in ms, and which unit latency's values are in is not known: "
        "record it with its unit in its name (latency_ms)",
    )
    assert in_language(clause.said, "zh").startswith(
        "门槛的阈值以 ms 为单位，而 latency 的数值单位未知"
    )
    # A met or not met clause says its reading in the plan's language: ", read as 40 ms",
    # "(percent, as [metrics] units says)" stood English on a Chinese plan (review s41).

    def zh(gate: str, values: dict[str, float | None], units: dict[str, str] | None) -> str:
        (clause,) = judge_gate(gate, values, None, units)
        return clause_said(clause, "zh", lambda said: in_language(said, "zh"))

    assert zh("latency ≤ 50 ms", {"latency_s": 0.04}, None) == (
        "«latency ≤ 50 ms» 达到（latency_s = 0.04 s，读作 40 ms：满足 ≤ 50 ms）"
    )
    assert zh("hit rate < 0.05", {"hit_rate": 0.5}, {"hit_rate": "percent"}) == (
        "«hit rate < 0.05» 达到（hit_rate = 0.5，读作 0.005（[metrics] units 声明为百分比）：满足 "
        "< 0.05）"
    )
    assert zh("loss < 0.1", {"loss": 0.3}, None) == (
        "«loss < 0.1» 未达到（loss = 0.3：不满足 < 0.1）"
    )


@needs_shared
def test_a_gate_of_a_run_done_before_bridge_says_bridge_reads_no_value_of_it(
    tmp_path: Path,
) -> None:
    """014's R002 (`COMPLETE_FAIL_HARD_STOP`, its Notes «overall 89.39%») has the gate
    «feasibility >=90%»: the results read "unjudged: the run has recorded no value (its status
    says why)", and the status, done before bridge, says nothing of why (011's R017 marked DONE
    the same; trial h42B, F2). It says bridge reads no values of such a run."""
    root = as_project("014", tmp_path)
    (root / "bridge.toml").write_text('[run]\ncommand = "true"\n', encoding="utf-8")
    assert main(["run", "--plain", "--project", str(root)]) == 0
    results = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    said = (
        "the run was done before bridge, which reads no values of it: judge the gate from your "
        "own record of the run"
    )
    assert f"  - R002: «feasibility >=90%» read as feasibility ≥ 90%, unjudged: {said}\n" in results
    assert in_language(said, "zh") == (
        "该运行在 bridge 之前已完成，bridge 不读取其数值：请根据你自己对该运行的记录判断门槛"
    )
