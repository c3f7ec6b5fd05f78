"""
Which runs a block is judged on (bridge/projections/outcome.py): sanity runs never pooled,
expected seeds from the block's stated seeds, runs counted under the compared system they were
matched to, and runs attributed to no block listed with their reason in the results.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore
from bridge.machine.fold import PipelineState, fold
from bridge.machine.stages import RunState
from bridge.machine.verdicts import VerdictKind
from bridge.projections import results, results_data
from bridge.projections.block_runs import candidate_system
from bridge.projections.outcome import evaluate
from tests.recorded_runs import finished_run

_T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

BASELINE = "`Baseline` (unscaled features)"
OURS = "**Ours** (proposed)"


def _clock() -> Callable[[], datetime]:
    ticks = iter(range(10_000))
    return lambda: _T0 + timedelta(seconds=next(ticks))


def _finished(run: str, accuracy: float) -> list[ev.Event]:
    return finished_run(run, {"accuracy": accuracy}, argv=("python", "train.py"), key_metric=None)


def _state(
    *,
    seed_count: int | None,
    stray: bool = True,
    systems: tuple[str, ...] = (),
    ruled_out: bool = False,
    aliases: tuple[str, ...] = (),
    third: tuple[str, ...] = (),
) -> PipelineState:
    """
    M0 sanity runs Ours once (attributed to B1, as `bridge init` projects do), M1 runs both
    systems on seeds 0-2 (written as the tracker writes them), and R099 belongs to no block.
    With ``systems``, a block B2 compares them and has no runs of its own; with ``third``, so
    does a block B3.
    """
    second = tuple(
        ev.BlockInfo(id=block, title=block, systems=compared, metrics=("accuracy",))
        for block, compared in (("B2", systems), ("B3", third))
        if compared
    )
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Toy",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(
                    ev.MilestoneInfo(id="M0", name="Sanity", sanity=True),
                    ev.MilestoneInfo(id="M1", name="Main", blocks=("B1",)),
                ),
                blocks=(
                    ev.BlockInfo(
                        id="B1",
                        title="Main",
                        systems=(BASELINE, OURS),
                        metrics=("accuracy",),
                        success_criterion="accuracy > 0.5",
                        seed_count=seed_count,
                    ),
                    *second,
                ),
            )
        ],
        None,
    )
    planned: list[tuple[str, str, str, str, int, float]] = [("R000", "M0", "ours", OURS, 0, 0.1)]
    planned += [(f"R00{n + 1}", "M1", "baseline", BASELINE, n, 0.4 + n / 100) for n in range(3)]
    planned += [(f"R00{n + 4}", "M1", "ours", OURS, n, 0.9 - n / 100) for n in range(3)]
    for run, milestone, system, block_system, seed, accuracy in planned:
        store.append(
            f"run:{run}",
            [
                ev.RunPlanned(
                    run_id=run,
                    milestone=milestone,
                    block="B1",
                    system=system,
                    block_system=block_system,
                    seed=seed,
                    attribution="tracker Block column",
                    aliases=aliases if system == "ours" else (),
                ),
                *_finished(run, accuracy),
            ],
            None,
        )
    if ruled_out:  # a fourth seed of ours the researcher ruled out before it ran
        store.append(
            "run:R007",
            [
                ev.RunPlanned(
                    run_id="R007", milestone="M1", block="B1", system="ours",
                    block_system=OURS, seed=3, attribution="tracker Block column",
                ),
                ev.RunRuledOut(run_id="R007", reason="SKIPPED"),
            ],
            None,
        )  # fmt: skip
    if not stray:
        return fold(store.read())
    store.append(
        "run:R099",
        [
            ev.RunPlanned(
                run_id="R099",
                milestone="M1",
                system="mystery",
                attribution="system 'mystery' is not among any block's compared systems",
            ),
            *_finished("R099", 0.7),
        ],
        None,
    )
    return fold(store.read())


class TestBlockRuns:
    def test_sanity_run_is_not_pooled(self) -> None:
        """R000 (sanity, Ours, seed 0) is reported under M0 and is no fourth seed of B1."""
        outcome = evaluate(_state(seed_count=3))
        block = outcome.blocks[0]
        assert "R000" not in block.run_ids
        assert "R000" in outcome.milestones[0].run_ids
        ours = next(a for a in block.aggregates if a.system == OURS)
        assert (ours.n, ours.run_ids) == (3, ("R004", "R005", "R006"))

    def test_runs_count_under_the_matched_system(self) -> None:
        """Runs written `baseline`/`ours` are aggregated under the plan's system names."""
        block = evaluate(_state(seed_count=3)).blocks[0]
        assert {a.system for a in block.aggregates} == {BASELINE, OURS}

    def test_stated_seeds_are_expected(self) -> None:
        """`3 seeds` in the block: 3 expected; the 3 runs of each system are enough."""
        block = evaluate(_state(seed_count=3)).blocks[0]
        assert block.expected_seeds == 3
        assert "missing seeds" not in block.verdict.reason

    def test_stated_seeds_beyond_the_runs_are_missing(self) -> None:
        """A block stating 5 seeds with 3 runs per system is missing seeds, whatever the max."""
        block = evaluate(_state(seed_count=5)).blocks[0]
        assert block.expected_seeds == 5

    def test_without_stated_seeds_the_block_runs_count(self) -> None:
        """No stated seeds: the most runs planned in the block for one system, sanity excluded."""
        block = evaluate(_state(seed_count=None)).blocks[0]
        assert block.expected_seeds == 3
        assert "missing seeds" not in block.verdict.reason

    def test_a_ruled_out_run_is_no_seed_the_block_waits_for(self) -> None:
        """Three seeds of each system ran and a fourth of ours was ruled out: three expected,
        not "missing seeds: 3 of 4"."""
        block = evaluate(_state(seed_count=None, ruled_out=True)).blocks[0]
        assert block.expected_seeds == 3
        assert "missing seeds" not in block.verdict.reason

    def test_a_block_shares_runs_of_its_system_written_without_its_commentary(self) -> None:
        """002 B2 compares "current additive JORA-Diag (global sparse rotation)"; the run of
        "current additive JORA-Diag" is shared into it; not into a block of the system with a
        part taken away ("mystery (no scaling)")."""
        outcome = evaluate(_state(seed_count=3, systems=("Mystery (global sparse rotation)",)))
        second = next(b for b in outcome.blocks if b.block.id == "B2")
        assert second.run_ids == ("R099",)
        outcome = evaluate(_state(seed_count=3, systems=("mystery (no scaling)",)))
        second = next(b for b in outcome.blocks if b.block.id == "B2")
        assert second.run_ids == ()

    def test_a_block_shares_runs_of_its_system_by_the_runs_own_name(self) -> None:
        """002: R006 runs "TC-CS-1S attention-only", B2's name for it, and stands for B1's
        "TC-CS-1S (attention-only first)": B2 found no results for its system. Here the runs
        written "ours" stand for B1's "**Ours** (proposed)" and count in B2 under "ours"."""
        outcome = evaluate(_state(seed_count=3, systems=("ours",), stray=False))
        second = next(b for b in outcome.blocks if b.block.id == "B2")
        assert second.run_ids == ("R004", "R005", "R006")
        assert {a.system for a in second.aggregates} == {"ours"}

    def test_a_verdict_on_runs_of_other_blocks_names_them_and_their_block(self) -> None:
        """039's B1 was judged on B3's R008 (a system B1 had no run of) and its reason named no
        run: the verdict says which runs of which blocks it read, in both languages."""
        from bridge.projections.reasons import in_language

        state = _state(seed_count=3, systems=("ours",), stray=False)
        assert state.plan is not None
        blocks = tuple(
            attrs.evolve(b, success_criterion="accuracy > 0.5") if b.id == "B2" else b
            for b in state.plan.blocks
        )
        state = attrs.evolve(state, plan=attrs.evolve(state.plan, blocks=blocks))
        second = next(b for b in evaluate(state).blocks if b.block.id == "B2")
        reason = second.verdict.reason
        assert reason.endswith(
            " (runs of other blocks: ours ← R004 [B1]; ours ← R005 [B1]; ours ← R006 [B1])"
        ), reason
        zh = in_language(reason, "zh")
        assert (
            "（取自其他实验块的运行：ours ← R004 [B1]; ours ← R005 [B1]; ours ← R006 [B1]）" in zh
        )
        first = next(b for b in evaluate(state).blocks if b.block.id == "B1")
        assert "runs of other blocks" not in first.verdict.reason

    def test_a_criterion_naming_a_runs_own_system_reads_that_run(self) -> None:
        """039's B2 compares "完整 MART" and its R004 runs "MART deletion suite" under its own
        name: a criterion naming R004's system was read against "完整 MART" and found "the block
        has no runs" beside R004. It reads R004; one naming a system with no run says which
        runs the block has instead."""
        from bridge.projections.reasons import in_language

        state = _state(seed_count=3, stray=False)
        assert state.plan is not None

        def judged(criterion: str, systems: tuple[str, ...]) -> str:
            blocks = tuple(
                attrs.evolve(b, success_criterion=criterion, systems=systems)
                for b in state.plan.blocks  # type: ignore[union-attr]
            )
            plan = attrs.evolve(state.plan, blocks=blocks)
            return evaluate(attrs.evolve(state, plan=plan)).blocks[0].verdict.reason

        # The runs are of "ours" (R004-R006) and the baseline (R001-R003).
        reason = judged("**Ours** (proposed) accuracy > 0.5", ("Full Ours", "Other"))
        assert reason.startswith("accuracy: **Ours** (proposed) 0.89"), reason
        reason = judged("Other accuracy > 0.5", ("Full Ours", "Other"))
        assert reason.startswith(
            "no run of Other, which the criterion compares; the block's runs are of other systems ("
        ), reason
        assert "**Ours** (proposed): R004" in reason
        assert in_language(reason, "zh").startswith("没有 Other 的运行（成功标准比较的是它）")
        # A run that failed may be the one recording those values (009's R005): its end leads,
        # not a naming problem (trial T6).
        runs = dict(state.runs)
        runs["R004"] = attrs.evolve(runs["R004"], state=RunState.FAILED)
        state = attrs.evolve(state, runs=runs)
        reason = judged("Other accuracy > 0.5", ("Full Ours", "Other"))
        assert reason == (
            "no values of Other, which the criterion compares: runs not succeeded: R004 (failed)"
        ), reason

    def test_a_block_shares_runs_by_an_alias_of_their_system(self) -> None:
        """004: R202 (B1's "LSVJ-S (ours)") is the "LSVJ-S full" B2 compares, as the
        `[systems]` table's aliases say: B2's "verbatim-match ≤ 30%" found no results."""
        outcome = evaluate(
            _state(seed_count=3, systems=("LSVJ-S full",), stray=False, aliases=("LSVJ-S full",))
        )
        second = next(b for b in outcome.blocks if b.block.id == "B2")
        assert second.run_ids == ("R004", "R005", "R006")
        assert {a.system for a in second.aggregates} == {"LSVJ-S full"}

    def test_an_alias_that_is_a_blocks_system_stands_for_that_name_only(self) -> None:
        """004: `aliases = ["LSVJ-S full"]` on R202's system (for B2's "LSVJ-S full") also
        shared R202 into B6 as its "LSVJ-S full (b.4 enabled)", and B6's «≤ 10% false-rejection»
        was met on R202's number (trial). The alias names B2's system, not B6's."""
        b6 = ("LSVJ-S full (b.4 enabled)", "`no_sem_gate` (b.4 disabled)")
        outcome = evaluate(
            _state(
                seed_count=3,
                systems=b6,
                third=("LSVJ-S full", "`SEAP` (main)"),
                stray=False,
                aliases=("LSVJ-S full",),
            )
        )
        blocks = {b.block.id: b for b in outcome.blocks}
        assert blocks["B2"].run_ids == ()
        assert blocks["B3"].run_ids == ("R004", "R005", "R006")
        # An alias no block writes whole keeps the usual reading, its commentary dropped from
        # the block's name (011's "Single-task DeBERTa" for B2's "**Single-task DeBERTa**
        # (difficulty only, …)").
        alone = evaluate(_state(seed_count=3, systems=b6, stray=False, aliases=("LSVJ-S full",)))
        assert next(b for b in alone.blocks if b.block.id == "B2").run_ids == (
            "R004",
            "R005",
            "R006",
        )


class TestUnattributed:
    def test_listed_with_the_reason(self) -> None:
        """R099 has no block: the results list it, its key metric and why, and no block has it."""
        state = _state(seed_count=3)
        outcome = evaluate(state)
        assert outcome.unattributed == (
            ("R099", "system 'mystery' is not among any block's compared systems"),
        )
        assert all("R099" not in b.run_ids for b in outcome.blocks)
        text = results.render(state)
        section = text.split("## Runs not attributed to a block", 1)[1].split("\n## ", 1)[0]
        assert "| R099 | mystery | accuracy = 0.7 | system 'mystery' is not among" in section
        assert "R000" not in section  # the sanity run needs no block

    def test_results_json_keeps_the_attribution(self) -> None:
        """results.json carries each run's matched system and how its block was chosen."""
        runs = {r["run_id"]: r for r in results_data.document(_state(seed_count=3))["runs"]}
        assert runs["R001"]["block_system"] == BASELINE
        assert runs["R001"]["attribution"] == "tracker Block column"
        assert runs["R099"]["block"] == "" and runs["R099"]["attribution"].startswith("system")

    def test_no_section_when_every_run_has_a_block(self) -> None:
        """The section appears only when there is something to list."""
        assert "Runs not attributed" in results.render(_state(seed_count=3))
        assert "Runs not attributed" not in results.render(_state(seed_count=3, stray=False))


@pytest.mark.parametrize(
    ("systems", "candidate"),
    [
        # 004's B2: "verbatim-match ≤ 30%" found no proposed system
        (("LSVJ-S full", "`no_synth_6seed` (Tier-2, appendix)", "`SEAP` (main)"), "LSVJ-S full"),
        (
            ("LSVJ-S intact (reference)", "`corrupt_is_inner_circle_only`"),
            "LSVJ-S intact (reference)",
        ),
        (("完整模型", "去掉门控"), "完整模型"),
        # a baseline that fine-tunes every weight is not the method, nor 009's card kind
        (("Full fine-tuning", "LoRA", "DoRA"), None),
        (("BM25 over `name_desc`", "`compact`", "`full` tool cards"), None),
        # Trial L: an ablation's full system written "X (full)", or "Full model" beside "w/o …".
        (("X (full)", "X (no A)", "X (no B)"), "X (full)"),
        (("Full model", "w/o A", "w/o B"), "Full model"),
        # A baseline that keeps the full cache is not the proposed system (trial L2).
        (("SnapKV-lite", "Dense (full KV cache)"), None),
        # The shared name every other one starts with is the whole method they take parts from
        # ("X (no A)"), but not the base the others add to: 014's B2 gate was judged on the
        # historical control R003 alone (trial t9).
        (("X", "X (no A)", "X w/o B"), "X"),
        (
            (
                "frozen Qwen3.5-2B B2",
                "frozen Qwen3.5-2B B2 + contiguous translated control",
            ),
            None,
        ),
        (("Base", "Base plus retrieval"), None),
    ],
)
def test_the_system_named_full_is_the_proposed_one(
    systems: tuple[str, ...], candidate: str | None
) -> None:
    assert candidate_system(systems, None)[0] == candidate


def _one_block(block: ev.BlockInfo, runs: list[tuple[ev.RunPlanned, float]]) -> PipelineState:
    """A plan of milestone M1 with ``block`` alone, and each planned run finished with its
    accuracy."""
    store = InMemoryEventStore(clock=_clock())
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Toy",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(ev.MilestoneInfo(id="M1", name="Main", blocks=(block.id,)),),
                blocks=(block,),
            )
        ],
        None,
    )
    for planned, accuracy in runs:
        store.append(f"run:{planned.run_id}", [planned, *_finished(planned.run_id, accuracy)], None)
    return fold(store.read())


def _two_runs_no_listed_systems(order: tuple[str, str]) -> PipelineState:
    """A block that lists no compared systems, and a run of each of two systems in ``order``."""
    accuracy = {"NeuroTAP-style": 0.6, "TACE": 0.4}
    block = ev.BlockInfo(
        id="B1", title="Serving", metrics=("accuracy",), success_criterion="accuracy up ≥ 30%"
    )
    runs = [
        (
            ev.RunPlanned(run_id=f"T{n + 1}", milestone="M1", block="B1", system=system),
            accuracy[system],
        )
        for n, system in enumerate(order)
    ]
    return _one_block(block, runs)


def test_without_listed_systems_run_order_does_not_pick_the_proposed_one() -> None:
    """015's B5 lists no compared systems: its runs' systems came in tracker order, and the
    first-listed was taken as the proposed system, so swapping two rows turned not met into
    met. Now neither order names a subject, and the verdict is the same both ways."""
    first = evaluate(_two_runs_no_listed_systems(("NeuroTAP-style", "TACE"))).blocks[0]
    second = evaluate(_two_runs_no_listed_systems(("TACE", "NeuroTAP-style"))).blocks[0]
    assert first.verdict.verdict is second.verdict.verdict is VerdictKind.INCONCLUSIVE
    assert "first-listed" not in first.verdict.reason + second.verdict.reason


def test_two_systems_the_plan_lists_still_read_a_vs_b() -> None:
    """Listed by the plan ("A vs B"), the first of two systems with runs is the subject."""
    assert candidate_system(("A", "B"), None, frozenset({"A", "B"}))[0] == "A"
    assert candidate_system(("A", "B"), None, frozenset({"A", "B"}), listed=False)[0] is None


def test_a_sanity_check_outside_the_sanity_milestone_is_never_shared() -> None:
    """011's R012 "Sanity: overfit on 100 items" (milestone M1) runs B2's system; attributed to
    no block as a sanity check, it was still shared into B2 by its system's name (an alias) and
    B2 read met on its overfit score."""
    from bridge.plan.attribution import SANITY_CHECK

    block = ev.BlockInfo(
        id="B2",
        title="Main",
        systems=(OURS,),
        metrics=("accuracy",),
        success_criterion="accuracy > 0.5",
    )
    sanity = ev.RunPlanned(
        run_id="R012",
        milestone="M1",
        system=OURS,
        attribution=f"{SANITY_CHECK} ('Sanity: overfit on 100 items')",
    )
    result = evaluate(_one_block(block, [(sanity, 0.99)])).blocks[0]
    assert result.verdict.verdict is VerdictKind.INCONCLUSIVE
    assert "R012" not in result.verdict.reason


def test_a_run_whose_purpose_is_another_blocks_system_is_shared_there() -> None:
    """004's R202 runs B1's "LSVJ-S (ours)" (its System cell begins with that system's
    description) and its Purpose is "LSVJ-S full", B2's system: B2's «verbatim-match ≤ 30%»
    found "no results for system LSVJ-S full" until an alias was added (trial t8). It is
    judged on R202; a Purpose that is only part of a name ("LSVJ-S") shares nothing."""
    store = InMemoryEventStore(clock=_clock())
    b1 = ev.BlockInfo(id="B1", title="Main", systems=("SEAP", "LSVJ-S (ours)"))
    b2 = ev.BlockInfo(
        id="B2",
        title="Novelty",
        systems=("LSVJ-S full", "no_synth_6seed"),
        metrics=("accuracy",),
        success_criterion="LSVJ-S full accuracy ≥ 0.5",
    )
    store.append(
        "bridge",
        [
            ev.PlanLoaded(
                title="Toy",
                plan_path="refine-logs/EXPERIMENT_PLAN.md",
                plan_sha256="b" * 64,
                options={"language": "en"},
                milestones=(ev.MilestoneInfo(id="M2", name="Main", blocks=("B1",)),),
                blocks=(b1, b2),
            )
        ],
        None,
    )
    for run, purpose in (("R202", "LSVJ-S full"), ("R203", "LSVJ-S")):
        planned = ev.RunPlanned(
            run_id=run,
            milestone="M2",
            block="B1",
            system="L1+L2+L3-LSVJ-S+L4; N=5 perturbation, k=3 vote",
            block_system="LSVJ-S (ours)",
            purpose=purpose,
            attribution="milestone M2's only block",
        )
        store.append(f"run:{run}", [planned, *_finished(run, 0.7)], None)
    block = next(b for b in evaluate(fold(store.read())).blocks if b.block.id == "B2")
    assert block.verdict.verdict is VerdictKind.MET, block.verdict.reason
    assert [(a.system, a.run_ids) for a in block.aggregates] == [("LSVJ-S full", ("R202",))]


def test_one_row_given_a_fourth_seed_does_not_change_the_seeds_the_block_expects() -> None:
    """027 (trial t7): R-C4's Seeds written 3407/3408/3409/3410, one more than the plan's three,
    made block B3 read "A2 + mixed control: judged on its 3 planned runs, where the block
    expects 4 seeds" (`该实验块应有 4 个种子`) for R-C2 and R-C3, planned with three each."""
    block = ev.BlockInfo(
        id="B3",
        title="Control",
        metrics=("accuracy",),
        success_criterion="A2 + mixed control accuracy > A3 + mixed control accuracy",
    )
    seeds = {"A2 + mixed control": 3, "A3 + mixed control": 3, "A4 + mixed control": 4}
    runs = [
        (
            ev.RunPlanned(
                run_id=f"{system[:2]}-s{3407 + n}",
                milestone="M1",
                block="B3",
                system=system,
                seed=3407 + n,
            ),
            0.8 - n / 100 if system.startswith("A2") else 0.5,
        )
        for system, count in seeds.items()
        for n in range(count)
    ]
    judged = evaluate(_one_block(block, runs)).blocks[0]
    assert judged.expected_seeds == 3
    assert judged.verdict.verdict is VerdictKind.MET, judged.verdict.reason
    assert "where the block expects" not in judged.verdict.reason
