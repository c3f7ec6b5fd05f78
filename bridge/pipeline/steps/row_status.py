"""
What a Status the researcher wrote on a tracker row bridge has run asks of that run.

bridge fills in the Status of the rows it runs. When the researcher then writes another word
there, it is a request: SKIPPED on a failed run ("stop trying it"), TODO ("run it again"). Before
this, such a word on a run that had an attempt was written over in silence (trial R2: INVALID,
PASSED and STOPPED on rows bridge ran read back as its own words, a pending retry set to SKIPPED
was launched anyway). Each word is now applied, or said not to be, with why.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import attrs

from bridge.events import types as ev
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.stages import RunState
from bridge.pipeline import retries
from bridge.pipeline.recording import ruled_out_reason, tracker_status_events
from bridge.plan.notes_label import BRIDGE_LABEL
from bridge.plan.runs import RunSpec
from bridge.plan.status_legend import untrusted_status
from bridge.plan.text import Document
from bridge.plan.tracker import seed_row
from bridge.plan.vocabulary import (
    NEGATIVE_RESULT,
    NEGATIVE_RESULT_ZH,
    OUT_OF_SCOPE_STATUSES,
    normalise_status,
)
from bridge.projections.failure_words import TRACKER_ROW_NOW
from bridge.projections.tracker import STATUS_WORDS, status_word

__all__ = [
    "NotApplied",
    "Requested",
    "StatusKept",
    "StatusNotTaken",
    "StatusSaid",
    "asked_of",
    "negative_result_word",
    "requested_events",
    "settled_for",
    "status_written_by_bridge",
    "unlaunched_word",
    "untrusted",
    "untrusted_word_of",
    "written_for_its_row",
    "written_for_its_seeds",
]


@attrs.frozen
class Requested:
    """
    The row asks for something bridge does: take the run out of scope (``out_of_scope``
    with its Status as written), or run it again (``out_of_scope`` False).
    """

    status: str
    reason: str
    out_of_scope: bool


@attrs.frozen
class NotApplied:
    """
    The row says something bridge cannot take from a word: ``bridge_word`` is what bridge
    recorded for the run (FAILED, DONE, …), ``written`` the researcher's Status.
    """

    bridge_word: str
    written: str


@attrs.frozen
class StatusKept:
    """
    A succeeded run whose Status the researcher set to ``written`` (TODO, SKIPPED, INVALID):
    bridge keeps its result, and writes its done status back in the researcher's tracker;
    ``in_plan``: the row is in the plan's own run table (025), where bridge writes nothing;
    ``finding``: ``written`` is a word the tracker's legend gives a finished run's negative
    result (018's `failed`, "方法/任务失败"): the researcher's verdict on the method, which bridge
    does not take from a Status word either (:func:`negative_result_word`).
    """

    written: str
    in_plan: bool
    finding: bool = False


@attrs.frozen
class StatusNotTaken:
    """
    A run bridge ran that ended ``ended`` (bridge's word: FAILED, OOM, TIMEOUT …) whose Status
    the researcher set to ``written`` (DONE, PASSED): not applied, bridge counts only results
    it recorded (:class:`NotApplied`); ``in_plan`` as :class:`StatusKept`.
    """

    ended: str
    written: str
    in_plan: bool


#: A tracker Status the researcher set on a run bridge ran that bridge says and does not take
#: (``bridge run`` names it, bridge.cli.watch.kept_lines): one of these, matched by its class.
StatusSaid = StatusKept | StatusNotTaken


def asked_of(
    run: RunView, row: RunSpec | None, *, tracker_file: str = ""
) -> Requested | NotApplied | None:
    """
    What the tracker ``row`` of ``run``, a run bridge has launched at least once (or cancelled
    before it launched: only ``TODO`` asks something of it then) and that is not live
    (:func:`settled_for`), asks now: None when it says what bridge wrote for the run
    (its state now or at any attempt's end), is running, or cannot be read. Of a succeeded
    run only ``TODO`` on one whose numbers are not trusted asks something: to run it again, and
    only in the researcher's tracker (``tracker_file``), where bridge wrote DONE over the word
    the row had when it ran (:func:`status_written_by_bridge`). Likewise ``TODO`` on a run that
    failed asks for a retry only in that tracker: in the plan's own run table it is the word the
    row had when bridge ran it (unless the run was taken out of scope since).
    """
    if row is None or not row.tracker_status:
        return None
    written = " ".join(row.status_raw.replace("**", "").split())
    if not run.attempts:
        # Cancelled before it launched (a person's `bridge cancel` of a waiting run, or bridge's
        # own, a run it waited for having failed): TODO written over bridge's CANCELLED in the
        # researcher's tracker asks for it, as on a run that ran (009's R003, cancelled at the
        # approval, stayed cancelled in silence).
        if (
            run.state is RunState.CANCELLED
            and row.status == "todo"
            and status_written_by_bridge(row, tracker_file)
            # Not where TODO is bridge's own word: a run held behind a row waiting for its
            # code (023's R031-R043) runs when that row is released, not for its own TODO.
            and normalise_status(status_word(run)) != "todo"
        ):
            return Requested(status=written, reason="", out_of_scope=False)
        return None
    # The row's status as the tracker reader read it, its legend's meaning included: 032's
    # legend makes "❌" Failed, which bridge writes for a failed run (a bare ❌ reads blocked).
    said = row.status
    if run.state is RunState.SUCCEEDED:
        # Only TODO on a run whose numbers are not trusted (030's C4, a NaN): the tracker's way
        # of the `bridge retry --force` the next step names. Any other word on a succeeded run
        # is said and not taken (bridge.cli.watch.kept_lines).
        if said == "todo" and untrusted(run) and status_written_by_bridge(row, tracker_file):
            return Requested(status=written, reason="", out_of_scope=False)
        return None
    own = {STATUS_WORDS[run.state], *(STATUS_WORDS[a.state] for a in run.attempts)}
    if said in ("unknown", "running") or said in {normalise_status(w) for w in own}:
        return None
    if said in OUT_OF_SCOPE_STATUSES:
        if run.state is RunState.OUT_OF_SCOPE:
            return None
        return Requested(
            status=written,
            reason=ruled_out_reason(written, _researchers_notes(row.notes)),
            out_of_scope=True,
        )
    if said == "todo":
        if run.state is RunState.PENDING:
            return None  # it runs: what the row asks
        if run.state is not RunState.OUT_OF_SCOPE and not status_written_by_bridge(
            row, tracker_file
        ):
            # The plan's own run table (025): bridge wrote no FAILED there, so its "to run"
            # word is the one the row had when bridge ran it, not a request; a run taken out
            # of scope since had another word written there by the researcher.
            return None
        return Requested(status=written, reason="", out_of_scope=False)
    # How bridge's last attempt ended ("FAILED"), not "TODO" for a run waiting to run again.
    return NotApplied(bridge_word=STATUS_WORDS[run.attempts[-1].state], written=written)


def negative_result_word(row: RunSpec) -> str:
    """
    The Status word of ``row`` when its tracker's legend says that word is a finished run's
    negative result (018's `failed`: "方法/任务失败"), as the researcher wrote it, legend aside;
    ``""`` otherwise. The tracker reader reads such a row as done (bridge.plan.runs notes the
    legend in its recorded status), so on a run bridge ran and recorded done it would read as
    bridge's own word.
    """
    raw = " ".join(row.status_raw.replace("**", "").split())
    if row.status != "done" or (NEGATIVE_RESULT not in raw and NEGATIVE_RESULT_ZH not in raw):
        return ""
    word = _LEGEND_NOTE.split(raw, maxsplit=1)[0].strip()
    return word or raw


# Where bridge.plan.runs appends the legend's meaning to a recorded status.
_LEGEND_NOTE = lazy(r"\s*\(legend: |（图例：")


def requested_events(
    run: RunView, row: RunSpec, asked: Requested, changed: ev.RunSpecChanged | None
) -> list[ev.Event]:
    """
    The events that do what ``asked`` says: back to pending where the run is not (a retry
    the researcher asked for), the settings the inputs give now (``changed``), then out of
    scope when the row says so.
    """
    what = f"status {asked.status!r}" if asked.out_of_scope else "that it is to run"
    if not asked.out_of_scope and (stopped := retries.stopped_by(run)):
        # A cancelled run the row sets back to run: said with who had stopped it.
        what = f"{what}; {stopped}"
    events: list[ev.Event] = []
    if run.state is not RunState.PENDING:
        events.append(
            ev.RunRetryScheduled(run_id=run.run_id, reason=f"{TRACKER_ROW_NOW} {what}", manual=True)
        )
    if changed is not None:
        events.append(changed)
    if asked.out_of_scope:
        events.append(
            ev.RunRuledOut(
                run_id=run.run_id,
                status=asked.status,
                reason=asked.reason,
                file=row.status_file or row.file,
                line=row.status_line or row.line,
            )
        )
    return events


def unlaunched_word(run: RunView, row: RunSpec | None, tracker_file: str) -> list[ev.Event]:
    """
    What the tracker ``row`` of ``run``, a run cancelled before it ever launched (by bridge,
    its milestone held by a failed must-run run, or by a person's ``bridge cancel``), says of
    the researcher's own: the events that
    take it there (back to pending, then out of scope or done before bridge), or none when the
    row says the CANCELLED bridge wrote there, is to run or running, or is not a row of the
    researcher's tracker ``tracker_file``. Such a run never ran under bridge, so a ``NOT RUN —
    <reason>`` or DONE written there since is the researcher's word, as on a row not started
    yet: before, it was written over with CANCELLED, or the run launched once its settings
    changed (trial t15 on 039's R007). The reason is the row's Status and the researcher's
    Notes, without bridge's labelled part.
    """
    if run.state is not RunState.CANCELLED or run.attempts or row is None:
        return []
    if not row.tracker_status or not status_written_by_bridge(row, tracker_file):
        return []
    said = row.status
    if said in ("unknown", "running", "todo") or said == normalise_status(STATUS_WORDS[run.state]):
        return []
    says = tracker_status_events(attrs.evolve(row, notes=_researchers_notes(row.notes)))
    if not says:
        return []
    what = f"status {' '.join(row.status_raw.replace('**', '').split())!r}"
    retry = ev.RunRetryScheduled(run_id=run.run_id, reason=f"{TRACKER_ROW_NOW} {what}", manual=True)
    return [retry, *says]


def settled_for(run: RunView) -> bool:
    """
    Whether :func:`asked_of` may be asked of ``run``: it ended without succeeding, it has
    run and waits (a retry scheduled) or was taken out of scope since, or it succeeded with
    numbers that are not trusted (:func:`untrusted`).
    """
    return (
        run.state in retries.FAILED
        or (run.state in (RunState.PENDING, RunState.OUT_OF_SCOPE) and bool(run.attempts))
        or (run.state is RunState.SUCCEEDED and untrusted(run))
    )


def status_written_by_bridge(row: RunSpec, tracker_file: str) -> bool:
    """
    Whether bridge writes ``row``'s Status cell: the row (or the block row its Status is read
    from) is in the researcher's tracker ``tracker_file``, which bridge fills in. A row of the
    plan's own run table (025 has no tracker) keeps the word the researcher wrote: the "to run"
    word it had when bridge launched it (025's ❌, "Not started") is no edit.
    """
    return bool(tracker_file) and (row.status_file or row.file) == tracker_file


def written_for_its_seeds(row: RunSpec, seed_runs: Sequence[RunView], tracker_file: str) -> bool:
    """
    Whether the Status of ``row``, a row that named several seeds when bridge ran them
    (``seed_runs``: ``R004-s7``, ``R004-s8``) and names one now, is a word bridge wrote there for
    those runs (their DONE), not the researcher's: read as theirs, the row's one run was done
    before bridge, and never ran (review r33: R004 "seeds 7, 8" cut back to "seed 7").
    """
    return _written_for(row, seed_runs, tracker_file)


def written_for_its_row(
    row: RunSpec, state: PipelineState, planned: Collection[str], tracker_file: str
) -> bool:
    """
    Whether the Status of ``row``, one seed's run (``R-L3-s3407``) of a row that was one run
    when bridge ran it (``R-L3`` in the log ``state``, no longer among the ``planned`` run ids)
    and names several seeds now, is a word bridge wrote there for that run (its DONE, 032's ✅
    through the legend), not the researcher's. Read as theirs, each seed's run was "done before
    bridge", none ran and each counted as completed (trial t13 on 027's R-L3 and 032's E06,
    split through the Seed cell). A row the researcher marked done before bridge ran it has no
    attempt in the log: the word is theirs.
    """
    parent = seed_row(row.id, row.seed)
    if parent is None or parent in planned or (ran := state.runs.get(parent)) is None:
        return False
    return _written_for(row, (ran,), tracker_file)


def _written_for(row: RunSpec, runs: Sequence[RunView], tracker_file: str) -> bool:
    """
    Whether ``row``'s Status is in bridge's tracker and reads as a word bridge writes for one
    of ``runs`` that it ran: its state now or at any attempt's end.
    """
    ran = [r for r in runs if r.attempts]
    if not ran or not status_written_by_bridge(row, tracker_file):
        return False
    own = {STATUS_WORDS[r.state] for r in ran}
    own |= {STATUS_WORDS[a.state] for r in ran for a in r.attempts}
    return row.status in {normalise_status(word) for word in own}


def untrusted(run: RunView) -> bool:
    """
    Whether ``run`` recorded a number it cannot be trusted with (a blocking training-quality
    finding: ``non_finite``, ``divergence``): the results' ``DONE ⚠ not trusted``.
    """
    return run.metrics is not None and any(q.blocking for q in run.metrics.quality)


def untrusted_word_of(state_tracker_text: str, tracker_file: str) -> str:
    """
    The word the researcher's tracker (its text as the log records it) gives a result that
    cannot stand (018's `invalid`), or ``""``: what bridge writes in the Status of a run of its
    own that succeeded with numbers not trusted (bridge.projections.tracker), so a row that
    reads it on a reload says what bridge wrote, not a word of the researcher's.
    """
    return (
        untrusted_status(Document(state_tracker_text, tracker_file)) if state_tracker_text else ""
    )


def _researchers_notes(notes: str) -> str:
    """The Notes before bridge's labelled part (``seed 0; bridge: attempt 1 …``)."""
    found = BRIDGE_LABEL.search(notes)
    return " ".join((notes[: found.start()] if found else notes).split())
