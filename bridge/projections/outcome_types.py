"""
What :func:`bridge.projections.outcome.evaluate` returns: a plan's results per block and per
milestone and their summary, as frozen values, and the must-run count as the summaries say it.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from bridge.events.measurements import QualityFlag
from bridge.events.types import BlockInfo, MilestoneInfo
from bridge.machine.judge import Aggregate, MainResult, Verdict, VerdictKind
from bridge.plan.criteria import Compound, Criterion, Unparsed
from bridge.plan.main_milestone import main_milestone_setting, milestones_listed
from bridge.plan.milestones import MILESTONES_TO_WRITE, MILESTONES_TO_WRITE_ZH
from bridge.projections.text import succeeded_not_done
from bridge.value_methods import value_methods

__all__ = [
    "NO_MILESTONES",
    "NO_MILESTONES_ZH",
    "NO_VERDICTS",
    "NO_VERDICTS_ZH",
    "BlockResult",
    "MilestoneResult",
    "Outcome",
    "blocks_with_untrusted_runs",
    "holding_blocks",
    "main_empty",
    "main_not_met",
    "must_completed",
    "no_main",
    "not_met_elsewhere",
    "runless_must_blocks",
    "untrusted_blocks",
    "untrusted_elsewhere",
    "untrusted_phrase",
]

#: The same when the plan has no milestones at all (017): no main_milestone can name one.
#: What to write is `bridge plan`'s (a run-order list whose steps open with their ids counts).
NO_MILESTONES = (
    f"the plan has no milestones, so no main result; give it milestones ({MILESTONES_TO_WRITE})"
)
NO_MILESTONES_ZH = f"计划没有里程碑，因而没有主要结果；请写出里程碑（{MILESTONES_TO_WRITE_ZH}）"


def holding_blocks(
    milestones: Sequence[MilestoneInfo], results: Sequence[MilestoneResult]
) -> list[MilestoneInfo]:
    """
    The milestones that could be named the main one: those ``results`` shows holding a block,
    else all of them. 023's M1, M3, M4 and M5 hold none (their runs belong to no block): named,
    M4 read "no block of the plan is in M4, so there is nothing to judge".
    """
    holding = {m.info.id for m in results if m.blocks}
    return [m for m in milestones if m.id in holding and not m.sanity] or list(milestones)


def no_main(
    milestones: Sequence[MilestoneInfo], results: Sequence[MilestoneResult] = ()
) -> tuple[str, str]:
    """
    Why there is no main result, and what to do about it, in English and Chinese (the results
    and the summary say it): the setting it shows names one of the plan's own milestones
    (:func:`~bridge.plan.main_milestone.main_milestone_setting`: 034's ``main_milestone =
    "Pilot positive"``, where ``"M…"`` named no milestone of it), of those holding a block
    (:func:`holding_blocks`) when ``results`` shows any.
    """
    milestones = holding_blocks(milestones, results)
    setting = main_milestone_setting(milestones)
    return (
        "no main milestone recognised in the plan (none is named main); name it with "
        f"{setting} in bridge.toml [bridge]{milestones_listed(milestones)}",
        "计划中未识别出主要里程碑（没有名为 main 的里程碑）；"
        f"可在 bridge.toml [bridge] 中用 {setting} 指定{milestones_listed(milestones, zh=True)}",
    )


#: The same when the plan has no experiment blocks (032): no criterion, so nothing to judge.
NO_VERDICTS = (
    "the plan has no experiment blocks, so no criterion is judged and there is no main result; "
    "give the plan experiment blocks with success criteria"
)
NO_VERDICTS_ZH = (
    "计划中没有实验块，因而没有可判定的成功标准，也没有主要结果；请在计划中写出带成功标准的实验块"
)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BlockResult:
    """
    One block judged: its runs, aggregates, criterion and verdict.

    Attributes:
        block: the block as the plan recorded it.
        run_ids: the runs judged (see the module docstring for shared runs).
        shared: the runs taken from other blocks.
        criterion: the parsed criterion, or why it is not machine-checkable.
        aggregates: every (system, metric) of the block over its runs.
        shown: the metric names worth showing for people (criterion, key and plan metrics).
        verdict: the verdict with its reason.
        reference: the block's baseline system, when one was recognised.
        candidate: the block's proposed system, when one was recognised.
        expected_seeds: runs expected per system.
        reviewable: the rules gave no verdict because the criterion (or a clause of it) is not
            machine-checkable, and every run of the block succeeded: a reviewer may judge it.
        inputs_sha256: for a reviewable block, the digest of what a reviewer is shown.
        sanity_numbers: the numbers of the block's sanity runs, which it is not judged on
            (``R001 (M0): tools = 1032, tasks = 1839``), one line per run, shown with the
            block and to its reviewer.
    """

    block: BlockInfo
    run_ids: tuple[str, ...]
    shared: tuple[str, ...]
    criterion: Criterion | Unparsed | Compound
    aggregates: tuple[Aggregate, ...]
    shown: tuple[str, ...]
    verdict: Verdict
    reference: str | None
    candidate: str | None
    expected_seeds: int
    reviewable: bool = False
    inputs_sha256: str = ""
    sanity_numbers: tuple[str, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MilestoneResult:
    """
    One milestone: its runs and blocks, and for a sanity milestone whether it passed.

    Attributes:
        info: the milestone as the plan recorded it.
        blocks: the blocks it covers, in plan order.
        run_ids: its runs, in planning order.
        sanity_passed: ``True``/``False`` for a checked sanity milestone, else ``None``.
    """

    info: MilestoneInfo
    blocks: tuple[str, ...]
    run_ids: tuple[str, ...]
    sanity_passed: bool | None


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Outcome:
    """
    Everything the results files say, computed once from the state.

    Attributes:
        milestones: in plan order.
        blocks: in plan order.
        main_milestone: the main milestone's id, or ``None`` when none was recognised.
        main_result: positive, negative or inconclusive (from the main milestone's blocks).
        must_done: must-run runs that completed with a result: succeeded under bridge, or done
            before bridge as the tracker says, unless it says they ended failed or invalid, and
            unless their numbers are not trusted (``must_untrusted``).
        must_total: must-run runs planned.
        must_failed_before: must-run runs, not counted in ``must_done``, whose tracker row says
            they ended failed or invalid before bridge (in planning order): every summary names
            them, and the results are not ready while they stand.
        must_negative_before: must-run runs counted in ``must_done`` whose tracker row says
            they completed before bridge with a negative result (014's R002
            ``COMPLETE_FAIL_HARD_STOP``), in planning order: named beside the count, as "2/2"
            alone reads as two that went as planned.
        must_awaiting_code: must-run runs held out of scope because the tracker says their code
            is not written yet (023's PENDING_IMPLEMENTATION), not counted in ``must_total``:
            every summary names them, as the plan is not done while they wait.
        must_waiting_outside: must-run runs held out of scope because they wait for a run bridge
            does not run (a person's, out of scope, its code not written), not counted either.
        must_ruled_out: must-run runs the tracker takes out of scope (SKIPPED, STOPPED …), a
            decision of the researcher's: not counted, named beside the count.
        must_split: must-run runs bridge set aside because their row is split into one run per
            seed now (``failure_words.split_reason``; 002's R007 after "seeds 42, 43"): the
            seeds' runs stand for the row; not counted, named beside the count as what they
            are, no decision of the researcher's to leave them out.
        must_removed: must-run runs bridge set aside because their row was removed from the
            tracker or the plan (``failure_words.removed_reason``): not counted, named so.
        must_blocked: must-run runs the tracker says are blocked for another reason
            (``BLOCKED-BY-HOST``), out of scope and not counted: named, as the plan is not done.
        must_by_person: must-run runs that are work people do, not done yet (020's owner
            ``白天：人工``, ``bridge.plan.runs.done_by_person``), out of scope for bridge and not
            counted: named, as the plan is not done.
        must_not_succeeded: must-run runs bridge was to run that have not succeeded (failed,
            cancelled, or not run yet), in planning order; not those in ``must_held_for_code``.
        must_held_for_code: must-run runs of later milestones held (cancelled in the log)
            behind a must-run row waiting for its code (020's R060-R070 behind R040 `待实现`),
            in planning order: counted in ``must_total``, not done, never failed; they run once
            that row can run, and leave ``bridge run``'s exit code 0.
        must_no_number: must-run runs that succeeded but recorded no number, their metrics
            file empty or unreadable (``RunView.wrote_no_number``), in planning order.
        must_untrusted: must-run runs that succeeded under bridge with a number that cannot be
            trusted (a blocking training-quality finding: NaN/Inf, divergence), in planning
            order: not counted in ``must_done`` (001d's sanity R001 wrote loss NaN and held the
            plan while "1/11" counted it completed), named beside the count.
        must_missing: every must-run run whose evidence the plan lacks, in planning order:
            ``must_not_succeeded``, ``must_failed_before`` and ``must_no_number`` together. The
            one list ``bridge run``'s exit code, the next step and the readiness read, so they
            cannot disagree.
        nice_done: nice-to-have runs that succeeded (under bridge or before it).
        nice_total: nice-to-have runs planned.
        ready: ready for the review loop.
        not_ready: why not, when not ready (English: results.json's ``not_ready_reasons``).
        not_ready_zh: the same reasons in Chinese, for the Chinese summary and results.
        flags: every quality finding, with its run id, in run order.
        unattributed: ``(run id, reason)`` for every run outside the sanity milestone that
            belongs to no block of the plan, in planning order.
        main_unjudged: when the main result is negative, the main milestone's blocks judged
            inconclusive beside the failed one, in plan order (015's headline B3 and B4 beside
            its rigor check B6): the result rests on the failed block alone, so every summary
            names them and the results are not ready while they stand. Empty otherwise.
        main_unheld: when the main result is positive, the main milestone's blocks met by a
            comparison under a condition the runs break (``judge.NOT_HELD``: "at the same
            training time", 020's B2 at 5000 s against 2000 s), in plan order: the results are
            not ready while they stand, and the next step says how to settle them.
        must_blocks_unrun: the must-run blocks with no run at all and no verdict (judged
            inconclusive), in plan order (008's B1, B2: no tracker row is theirs): nothing was
            run or judged for them, so the results are not ready while they stand, whatever
            the main result; the next step says how to give them runs or take them out.
    """

    milestones: tuple[MilestoneResult, ...]
    blocks: tuple[BlockResult, ...]
    main_milestone: str | None
    main_result: MainResult
    must_done: int
    must_total: int
    must_failed_before: tuple[str, ...]
    nice_done: int
    nice_total: int
    ready: bool
    not_ready: tuple[str, ...]
    flags: tuple[tuple[str, QualityFlag], ...]
    unattributed: tuple[tuple[str, str], ...] = ()
    not_ready_zh: tuple[str, ...] = ()
    must_awaiting_code: tuple[str, ...] = ()
    must_waiting_outside: tuple[str, ...] = ()
    must_blocked: tuple[str, ...] = ()
    must_by_person: tuple[str, ...] = ()
    must_ruled_out: tuple[str, ...] = ()
    must_split: tuple[str, ...] = ()
    must_removed: tuple[str, ...] = ()
    must_not_succeeded: tuple[str, ...] = ()
    must_held_for_code: tuple[str, ...] = ()
    must_no_number: tuple[str, ...] = ()
    must_missing: tuple[str, ...] = ()
    main_unjudged: tuple[str, ...] = ()
    must_untrusted: tuple[str, ...] = ()
    main_unheld: tuple[str, ...] = ()
    must_negative_before: tuple[str, ...] = ()
    must_blocks_unrun: tuple[str, ...] = ()


def must_completed(outcome: Outcome, *, zh: bool = False) -> str:
    """
    ``done/total`` of the must-run runs, naming those succeeded but not done (numbers not
    trusted, no metric value recorded), those not done because their tracker row says
    they ended failed or invalid before bridge, and those not counted because they wait (for
    their code, for runs bridge does not run, or blocked in the tracker); and the must-run
    blocks with no run at all, which no count of runs shows.
    """
    text = f"{outcome.must_done}/{outcome.must_total}"
    parts: list[str] = []
    # A Chinese list of runs is joined with "、", as every other one bridge writes.
    sep = "、" if zh else ", "
    # Done, but with a negative result (014's R002): counted, and said so, as the stage line
    # says "2 done before bridge (R002 with a negative result)".
    if negative := outcome.must_negative_before:
        ids = sep.join(negative)
        parts.append(
            f"其中 {ids} 在 bridge 之前已完成、结果为负"
            if zh
            else f"{ids} done before bridge with a negative result"
        )
    # Succeeded, but with a NaN or a divergence, or with no metric value: not completed, and
    # said what each is.
    parts += succeeded_not_done(
        outcome.must_untrusted, outcome.must_no_number, "zh" if zh else "en"
    )
    if failed := outcome.must_failed_before:
        ids = sep.join(failed)
        parts.append(
            f"{len(failed)} 个在 bridge 之前已结束为失败或无效：{ids}"
            if zh
            else f"{len(failed)} ended failed or invalid before bridge: {ids}"
        )
    # Must-run rows held while they wait, by why: not counted, named.
    for held, zh_said, one, several in (
        (
            outcome.must_awaiting_code,
            "另有 {n} 个必做运行等待代码写好，未计入：{ids}",
            "waits for its code",
            "wait for their code",
        ),
        (
            outcome.must_waiting_outside,
            "另有 {n} 个必做运行等待 bridge 不运行的运行，未计入：{ids}",
            "waits for runs bridge does not run",
            "wait for runs bridge does not run",
        ),
        (
            outcome.must_by_person,
            "另有 {n} 个必做运行由人工执行、尚未完成，未计入：{ids}",
            "is work people do, not done yet",
            "are work people do, not done yet",
        ),
        (
            outcome.must_blocked,
            "另有 {n} 个必做运行在追踪表中受阻，未计入：{ids}",
            "is blocked in the tracker",
            "are blocked in the tracker",
        ),
        (
            outcome.must_ruled_out,
            "另有 {n} 个必做运行被追踪表排除在范围之外，未计入：{ids}",
            "is out of scope in the tracker",
            "are out of scope in the tracker",
        ),
        (
            outcome.must_split,
            "另有 {n} 个必做运行已拆分为种子而搁置，未计入：{ids}",
            "is set aside, split into seeds",
            "are set aside, split into seeds",
        ),
        (
            outcome.must_removed,
            # A row removed, a split undone, a proposed run the plan no longer proposes.
            "另有 {n} 个必做运行已不在计划中而搁置，未计入：{ids}",
            "is set aside, no longer in the plan",
            "are set aside, no longer in the plan",
        ),
    ):
        if held:
            ids = sep.join(held)
            parts.append(
                zh_said.format(n=len(held), ids=ids)
                if zh
                else f"{len(held)} more {one if len(held) == 1 else several}, not counted: {ids}"
            )
    # Every run done is no word on a must-run block none of whose runs there are (005's B5
    # "d_mem(t) persistence trace", MUST-RUN, read "Must-run completed: 11/11" with no run).
    # Not a block the plan marks done before it (its heading's COMPLETE).
    empty = runless_must_blocks(outcome.blocks)
    if empty:
        ids = sep.join(empty)
        parts.append(
            f"必做实验块 {ids} 没有任何运行"
            if zh
            else f"must-run block{'s' if len(empty) > 1 else ''} {ids} "
            f"{'have' if len(empty) > 1 else 'has'} no run"
        )
    if not parts:
        return text
    return f"{text}（{'；'.join(parts)}）" if zh else f"{text} ({'; '.join(parts)})"


def runless_must_blocks(blocks: Sequence[BlockResult]) -> tuple[str, ...]:
    """
    The must-run blocks of ``blocks`` none of whose runs there are, in plan order: not those
    the plan marks done before it (its heading's ``COMPLETE``) or cuts. The must-run count
    names them, and those left unjudged hold readiness (``Outcome.must_blocks_unrun``).
    """
    return tuple(
        b.block.id
        for b in blocks
        if b.block.priority == "must" and not b.block.status_tag and not b.run_ids
    )


def main_empty(
    milestones: Sequence[MilestoneResult], main_milestone: str | None, *, zh: bool = False
) -> str:
    """
    Why the main milestone has nothing to judge, in English or Chinese: no block of the plan
    is in it (and no run, when it has none), so its result is inconclusive by having nothing
    in it, not by a judgement that could not be made (018's M4 "3-seed 决定性实验", whose
    runs are not in the tracker yet, read only "inconclusive"). ``""`` when a block is in it
    or there is no main milestone.
    """
    main = next((m for m in milestones if m.info.id == main_milestone), None)
    if main is None or main.blocks:
        return ""
    if main.run_ids:
        return (
            f"计划中没有实验块属于 {main.info.id}，无可判定"
            if zh
            else f"no block of the plan is in {main.info.id}, so there is nothing to judge"
        )
    return (
        f"计划中没有实验块或运行属于 {main.info.id}，无可判定"
        if zh
        else f"no block or run of the plan is in {main.info.id}, so there is nothing to judge"
    )


def main_not_met(outcome: Outcome) -> tuple[str, ...]:
    """
    The main milestone's blocks judged not met, in plan order: what a negative main result
    rests on, named beside the blocks left unjudged (``Outcome.main_unjudged``).
    """
    main = next((m.blocks for m in outcome.milestones if m.info.id == outcome.main_milestone), ())
    return tuple(
        b.block.id
        for b in outcome.blocks
        if b.block.id in main and b.verdict.verdict is VerdictKind.NOT_MET
    )


def not_met_elsewhere(outcome: Outcome) -> tuple[str, ...]:
    """
    The must-run blocks outside the main milestone judged not met, in plan order: the main
    result names only its own blocks, and a failed claim elsewhere (004's B6, 033's E1) was
    seen only by reading every block.
    """
    main = next((m.blocks for m in outcome.milestones if m.info.id == outcome.main_milestone), ())
    return tuple(
        b.block.id
        for b in outcome.blocks
        if b.block.id not in main
        and b.block.priority not in ("nice", "cut")
        and b.verdict.verdict is VerdictKind.NOT_MET
    )


def untrusted_blocks(
    outcome: Outcome,
) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    """
    The must-run blocks, those of the main milestone included, with a run whose numbers are not
    trusted (a blocking training-quality finding: NaN/Inf, divergence), each as ``(block,
    ((run, kinds), …))`` with the run's blocking finding kinds in the order found, blocks in
    plan order, runs in the block's order (runs shared from other blocks left to their own
    block, unless no must-run block holds them as its own: then each block judged on one
    names it, 002's R008 shared by B1 and B2). What results.json's
    ``summary.untrusted_blocks`` holds; :func:`untrusted_elsewhere` words those outside the
    main milestone, readiness those in it.
    """
    return blocks_with_untrusted_runs(outcome.blocks, outcome.flags)


def blocks_with_untrusted_runs(
    blocks: Sequence[BlockResult], flags: Sequence[tuple[str, QualityFlag]]
) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    """
    :func:`untrusted_blocks` of these judged blocks and quality flags (``(run, flag)``), for
    readiness to read before the :class:`Outcome` is made. Nice-to-have and cut blocks are
    left out.
    """
    flagged: dict[str, list[str]] = {}
    for run_id, flag in flags:
        kinds = flagged.setdefault(run_id, [])
        if flag.blocking and flag.kind not in kinds:
            kinds.append(flag.kind)
    must = [b for b in blocks if b.block.priority not in ("nice", "cut")]
    # A flagged run shared into must-run blocks whose own block is not one of them (nice-to-have,
    # or none) would be named nowhere while it leaves those blocks open.
    owned = {run_id for b in must for run_id in b.run_ids if run_id not in b.shared}
    found = []
    for b in must:
        runs = tuple(
            (run_id, tuple(flagged[run_id]))
            for run_id in b.run_ids
            if (run_id not in b.shared or run_id not in owned) and flagged.get(run_id)
        )
        if runs:
            found.append((b.block.id, runs))
    return tuple(found)


def untrusted_elsewhere(outcome: Outcome) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """
    The must-run blocks outside the main milestone (every one when there is none) with a run
    whose numbers are not trusted (:func:`untrusted_blocks`), each with its flagged runs as
    ``"R012 divergence"``, in plan order. The quickstart's diverged ablation runs (R012, R014)
    were seen only in their block's verdict beside "positive, every criterion met" and
    "Ready: YES"; those of the main milestone hold readiness back instead.
    """
    main = next((m.blocks for m in outcome.milestones if m.info.id == outcome.main_milestone), ())
    return tuple(
        (block, tuple(f"{run_id} {'/'.join(kinds)}" for run_id, kinds in runs))
        for block, runs in untrusted_blocks(outcome)
        if block not in main
    )


def untrusted_phrase(outcome: Outcome, *, zh: bool) -> str:
    """
    :func:`untrusted_elsewhere` as a phrase (``B4 (R012 divergence, R014 divergence)``), or
    ``""`` when there is none.
    """
    sep, open_, close = ("、", "（", "）") if zh else (", ", " (", ")")
    return ("；" if zh else "; ").join(
        f"{block}{open_}{sep.join(runs)}{close}" for block, runs in untrusted_elsewhere(outcome)
    )
