"""
End to end: a real tiny project run by the real pipeline (local backend, real subprocesses);
metrics recorded with provenance, results files written, rebuilt byte-identically, and verified
against the output files they came from.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path

import pytest

from bridge import cli
from bridge.events.measurements import QualityFlag
from bridge.machine.fold import PipelineState, fold
from bridge.pipeline.audit import open_store
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run
from tests.pipeline.results_project import make_project, run_project

RESULT_FILES = (
    "refine-logs/EXPERIMENT_RESULTS.md",
    "refine-logs/results.json",
    "refine-logs/results.csv",
    "refine-logs/EXPERIMENT_CODE_REVIEW.md",
    "refine-logs/EXPERIMENT_TRACKER.md",
    "EXPERIMENT_LOG.md",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """
    The tiny project, run once to COLLECTED with ``compact`` on.
    """
    root = make_project(tmp_path_factory.mktemp("tiny") / "project", "compact = true")
    run_project(root)
    return root


@pytest.fixture
def copy(project: Path, tmp_path: Path) -> Path:
    """
    A private copy of the finished project, for tests that change files.
    """
    target = tmp_path / "project"
    shutil.copytree(project, target)
    return target


def _state(root: Path) -> PipelineState:
    store = open_store(root)
    try:
        return fold(store.read())
    finally:
        store.close()


class TestMetricsRecorded:
    def test_nested_json_csv_and_log_regex_are_recorded_with_provenance(
        self, project: Path
    ) -> None:
        """Nested JSON keys are dotted, CSV last rows and log regex values carry file, sha, rule."""
        state = _state(project)
        metrics = state.runs["R004"].metrics
        assert metrics is not None
        by_name = {v.name: v for v in metrics.values}
        assert by_name["eval.accuracy"].value == pytest.approx(0.80)
        assert by_name["eval.accuracy"].rule == "json:eval.accuracy"
        assert by_name["loss"].rule == "csv:last_row:loss"
        assert by_name["grad_norm"].source == ".bridge/runs/R004/R004-a1/stdout.log"
        assert by_name["grad_norm"].raw == "1.200"
        for value in metrics.values:
            data = (project / value.source).read_bytes()
            assert hashlib.sha256(data).hexdigest() == value.sha256
        assert metrics.key_metric == "eval.accuracy"

    def test_csv_history_is_summarised(self, project: Path) -> None:
        """The CSV loss column becomes a bounded history summary with its step range."""
        metrics = _state(project).runs["R002"].metrics
        assert metrics is not None
        history = next(h for h in metrics.histories if h.rule == "csv:column:loss")
        assert (history.points, history.first_step, history.last_step) == (12, 1.0, 12.0)
        assert history.first == pytest.approx(1.0)
        assert history.last == pytest.approx(1 / 12)

    def test_nan_and_divergence_are_flagged_on_their_runs(self, project: Path) -> None:
        """The NaN loss and the diverging loss each become a blocking finding on their run."""
        state = _state(project)
        nan = state.runs["R006"].metrics
        diverging = state.runs["R007"].metrics
        assert nan is not None and diverging is not None
        assert {(f.metric, f.kind) for f in nan.quality if f.blocking} == {("loss", "non_finite")}
        assert ("loss", "divergence") in {(f.metric, f.kind) for f in diverging.quality}
        healthy = state.runs["R004"].metrics
        assert healthy is not None and not [f for f in healthy.quality if f.blocking]


class TestResultsFile:
    def test_results_show_flags_verdicts_and_summary(self, project: Path) -> None:
        """EXPERIMENT_RESULTS.md flags NaN and divergence and gives verdicts and the summary."""
        text = (project / "refine-logs/EXPERIMENT_RESULTS.md").read_text()
        assert "| Run | System | Key Metric | Status |" in text
        assert "| R006 | Unstable | eval.accuracy = 0.6 (+3 more) | DONE ⚠ non_finite |" in text
        assert "| R007 | Diverging | eval.accuracy = 0.6 (+3 more) | DONE ⚠ divergence |" in text
        assert "R006 `non_finite` (blocking): loss is nan at step 8" in text
        assert "R007 `divergence` (blocking)" in text
        assert "**Sanity: passed**" in text
        assert "**Verdict:** **met**" in text and "gain +30 pp" in text
        assert "**Verdict:** **inconclusive**" in text
        assert "**Must-run completed:** 5/5" in text
        # R006 (NaN) and R007 (diverging) are nice-to-have: succeeded, not completed (026's E5).
        assert "**Nice-to-have completed:** 0/2" in text
        assert "**Main result:** `positive` (M1)" in text
        assert "**Ready for the review loop:** YES" in text
        assert "Ablation planning skipped (no ablation planner configured)" in text

    def test_results_json_gives_every_value_with_provenance(self, project: Path) -> None:
        """results.json lists every run, each value with its source and sha, and the verdicts."""
        doc = json.loads((project / "refine-logs/results.json").read_text())
        assert [r["run_id"] for r in doc["runs"]] == [f"R00{i}" for i in range(1, 8)]
        for run in doc["runs"]:
            assert run["metrics"], run["run_id"]
            for value in run["metrics"]:
                assert value["source"].startswith(f".bridge/runs/{run['run_id']}/")
                assert len(value["sha256"]) == 64
        blocks = {b["block"]: b for b in doc["blocks"]}
        assert blocks["B1"]["verdict"] == "met"
        # One comparison: "(absolute points, mean of 2 seeds)" is commentary, not more systems.
        assert blocks["B1"]["criterion"]["parsed"]["reference"] == "Baseline"
        assert blocks["B2"]["verdict"] == "inconclusive"
        ours = next(a for a in doc["aggregates"] if (a["block"], a["system"]) == ("B1", "Ours")
                    and a["metric"] == "eval.accuracy")  # fmt: skip
        assert (ours["n"], ours["mean"]) == (2, pytest.approx(0.805))
        assert doc["summary"]["must_run"] == {
            "completed": 5,
            "total": 5,
            "failed_before_bridge": [],
            "negative_before_bridge": [],
            "awaiting_code": [],
            "waiting_outside": [],
            "blocked": [],
            "by_person": [],
            "out_of_scope": [],
            "split_into_seeds": [],
            "row_removed": [],
            "not_succeeded": [],
            "held_for_code": [],
            "no_metric_value": [],
            "numbers_not_trusted": [],
        }

    def test_results_csv_has_one_row_per_value(self, project: Path) -> None:
        """results.csv has the documented header and one row per recorded value."""
        lines = (project / "refine-logs/results.csv").read_text().splitlines()
        assert lines[0] == (
            "run_id,attempt_id,block,system,milestone,seed,status,metric,value,raw,source,"
            "sha256,rule"
        )
        state = _state(project)
        total = sum(len(r.metrics.values) for r in state.runs.values() if r.metrics)
        assert len(lines) == total + 1

    def test_compact_log_gives_the_reproducing_command(self, project: Path) -> None:
        """EXPERIMENT_LOG.md has an entry per run with a Reproduce: line holding its exact
        shell-quoted command."""
        text = (project / "EXPERIMENT_LOG.md").read_text()
        assert text.count("\n## R00") == 7
        assert text.count("- **Reproduce:**\n\n```sh\n") == 7
        assert "exp.py --sys Baseline --seed 1 --loss ok --out" in text
        assert "- **Verdict:** B1 `met`" in text

    def test_code_review_marks_local_only_reviews(self, project: Path) -> None:
        """The checklist review is marked [local-only] with its findings table."""
        text = (project / "refine-logs/EXPERIMENT_CODE_REVIEW.md").read_text()
        assert "by `checklist`) [local-only]" in text


class TestRebuild:
    def test_rebuilt_results_are_byte_identical(self, copy: Path) -> None:
        """Deleting every result file and rebuilding from the log gives the same bytes."""
        before = {name: (copy / name).read_bytes() for name in RESULT_FILES}
        for name in RESULT_FILES:
            (copy / name).unlink()
        assert cli.main(["rebuild", "--project", str(copy)]) == 0
        after = {name: (copy / name).read_bytes() for name in RESULT_FILES}
        assert after == before
        assert cli.main(["verify", "--project", str(copy)]) == 0


class TestVerifySources:
    def test_changed_output_file_is_reported(
        self, copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Changing a metrics file after collection makes verify fail naming that file."""
        capsys.readouterr()
        target = copy / ".bridge/runs/R004/R004-a1/output/metrics.json"
        target.write_text(target.read_text().replace("0.8", "0.9"))
        assert cli.main(["verify", "--project", str(copy)]) == 1
        out = capsys.readouterr().out
        assert "source-changed" in out and ".bridge/runs/R004/R004-a1/output/metrics.json" in out

    def test_deleted_output_file_is_reported(
        self, copy: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Deleting a log a value was read from makes verify fail naming that file."""
        capsys.readouterr()
        (copy / ".bridge/runs/R002/R002-a1/stdout.log").unlink()
        assert cli.main(["verify", "--project", str(copy)]) == 1
        out = capsys.readouterr().out
        assert "source-missing" in out and ".bridge/runs/R002/R002-a1/stdout.log" in out


class TestHandoff:
    def test_bridge_summary_after_a_run(self, copy: Path) -> None:
        """Bridge.summary() tells what ran, what came out and where the files are."""
        from bridge.pipeline import Bridge

        bridge = Bridge(copy)
        try:
            text = bridge.summary()
            plan = bridge.status().plan
        finally:
            bridge.close()
        assert "stage COLLECTED" in text
        assert "Runs: 7 of 7 deployed" in text
        assert (
            "Must-run completed: 5/5; nice-to-have completed: 0/2 (2 succeeded with numbers "
            "not trusted: R006, R007)." in text
        )
        assert "Main result (M1): positive" in text
        assert "Ready for the review loop: YES." in text
        assert plan is not None
        assert text.rstrip().endswith(f'→ /auto-review-loop "{plan.title}"')


def test_the_key_metric_cell_falls_back_to_a_metric_the_block_lists(tmp_path: Path) -> None:
    """021's R009: no primary set, its tracker row named a metric it did not record, and its
    Key Metric read "-" although it recorded a metric its block lists. The cell shows that
    metric, saying the block's primary metric (F1, listed first) was not recorded; the recorded
    key metric (which verdicts use) stays unset."""
    from bridge import Bridge
    from bridge.machine.stages import Stage
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")]
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text().replace("- **Metrics**: accuracy.", "- **Metrics**: F1, accuracy.")
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("| test | accuracy |", "| test | wall time |"))
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        metrics = bridge.status().runs["R1"].metrics
    finally:
        bridge.close()
    assert metrics is not None and metrics.key_metric == ""
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    row = "| R1 | main | accuracy = 0.9 (the plan's primary metric F1 not recorded) | DONE |"
    assert row in results


def test_a_run_whose_metrics_file_holds_no_number_is_named_and_holds_the_results(
    tmp_path: Path,
) -> None:
    """012's R005 wrote ``{}``: it read as DONE with key metric "-", nothing under the problems
    and "ready" untouched. Now the file is a problem on the run (results and results.json), a
    must-run one keeps the results from the review loop, and a nice-to-have one is only noted."""
    from bridge import Bridge
    from bridge.machine.stages import Stage
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p",
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1"),
            Run(id="R2", milestone="M1", mode="empty"),
            Run(id="R3", milestone="M1", mode="empty", priority="NICE"),
            # 015's R008 (trial T1): its metrics.json cut off, read as DONE and exit 0.
            Run(id="R4", milestone="M1", mode="cut"),
        ],
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "must-run runs recorded no metric value: R2, R4" in summary, summary
    assert "R3" not in summary.split("Ready for the review loop")[1].split("\n")[0]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    problems = results.split("## Unreadable output files")[1].split("\n## ")[0]
    for run_id in ("R2", "R3"):
        assert f"- {run_id} `.bridge/runs/{run_id}/" in problems, problems
    assert "/output/metrics.json`: no number was read from it, so the run recorded" in problems
    assert "- R1 " not in problems
    assert "bridge retry --force R2" in results
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    assert data["summary"]["ready_for_review_loop"] is False
    # Named apart in results.json, as in the readiness; R3 is nice-to-have.
    assert data["summary"]["must_run"]["no_metric_value"] == ["R2", "R4"]
    assert data["summary"]["must_run"]["not_succeeded"] == []
    runs = {r["run_id"]: r for r in data["runs"]}
    assert [p["message"] for p in runs["R2"]["extraction_problems"]] == [
        "no number was read from it, so the run recorded no metric value"
    ]
    assert runs["R1"]["extraction_problems"] == []
    # As for a failed must-run run: a script driving `bridge run` can tell.
    assert cli.main(["run", "--project", str(project)]) == 1


@pytest.mark.parametrize(
    ("primary", "key"),
    [("matched final task quality", "final_task_quality"), ("BLEU", "")],
)
def test_the_key_metric_is_the_blocks_primary_never_a_later_tracker_metric(
    tmp_path: Path, primary: str, key: str
) -> None:
    """002's B2 (trial Q2): its primary "matched final task quality" matched nothing, and the
    tracker row's third metric "loss" became the key metric its criterion's "primary quality
    metric" was judged on (`train_loss`). The plan's words name `final_task_quality`; a primary
    recorded by no file leaves the key metric unset rather than taking the row's later ones."""
    from bridge import Bridge
    from bridge.machine.stages import Stage
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")]
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text().replace(
            "- **Metrics**: accuracy.",
            f"- **Metrics**:\n  - Primary: {primary}\n  - Secondary: accuracy, runtime",
        )
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(
        tracker.read_text().replace("| test | accuracy |", "| test | final quality, loss |")
    )
    (project / "scripts" / "job.py").write_text(
        "import json, pathlib, sys\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--out') + 1])\n"
        "values = {'accuracy': 0.9, 'final_task_quality': 0.6, 'train_loss': 1.2}\n"
        "(out / 'metrics.json').write_text(json.dumps(values))\n"
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        metrics = bridge.status().runs["R1"].metrics
    finally:
        bridge.close()
    assert metrics is not None and metrics.key_metric == key


def _r1_flags(
    tmp_path: Path, runs: list[Run], criterion: str, metrics: str
) -> dict[str, QualityFlag]:
    """
    The training-quality flags of R1, by metric, after `bridge run` of a project with ``runs``
    whose Block 1 (M1) judges ``criterion`` (the sanity block's stays on accuracy) and whose
    every run but the sanity run S1 writes ``metrics`` (JSON text) as its metrics.json. S1
    writes a finite accuracy alone: a NaN in a metric any block measures would stop the plan
    at its sanity milestone.
    """
    from bridge import Bridge
    from tests.pipeline.conftest import write_project

    project = write_project(tmp_path / "p", runs)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, tail = plan.read_text().rpartition("- **Success criterion**: accuracy > 0.5.")
    plan.write_text(f"{head}- **Success criterion**: {criterion}{tail}")
    (project / "scripts" / "job.py").write_text(
        "import pathlib, sys\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--out') + 1])\n"
        "sanity = sys.argv[sys.argv.index('--run') + 1] == 'S1'\n"
        f"(out / 'metrics.json').write_text('{{\"accuracy\": 0.9}}' if sanity else {metrics!r})\n"
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        recorded = bridge.status().runs["R1"].metrics
    finally:
        bridge.close()
    assert recorded is not None
    return {q.metric: q for q in recorded.quality}


def test_a_nan_in_the_metric_a_criterion_judges_is_no_mere_note(tmp_path: Path) -> None:
    """A block whose Metrics list `accuracy` and whose criterion judges `score`: a NaN score
    was noted as "not a metric the plan measures: noted, not blocking", though the verdict
    rests on it. The criterion's metrics are the plan's too: the NaN blocks."""
    flags = _r1_flags(
        tmp_path,
        [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")],
        "score > 0.5.",
        '{"accuracy": 0.9, "score": NaN, "aux": NaN}',
    )
    assert flags["score"].blocking and "not a metric" not in flags["score"].message
    assert not flags["aux"].blocking  # measured by nothing in the plan: a note


def test_a_nan_in_a_metric_a_comparison_of_systems_judges_blocks(tmp_path: Path) -> None:
    """033's E5 "LGGSN+ORFN success rate ≥ GR-ConvNet baseline" names its metric between two
    of the block's systems: read without them the clause named none, and R018's NaN success
    rate was noted "not a metric the plan measures" while the verdict rested on it."""
    flags = _r1_flags(
        tmp_path,
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1", system="Wide net"),
            Run(id="R2", milestone="M1", system="Base baseline"),
        ],
        "Wide success rate ≥ Base baseline.",
        '{"accuracy": 0.9, "success_rate": NaN}',
    )
    assert list(flags) == ["success_rate"], flags
    assert flags["success_rate"].blocking
    assert "not a metric" not in flags["success_rate"].message


def test_the_key_metric_cell_shows_what_the_criterion_judges(tmp_path: Path) -> None:
    """033's E1 lists no metric and its runs' key metric is unset: the cell showed the first
    value recorded ("n_seeds = 25 (+10 more)", a count) where the criterion judges
    `scissors_net`. A metric the block's criterion names comes first, with how many more the
    run recorded (015's R007, whose block's key metric was shown with no "(+2 more)")."""
    from bridge import Bridge
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p", [Run(id="S1", milestone="M0"), Run(id="R1", milestone="M1")]
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    head, _, tail = plan.read_text().rpartition(
        "- **Metrics**: accuracy.\n- **Setup details**: seed 0.\n- **Success criterion**: "
        "accuracy > 0.5."
    )
    plan.write_text(
        head + "- **Setup details**: seed 0.\n- **Success criterion**: score > 0.5." + tail
    )
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("| test | accuracy |", "| test | - |"))
    (project / "scripts" / "job.py").write_text(
        "import pathlib, sys\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--out') + 1])\n"
        '(out / \'metrics.json\').write_text(\'{"accuracy": 0.9, "n_items": 3, "score": 0.7}\')\n'
    )
    bridge = Bridge(project)
    try:
        bridge.run()
    finally:
        bridge.close()
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    assert "| R1 | main | score = 0.7 (+2 more) | DONE |" in results, results


_018_JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
values = {"historical regression": 0.1, "token": 120}
if sys.argv[1] == "JPH-B2-JT-S0":
    values["||Delta theta||"] = 0.3
(out / "metrics.json").write_text(json.dumps(values))
"""


@needs_shared
def test_018_key_metric_cell_says_the_primary_metric_was_not_recorded(tmp_path: Path) -> None:
    """018's B2 lists `||Delta theta||` first (its primary metric); runs that recorded only
    "historical regression" and "token" showed "historical regression = 0.1 (+1 more)" in the
    Key Metric column with no word that it is not what B2 measures. The cell says which the
    primary is and that it was not recorded; a run that recorded it shows it, with no note."""
    from tests.plan.corpus import as_project, run_to_results

    results = run_to_results(as_project("018", tmp_path / "p"), _018_JOB)
    assert (
        "| JPH-B2-FX-S0 | fixed | historical regression = 0.1"
        "（另有 1 个；计划的主指标 \\|\\|Delta theta\\|\\| 未记录） | DONE |"
    ) in results, results
    assert "| JPH-B2-JT-S0 | joint | \\|\\|Delta theta\\|\\| = 0.3（另有 2 个） | DONE |" in results


_NUMBERS_JOB = """\
import json, pathlib, sys
numbers = json.loads(pathlib.Path(__file__).with_name("numbers.json").read_text())
text = json.dumps(numbers.get(sys.argv[1], numbers["*"]))
pathlib.Path(sys.argv[2], "metrics.json").write_text(text)
"""


def _corpus_flags(
    tmp_path: Path,
    name: str,
    numbers: dict[str, object],
    run: str,
    *tracker_edits: tuple[str, str],
) -> list[str]:
    """
    ``run``'s training-quality flags (``metric kind blocking|note``) after `bridge run` of the
    corpus plan ``name``, each run writing its ``numbers`` entry (else ``"*"``) as metrics.json;
    each of ``tracker_edits`` (old, new) is replaced in its tracker first (a row's status, say).
    """
    import sys

    from bridge import Bridge, Stage
    from tests.plan.corpus import as_project

    project = as_project(name, tmp_path / "p")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    for old, new in tracker_edits:
        text = tracker.read_text(encoding="utf-8")
        assert old in text
        tracker.write_text(text.replace(old, new), encoding="utf-8")
    (project / "job.py").write_text(_NUMBERS_JOB, encoding="utf-8")
    (project / "numbers.json").write_text(json.dumps(numbers), encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        if bridge.run() is Stage.AWAITING_APPROVAL:  # runs proposed from the plan (015, 033)
            bridge.approve()
            bridge.run()
        recorded = bridge.status().runs[run].metrics
    finally:
        bridge.close()
    assert recorded is not None
    return [f"{q.metric} {q.kind} {'blocking' if q.blocking else 'note'}" for q in recorded.quality]


@needs_shared
def test_a_nan_in_a_metric_of_the_plans_metrics_section_blocks(tmp_path: Path) -> None:
    """032 has no blocks; its "## Metrics" section lists `AggViol` first among the primary
    metrics (EXPERIMENT_PLAN.md:73). E02-s2's NaN AggViol was noted "not a metric the plan
    measures: noted, not blocking"."""
    numbers = {"*": {"AggViol": 0.1, "PersViol": 0.05}, "E02-s2": {"AggViol": math.nan}}
    flags = _corpus_flags(tmp_path, "032", numbers, "E02-s2")
    assert flags == ["AggViol non_finite blocking"]


@needs_shared
def test_a_nan_in_a_metric_named_only_in_unread_criteria_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """036's M2.1 is to "beat `baseline3_1_unk` on chrF++ without increasing contamination", a
    criterion the rule parser cannot read, and no Metrics line names chrF++: its NaN was noted
    "not a metric the plan measures: noted, not blocking". A name the plan writes counts; a
    name it never writes stays a note."""
    numbers = {"*": {"chrF++": 30.0}, "M2.1": {"chrF++": math.nan, "scratch_norm": math.nan}}
    flags = _corpus_flags(tmp_path, "036", numbers, "M2.1", ("| RUNNING |", "| DONE |"))
    assert flags == ["chrF++ non_finite blocking", "scratch_norm non_finite note"]
    # `bridge status` marks the run as the results do ("DONE ⚠ non_finite"): 012's R005 with
    # its judged metric NaN read plain DONE there (trial).
    from bridge.cli.main import main

    assert main(["status", "--project", str(tmp_path / "p")]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("M2.1 "))
    assert "⚠ numbers not trusted: ch" in line, line


@needs_shared
def test_a_nan_in_a_metric_another_block_measures_blocks(tmp_path: Path) -> None:
    """039's R006 (B3, whose Metrics line names only "paired ΔAUROC/ΔAUPRC …") wrote
    `AUROC` NaN: noted "不是计划测量的指标：仅记录，不阻断", though B3's verdict is judged on auroc
    and B1's Metrics line names it "（主）". The plan's metrics are every block's."""
    numbers = {
        "*": {"auroc": 0.7, "auprc": 0.4},
        "R001": {"coverage": 1.0, "finite_score": 1.0},
        "R006": {"AUROC": math.nan, "auprc": 0.3, "scratch": math.nan},
    }
    flags = _corpus_flags(tmp_path, "039", numbers, "R006")
    assert flags == ["AUROC non_finite blocking", "scratch non_finite note"]


@needs_shared
def test_a_nan_in_a_metric_the_blocks_method_reports_blocks(tmp_path: Path) -> None:
    """015's B1 Method says "report Pearson and Spearman correlation" (EXPERIMENT_PLAN.md:34),
    judged by «correlation ≥ 0.85 on both metrics»: R002's NaN Pearson was noted "not a metric
    the plan measures: noted, not blocking". A block's Method/Setup says what it measures; a
    name written nowhere stays a note."""
    numbers = {
        "*": {"peak T": 78.5},
        "R002": {"Pearson": math.nan, "Spearman": 0.9, "scratch": math.nan},
    }
    flags = _corpus_flags(tmp_path, "015", numbers, "R002")
    assert flags == ["Pearson non_finite blocking", "scratch non_finite note"]


@needs_shared
def test_a_nan_in_a_metric_a_kill_rule_judges_blocks(tmp_path: Path) -> None:
    """034's "Pilot kill" rule is "Spearman(σ, length) − Spearman(μ, length) < 0"
    (EXPERIMENT_PLAN.md:98), and no block's Metrics line names Spearman: R006's NaN `spearman`
    was noted "not a metric the plan measures: noted, not blocking" beside a DONE S1 (trial
    T7). What a kill rule judges is what the plan measures; a name written nowhere stays a
    note."""
    numbers = {"*": {"spearman": 0.4}, "R006": {"spearman": math.nan, "scratch": math.nan}}
    flags = _corpus_flags(tmp_path, "034", numbers, "R006")
    assert flags == ["spearman non_finite blocking", "scratch non_finite note"]
    # Its tracker rows are no clean success: the block row S1 and the run's own row read
    # DONE before (trial T7).
    tracker = (tmp_path / "p" / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text("utf-8")
    assert "| S1 | DONE ⚠ non_finite | R006 |" in tracker
    assert "| MUST | DONE ⚠ non_finite | " in tracker


@needs_shared
def test_a_nan_in_a_plan_that_names_no_metric_anywhere_blocks(tmp_path: Path) -> None:
    """026 has no blocks, no Metrics section and no Metrics column: its accuracy is in its
    prose only ("更高准确率", "utility = accuracy - λ × (tokens/1000)"). E5's `accuracy = NaN`
    was noted "不是计划测量的指标：仅记录，不阻断" beside a ✅ (trial T7). A plan that names no
    metric where bridge reads one cannot scope the checks: every NaN blocks."""
    numbers = {"*": {"accuracy": 0.9}, "E5": {"accuracy": math.nan}}
    # Its rows bridge should run: the corpus tracker has them running and queued elsewhere.
    edits = (("| 🔄 |", "| ✅ |"), ("| ⏳ |", "| TODO |"))
    flags = _corpus_flags(tmp_path, "026", numbers, "E5", *edits)
    assert flags == ["accuracy non_finite blocking"]


@needs_shared
def test_a_nice_to_have_run_with_a_nan_is_no_clean_success(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """026's E5 (MEDIUM: nice-to-have) with `accuracy = NaN`: its tracker row read `✅` and the
    summary "可选运行完成：5/5" (trial T7). The legend has no word for a result that cannot
    stand: its ✅ is marked as the results mark it; the count leaves it out and names it."""
    from bridge.cli.main import main

    numbers = {"*": {"accuracy": 0.9}, "E5": {"accuracy": math.nan}}
    edits = (("| 🔄 |", "| ✅ |"), ("| ⏳ |", "| TODO |"))
    _corpus_flags(tmp_path, "026", numbers, "E5", *edits)
    tracker = (tmp_path / "p" / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text("utf-8")
    assert "| E5 | MRSD GSM8K seed=123 (n=200) | ✅ ⚠ non_finite | MEDIUM | 1 |" in tracker
    assert main(["run", "--plain", "--project", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "可选运行完成：4/5（1 个已成功但数值不可信：E5）。" in out, out


@needs_shared
def test_a_run_with_a_nan_takes_the_legends_word_for_a_result_that_cannot_stand(
    tmp_path: Path,
) -> None:
    """018's tracker legend (EXPERIMENT_TRACKER.md:3-4) says results that cannot be recomputed
    must be marked `invalid`; JPH-B2-JT-S0 with `task success = NaN` was written `passed`
    (trial T7). Read back on a reload, the word is bridge's, not the researcher's: nothing
    is said of it."""
    from bridge import Bridge

    numbers = {"*": {"task success": 0.5}, "JPH-B2-JT-S0": {"task success": math.nan}}
    flags = _corpus_flags(tmp_path, "018", numbers, "JPH-B2-JT-S0")
    assert flags == ["task success non_finite blocking"]
    project = tmp_path / "p"
    tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text("utf-8")
    row = next(x for x in tracker.splitlines() if x.startswith("| JPH-B2-JT-S0 |"))
    assert "| invalid |" in row and "passed" not in row, row
    # A reload (an input changed) reads the row's `invalid`: bridge's own word, no request.
    (project / "bridge.toml").write_text(
        (project / "bridge.toml").read_text("utf-8") + "# edited\n", "utf-8"
    )
    bridge = Bridge(project)
    try:
        bridge.run()
        said = dict(bridge.kept_settings)
    finally:
        bridge.close()
    assert "JPH-B2-JT-S0" not in said, said


def test_status_json_says_which_numbers_are_not_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """015's R002 wrote a NaN Pearson: `bridge status` said "⚠ numbers not trusted: Pearson
    non_finite", but `bridge status --json`, which has the notes in full, read
    `"state": "succeeded", "status": "DONE", "reason": ""` and said nothing of it."""
    numbers = {
        "*": {"peak T": 78.5},
        "R002": {"Pearson": math.nan, "Spearman": 0.9, "scratch": math.nan},
    }
    _corpus_flags(tmp_path, "015", numbers, "R002")
    from bridge.cli.main import main

    assert main(["status", "--json", "--project", str(tmp_path / "p")]) == 0
    runs = {r["id"]: r for r in json.loads(capsys.readouterr().out)["runs"]}
    bad = runs["R002"]
    assert (bad["state"], bad["trusted"]) == ("succeeded", False)
    # The blocking findings only: `scratch` is no metric the plan measures (a note).
    assert [(f["metric"], f["kind"]) for f in bad["untrusted"]] == [("Pearson", "non_finite")]
    assert "Pearson" in bad["untrusted"][0]["message"]
    assert bad["note"] == "⚠ numbers not trusted: Pearson non_finite"
    good = next(r for r in runs.values() if r["state"] == "succeeded" and r["id"] != "R002")
    assert (good["trusted"], good["untrusted"], good["note"]) == (True, [], "")


@needs_shared
def test_a_nan_std_of_a_block_that_reports_a_mean_and_std_stays_a_note(tmp_path: Path) -> None:
    """033's E2 reports "Mean, std of PCA angle per object category": a statistic alone is how
    a script sums up one seed (NaN), never a metric the plan measures, its Setup read or not."""
    numbers = {"*": {"success": 1.0}, "R002": {"mean": 3.0, "std": math.nan}}
    flags = _corpus_flags(tmp_path, "033", numbers, "R002")
    assert flags == ["std non_finite note"]


def test_a_blocks_key_metric_column_shows_one_quantity(tmp_path: Path) -> None:
    """021's B3 (trial t9): each run's key metric follows its row's lead metric, so R007 and
    R008 read `reward = 0.61`, `0.7` and R009 beside them `validation_regret = 0.2`, one column
    mixing two quantities. A block's rows show the key metric most of them have, where a run
    recorded it; a run that did not still shows its own."""
    from bridge import Bridge
    from tests.pipeline.conftest import Run, write_project

    project = write_project(
        tmp_path / "p",
        [
            Run(id="S1", milestone="M0"),
            Run(id="R1", milestone="M1"),
            Run(id="R2", milestone="M1"),
            Run(id="R3", milestone="M1"),
            Run(id="R4", milestone="M1"),
        ],
    )
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text().replace("- **Metrics**: accuracy.\n", ""))
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    rows = {"R1": "reward", "R2": "reward", "R3": "regret", "R4": "regret"}
    text = tracker.read_text()
    for run_id, metric in rows.items():
        text = text.replace(
            f"| {run_id} | M1 | main | main | test | accuracy |",
            f"| {run_id} | M1 | main | main | test | {metric} |",
        )
    tracker.write_text(text)
    (project / "scripts" / "job.py").write_text(
        "import json, pathlib, sys\n"
        "out = pathlib.Path(sys.argv[sys.argv.index('--out') + 1])\n"
        "numbers = {'reward': 0.6, 'regret': 0.2}\n"
        "if '--run' in sys.argv and sys.argv[sys.argv.index('--run') + 1] == 'R4':\n"
        "    numbers = {'regret': 0.3}\n"
        "(out / 'metrics.json').write_text(json.dumps(numbers))\n"
    )
    bridge = Bridge(project)
    try:
        bridge.run()
    finally:
        bridge.close()
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
    for run_id in ("R1", "R2", "R3"):
        assert f"| {run_id} | main | reward = 0.6 (+1 more) | DONE |" in results, results
    assert "| R4 | main | regret = 0.3 | DONE |" in results, results
