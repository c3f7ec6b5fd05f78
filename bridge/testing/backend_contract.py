"""
The backend contract: one suite every Backend implementation must pass.

Subclass :class:`BackendContract` in a ``test_*.py`` module as ``Test<Name>BackendContract`` and
implement :meth:`BackendContract.make_backend` (and, for a backend with real processes,
:meth:`BackendContract.kill_hard` and :meth:`BackendContract.assert_nothing_left`). Jobs are
described portably by :meth:`BackendContract.job`: the command is a small Python program
(``[python, "-c", PROGRAM, PARAMS_JSON, *extra_args]``) run by :meth:`BackendContract.python`
(``sys.executable`` here; a remote backend returns its host's ``python3``). Backends that run no
program (the fake) interpret the same parameters with :func:`fake_script`.

No test sleeps for a condition: :func:`settle` polls with a deadline, pacing on ``wait``.

Shipped in the package for people writing their own backend (``docs/testing.md``); it needs
pytest, and nothing in bridge imports it (``bridge.testing`` itself does not).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any  # Any: the script's JSON parameters

import pytest

from bridge.errors import JobNotFound
from bridge.machine.ports import AttemptPlace, Backend, JobHandle, JobSpec, JobState, JobStatus
from bridge.pipeline.layout import ProjectLayout
from bridge.testing import FakeOutcome

TERMINAL = frozenset(
    {
        JobStatus.SUCCEEDED,
        JobStatus.FAILED,
        JobStatus.TIMED_OUT,
        JobStatus.CANCELLED,
        JobStatus.LOST,
    }
)

#: The portable job: parameters arrive as one JSON argument, extra arguments are echoed to a file.
PROGRAM = r"""
import json, os, sys, time
p = json.loads(sys.argv[1])
if p.get("count_file"):
    with open(p["count_file"], "a") as f:
        f.write("ran\n")
for name, text in sorted(p.get("outputs", {}).items()):
    path = os.path.join(p["output_dir"], name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
if p.get("echo_file"):
    with open(os.path.join(p["output_dir"], p["echo_file"]), "w") as f:
        json.dump(sys.argv[2:], f)
if p.get("stdout"):
    print(p["stdout"], flush=True)
if p.get("stderr"):
    print(p["stderr"], file=sys.stderr, flush=True)
if p.get("ignore_term"):
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if p.get("kill_self"):
    import signal
    os.kill(os.getpid(), signal.SIGKILL)
if p.get("started_file"):
    open(p["started_file"], "w").close()
while p.get("forever") or (p.get("until_file") and not os.path.exists(p["until_file"])):
    time.sleep(0.02)
sys.exit(p.get("exit_code", 0))
"""


def fake_script(spec: JobSpec) -> FakeOutcome:
    """
    Interpret a contract job for :class:`bridge.testing.FakeBackend` (called once per launch).
    """
    params: dict[str, Any] = json.loads(spec.argv[3])
    if params.get("count_file"):
        with Path(params["count_file"]).open("a") as handle:
            handle.write("ran\n")
    outputs: dict[str, str | bytes] = dict(params.get("outputs", {}))
    if params.get("echo_file"):
        outputs[params["echo_file"]] = json.dumps(list(spec.argv[4:]))
    return FakeOutcome(
        exit_code=137 if params.get("kill_self") else params.get("exit_code", 0),
        outputs=outputs,
        log=params.get("stdout", "") + params.get("stderr", ""),
        polls=None if params.get("forever") else 1,
    )


def settle(
    backend: Backend,
    handle: JobHandle,
    want: Callable[[JobState], bool] = lambda state: state.status in TERMINAL,
    timeout: float = 20.0,
) -> JobState:
    """
    Poll until ``want(state)`` holds, pacing on ``backend.wait``; fail after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        state = backend.poll(handle)
        if want(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"{handle.attempt_id}: condition not reached; last {state}")
        backend.wait([handle], 0.1)


def running(state: JobState) -> bool:
    """
    True once the attempt is RUNNING (or already ended, so a test never hangs on a fast job).
    """
    return state.status is JobStatus.RUNNING or state.status in TERMINAL


class BackendContract:
    """
    The behaviour every backend promises. Subclasses provide the backend and process hooks.
    """

    #: False for backends whose state dies with the object (the fake): skips find-after-restart.
    persistent: bool = True

    #: Why the backend keeps attempts where something other than the place's path says (Modal:
    #: its deployed launcher's layout); "" for every backend that joins its root with the path.
    paths_elsewhere: str = ""

    def make_backend(self, root: Path) -> Backend:
        """
        Return a backend whose state lives under ``root``; called again for a "restarted" one.
        """
        raise NotImplementedError

    def python(self) -> str:
        """
        Return the Python interpreter the job program runs with.
        """
        return sys.executable

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        """
        Kill the attempt with SIGKILL, wrapper and command alike, behind the backend's back.
        """
        raise NotImplementedError

    def assert_nothing_left(self, backend: Backend, handle: JobHandle) -> None:
        """
        Assert that no process of the attempt remains (no orphans after cancel).
        """

    # ------------------------------------------------------------------------------------------

    @pytest.fixture
    def root(self, tmp_path: Path) -> Path:
        """
        The directory the backend keeps its state in.
        """
        root = tmp_path / "project"
        root.mkdir()
        return root

    @pytest.fixture
    def backend(self, root: Path) -> Iterator[Backend]:
        """
        A backend; every attempt the test launched is cancelled afterwards (cancel is idempotent).
        """
        made = self.make_backend(root)
        self._launched: list[JobHandle] = []
        yield made
        for handle in self._launched:
            made.cancel(handle)
        made.release()

    @staticmethod
    def place(attempt_id: str, run_id: str = "R001") -> AttemptPlace:
        """
        The attempt's place as the pipeline names it (``ProjectLayout.place``).
        """
        return ProjectLayout.place(run_id, attempt_id)

    def job(
        self,
        backend: Backend,
        attempt_id: str,
        *,
        run_id: str = "R001",
        place: AttemptPlace | None = None,
        extra_args: tuple[str, ...] = (),
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **params: object,
    ) -> JobSpec:
        """
        Build the spec of a contract job at ``place`` (default: the pipeline's layout);
        ``params`` are the program's (see ``PROGRAM``).
        """
        where = place or self.place(attempt_id, run_id)
        params["output_dir"] = backend.output_dir(where)
        return JobSpec(
            place=where,
            argv=(self.python(), "-c", PROGRAM, json.dumps(params), *extra_args),
            env=dict(env or {}),
            timeout_seconds=timeout,
        )

    def launch(self, backend: Backend, spec: JobSpec) -> JobHandle:
        """
        Submit ``spec`` and remember the handle for clean-up.
        """
        handle = backend.submit(spec)
        self._launched.append(handle)
        return handle

    # ------------------------------------------------------------------------------------------

    def test_implements_the_port(self, backend: Backend) -> None:
        """The backend satisfies the Backend Protocol and has a name."""
        assert isinstance(backend, Backend)
        assert backend.name

    def test_success_outputs_fetched(self, backend: Backend, tmp_path: Path) -> None:
        """A job that exits 0 is SUCCEEDED and its outputs come back with size and sha256 (logs
        may come back too)."""
        outputs = {"metrics.json": '{"acc": 0.9}', "logs/train.txt": "step 1\n"}
        handle = self.launch(backend, self.job(backend, "A1", outputs=outputs, stdout="hello"))
        state = settle(backend, handle)
        assert (state.status, state.exit_code) == (JobStatus.SUCCEEDED, 0)
        assert "hello" in state.log_tail
        dest = tmp_path / "collected"
        artifacts = backend.fetch_artifacts(handle, dest)
        fetched = sorted(a.path for a in artifacts if a.path.startswith("output/"))
        assert fetched == ["output/logs/train.txt", "output/metrics.json"]
        for artifact in artifacts:
            data = (dest / artifact.path).read_bytes()
            assert artifact.size == len(data)
            assert artifact.sha256 == hashlib.sha256(data).hexdigest()
        assert (dest / "output/metrics.json").read_text() == outputs["metrics.json"]

    def test_nonzero_exit_is_failed(self, backend: Backend) -> None:
        """A job that exits 3 is FAILED with exit code 3 and its stderr in the log tail."""
        spec = self.job(backend, "A1", exit_code=3, stderr="boom: bad config")
        state = settle(backend, self.launch(backend, spec))
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 3)
        assert "boom: bad config" in state.log_tail

    def test_killed_by_signal_is_128_plus_n(self, backend: Backend) -> None:
        """A command killed by a signal (the command, not the backend's wrapper) is FAILED with
        exit code 128 + N, as a shell reports it: 137 for SIGKILL, which is how the OOM policy
        recognises the kernel's out-of-memory killer."""
        spec = self.job(backend, "A1", kill_self=True)
        state = settle(backend, self.launch(backend, spec))
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 137), state

    def test_submit_is_idempotent(self, backend: Backend, tmp_path: Path) -> None:
        """Submitting one attempt twice launches it once and returns the same attempt."""
        count = tmp_path / "count.txt"
        spec = self.job(backend, "A1", count_file=str(count))
        first = self.launch(backend, spec)
        second = backend.submit(spec)
        assert second.attempt_id == first.attempt_id
        assert settle(backend, first).status is JobStatus.SUCCEEDED
        assert settle(backend, second).status is JobStatus.SUCCEEDED
        assert count.read_text() == "ran\n"

    def test_cancel_stops_the_job(self, backend: Backend, tmp_path: Path) -> None:
        """Cancelling a running job makes it CANCELLED, leaves no process, and can be repeated."""
        handle = self.launch(backend, self.job(backend, "A1", forever=True))
        settle(backend, handle, running)
        backend.cancel(handle)
        assert settle(backend, handle).status is JobStatus.CANCELLED
        self.assert_nothing_left(backend, handle)
        backend.cancel(handle)
        assert backend.poll(handle).status is JobStatus.CANCELLED

    def test_cancel_after_end_keeps_outcome(self, backend: Backend) -> None:
        """Cancelling an attempt that already ended does not rewrite its outcome."""
        handle = self.launch(backend, self.job(backend, "A1", exit_code=0))
        assert settle(backend, handle).status is JobStatus.SUCCEEDED
        backend.cancel(handle)
        assert backend.poll(handle).status is JobStatus.SUCCEEDED

    def test_find_after_restart(self, backend: Backend, root: Path) -> None:
        """A fresh backend object finds a running attempt by its id and can stop it."""
        if not self.persistent:
            pytest.skip("this backend keeps its attempts in memory: nothing survives the object")
        handle = self.launch(backend, self.job(backend, "A1", forever=True))
        settle(backend, handle, running)
        again = self.make_backend(root)
        found = again.find(self.place("A1"))
        assert found is not None and found.attempt_id == "A1"
        assert again.poll(found).status is JobStatus.RUNNING
        again.cancel(found)
        assert settle(again, found).status is JobStatus.CANCELLED
        assert settle(backend, handle).status is JobStatus.CANCELLED
        again.release()

    def test_find_after_end_keeps_outcome(self, backend: Backend, root: Path) -> None:
        """A fresh backend object finds an attempt that ended meanwhile, with its exit code."""
        if not self.persistent:
            pytest.skip("this backend keeps its attempts in memory: nothing survives the object")
        handle = self.launch(backend, self.job(backend, "A1", exit_code=3))
        assert settle(backend, handle).status is JobStatus.FAILED
        again = self.make_backend(root)
        found = again.find(self.place("A1"))
        assert found is not None and found.attempt_id == "A1"
        state = settle(again, found)
        assert (state.status, state.exit_code) == (JobStatus.FAILED, 3)
        again.release()

    def test_find_unknown_is_none(self, backend: Backend) -> None:
        """find() of an attempt never launched answers None."""
        assert backend.find(self.place("never-launched")) is None

    def test_poll_unknown_raises(self, backend: Backend) -> None:
        """Polling a handle the backend never issued raises JobNotFound."""
        ghost = JobHandle(backend=backend.name, attempt_id="ghost", locator={"run_id": "R001"})
        with pytest.raises(JobNotFound):
            backend.poll(ghost)

    def test_killed_job_is_lost(self, backend: Backend) -> None:
        """A job killed with SIGKILL behind the backend's back (no exit code) is LOST."""
        handle = self.launch(backend, self.job(backend, "A1", forever=True))
        settle(backend, handle, running)
        self.kill_hard(backend, handle)
        state = settle(backend, handle)
        assert state.status is JobStatus.LOST, state
        assert state.exit_code is None

    def test_timeout_is_timed_out(self, backend: Backend) -> None:
        """A job running past its timeout is stopped and reported TIMED_OUT."""
        handle = self.launch(backend, self.job(backend, "A1", forever=True, timeout=0.5))
        assert settle(backend, handle).status is JobStatus.TIMED_OUT
        self.assert_nothing_left(backend, handle)

    def test_hostile_arguments_stay_inert(self, backend: Backend, tmp_path: Path) -> None:
        """Shell syntax in arguments reaches the program verbatim and is never executed."""
        home = tmp_path / "home"
        home.mkdir()
        (home / "canary").write_text("alive")
        hostile = ("x; rm -rf ~", "$(touch pwned)", "`touch pwned2`", "a b", "*", "'\"")
        spec = self.job(
            backend, "A1", echo_file="argv.json", extra_args=hostile, env={"HOME": str(home)}
        )
        handle = self.launch(backend, spec)
        assert settle(backend, handle).status is JobStatus.SUCCEEDED
        dest = tmp_path / "collected"
        backend.fetch_artifacts(handle, dest)
        assert json.loads((dest / "output/argv.json").read_text()) == list(hostile)
        assert (home / "canary").read_text() == "alive"
        assert not list(tmp_path.rglob("pwned*"))

    def test_output_dir_is_absolute_and_per_attempt(self, backend: Backend) -> None:
        """output_dir is an absolute path that differs between attempts."""
        first = backend.output_dir(self.place("A1"))
        assert first.startswith("/")
        assert first != backend.output_dir(self.place("A2"))

    def test_uses_the_path_it_is_given(self, backend: Backend, root: Path, tmp_path: Path) -> None:
        """An attempt placed at a path other than the layout's runs there and only there: its
        output directory is that path's ``output`` under the backend's root, its outputs come
        back, and it is found at that place (also by a fresh backend object), never at the
        layout's path for the same ids (no backend composes or searches a path itself)."""
        if self.paths_elsewhere:
            pytest.skip(self.paths_elsewhere)
        place = AttemptPlace(
            run_id="R001",
            attempt_id="A1",
            path="elsewhere/deep/R001-A1",
            scratch_path="elsewhere/scratch/R001-A1",
        )
        assert backend.output_dir(place).endswith("/elsewhere/deep/R001-A1/output")
        spec = self.job(backend, "A1", place=place, outputs={"metrics.json": "{}"})
        handle = self.launch(backend, spec)
        assert settle(backend, handle).status is JobStatus.SUCCEEDED
        dest = tmp_path / "collected"
        backend.fetch_artifacts(handle, dest)
        assert (dest / "output/metrics.json").read_text() == "{}"
        found = backend.find(place)
        assert found is not None and found.attempt_id == "A1"
        assert backend.find(self.place("A1")) is None
        if self.persistent:
            again = self.make_backend(root)
            assert again.find(self.place("A1")) is None
            found = again.find(place)
            assert found is not None
            assert settle(again, found).status is JobStatus.SUCCEEDED
            again.release()
