"""
The code steps: load the plan into the log, implement (existing code or an agent), review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from bridge.errors import BridgeError, ConfigError, ImplementError, ReviewError
from bridge.events import types as ev
from bridge.events.secrets import redact
from bridge.events.store import StreamAppend
from bridge.events.values import Finding, Severity
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.ports import ReviewRequest
from bridge.machine.run_stream import ran_by
from bridge.machine.scheduler import (
    FAILED_BEFORE,
    LIVE,
    held_by_failed_before,
    held_for_code_by,
)
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState
from bridge.machine.table import RELABEL_FIELDS, RELABEL_PARAMS
from bridge.machine.triggers import StageTrigger
from bridge.pipeline import retries, snapshots
from bridge.pipeline.command_code import command_files
from bridge.pipeline.project_log import db_path, open_store
from bridge.pipeline.recording import (
    METRICS_INPUT,
    file_digest,
    input_digests,
    option_values,
    plan_events,
    run_script_paths,
)
from bridge.pipeline.session import Session, Step
from bridge.pipeline.steps import collect, row_status
from bridge.plan.overview import counted
from bridge.plan.project import LoadedProject
from bridge.plan.run_fields import SPEC_FIELDS, launch_seed, run_fields
from bridge.plan.runs import PROPOSED, ProposedBefore, RunSpec
from bridge.plan.status_legend import is_held_for_code
from bridge.plan.templates import placeholders
from bridge.plan.tracker import seed_row, seed_run_id, unread_notes_seed
from bridge.plan.vocabulary import OUT_OF_SCOPE_STATUSES
from bridge.projections.failure_words import (
    AS_RUN,
    CODE_EDITED,
    CODE_FIELD,
    CODE_REMOVED,
    RELABELLED,
    TRACKER_ROW_NOW,
    carried_words,
    own_result_words,
    removed_reason,
    row_gone,
    split_reason,
    unproposed_reason,
    unsplit_reason,
)
from bridge.projections.reasons import summary_in_language

__all__ = [
    "OPTIONS_CHANGED",
    "changed_inputs",
    "code_files",
    "implement",
    "kept_changes",
    "load",
    "place",
    "relabel_ended",
    "reload",
    "reread_metrics",
    "respec",
    "review",
    "review_files",
    "review_once",
]


def load(s: Session) -> None:
    """
    Record the plan in the log: every run not yet planned, then ``PlanLoaded``, in one append
    (one transaction and one commit: a 1,000-run plan was 1,000 appends). A store that appends
    stream by stream keeps the order, so a crash half-way leaves no ``PlanLoaded`` and the next
    load plans only what is missing.
    """
    planned = s.state().runs
    recorded = plan_events(s.project)
    s.append_streams(
        [
            *(
                StreamAppend(stream, events, 0)
                for stream, events in recorded
                if stream != "bridge" and stream.removeprefix("run:") not in planned
            ),
            *(StreamAppend(name, events, None) for name, events in recorded if name == "bridge"),
        ]
    )


# How a change of the options in force is named among the changed inputs ("option
# main_milestone", "options compact, language").
OPTIONS_CHANGED = "option"


def changed_inputs(s: Session) -> list[str]:
    """
    The inputs (plan, tracker, proposal, ideas, ``bridge.toml``) that changed since the plan was
    last recorded. A projection bridge wrote itself (the tracker) is not a change. Options in
    force that differ from the recorded ones while no file changed (``-o main_milestone=M2``
    given, or no longer given) are one more: ``option main_milestone``; an option an older
    bridge did not record is none.
    """
    state = s.state()
    plan = state.plan
    if plan is None or not plan.inputs:
        return []
    now = input_digests(s.project)
    changed = []
    for path in sorted(set(now) | set(plan.inputs)):
        current = now.get(path)
        if current == plan.inputs.get(path):
            continue  # asked first: it is the usual answer, and needs no projection's record
        if current is not None and s.writer.is_own_write(path, current, state):
            continue  # our own projection, as we wrote it (logged or not yet)
        changed.append(path)
    if not changed:
        # 012: `bridge run -o main_milestone=M2` on a collected project judged as before.
        now_options = option_values(s.project.options)
        differ = sorted(
            name
            for name, value in now_options.items()
            if name in plan.options and plan.options[name] != value
        )
        if differ:
            changed.append(f"{OPTIONS_CHANGED}{'s' if len(differ) > 1 else ''} {', '.join(differ)}")
    return changed


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)


def _changes(old: ev.RunPlanned, new: ev.RunPlanned) -> tuple[ev.SpecChange, ...]:
    return tuple(
        ev.SpecChange(field=name, old=_text(getattr(old, name)), new=_text(getattr(new, name)))
        for name in SPEC_FIELDS
        if getattr(old, name) != getattr(new, name)
    )


# The fields that say what a run counts as and where, not what it runs: its system label,
# milestone and priority (its block is placed apart, :func:`place`), and the placeholders
# among its params that name them.
_LABELS = RELABEL_FIELDS
_LABEL_PLACEHOLDERS = RELABEL_PARAMS


def _relabelled(
    old: ev.RunPlanned, new: ev.RunPlanned, named: Collection[str] = ()
) -> ev.RunPlanned:
    """
    ``old`` (the spec a succeeded run ran with) with the labels ``new`` gives it now: its
    ``system``, ``milestone`` and ``priority``, and the ``{system}``, ``{milestone}`` and
    ``{block}`` values among its params, each only where neither command (as it ran, as it is
    now) names that placeholder, nor ``named`` (the placeholders naming where its numbers are
    read, :func:`_naming_numbers`): then the run's command ran the same, and its numbers stand
    under the new label (029: a ``[[runs]] system`` added after R041 ran marked it "kept as it
    ran" and the results kept the old label, though its command never used ``{system}``). A
    label the command uses stays as it ran: the run ran with it. Its ``block`` stays:
    :func:`place` places it.
    """
    used = {name for token in (*old.command, *new.command) for name in placeholders(token)}
    return _labels_from(old, new, used | set(named))


def _labels_from(old: ev.RunPlanned, new: ev.RunPlanned, used: Collection[str]) -> ev.RunPlanned:
    """
    ``old`` with the labels ``new`` gives it (:data:`_LABELS`, :data:`_LABEL_PLACEHOLDERS`),
    but those named in ``used`` (its priority always: it names nothing the run ran with).
    """
    fields = {
        name: getattr(new, name) for name in _LABELS if name == "priority" or name not in used
    }
    params = dict(old.params)
    for name in _LABEL_PLACEHOLDERS:
        if name in used:
            continue
        if name in new.params:
            params[name] = new.params[name]
        else:
            params.pop(name, None)
    return attrs.evolve(old, params=params, **fields)


def _naming_numbers(s: Session) -> frozenset[str]:
    """
    The placeholders that name where a run's numbers are read, outside its command: those of
    ``[metrics.wandb] run_name``, the W&B run they were recorded under. A label among them
    stays as the run ran, as one its command passes: the review found ``run_name =
    "{run_id}-{system}"`` relabelled at once, and reading the numbers again (a ``[metrics]``
    edit) then asked W&B for a run of the new name, which never ran.
    """
    return _naming_numbers_of(s.project)


def _naming_numbers_of(project: LoadedProject) -> frozenset[str]:
    """:func:`_naming_numbers` of ``project``, outside a session (`bridge plan`)."""
    table = project.config.metrics.wandb
    template = table.get("run_name", "{run_id}") if table is not None else ""
    if not isinstance(template, str):
        return frozenset()  # refused at start, naming the setting (bootstrap.validate)
    try:
        return frozenset(placeholders(template))
    except ConfigError:
        return frozenset()  # refused at start, as above


def _relabel_event(
    spec: ev.RunPlanned,
    changes: tuple[ev.SpecChange, ...],
    inputs: Mapping[str, str],
    reason: str,
) -> ev.RunSpecChanged:
    """The ``RunSpecChanged`` that gives a run ``spec``'s new labels, no new attempt."""
    return ev.RunSpecChanged(
        run_id=spec.run_id,
        spec=spec,
        changes=changes,
        inputs=dict(inputs),
        reason=f"{RELABELLED} ({reason})",
    )


def _relabel_succeeded(
    s: Session,
    old: RunView,
    spec: ev.RunPlanned,
    named: Collection[str],
    inputs: Mapping[str, str],
    reason: str,
) -> bool:
    """
    Record the labels ``spec`` gives the succeeded run ``old`` where it may take them
    (:func:`_relabelled`: none its command or ``named`` uses, and nothing else changed with
    them); nothing otherwise. Returns whether it recorded them.
    """
    if _unplaced_changes(old.spec, spec, named):
        return False
    relabelled = _relabelled(old.spec, spec, named)
    labels = _changes(old.spec, relabelled)
    if labels:
        s.append(
            f"run:{old.run_id}",
            [_relabel_event(relabelled, labels, inputs, reason)],
            old.stream_version,
        )
    return bool(labels)


# The reason of the labels a run takes once it ended: given while it ran (the review), or read
# otherwise by a newer bridge from the same inputs (as place's "read again").
_GIVEN_WHILE_LIVE = "the inputs as last read label it differently (a live run takes none)"


def relabel_ended(s: Session, *, live: bool = False) -> None:
    """
    Give each succeeded run the labels the inputs as recorded give it, where it may take them
    (:func:`_relabelled`), when they differ from its own: a label changed while the run was
    live was recorded with the plan, but a live run takes no new inputs, and nothing read its
    row again once it ended (the review: its old label stood for good). Where its numbers
    count follows (:func:`place`). A run that may not take them (its command or W&B run name
    uses the label, or more changed with it) and has no mark yet is marked kept as it ran
    (``RunKeptAsRan``, each change named), as an edit read after it ended marks it. A run of a
    row split into seeds, or deleted, while it ran is ruled out now that it ended
    (:func:`_rule_out_split`, :func:`_rule_out_removed`), but not while runs go on (``live``:
    the dispatcher's idle turns): the row may be back at the next save (review r33: a row cut
    and pasted back mid-run ran again in full), and the phase's end rules them out. Cheap when
    nothing differs: the labels are compared first.
    """
    if not live:
        _rule_out_split(s)
        _rule_out_removed(s)
    state = s.state()
    relabelled: list[str] = []
    named: frozenset[str] | None = None
    inputs = state.plan.inputs if state.plan is not None else {}
    agreed = s.labels_agreed
    for run in s.project.runs:
        old = state.runs.get(run.id)
        if old is None or old.state is not RunState.SUCCEEDED:
            continue
        if (pair := agreed.get(run.id)) is not None and pair[0] is run and pair[1] is old.spec:
            continue
        if all(getattr(run, f) == getattr(old.spec, f) for f in _LABELS) and all(
            run.params.get(p) == old.spec.params.get(p) for p in _LABEL_PLACEHOLDERS
        ):
            agreed[run.id] = (run, old.spec)
            continue
        if named is None:
            named = _naming_numbers(s)
        spec = attrs.evolve(ev.RunPlanned(run_id=run.id, **run_fields(run)), notes=old.spec.notes)
        if _relabel_succeeded(s, old, spec, named, inputs, _GIVEN_WHILE_LIVE):
            relabelled.append(run.id)
        elif old.kept is None and (changes := _kept_of(old, spec, named)):
            if not _live_at_a_reading(s, old):
                # No plan was recorded while it ran: the label is read differently from the
                # same inputs (a bridge that reads names otherwise), not given while it ran,
                # and this reason would be untrue (review r33). Nothing to do for this pair.
                agreed[run.id] = (run, old.spec)
                continue
            # It ran with the old label (`--name {system}`): the mark the reload that read the
            # edit could not give a live run (a mark is a succeeded run's), given now, not at
            # the next edit of the plan.
            s.append(
                f"run:{run.id}",
                [ev.RunKeptAsRan(run_id=run.id, changes=changes, reason=_GIVEN_WHILE_LIVE)],
                old.stream_version,
            )
    if relabelled:
        place(s, _GIVEN_WHILE_LIVE, relabelled)


def _live_at_a_reading(s: Session, run: RunView) -> bool:
    """
    Whether a plan was recorded (``PlanLoaded``) while ``run``'s last attempt was live: after
    its launch, before it succeeded. Only such a run was given a label it could not take while
    it ran. Reads the log from the launch on, the run's stream and then bridge's, no further
    than the run's end: asked only of a succeeded run whose labels differ and that has no mark.
    """
    attempt = run.current
    if attempt is None:
        return False
    after = attempt.submitted_seq
    ended = next(
        (
            r.seq
            for r in s.store.read(f"run:{run.run_id}", after=after)
            if isinstance(r.event, ev.RunSucceeded)
        ),
        None,
    )
    for record in s.store.read("bridge", after=after):
        if ended is not None and record.seq > ended:
            return False
        if isinstance(record.event, ev.PlanLoaded):
            return True
    return False


def _unplaced_changes(
    old: ev.RunPlanned, new: ev.RunPlanned, named: Collection[str] = ()
) -> tuple[ev.SpecChange, ...]:
    """
    The changes of a succeeded run's spec that are about how it ran, not where its numbers
    count: ``block`` is placed without a new attempt (:func:`place`), and so is the ``{block}``
    value among the params (002: "kept as it ran" after every `bridge run` once R006 was
    placed in B1); a label its command does not use is taken at once (:func:`_relabelled`),
    but only when nothing else its numbers depend on changed: a new system may bring its own
    args, env or command (a ``[systems."Y"]`` table), and then the run, labels included, stays
    as it ran, every change named. A time limit or estimate changed with the label (one of
    :data:`_NOT_IN_NUMBERS`) does not hold it back: the run ran as it would now, and it keeps
    those (it does not run again). ``named``: as :func:`_relabelled`.
    """
    if any(
        c.field not in _NOT_IN_NUMBERS for c in _beside_block(_relabelled(old, new, named), new)
    ):
        return _beside_block(old, new)
    return ()


def _beside_block(old: ev.RunPlanned, new: ev.RunPlanned) -> tuple[ev.SpecChange, ...]:
    """The changes from ``old`` to ``new`` other than its block and ``{block}`` value."""
    params = {k: v for k, v in new.params.items() if k != "block"}
    if "block" in old.params:
        params["block"] = old.params["block"]
    return _changes(old, attrs.evolve(new, block=old.block, params=params))


# A run takes new inputs in these states: it has not succeeded and no attempt of it is live.
_RESPECABLE = retries.FAILED | {RunState.PENDING}


def respec(s: Session, reason: str, run_ids: Collection[str] | None = None) -> list[str]:
    """
    Give each run (of ``run_ids``, or all) that has not succeeded and is not live the spec the
    inputs give now, recorded as ``RunSpecChanged`` (each field old → new, the input digests)
    before any attempt of it launches. Runs not in the log yet are planned. Returns the runs
    whose spec changed. Succeeded runs whose spec the inputs change keep theirs (:func:`reload`
    records them, ``RunKeptAsRan``); on a reload (``run_ids`` None) a tracker Status the
    researcher set on a run bridge ran is put in ``s.status_said`` for ``bridge run`` to name.
    """
    state = s.state()
    inputs = input_digests(s.project)
    named = _naming_numbers(s)
    changed: list[str] = []
    rows = {r.id: r for r in s.project.runs if r.tracker_status and r.status_raw.strip()}
    tracker_file = s.project.plan.tracker_file
    # The word bridge writes on the row of a run whose numbers are not trusted (018's
    # `invalid`): read back, it is bridge's, not the researcher's.
    invalid = row_status.untrusted_word_of(
        state.plan.tracker_text if state.plan is not None else "", tracker_file
    )
    seed_runs: dict[str, list[RunView]] | None = None
    saved_back = _SavedBack(s, tracker_file)
    for stream, events in plan_events(s.project):
        if stream == "bridge":
            continue
        new, *tracker_says = events
        # plan_events opens every run stream with the run's RunPlanned.
        assert isinstance(new, ev.RunPlanned), new
        if run_ids is not None and new.run_id not in run_ids:
            continue
        old = state.runs.get(new.run_id)
        if old is None:
            # A new run: planned, and marked done or out of scope when its tracker row says so.
            if tracker_says and (row := rows.get(new.run_id)) is not None:
                if seed_runs is None:
                    seed_runs = _seed_runs(state)
                if row_status.written_for_its_seeds(
                    row, seed_runs.get(new.run_id, ()), tracker_file
                ):
                    # A row split into seeds cut back to one seed: its DONE is bridge's, written
                    # for the seeds' runs, and its one run is still to run (review r33).
                    tracker_says = []
                elif row_status.written_for_its_row(row, state, s.project.run_ids, tracker_file):
                    # A row bridge ran as one run, split into seeds since: its DONE is bridge's,
                    # written for that run, and each seed's run is still to run (trial t13 on
                    # 027's R-L3 Seed cell 3407 → 3407/3408: "done before bridge, not run").
                    tracker_says = []
            s.append(stream, [new, *tracker_says], 0)
            continue
        spec = attrs.evolve(new, notes=old.spec.notes)
        if run_ids is None and old.state in NOT_BRIDGES_RUN_STATES and not old.attempts:
            # A row bridge never ran, whose status the researcher changed: what it says now.
            again = _tracker_changed(old, tracker_says)
            if again:
                # Back to pending first, then the settings written now: the row and its
                # [[runs]] entry are often edited together, and the run must not launch with
                # the spec it was planned with before it went out of scope.
                changes = _changes(old.spec, spec)
                if changes:
                    again.insert(
                        1,
                        ev.RunSpecChanged(
                            run_id=new.run_id,
                            spec=spec,
                            changes=changes,
                            inputs=inputs,
                            reason=reason,
                        ),
                    )
                    changed.append(new.run_id)
                s.append(stream, again, old.stream_version)
            else:
                # Nothing ran under bridge: its labels are the row's as written now (009's
                # R002 given another system kept the old one in the results and `bridge
                # status`). Its other settings wait until it runs, when it is back to TODO.
                relabelled = _labels_from(old.spec, spec, ())
                labels = _changes(old.spec, relabelled)
                if labels:
                    s.append(
                        stream,
                        [_relabel_event(relabelled, labels, inputs, reason)],
                        old.stream_version,
                    )
            continue
        unlaunched = (
            row_status.unlaunched_word(old, rows.get(new.run_id), tracker_file)
            if run_ids is None and not saved_back(rows.get(new.run_id))
            else []
        )
        if unlaunched:
            # A run bridge cancelled before it ever launched, its row marked NOT RUN — <reason>
            # (or DONE) since: the researcher's word, as on a row not started yet (trial t15:
            # 039's R007 launched once the toml fix reached its milestone, its row overwritten).
            s.append(stream, unlaunched, old.stream_version)
            continue
        asked = (
            row_status.asked_of(old, rows.get(new.run_id), tracker_file=tracker_file)
            if run_ids is None
            and row_status.settled_for(old)
            and not saved_back(rows.get(new.run_id))
            else None
        )
        if isinstance(asked, row_status.Requested):
            # The researcher's word on a row bridge ran: out of scope, or to run again.
            # With the settings written now: a row back from out of scope must not launch
            # with the spec it had before it went out (the review: its fixed args were lost).
            changes = _changes(old.spec, spec)
            respecced = (
                ev.RunSpecChanged(
                    run_id=new.run_id, spec=spec, changes=changes, inputs=inputs, reason=reason
                )
                if changes
                else None
            )
            s.append(
                stream,
                row_status.requested_events(old, rows[new.run_id], asked, respecced),
                old.stream_version,
            )
            continue
        if isinstance(asked, row_status.NotApplied):
            # In the plan's own run table bridge writes no Status back (in_plan).
            s.status_said[new.run_id] = row_status.StatusNotTaken(
                ended=asked.bridge_word,
                written=asked.written,
                in_plan=not row_status.status_written_by_bridge(rows[new.run_id], tracker_file),
            )
        if old.state not in _RESPECABLE:
            if old.state is RunState.SUCCEEDED:
                # A new label its command does not use is taken at once, no new attempt:
                # the results and the tracker name the run by it (029's R041 and its
                # `[[runs]] system` added after it ran). Not when anything else changed with
                # it (a system bringing its own args): the run stays as it ran, labels too.
                _relabel_succeeded(s, old, spec, named, inputs, reason)
            if old.state is RunState.SUCCEEDED and run_ids is None:
                # Its block is placed below, without running it again.
                row = rows.get(new.run_id)
                # "running" is the word bridge wrote there while it ran (a tracker saved
                # from an editor that had it open), never a request.
                # Not DONE_STATUSES: a FAILED or INVALID written on a row bridge ran and
                # recorded done is the researcher's word about its result (trial R2).
                ours = row is not None and row_status.status_written_by_bridge(row, tracker_file)
                # 018's `failed`, by its legend a finished run's negative result: it reads as
                # done, yet it is the researcher's finding, not the `passed` bridge wrote there
                # (trial t14: written back in silence).
                finding = row_status.negative_result_word(row) if ours and row else ""
                if (
                    row is not None
                    and (row.status not in ("done", "running") or finding)
                    and (ours or row.status not in ("todo", "unknown"))
                    and not (
                        ours
                        and bool(invalid)
                        and row_status.untrusted(old)
                        and " ".join(row.status_raw.replace("**", "").split()) == invalid
                    )
                    # TODO bridge wrote there for a queued retry, saved back by an editor that
                    # had the file open when the run then succeeded (018, trial t12).
                    and not saved_back(row)
                ):
                    # The researcher set the Status of a row bridge ran (DONE → TODO): bridge
                    # keeps what it ran, and says so rather than writing DONE back in silence.
                    # Its settings kept are recorded apart (_mark_kept), so they stand. A row
                    # of the plan's own table bridge does not write: its "to run" word is the
                    # one it had when bridge ran it (025's ❌ rows, said changed at every run),
                    # and nothing is written back there (in_plan).
                    written = finding or " ".join(row.status_raw.replace("**", "").split())
                    s.status_said[new.run_id] = row_status.StatusKept(
                        written=written, in_plan=not ours, finding=bool(finding)
                    )
                    if (
                        not finding
                        and row.status in OUT_OF_SCOPE_STATUSES
                        and old.ruled_out_after != written
                    ):
                        # Recorded: bridge writes DONE back over it, and a retry that takes
                        # runs by kind must still leave it out (h39E F4: `retry --changed`
                        # re-ran 036's M2.1c, marked "NOT RUN — too few pairs survive gap04").
                        s.append(
                            stream,
                            [ev.RunStatusKept(run_id=new.run_id, status=written)],
                            None,  # after its new labels, when it took them above
                        )
            continue
        changes = _changes(old.spec, spec)
        appended = (
            [
                ev.RunSpecChanged(
                    run_id=new.run_id, spec=spec, changes=changes, inputs=inputs, reason=reason
                )
            ]
            if changes
            else []
        )
        # On a reload, the researcher may have marked a run bridge has not started yet done or
        # out of scope (not on a retry: the person asked for the run). Not a run bridge has
        # run: its row says what bridge wrote at its last attempt until the tracker is written
        # again (trial N4: a retry stopped before that write, and R004's own FAILED was taken
        # for the researcher's "failed before bridge").
        says = (
            tracker_says
            if run_ids is None and old.state is RunState.PENDING and not old.attempts
            else []
        )
        if appended or says:
            s.append(stream, [*appended, *says], old.stream_version)
        if changes:
            changed.append(new.run_id)
            # It runs again with them after all (a sanity run re-run after the reload); a
            # Status not applied is still said.
            if not isinstance(asked, row_status.NotApplied):
                s.status_said.pop(new.run_id, None)
    place(s, reason, run_ids)
    return changed


class _SavedBack:
    """
    Whether a row of the researcher's tracker (``tracker_file``) is, as the file reads now, a
    row bridge wrote there before its last write (:meth:`ProjectionWriter.wrote_row_before`):
    saved back by an editor that had that write open, so its Status is a word of bridge's that
    is stale now (TODO for a retry that has since run, as RUNNING is for a run that has ended),
    no request. A row of the plan's own run table, or one the file no longer has at its line,
    is not. The file and the note are read once, at the first row asked about.
    """

    def __init__(self, s: Session, tracker_file: str) -> None:
        self._s = s
        self._tracker_file = tracker_file
        self._lines: list[str] | None = None
        self._wrote: Callable[[str], bool] | None = None

    def __call__(self, row: RunSpec | None) -> bool:
        if row is None or not row_status.status_written_by_bridge(row, self._tracker_file):
            return False
        if self._lines is None or self._wrote is None:
            try:
                text = (self._s.project.root / self._tracker_file).read_bytes()
            except OSError:
                text = b""
            self._lines = text.decode("utf-8", "replace").splitlines()
            self._wrote = self._s.writer.wrote_row_before(self._tracker_file)
        number = row.status_line or row.line
        return 0 < number <= len(self._lines) and self._wrote(self._lines[number - 1])


# The fields of a run's spec that say where its numbers count, not how it runs.
_PLACEMENT = ("block", "block_system", "attribution", "aliases")


def place(s: Session, reason: str, run_ids: Collection[str] | None = None) -> None:
    """
    Record ``RunPlaced`` for each run (of ``run_ids``, or all) that the inputs now place in
    another block, or as another of its compared systems, than the log says: in any state,
    without running it again (002: a ``[systems] aliases`` or ``[[runs]] block`` added after
    the runs succeeded changed nothing, and the criterion found "no results for system …").

    A run whose system label the log keeps apart from the inputs' (a succeeded run kept as it
    ran: its command passes ``{system}``, or the new system brings other settings; a live
    one) counts as the system it ran as: its compared system and aliases stay those the log
    gives it (in another block, none: its own name stands), so its numbers are never pooled
    under a system it did not run as.
    """
    state = s.state()
    for run in s.project.runs:
        if run_ids is not None and run.id not in run_ids:
            continue
        old = state.runs.get(run.id)
        if old is None:
            continue
        block_system, attribution, aliases = run.block_system, run.attribution, run.aliases
        if old.spec.system != run.system:
            # The review: 'Method' relabelled 'Baseline' and kept as it ran was placed as B1's
            # Baseline, its 0.8 pooled with R002's 0.5 while its row still read Method. In its
            # own block it stands as the log says, how it was placed there too.
            if run.block == old.spec.block:
                block_system, attribution = old.spec.block_system, old.spec.attribution
            else:
                block_system = ""
            aliases = old.spec.aliases
        now = (run.block, block_system, attribution, aliases)
        if now == tuple(getattr(old.spec, f) for f in _PLACEMENT):
            continue
        s.append(
            f"run:{run.id}",
            [
                ev.RunPlaced(
                    run_id=run.id,
                    block=run.block,
                    block_system=block_system,
                    attribution=attribution,
                    reason=reason,
                    aliases=aliases,
                )
            ],
            old.stream_version,
        )


def _seed_runs(state: PipelineState) -> dict[str, list[RunView]]:
    """The log's runs of tracker rows that named several seeds, by the row's id (``R004``)."""
    by_row: dict[str, list[RunView]] = {}
    for run in state.runs.values():
        if (row := seed_row(run.run_id, run.spec.seed)) is not None:
            by_row.setdefault(row, []).append(run)
    return by_row


def _tracker_changed(old: RunView, says: Sequence[ev.Event]) -> list[ev.Event]:
    """
    The events that bring a run the tracker marked done before bridge or out of scope to what
    its row says now: nothing when it says the same; back to pending (``RunRetryScheduled``)
    and the new mark otherwise, or back to pending alone when the row is to run (``TODO``).
    A "GATE FAILED" sanity row set back to TODO then runs; one set to DONE counts as done.
    """
    now = says[0] if says else None
    match now:
        case ev.RunFoundDone(status=status) if old.state is RunState.DONE_BEFORE:
            if status == old.found_status:
                return []
        case ev.RunRuledOut(status=status, reason=reason) if old.state is RunState.OUT_OF_SCOPE:
            # A log written before the Notes stopped repeating the Status ("PAUSED — Paused —
            # …", recording.ruled_out_reason) records the same row that way: unchanged.
            if old.reason in (reason, f"{status} — {reason}"):
                return []
    what = (
        f"status {now.status!r}"
        if isinstance(now, ev.RunFoundDone | ev.RunRuledOut)
        else "that it is to run"
    )
    retry = ev.RunRetryScheduled(run_id=old.run_id, reason=f"{TRACKER_ROW_NOW} {what}", manual=True)
    return [retry, *says]


# The fields of a run's spec that say how bridge schedules, groups and counts it, not what
# it computes: a succeeded run whose time limit changed has the numbers it would have now
# (the quickstart's `timeout_minutes = 3` did not make its twenty results "earlier
# settings"), and so has one whose waits, milestone or metric names were read anew (026's
# waits read from its tracker would have marked every run "depends_on: → P6").
_NOT_IN_NUMBERS = frozenset(
    {
        "estimated_minutes",
        "timeout_minutes",
        "max_retries",
        "oom_max_attempts",
        "priority",
        "purpose",
        "depends_on",
        "metrics",
        "milestone",
    }
)


def kept_changes(s: Session) -> dict[str, tuple[ev.SpecChange, ...]]:
    """
    The succeeded runs whose settings its numbers depend on the inputs now change, each with
    the changed fields (none of :data:`_NOT_IN_NUMBERS`): what ``bridge retry --changed`` runs
    again, and what their mark says (:func:`_mark_kept`). Records nothing.
    """
    state = s.state()
    named = _naming_numbers(s)
    kept: dict[str, tuple[ev.SpecChange, ...]] = {}
    for stream, events in plan_events(s.project):
        if stream == "bridge":
            continue
        new = events[0]
        assert isinstance(new, ev.RunPlanned), new
        old = state.runs.get(new.run_id)
        if old is None or old.state is not RunState.SUCCEEDED:
            continue
        changes = _kept_of(old, new, named)
        if changes:
            kept[new.run_id] = changes
    return kept


def _kept_of(old: RunView, new: ev.RunPlanned, named: Collection[str]) -> tuple[ev.SpecChange, ...]:
    """
    The changes from the spec the succeeded run ``old`` ran with to ``new`` (the inputs' spec
    of it) that its numbers depend on (none of :data:`_NOT_IN_NUMBERS`, nor where it counts);
    ``named``: as :func:`_relabelled`.
    """
    if new.seed is None and unread_notes_seed(new.notes) is not None:
        # Seed words in its Notes bridge cannot read ("seeds 1103 or 1104"), warned of at
        # the row: no seed bridge knows changed. Read as unset, it said "kept as it ran
        # (seed: 1103 → (unset))" and `bridge retry --changed` ran it at the default seed
        # (012, trial t6).
        new = attrs.evolve(
            new,
            seed=old.spec.seed,
            params={**new.params, **{k: v for k, v in old.spec.params.items() if k == "seed"}},
        )
    # Where it counts is placed without a new attempt (place): no reason to run it again.
    return tuple(
        c
        for c in _unplaced_changes(old.spec, attrs.evolve(new, notes=old.spec.notes), named)
        if c.field not in _NOT_IN_NUMBERS
    )


def _code_edited(
    s: Session, changed: Sequence[str], states: frozenset[RunState]
) -> dict[str, list[str]]:
    """
    The runs in ``states`` whose code (the files their command names, :func:`run_script_paths`)
    is among the ``changed`` inputs, edited or removed, with those paths. A file added since is
    no code they ran.
    """
    plan = s.state().plan
    before = plan.inputs if plan is not None else {}
    edited = {path for path in changed if path.endswith(".py") and path in before}
    if not edited:
        return {}
    found: dict[str, list[str]] = {}
    for run, scripts in _runs_with_scripts(s, states):
        theirs = sorted(edited & scripts)
        if theirs:
            found[run.run_id] = theirs
    return found


def _runs_with_scripts(
    s: Session, states: frozenset[RunState]
) -> Iterator[tuple[RunView, frozenset[str]]]:
    """
    Each run of the log in ``states`` that the inputs still plan, with its code as the inputs
    give it now: the files its command names (:func:`run_script_paths`: scripts, ``python -m``
    modules, also inside ``sh -c``), read once per command many runs share.
    """
    specs = {spec.id: spec for spec in s.project.runs}
    scripts: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
    for run in s.state().runs.values():
        spec = specs.get(run.run_id)
        if run.state not in states or spec is None:
            continue
        key = (spec.cwd, spec.command)
        if key not in scripts:
            scripts[key] = frozenset(run_script_paths(s.project, spec))
        yield run, scripts[key]


def _said(s: Session, paths: Sequence[str]) -> str:
    return ", ".join(
        f"{path} {CODE_EDITED if (s.project.root / path).exists() else CODE_REMOVED}"
        for path in paths
    )


def _code_kept(
    s: Session, before: Mapping[str, str]
) -> dict[str, tuple[ev.SpecChange, dict[str, str]]]:
    """
    The succeeded runs whose code (the files their command names, :func:`run_script_paths`)
    differs now from the code they ran, edited or removed: each with its change (``code: as
    run → train.py edited``) and the sha256 of those files as it ran them. What a run ran is
    its mark's digest of a file (``RunKeptAsRan.code``), else the digest recorded with the
    plan before this reload (``before``): a file restored byte for byte to what ran is no
    change, though it differs from the last recorded edit. A file added since (none recorded,
    or recorded missing) is no code they ran.
    """
    now: dict[str, str] = {}  # read once for the many runs that share a file
    found: dict[str, tuple[ev.SpecChange, dict[str, str]]] = {}
    for run, scripts in _runs_with_scripts(s, frozenset({RunState.SUCCEEDED})):
        ran = dict(run.kept.code) if run.kept is not None else {}
        differ: dict[str, str] = {}
        for path in sorted(scripts | set(ran)):
            as_ran = ran.get(path) or before.get(path, "")
            if not path.endswith(".py") or not as_ran:
                continue
            if path not in now:
                now[path] = file_digest(s.project, path)
            if now[path] != as_ran:
                differ[path] = as_ran
        if differ:
            code = ev.SpecChange(field=CODE_FIELD, old=AS_RUN, new=_said(s, list(differ)))
            found[run.run_id] = (code, differ)
    return found


def _mark_kept(s: Session, before: Mapping[str, str], reason: str) -> None:
    """
    Record, for each succeeded run whose settings (those its numbers depend on) or code the
    inputs now change, what differs from what it ran with (``RunKeptAsRan``), so that the
    results, results.json and the tracker say its numbers come from earlier settings or code;
    and record the mark gone when the inputs give back what it ran with. Nothing when the
    run's mark says so already.
    """
    settings = kept_changes(s)
    code = _code_kept(s, before)
    planned = {spec.id for spec in s.project.runs}
    for run in s.state().runs.values():
        # A run the inputs no longer plan has no settings to compare: its mark stands.
        if run.state is not RunState.SUCCEEDED or run.run_id not in planned:
            continue
        edited = code.get(run.run_id)
        changes = (*settings.get(run.run_id, ()), *((edited[0],) if edited else ()))
        ran = edited[1] if edited else {}
        if run.kept is None and not changes:
            continue
        if run.kept is not None and (run.kept.changes, dict(run.kept.code)) == (changes, ran):
            continue
        s.append(
            f"run:{run.run_id}",
            [ev.RunKeptAsRan(run_id=run.run_id, changes=changes, code=ran, reason=reason)],
            run.stream_version,
        )


def _runs_again(run: RunView) -> bool:
    """
    Whether a fix of its inputs sends the run back: it ended without succeeding, and was not
    cancelled by a person (a person's cancel stands; a run bridge cancelled is decided again).
    """
    return run.state in retries.FAILED and (
        run.state is not RunState.CANCELLED or retries.bridge_cancelled(run)
    )


def proposed_before(state: PipelineState) -> tuple[ProposedBefore, ...]:
    """
    The runs bridge proposed from the plan, as the log records them now: what a read of the
    plan gives their ids back to (:func:`bridge.plan.runs.proposed_ids`).
    """
    return tuple(
        ProposedBefore(
            run_id=run.run_id,
            block=run.spec.block,
            system=run.spec.block_system,
            seed=run.spec.seed,
        )
        for run in state.runs.values()
        if run.spec.source == PROPOSED
    )


def recorded_metrics(state: PipelineState) -> frozenset[str]:
    """
    The names of the metrics the log holds a value of, any run's, any attempt's.
    """
    return frozenset(
        value.name
        for run in state.runs.values()
        for attempt in run.attempts
        if attempt.metrics is not None
        for value in attempt.metrics.values
    )


def proposed_in_log(root: Path) -> tuple[tuple[ProposedBefore, ...], frozenset[str]]:
    """
    The runs bridge proposed from the plan, as the project's log records them, and the metric
    names it holds values of (:func:`recorded_metrics`): for a read of the plan outside a
    pipeline (`bridge plan`), so that it shows the ids `bridge run` gives and warns as it does.
    None without a log, or where the log does not open or fold: `bridge run` and `bridge
    verify` say what is wrong with it, and the plan is shown as it reads alone.
    """
    if not db_path(root).exists():
        return (), frozenset()
    try:
        store = open_store(root)
    except BridgeError:
        return (), frozenset()
    try:
        state = snapshots.load(store).folder.state()
        return proposed_before(state), recorded_metrics(state)
    except BridgeError:
        return (), frozenset()
    finally:
        store.close()


def reload(s: Session, changed: Sequence[str], *, live: bool = False) -> tuple[str, ...]:
    """
    The inputs changed: record the plan again. New runs are planned; runs that have not
    succeeded take their new command, arguments and settings (``RunSpecChanged``), and those
    that ended without succeeding run again with them, with the runs bridge cancelled because
    of them. Succeeded runs keep theirs (``bridge retry --force`` runs one again). ``live``: a
    tracker saved while runs go on; of the runs whose row it lacks, only those that never
    launched are ruled out now (:func:`_rule_out_split`, :func:`_rule_out_removed`).

    Returns:
        The runs scheduled to run again.
    """
    put_back = _put_back(s)
    state = s.state()
    reason = f"inputs changed: {', '.join(changed)}"
    respecced = respec(s, reason)
    # Before the runs of rows split or cut back are set aside: their notes say which run
    # holds their result.
    _take_back(s, put_back)
    _rule_out_split(s, live=live)
    _rule_out_removed(s, live=live)
    _mark_kept(s, state.plan.inputs if state.plan is not None else {}, reason)
    now = s.state()
    ended = [r for r in respecced if _runs_again(now.runs[r])]
    again = retries.schedule(s, ended, f"its settings changed ({reason})").all if ended else ()
    # A row set back to run (TODO) brings back the runs bridge cancelled because of its run, as
    # `bridge retry` of it does: 009's R005, cancelled when a person cancelled R003, stayed
    # cancelled, "must-run runs not succeeded: R005", after R003's row asked for it again.
    asked = [
        r.run_id
        for r in s.state().runs.values()
        if r.state is RunState.PENDING
        and r.reason.startswith(f"{TRACKER_ROW_NOW} that it is to run")
        and (was := state.runs.get(r.run_id)) is not None
        and was.state in retries.FAILED
    ]
    if asked:
        again = (
            *again,
            *retries.schedule(
                s,
                asked,
                f"the tracker now says to run {', '.join(asked)}",
                pending_already=True,
            ).revived,
        )
    # A failed run whose script was fixed runs again with it, as after a fix in bridge.toml
    # (trial N3: R004's train.py fixed, and only the succeeded runs were named).
    # Scheduled together: a run cancelled because of another comes back with it, and must not
    # be scheduled twice (trial N4: "run R006 in state pending has no transition 'retry'").
    fixed = {
        run_id: paths
        for run_id, paths in _code_edited(s, changed, retries.FAILED).items()
        if run_id not in again and _runs_again(now.runs[run_id])
    }
    if fixed:
        paths = sorted({path for edited in fixed.values() for path in edited})
        scheduled = retries.schedule(s, list(fixed), f"its code changed ({_said(s, paths)})")
        again = (*again, *scheduled.all)
    reread = reread_metrics(s) if METRICS_INPUT in changed else []
    tracker = s.project.sources.get("tracker")
    for stream, events in plan_events(s.project):
        if stream == "bridge":
            if state.plan is not None and tracker not in changed:
                # The tracker on disk is bridge's own filling-in of the researcher's layout:
                # the layout stays the one they wrote.
                events = [
                    attrs.evolve(
                        e,
                        tracker_text=state.plan.tracker_text,
                        tracker_results=state.plan.tracker_results,
                    )
                    if isinstance(e, ev.PlanLoaded)
                    else e
                    for e in events
                ]
            s.append(stream, events)
    # Again once the plan as read now is recorded: the proposed runs it replaces (a compared
    # system renamed) wait for the runs standing for them to be in the log.
    _rule_out_removed(s, live=live)
    released = _released(s)
    s.log.info(
        "plan_reloaded",
        changed=list(changed),
        respecced=respecced,
        retried=again,
        reread=reread,
        released=released,
    )
    return (*again, *released)


# The Status a run of a row split into seeds since it ran is ruled out with (a word the tracker
# reads as out of scope too).
SUPERSEDED = "SUPERSEDED"


def _rule_out_split(s: Session, *, live: bool = False) -> None:
    """
    Rule out (``RunRuledOut``, status ``SUPERSEDED``, :func:`split_reason`) each run of a row
    the plan now splits into one run per seed (``R007`` → ``R007-s1103`` …): the row's runs are
    the seeds' now, and the one run it had would count beside them in the block's numbers and
    verdict (012's R004 "seeds 1103, 1104, 1105" written after it ran: n=4, its old number
    in the mean). Its result is kept in the log; a live one is ruled out once it ended
    (:func:`relabel_ended`: a run cannot be ruled out while it runs). Only once the seeds' runs
    are in the log: until then the row's one run is all it has. ``live``: only a run that
    never launched (:func:`_rule_out_removed`).
    """
    seeds = s.project.seed_splits
    if not seeds:
        return
    state = s.state()
    planned = s.project.run_ids
    where = "tracker" if s.project.plan.tracker_file else "plan"  # whose row was split
    for row_id, row_seeds in seeds.items():
        old = state.runs.get(row_id)
        if old is not None and old.state is RunState.OUT_OF_SCOPE and row_id not in planned:
            if not live:
                _renote_split(s, old, row_seeds, where)
            continue
        if old is None or row_id in planned or old.state in LIVE:
            continue
        if not any(seed_run_id(row_id, seed) in state.runs for seed in row_seeds):
            # The seeds' runs are not in the log yet (a plan read by a newer bridge, its
            # inputs unchanged: 012b's R003 ran once under a bridge that did not split it):
            # ruled out now, the row would have no run at all until the next edit.
            continue
        seed = launch_seed(old.spec)
        # Its result stands for its seed's run when that run would run the same (001's R002
        # at 42 given seeds 42, 43, 44: seed 42 ran again, ~19 GPU-h for R002-R004). Before it
        # is ruled out, and even while runs go on (``live``): the seed's run must not launch.
        carried = (
            seed is not None
            and seed.isdigit()
            and int(seed) in row_seeds
            and _carry(s, old, seed_run_id(row_id, int(seed)))
        )
        if live and old.attempts:
            continue
        events: list[ev.Event] = []
        reason = split_reason(row_id, row_seeds, seed, bool(old.attempts), where, carried=carried)
        if old.state is not RunState.PENDING:
            # Out of scope is reached from pending only: back there first, as for a row bridge
            # ran that the researcher marks out of scope (row_status.requested_events).
            events.append(ev.RunRetryScheduled(run_id=row_id, reason=reason, manual=True))
        events.append(ev.RunRuledOut(run_id=row_id, status=SUPERSEDED, reason=reason))
        s.append(f"run:{row_id}", events, old.stream_version)


def _renote_split(s: Session, old: RunView, row_seeds: Sequence[int], where: str) -> None:
    """
    Say again why ``old``, set aside when its row was split into seeds, is not counted, when
    that no longer reads true: the row's seeds changed since (``seeds 0, 1`` → ``1, 2``: 025's
    A3 still read "its result at seed 0 stands for A3-s0" once A3-s0 was itself set aside).
    Its result stands for its seed's run only while that run is in the plan and still holds
    it; the words are kept while they hold. A run set aside for another reason is left alone.
    """
    if old.found_status != SUPERSEDED:
        return
    row_id, seed = old.run_id, launch_seed(old.spec)
    target = seed_run_id(row_id, int(seed)) if seed is not None and seed.isdigit() else ""
    held = s.state().runs.get(target) if target else None
    carried = (
        held is not None
        and target in s.project.run_ids
        and held.carried is not None
        and held.carried.from_run == row_id
    )
    reason = split_reason(row_id, row_seeds, seed, bool(old.attempts), where, carried=carried)
    if reason == old.reason:
        return
    # Back to pending and set aside again, as at the split: the new reason is the run's.
    s.append(
        f"run:{row_id}",
        [
            ev.RunRetryScheduled(run_id=row_id, reason=reason, manual=True),
            ev.RunRuledOut(run_id=row_id, status=SUPERSEDED, reason=reason),
        ],
        old.stream_version,
    )


def _carry(s: Session, source: RunView, target_id: str) -> bool:
    """
    Let ``source``'s succeeded result stand for the run ``target_id`` (``RunResultCarried``),
    which then does not launch, when that run is pending and would run what ``source`` ran
    (:func:`carries_result`). Decided when ``source`` is set aside, and appended before it is,
    so a SIGKILL between the two leaves the carry made (the target is no longer pending) or not
    made (``source`` is not set aside yet, and it is decided again). Returns whether the
    target holds ``source``'s result (carried now or before).
    """
    state = s.state()
    target = state.runs.get(target_id)
    if target is None:
        return False
    if target.carried is not None:
        return target.carried.from_run == source.run_id
    attempt = source.current
    if (
        target.state is RunState.SUCCEEDED
        and attempt is not None
        and target.current is not None
        and target.current.attempt_id == attempt.attempt_id
    ):
        return True  # it took back the attempt it ran itself (_take_back)
    if (
        target.state is not RunState.PENDING
        or attempt is None
        or not carries_result(s.project, state, source, target.spec)
    ):
        return False
    carry = ev.RunResultCarried(
        run_id=target_id, from_run=source.run_id, attempt_id=attempt.attempt_id
    )
    seed = launch_seed(source.spec)
    # The attempt the target ran itself, handed back by the run that held it (a split undone:
    # R002 → R002-s0 → R002): the fold gives it its own view, and the words say so.
    own = ran_by(state.runs, carry) == target_id
    reason = own_result_words(seed) if own else carried_words(source.run_id, seed)
    s.append(f"run:{target_id}", [attrs.evolve(carry, reason=reason)], target.stream_version)
    return True


# The params that name a run rather than set how it runs, for :func:`carries_result` (the seed
# is compared as launched).
_NAMES = frozenset({"run_id", "seed"})


def carries_result(
    project: LoadedProject, state: PipelineState, source: RunView, target: ev.RunPlanned
) -> bool:
    """
    Whether ``source``'s result stands for the run planned as ``target``: ``source`` succeeded
    and is not kept from settings or code the inputs no longer give, ``target`` launches the
    same seed, no setting its numbers depend on differs (:func:`_kept_of`, as ``bridge retry
    --changed`` decides "run with earlier settings"; the run id is a name, not a setting,
    unless ``[metrics.wandb] run_name`` reads the numbers by it), and none of the code its
    command names was edited since the plan was last recorded. A row split into seeds whose
    one run ran at one of them (001's R002 at 42 → R002-s42), and a split cut back to one
    seed (R004-s7 → R004). Records nothing.
    """
    attempt = source.current
    if (
        source.state is not RunState.SUCCEEDED
        or source.kept is not None
        or attempt is None
        or attempt.state is not RunState.SUCCEEDED
    ):
        return False
    before = state.plan.inputs if state.plan is not None else {}
    return _runs_the_same(project, source, target, before)


def _runs_the_same(
    project: LoadedProject, source: RunView, target: ev.RunPlanned, before: Mapping[str, str]
) -> bool:
    """
    Whether the run planned as ``target`` would run what ``source``'s last attempt ran: the
    same launched seed (none for both only when they are the same run), no setting its numbers
    depend on differs, and none of the code its command names differs from ``before`` (the
    input digests the attempt ran with, as far as the log knows them). Records nothing.
    """
    seed = launch_seed(source.spec)
    named = _naming_numbers_of(project)
    if launch_seed(target) != seed or (seed is None and target.run_id != source.run_id):
        return False
    if "run_id" in named and target.run_id != source.run_id:
        return False
    # The target as the source would be planned now: its id (and ``{run_id}`` value) and seed
    # as the source's (the same launched seed, maybe written otherwise: a Seed cell, [run] args).
    as_source = attrs.evolve(
        target,
        run_id=source.run_id,
        seed=source.spec.seed,
        params={
            **{k: v for k, v in target.params.items() if k not in _NAMES},
            **{k: v for k, v in source.spec.params.items() if k in _NAMES},
        },
    )
    if _kept_of(source, as_source, named):
        return False
    spec = next((r for r in project.runs if r.id == target.run_id), None)
    for path in sorted(run_script_paths(project, spec)) if spec is not None else ():
        ran = before.get(path, "")
        if path.endswith(".py") and ran and file_digest(project, path) != ran:
            return False  # its code was edited since: the target runs the code as it is now
    return True


# The Status a run whose row the researcher deleted from the tracker is ruled out with.
REMOVED = "REMOVED"


def _rule_out_removed(s: Session, *, live: bool = False) -> None:
    """
    Rule out (``RunRuledOut``, status ``REMOVED``) each run of a row the researcher deleted
    from the tracker (or the plan's run table) or of a ``[[runs]]`` entry or ``[grid]`` value
    deleted from bridge.toml since it was planned (:func:`removed_reason`),
    and each run bridge proposed from the plan that the plan no longer proposes: a block's
    seeds cut, a compared system taken out (:func:`unproposed_reason`). Either would count in
    its block's numbers and verdict, and in its milestone, with nothing in the plan behind it
    (004's R309-s1 and R309-s2 after R309 was deleted: the NaN of R309-s2 kept B3 open; 033's
    E5 cut from 11 seeds to 9, still judged on n=11, trial t10). Its result is kept in the
    log; a live one is ruled out once it ended (:func:`relabel_ended`). Runs of a kind the
    plan as read now has none of are left alone: no row read at all (a tracker gone or unread
    as a whole is no row deleted), no run proposed (a run table written since is not the
    plan cutting its proposals); and a tracker bridge wrote was never the researcher's rows.
    A row split into seeds is :func:`_rule_out_split`'s; one seed's run of a row that names
    one seed again is ruled out as the split undone (:func:`unsplit_reason`). ``live`` (a
    tracker saved while runs go on): only runs that never launched, which must not launch; one
    that ran keeps its result until the command's next reading of the inputs, the row may be
    back by then (review r33: a row cut and pasted back mid-run was ruled out, then ran again
    in full).
    """
    runs = s.project.runs
    kinds = {
        k for k in ("tracker", PROPOSED, "config", "grid") if any(spec.source == k for spec in runs)
    }
    if not kinds:
        return
    planned = s.project.run_ids
    split = s.project.seed_splits
    where = "tracker" if s.project.plan.tracker_file else "plan"
    state = s.state()
    # The proposal as read now is not in the log yet: a plan read by a newer bridge, its
    # inputs unchanged, that proposes otherwise (ruled out now, the runs standing for them
    # would never launch until the next edit); or an edit whose new runs are recorded next
    # (reload rules out again after recording them).
    if (
        PROPOSED in kinds
        and (unrecorded := planned - state.runs.keys())
        and any(spec.source == PROPOSED and spec.id in unrecorded for spec in runs)
    ):
        kinds.discard(PROPOSED)
        if not kinds:
            return
    # Only the log's runs the plan no longer has, found by a set difference: this runs at every
    # idle turn of the dispatcher (relabel_ended), and walking every run there was quadratic.
    gone = [
        old
        for run_id in state.runs.keys() - planned
        if (old := state.runs[run_id]).spec.source in kinds
        and run_id not in split
        and old.state not in (RunState.OUT_OF_SCOPE, *LIVE)
    ]
    if not gone:
        return
    order = {run_id: k for k, run_id in enumerate(state.runs)}
    rows = {spec.id: spec for spec in s.project.runs}
    carried: set[str] = set()
    for old in gone:
        row = seed_row(old.run_id, old.spec.seed)
        if (
            old.spec.source == "tracker"
            and row is not None
            and row in rows
            and rows[row].seed == old.spec.seed
            and _carry(s, old, row)
        ):
            # One seed's run of a row that names that one seed again ("seeds 7, 8" → "seed
            # 7"): its result stands for the row's run when it ran what that run would run;
            # also while runs go on (``live``), before the row's run could launch.
            carried.add(old.run_id)
    todo = [old for old in gone if not (live and old.attempts)]
    for old in sorted(todo, key=lambda run: order[run.run_id]):
        ran = bool(old.attempts)
        row = seed_row(old.run_id, old.spec.seed)
        if old.spec.source in ("config", "grid"):
            # A [[runs]] entry removed or renamed (040's S4 → G4: both counted in B1, n=2 of
            # one result), a [grid] axis cut (seeds 0, 1, 2 → 0, 1: judged on n=3).
            reason = removed_reason(old.run_id, "bridge.toml", ran)
        elif old.spec.source != "tracker":
            reason = unproposed_reason(old.run_id, old.spec.block, old.spec.seed, ran)
        elif row is not None and row in rows and old.spec.seed is not None:
            # One seed's run of a row that names one seed again ("seeds 7, 8" → "seed 7"):
            # the row is there, its one run stands for it (review r33, t10 on 002's R007).
            reason = unsplit_reason(
                old.run_id,
                row,
                old.spec.seed,
                rows[row].seed,
                ran,
                carried=old.run_id in carried,
            )
        else:
            reason = removed_reason(old.run_id, where, ran)
        events: list[ev.Event] = []
        if old.state is not RunState.PENDING:
            # Out of scope is reached from pending only (as in _rule_out_split).
            events.append(ev.RunRetryScheduled(run_id=old.run_id, reason=reason, manual=True))
        events.append(ev.RunRuledOut(run_id=old.run_id, status=REMOVED, reason=reason))
        s.append(f"run:{old.run_id}", events, old.stream_version)


def _put_back(s: Session) -> dict[str, RunView]:
    """
    Back to pending each run ruled out because its row was gone (deleted, or split into
    seeds: :func:`row_gone`) whose row the plan has again: the researcher put it back, and it
    runs with the row as written now (:func:`respec` follows, and takes its Status and
    settings), its earlier result still in the log; :func:`_take_back` then gives it that
    result back where it would run what it ran. Returns each run put back as it was before.
    """
    planned = {spec.id for spec in s.project.runs}
    put_back: dict[str, RunView] = {}
    for run in list(s.state().runs.values()):
        if run.state is RunState.OUT_OF_SCOPE and run.run_id in planned and row_gone(run.reason):
            put_back[run.run_id] = run
            s.append(
                f"run:{run.run_id}",
                [
                    ev.RunRetryScheduled(
                        run_id=run.run_id,
                        reason=f"{run.run_id} is in the plan again",
                        manual=True,
                    )
                ],
                run.stream_version,
            )
    return put_back


def _take_back(s: Session, put_back: Mapping[str, RunView]) -> list[str]:
    """
    Give each run :func:`_put_back` put back (``put_back``: as it was before) the result its
    last attempt had when it succeeded and the run, as planned now, would run what it ran (the
    same command, settings, seed and code: :func:`_runs_the_same`, with the code as it was
    when the attempt launched): ``RunResultCarried`` from the run that ran that attempt, itself
    or the run whose result it held. 025's A3 split into seeds ``0, 1``, cut back to one seed,
    then split into ``0, 1`` again: A3-s1, which had run and succeeded, ran again. A run whose
    row or code changed runs again, as before. Returns the runs given their result back.
    """
    taken: list[str] = []
    for run_id, was in put_back.items():
        attempt = was.current
        run = s.state().runs.get(run_id)
        if (
            run is None
            or run.state is not RunState.PENDING
            or attempt is None
            or attempt.state is not RunState.SUCCEEDED
        ):
            continue
        holder = run_id
        ran: set[str] = set()  # the attempts it launched itself
        for record in s.store.read(f"run:{run_id}"):
            match record.event:
                case ev.RunSubmitted(attempt_id=own):
                    ran.add(own)
                case ev.RunResultCarried(attempt_id=held, from_run=giver) if (
                    held == attempt.attempt_id and giver != run_id
                ):
                    holder = giver  # the attempt is another run's: taken from that run
                case _:
                    pass
        if attempt.attempt_id in ran:
            holder = run_id
        source = s.state().runs.get(holder)
        if (
            source is None
            or not any(
                a.attempt_id == attempt.attempt_id and a.state is RunState.SUCCEEDED
                for a in source.attempts
            )
            or not _runs_the_same(s.project, was, run.spec, _inputs_at(s, attempt.submitted_seq))
        ):
            continue
        seed = launch_seed(was.spec)
        words = own_result_words(seed) if holder == run_id else carried_words(holder, seed)
        s.append(
            f"run:{run_id}",
            [
                ev.RunResultCarried(
                    run_id=run_id,
                    from_run=holder,
                    attempt_id=attempt.attempt_id,
                    reason=words,
                )
            ],
            run.stream_version,
        )
        taken.append(run_id)
    return taken


def _inputs_at(s: Session, seq: int) -> Mapping[str, str]:
    """The input digests of the plan recorded last before the log position ``seq``."""
    inputs: Mapping[str, str] = {}
    for record in s.store.read("bridge"):
        if record.seq > seq:
            break
        if isinstance(record.event, ev.PlanLoaded):
            inputs = record.event.inputs
    return inputs


_HELD_BY = lazy(r"must-run (\S+) ended " + re.escape(FAILED_BEFORE))


def _released(s: Session) -> list[str]:
    """
    Put back to pending the runs bridge cancelled because a must-run row held their milestone,
    where that row no longer holds it: the tracker no longer says it failed before bridge (the
    next step's "if that result stands, change their Status in the tracker" left them
    cancelled, with a reason about a row that had not failed any more), or its code is written
    (its Status says it can run: 023's M2 rows).
    """
    state = s.state()
    released = []
    for run in state.runs.values():
        held = _HELD_BY.search(run.reason) if held_by_failed_before(run) else None
        holder = state.runs.get(held.group(1)) if held is not None else None
        if holder is not None and not holder.failed_before_bridge:
            why = f"{holder.run_id}'s tracker row no longer says it ended failed before bridge"
        elif (ruled := _held_by_ruled_out(run, state)) is not None:
            # A failed must-run row the researcher then took out of scope (SKIPPED, STOPPED)
            # holds nothing any more (trial S1 on 023: R032 kept "R011 failed" as its reason).
            why = f"{ruled}'s tracker row now takes it out of scope"
        elif (waited := held_for_code_by(run)) is not None and not (
            (row := state.runs.get(waited)) is not None
            and row.state is RunState.OUT_OF_SCOPE
            and is_held_for_code(row.reason)
        ):
            why = f"{waited}'s tracker row no longer says its code is not written yet"
        else:
            continue
        s.append(
            f"run:{run.run_id}",
            [ev.RunRetryScheduled(run_id=run.run_id, reason=why, manual=False)],
            run.stream_version,
        )
        released.append(run.run_id)
    return released


_HELD_BY_FAILED = lazy(
    r"^not run: milestone .+? must-run (\S+) ended (?!" + re.escape(FAILED_BEFORE) + ")"
)


def _held_by_ruled_out(run: RunView, state: PipelineState) -> str | None:
    """
    The must-run row that held this cancelled run's milestone by failing under bridge, when
    that row is out of scope now by the researcher's word; else None.
    """
    if run.state is not RunState.CANCELLED:
        return None
    held = _HELD_BY_FAILED.match(run.reason)
    holder = state.runs.get(held.group(1)) if held is not None else None
    if (
        holder is None
        or holder.state is not RunState.OUT_OF_SCOPE
        or is_held_for_code(holder.reason)
    ):
        return None
    return holder.run_id


def reread_metrics(s: Session) -> list[str]:
    """
    ``[metrics]`` changed: read the metrics of every succeeded run again from its recorded
    outputs, and record them (``run.metrics_recorded``, each value with its file, sha256 and
    rule) where they differ from what was recorded. The verdicts follow from the log.

    Returns:
        The runs whose metrics were recorded again.
    """
    reread = []
    for run in list(s.state().runs.values()):
        if run.state is not RunState.SUCCEEDED or run.current is None:
            continue
        events = collect.collect_metrics(s.project, s.state(), run.run_id)
        if events and events[-1] != run.current.metrics:
            s.append(f"run:{run.run_id}", events, s.state().runs[run.run_id].stream_version)
            reread.append(run.run_id)
    return reread


def implement(
    s: Session, findings: Sequence[Finding] = (), *, trigger: StageTrigger = StageTrigger.IMPLEMENT
) -> Step:
    """
    PLANNED → IMPLEMENTED: make sure every run has code (the implementer; ``base_repo``
    cloned first), record what changed and the checks' findings; BLOCKED on blocking findings.
    """
    state = s.state()
    try:
        result = s.implementer.implement(s.request(findings))
    except ImplementError as exc:
        return s.block(f"implementation failed: {exc}")
    if result.base_commit and state.base_repo is None:
        s.append(
            "bridge",
            [
                ev.BaseRepoCloned(
                    url=redact(s.project.options.base_repo),
                    path="base_repo",
                    commit=result.base_commit,
                )
            ],
        )
    findings = (*no_command(s), *result.findings)
    s.append(
        "bridge",
        [
            ev.ImplementationRecorded(
                implementer=s.implementer.name,
                changed_files=dict(result.changed_files),
                findings=findings,
                summary=result.summary,
                round=len(state.implementations) + 1,
            )
        ],
    )
    blocking = [f for f in findings if f.severity is Severity.BLOCKING]
    if blocking:
        said = f"{counted(len(blocking), 'blocking finding')}: {blocking[0].message}"
        return s.block(said, blocking)
    summary = result.summary or "every run has code"
    return s.enter(trigger, summary, zh=summary_in_language(summary, "zh"))


def no_command(s: Session) -> list[Finding]:
    """
    One blocking finding naming every run no command is configured for (they would otherwise
    fail at launch one by one).
    """
    missing = [
        r.run_id
        for r in s.state().runs.values()
        if not r.spec.command and r.state not in NOT_BRIDGES_RUN_STATES
    ]
    if not missing:
        return []
    shown = ", ".join(missing[:20]) + (f", … ({len(missing)} in all)" if len(missing) > 20 else "")
    config = s.project.config
    return [
        Finding(
            severity=Severity.BLOCKING,
            message=f"{len(missing)} {'run has' if len(missing) == 1 else 'runs have'} no "
            f"command: {shown}. Fix: set [run] command in "
            'bridge.toml (or command in the system\'s [systems."NAME"] table), or, for a run that '
            "cannot run here, mark its tracker row NOT RUN — <reason>",
            file="bridge.toml" if config.path is not None else "",
            line=config.line_of("run.command"),
            check="run.no_command",
        )
    ]


def review_once(s: Session, round_: int) -> tuple[Finding, ...] | Step:
    """
    One review round: the reviewer's findings recorded; the blocking ones returned (or the
    BLOCKED step when no review could be had). With ``code_review`` off, a skipped review.
    """
    if not s.project.options.code_review:
        s.append(
            "bridge",
            [
                ev.CodeReviewed(
                    reviewer="none",
                    skipped=True,
                    round=round_,
                    text="code review is off (code_review = false)",
                )
            ],
        )
        return ()
    files = review_files(s)
    request = ReviewRequest(
        purpose="code_review",
        project=s.root,
        plan_excerpt=s.request().plan_excerpt,
        method=s.request().method,
        files=files,
    )
    try:
        review = s.reviewer.review(request)
    except ReviewError as exc:
        return s.block(f"code review failed: {exc}")
    s.append(
        "bridge",
        [
            ev.CodeReviewed(
                reviewer=review.reviewer,
                findings=review.findings,
                text=review.text,
                local_only=review.local_only,
                model=review.model,
                round=round_,
                unavailable=review.unavailable,
            )
        ],
    )
    return review.blocking


def review(s: Session) -> Step:
    """
    IMPLEMENTED → REVIEWED: review, one fix round through an implementer that can fix, one
    re-review; still blocking → BLOCKED with the findings.
    """
    rounds = len(s.state().reviews)
    blocking = review_once(s, rounds + 1)
    if isinstance(blocking, Step):
        return blocking
    if blocking and s.implementer.can_fix:
        try:
            fix = s.implementer.implement(s.request(blocking))
        except ImplementError as exc:
            return s.block(f"fixing review findings failed: {exc}")
        s.append(
            "bridge",
            [
                ev.ImplementationRecorded(
                    implementer=s.implementer.name,
                    changed_files=dict(fix.changed_files),
                    findings=tuple(fix.findings),
                    summary=fix.summary,
                    round=len(s.state().implementations) + 1,
                )
            ],
        )
        blocking = review_once(s, rounds + 2)
        if isinstance(blocking, Step):
            return blocking
    if blocking:
        return s.block(
            f"code review found {counted(len(blocking), 'blocking issue')}: {blocking[0].message}",
            blocking,
        )
    return s.enter(
        StageTrigger.REVIEW,
        "code reviewed" if s.project.options.code_review else "code review off",
        zh="代码已审查" if s.project.options.code_review else "代码审查已关闭",
    )


def code_files(
    root: Path,
    commands: Mapping[str, Sequence[str]],
    limit: int = 200_000,
    *,
    cwds: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """
    The Python files a reviewer is shown: the code each command runs, as a run's code is read
    for "kept as it ran" (:func:`~bridge.pipeline.command_code.command_files`: the scripts and
    ``python -m`` modules it names, also inside ``sh -c`` after its ``cd DIR``, and the
    project's modules they import), the files that exist, at most ``limit`` characters in all,
    and only files inside the project (a command naming ``/elsewhere/train.py`` does not send
    ``/elsewhere`` to a remote reviewer). ``cwds`` gives a run's working directory by its id
    (``run.cwd``; the project root when absent).

    Every run's entry scripts come before the modules they import, so that a limit cuts
    the imported modules first.

    Returns:
        Path relative to the project → file text.
    """
    base = root.resolve()
    # Thousands of runs share a few commands: each (working directory, command) read once.
    places = dict.fromkeys(
        ((cwds or {}).get(run_id, ""), tuple(argv)) for run_id, argv in commands.items()
    )
    # Every run's own scripts first, then the modules they import: where the limit cuts, it
    # cuts imported modules before any run's entry script (018's cli.py imports most of the
    # package and would crowd out the B1 runs' harness_bandit.py).
    named = [rel for cwd, argv in places for rel in command_files(base, cwd, argv, most=0)]
    imported = [rel for cwd, argv in places for rel in command_files(base, cwd, argv)]
    files: dict[str, str] = {}
    total = 0
    for rel in dict.fromkeys([*named, *imported]):
        path = base / rel
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if total + len(text) > limit:
            return files
        files[rel] = text
        total += len(text)
    return files


def review_files(s: Session) -> dict[str, str]:
    """
    The code a reviewer (a code review, a rescue) is shown: :func:`code_files` of the runs'
    commands, each read from the run's working directory.
    """
    cwds = {run_id: run.spec.cwd for run_id, run in s.state().runs.items()}
    return code_files(s.root, s.commands(), cwds=cwds)
