"""
Tests of the local backend's attempt wrapper (``wrapper.sh``) run directly, under every POSIX
shell this machine has: ``/bin/sh`` differs between systems (dash on Debian, bash elsewhere).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bridge.adapters.backends.local import procfs
from bridge.adapters.backends.local.backend import WRAPPER_PATH

PY = sys.executable
WRAPPER = str(WRAPPER_PATH)
STRACE = shutil.which("strace")
SHELLS = [
    pytest.param([path], id=name)
    for name in ("sh", "dash", "bash")
    if (path := shutil.which(name)) is not None
] + [pytest.param([path, "sh"], id="busybox") for path in filter(None, [shutil.which("busybox")])]


def wrap(
    shell: list[str],
    attempt: Path,
    argv: list[str],
    *,
    timeout: str = "",
    grace: str = "0.5",
    sync_after: str = "10",
) -> subprocess.CompletedProcess[str]:
    """Run the wrapper to its end, as the backend starts it (leader of a new session)."""
    attempt.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [*shell, WRAPPER, str(attempt), str(attempt), timeout, grace, sync_after, *argv],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def gone(pgid: int, seconds: float = 5.0) -> bool:
    """True once process group ``pgid`` has no member, within ``seconds``."""
    deadline = time.monotonic() + seconds
    while procfs.group_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.parametrize("shell", SHELLS)
class TestWrapperScript:
    """The exit-code conventions, the pid record, the timeout and the clean-up, per shell."""

    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("raise SystemExit(0)", 0),
            ("raise SystemExit(3)", 3),
            ("import os,signal; os.kill(os.getpid(), signal.SIGKILL)", 137),
            ("import os,signal; os.kill(os.getpid(), signal.SIGTERM)", 143),
        ],
    )
    def test_exit_code(self, shell: list[str], tmp_path: Path, code: str, expected: int) -> None:
        """The command's status, or 128+N for signal N, lands in exit_code."""
        wrap(shell, tmp_path / "a", [PY, "-c", code])
        assert (tmp_path / "a" / "exit_code").read_text() == f"{expected}\n"

    def test_pid_and_start_ticks_are_the_wrappers(self, shell: list[str], tmp_path: Path) -> None:
        """pid and pid.start name the wrapper process (the session leader the command ran in)."""
        seen = tmp_path / "seen"
        code = "import os,sys; open(sys.argv[1],'w').write(str(os.getpgid(0)))"
        wrap(shell, tmp_path / "a", [PY, "-c", code, str(seen)])
        pid = int((tmp_path / "a" / "pid").read_text())
        assert pid == int(seen.read_text())
        assert (tmp_path / "a" / "pid.start").read_text().strip().isdigit()

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["/no/such/program", "x"], 127),
            (["exit", "5"], 127),  # a shell builtin's name is looked up on PATH like any other
            (["cd", "/"], 127),
            (["-x"], 127),
            (["A=B", "true"], 127),  # not an assignment
            (["{noexec}"], 126),  # exists, not executable
        ],
    )
    def test_never_a_shell_word(
        self, shell: list[str], tmp_path: Path, argv: list[str], expected: int
    ) -> None:
        """The argv is a program and its arguments: no builtin, option or assignment."""
        noexec = tmp_path / "data.txt"
        noexec.write_text("not a program\n")
        argv = [arg.format(noexec=noexec) for arg in argv]
        result = wrap(shell, tmp_path / "a", argv)
        assert (tmp_path / "a" / "exit_code").read_text() == f"{expected}\n"
        assert argv[0] in result.stderr

    def test_hostile_arguments_are_inert(self, shell: list[str], tmp_path: Path) -> None:
        """Arguments with quotes, globs, substitutions and newlines arrive unchanged."""
        hostile = ["x; rm -rf ~", "$(touch pwned)", "`touch pwned`", "*", "a\nb", "'\"", ""]
        seen = tmp_path / "seen"
        code = "import json,sys; open(sys.argv[1],'w').write(json.dumps(sys.argv[2:]))"
        wrap(shell, tmp_path / "a", [PY, "-c", code, str(seen), *hostile])
        assert json.loads(seen.read_text()) == hostile
        assert not (tmp_path / "pwned").exists()

    def test_timeout_term_then_kill(self, shell: list[str], tmp_path: Path) -> None:
        """Past the timeout a SIGTERM-ignoring command is killed: timed_out marker, code 137."""
        code = (
            "import signal,time; signal.signal(signal.SIGTERM, signal.SIG_IGN)"
            "\nwhile True: time.sleep(0.05)"
        )
        wrap(shell, tmp_path / "a", [PY, "-c", code], timeout="0.3", grace="0.3")
        assert (tmp_path / "a" / "exit_code").read_text() == "137\n"
        assert (tmp_path / "a" / "timed_out").exists()
        assert gone(int((tmp_path / "a" / "pid").read_text()))

    def test_timeout_term_suffices(self, shell: list[str], tmp_path: Path) -> None:
        """A command that dies of the SIGTERM records 143; the grace sleep does not linger."""
        wrap(shell, tmp_path / "a", ["sleep", "30"], timeout="0.2", grace="30")
        assert (tmp_path / "a" / "exit_code").read_text() == "143\n"
        assert (tmp_path / "a" / "timed_out").exists()
        assert gone(int((tmp_path / "a" / "pid").read_text()))

    def test_timer_ends_with_the_command(self, shell: list[str], tmp_path: Path) -> None:
        """
        A command that ends before its timeout leaves no timer behind, however soon it ends
        (many tries, because stopping the timer races with its start).
        """
        for k in range(25):
            attempt = tmp_path / f"a{k}"
            wrap(shell, attempt, ["true"] if k % 2 else [PY, "-c", "pass"], timeout="600")
            assert (attempt / "exit_code").read_text() == "0\n"
            assert not (attempt / "timed_out").exists()
            assert gone(int((attempt / "pid").read_text())), f"try {k} left a process"

    def test_cancel_marker_before_start(self, shell: list[str], tmp_path: Path) -> None:
        """A ``cancelled`` marker present at start keeps the command from running (143)."""
        (tmp_path / "a").mkdir()
        (tmp_path / "a" / "cancelled").touch()
        wrap(shell, tmp_path / "a", ["touch", str(tmp_path / "ran")])
        assert (tmp_path / "a" / "exit_code").read_text() == "143\n"
        assert not (tmp_path / "ran").exists()

    def test_group_signal_ends_command_not_wrapper(self, shell: list[str], tmp_path: Path) -> None:
        """SIGTERM to the group ends the command; the wrapper lives on to record 143."""
        attempt = tmp_path / "a"
        attempt.mkdir()
        started = tmp_path / "started"
        code = "import sys,time; open(sys.argv[1],'w').close()\nwhile True: time.sleep(0.05)"
        proc = subprocess.Popen(
            [
                *shell,
                WRAPPER,
                str(attempt),
                str(attempt),
                "",
                "1",
                "10",
                PY,
                "-c",
                code,
                str(started),
            ],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not started.exists():
            assert time.monotonic() < deadline, "the command never started"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert (attempt / "exit_code").read_text() == "143\n"

    def test_tools_not_taken_from_the_runs_path(self, shell: list[str], tmp_path: Path) -> None:
        """A run whose PATH holds none of sleep, sync and rm is still timed and recorded."""
        attempt = tmp_path / "a"
        attempt.mkdir()
        empty = tmp_path / "empty-bin"
        empty.mkdir()
        env = {**os.environ, "PATH": str(empty)}
        subprocess.run(
            [*shell, WRAPPER, str(attempt), str(attempt), "0.3", "0.3", "10", PY, "-c", "pass"],
            start_new_session=True,
            env=env,
            check=True,
            timeout=30,
        )
        assert (attempt / "exit_code").read_text() == "0\n"
        assert not (attempt / "timed_out").exists()

    def test_one_writer_at_the_end_of_the_grace(self, shell: list[str], tmp_path: Path) -> None:
        """
        A command that catches SIGTERM and exits as the grace ends races the timer's SIGKILL:
        exit_code is still one whole code and nothing complains about vanished files.
        """
        code = (
            "import signal,sys,time\n"
            "signal.signal(signal.SIGTERM, lambda *a: (time.sleep(0.2), sys.exit(7)))\n"
            "time.sleep(30)"
        )
        for k in range(4):
            attempt = tmp_path / f"a{k}"
            # The timeout leaves Python time to start and install its handler even on a
            # loaded machine (else SIGTERM's default action ends it: 143, not the race).
            result = wrap(shell, attempt, [PY, "-c", code], timeout="1.0", grace="0.2")
            assert (attempt / "exit_code").read_text() in ("7\n", "137\n")
            assert "mv:" not in result.stderr and "sync:" not in result.stderr
            assert gone(int((attempt / "pid").read_text()))

    def test_shell_notices_stay_out_of_the_log(self, shell: list[str], tmp_path: Path) -> None:
        """
        The shell's "Killed" notice never reaches the log: the OOM classifier reads it, and
        there "Killed" means the kernel's OOM killer.
        """
        code = "import os,signal; os.kill(os.getpid(), signal.SIGKILL)"
        result = wrap(shell, tmp_path / "a", [PY, "-c", code], timeout="60")
        assert (tmp_path / "a" / "exit_code").read_text() == "137\n"
        assert result.stderr == ""

    @pytest.mark.skipif(STRACE is None, reason="strace is not installed")
    @pytest.mark.parametrize(("sync_after", "synced"), [("10", False), ("0", True)])
    def test_helper_processes_only_to_fsync_a_long_runs_exit_code(
        self, shell: list[str], tmp_path: Path, sync_after: str, synced: bool
    ) -> None:
        """
        A run shorter than SYNC_AFTER costs no helper process (the shell writes pid, pid.start
        and exit_code itself: only the shell and the command are executed) and no fsync; one
        that ran SYNC_AFTER seconds or more has exit_code fsynced by `sync`.
        """
        attempt = tmp_path / "a"
        attempt.mkdir()
        trace = tmp_path / "trace"
        true = shutil.which("true")  # by path: busybox runs its own `true` without an exec
        assert true is not None
        subprocess.run(
            [STRACE, "-f", "-qq", "-e", "trace=execve,fsync,fdatasync", "-o", str(trace),
             *shell, WRAPPER, str(attempt), str(attempt), "", "1", sync_after, true],
            start_new_session=True, check=True, timeout=30,
        )  # fmt: skip
        calls = [line.split(None, 1)[1] for line in trace.read_text().splitlines()]
        programs = [c.split('"')[1] for c in calls if c.startswith("execve(") and c.endswith("0")]
        fsyncs = [c for c in calls if c.startswith(("fsync(", "fdatasync("))]
        assert programs[0] == shell[0] and programs[1].endswith("/true"), programs
        helpers = [os.path.basename(program) for program in programs[2:]]
        # busybox runs its own `sync` applet without an exec: the fsync is what counts.
        assert set(helpers) <= ({"sync"} if synced else set()), helpers
        assert bool(fsyncs) is synced, calls
        assert (attempt / "exit_code").read_text() == "0\n"
        assert (attempt / "pid").read_text().strip().isdigit()
