"""
A run's scratch space and its inputs (#20 gap 13): ``{attempt_id}``, ``{scratch_dir}`` and
``{outputs_of:RUN}``, run through ``Bridge`` on the real local backend and checked by
``bridge verify``.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from bridge import Bridge
from bridge.cli import main
from bridge.errors import ConfigError
from bridge.machine.stages import RunState, Stage
from tests.adapters.backends.slurm.cluster import SlurmCluster
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, events_of, write_project
from tests.plan.corpus import as_project

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]

PRODUCE = """\
import json, os, pathlib, sys
out, scratch, attempt = sys.argv[1:4]
pathlib.Path(scratch, "work.tmp").write_text("half-done")
pathlib.Path(out, "model.txt").write_text("weights of " + attempt)
pathlib.Path(out, "seen.json").write_text(json.dumps(
    {"scratch": scratch, "attempt": attempt, "scratch_files": os.listdir(scratch)}))
pathlib.Path(out, "metrics.json").write_text('{"accuracy": 0.9}')
"""

CONSUME = """\
import pathlib, sys
source, out = sys.argv[1:3]
model = pathlib.Path(source, "model.txt").read_text()
pathlib.Path(out, "read.txt").write_text(model)
pathlib.Path(out, "metrics.json").write_text('{"accuracy": 0.8}')
"""


def _write(root: Path, *, consumer_depends: bool = True, run: str = "") -> Path:
    write_project(root, [Run(id="P1", milestone="M1"), Run(id="P2", milestone="M1")], sanity=None)
    (root / "scripts" / "produce.py").write_text(PRODUCE)
    (root / "scripts" / "consume.py").write_text(CONSUME)
    py = json.dumps(sys.executable)
    depends = 'depends_on = ["P1"]\n' if consumer_depends else ""
    (root / "bridge.toml").write_text(
        '[bridge]\ncode_review = false\n\n[run]\noutputs = ["metrics.json"]\n'
        f'command = [{py}, "scripts/produce.py", "{{output_dir}}", "{{scratch_dir}}", '
        f'"{{attempt_id}}"]\n{run}\n\n'
        '[[runs]]\nid = "P1"\n\n'
        f'[[runs]]\nid = "P2"\n{depends}'
        f'command = [{py}, "scripts/consume.py", "{{outputs_of:P1}}", "{{output_dir}}"]\n'
    )
    return root


class TestRunInputs:
    def test_a_dependent_run_reads_its_dependencys_outputs_and_verify_checks_them(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """{outputs_of:P1} renders as P1's recorded output dir, recorded as lineage; the
        producer's {scratch_dir} is outside the project and gone after collection; changing
        P1's outputs afterwards is named by bridge verify."""
        _write(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        p1, p2 = state.runs["P1"], state.runs["P2"]
        assert (p1.state, p2.state) == (RunState.SUCCEEDED, RunState.SUCCEEDED)
        producer = p1.current
        consumer = p2.current
        assert producer is not None and consumer is not None
        assert consumer.argv[2] == producer.output_dir
        out = project / consumer.local_dir / "output"
        assert (out / "read.txt").read_text() == f"weights of {producer.attempt_id}"
        [lineage] = consumer.inputs
        assert (lineage.run_id, lineage.attempt_id) == ("P1", producer.attempt_id)
        assert lineage.local_dir == f"{producer.local_dir}/output"
        seen = json.loads((project / producer.local_dir / "output" / "seen.json").read_text())
        assert seen["attempt"] == producer.attempt_id == "P1-a1"
        assert seen["scratch_files"] == ["work.tmp"]
        scratch = Path(seen["scratch"])
        assert scratch.resolve() == Path(producer.scratch_dir)
        assert not scratch.resolve().is_relative_to(project.resolve())
        assert not scratch.exists()  # removed once P1's results were recorded
        assert not scratch.parent.parent.exists()  # and the project's folder, left empty
        capsys.readouterr()
        assert main(["verify", "--project", str(project)]) == 0

        (project / producer.local_dir / "output" / "model.txt").write_text("retrained by hand")
        assert main(["verify", "--project", str(project)]) == 1
        said = capsys.readouterr().out
        assert "input-changed" in said and "P2/P2-a1" in said, said

    def test_keep_scratch_keeps_it(self, project: Path) -> None:
        """[run] keep_scratch = true leaves the attempt's scratch directory in place."""
        _write(project, run="keep_scratch = true")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            producer = bridge.status().runs["P1"].current
        finally:
            bridge.close()
        assert producer is not None
        scratch = Path(producer.scratch_dir)
        try:
            assert (scratch / "work.tmp").read_text() == "half-done"
        finally:
            shutil.rmtree(scratch.parent.parent)  # the project's scratch folder, kept

    def test_outputs_of_a_run_that_is_no_dependency_is_refused_at_start(
        self, project: Path
    ) -> None:
        """{outputs_of:P1} in a run that does not depend on P1: a config error naming the
        file and line, before anything runs."""
        _write(project, consumer_depends=False)
        with pytest.raises(ConfigError) as caught:
            Bridge(project)
        message = str(caught.value)
        assert "depends_on" in message and "outputs_of:P1" in message, message
        assert caught.value.file == "bridge.toml"
        assert caught.value.line is not None
        lines = (project / "bridge.toml").read_text().splitlines()
        assert "outputs_of:P1" in lines[caught.value.line - 1]
        assert not (project / "markers").exists()

    def test_outputs_of_a_run_that_does_not_exist_is_named_as_such(self, project: Path) -> None:
        """A mistyped {outputs_of:RUN} is not a run: the error says so and suggests the closest
        id, rather than asking to add a dependency on a run that does not exist."""
        _write(project)
        toml = project / "bridge.toml"
        toml.write_text(toml.read_text().replace("{outputs_of:P1}", "{outputs_of:P11}"))
        with pytest.raises(ConfigError) as caught:
            Bridge(project)
        message = str(caught.value)
        assert "names 'P11', which is not a run; did you mean 'P1'?" in message, message
        assert "depends_on = ['P11']" not in message
        assert caught.value.line is not None

    def test_outputs_of_a_run_done_before_bridge_is_refused_before_any_launch(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The tracker marks P1 done before bridge: bridge never recorded its outputs, so P2's
        {outputs_of:P1} cannot be given. `bridge run` stops with exit 2 before launching
        anything, naming both runs and P1's tracker row."""
        _write(project)
        tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
        rows = tracker.read_text().splitlines()
        line = next(i for i, row in enumerate(rows, start=1) if row.startswith("| P1 |"))
        rows[line - 1] = rows[line - 1].replace("| TODO |", "| DONE |")
        tracker.write_text("\n".join(rows) + "\n")
        assert main(["run", "--plain", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert f"EXPERIMENT_TRACKER.md:{line}" in err, err
        assert "run P2: {outputs_of:P1} names P1" in err and "done before bridge" in err, err
        assert not any(e[2] == "run.submitted" for e in events_of(project))

    @pytest.mark.parametrize("backend", ["vast", "modal"])
    def test_scratch_dir_on_a_rented_backend_is_refused_at_start(
        self, project: Path, backend: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """{scratch_dir} is given by the local, SSH and Slurm backends: on Vast or Modal
        `bridge run` stops with exit 2 naming the run, the backend and the setting's line,
        before any connection or launch."""
        _write(project)
        config = project / "bridge.toml"
        config.write_text(
            config.read_text().replace("[bridge]\n", f'[bridge]\nbackend = "{backend}"\n', 1)
        )
        assert main(["run", "--plain", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert f"run P1 uses {{scratch_dir}}, which the {backend} backend" in err, err
        assert "bridge.toml:" in err
        assert not any(e[2] == "run.submitted" for e in events_of(project))

    def test_scratch_and_inputs_on_slurm(self, slurm: SlurmCluster, project: Path) -> None:
        """On the real single-node Slurm: {scratch_dir} is a fresh private folder under
        .bridge/scratch on the shared filesystem (a node's /tmp could not be cleaned after
        collection), made by the job and gone once P1's results are recorded; {outputs_of:P1}
        hands P1's outputs to P2."""
        _write(project)
        config = project / "bridge.toml"
        text = config.read_text().replace("[bridge]\n", '[bridge]\nbackend = "slurm"\n', 1)
        config.write_text(text + "\n[backends.slurm]\npoll_seconds = 0.2\n")
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        producer, consumer = state.runs["P1"].current, state.runs["P2"].current
        assert producer is not None and consumer is not None
        seen = json.loads((project / producer.local_dir / "output" / "seen.json").read_text())
        assert seen["scratch"] == producer.scratch_dir
        assert seen["scratch"] == str(project / ".bridge" / "scratch" / "P1" / "P1-a1")
        assert seen["scratch_files"] == ["work.tmp"]
        assert not (project / ".bridge" / "scratch").exists()
        read = (project / consumer.local_dir / "output" / "read.txt").read_text()
        assert read == "weights of P1-a1"


@needs_shared
def test_018_outputs_of_a_row_done_before_bridge_quotes_the_researchers_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """018's JPH-CAL-LP-C0 is `failed` in the tracker, done before bridge by its legend (the
    method failing in a run that completed). A run handed its outputs is refused before any
    launch, and the English message quoted the Status with bridge's Chinese note on it,
    "(failed（图例：方法/任务失败；已完成运行的负结果，不是运行失败）)": it quotes the researcher's
    word only."""
    project = as_project("018", tmp_path / "p")
    (project / "bridge.toml").write_text(
        '[bridge]\ncode_review = false\n\n[run]\ncommand = ["true"]\n\n'
        '[[runs]]\nid = "JPH-B2-FX-S0"\ndepends_on = ["JPH-CAL-LP-C0"]\n'
        'command = ["cat", "{outputs_of:JPH-CAL-LP-C0}"]\n'
    )
    assert main(["-o", "language=en", "run", "--plain", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert (
        "{outputs_of:JPH-CAL-LP-C0} names JPH-CAL-LP-C0, which the tracker marks done before "
        "bridge (failed), so bridge has no recorded output directory to hand on"
    ) in err, err
    assert "图例" not in err
