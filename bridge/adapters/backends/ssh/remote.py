"""
The shell scripts the SSH backend runs on a remote host, and the parsing of their answers.

Pure: these functions build strings and read strings; nothing here opens a connection. Every
value that comes from a plan, the configuration or an attempt goes through :func:`shlex.quote`
(fabric's ``env=`` does no quoting, so it is never used). Every script is wrapped in
``bash -c`` so that it means the same whatever the user's login shell is.

Remote layout, per attempt: the directory the backend names (``<remote_dir>/<place.path>/``) holding
``job.sh``, ``pid``, ``stdout.log``, ``stderr.log``, ``exit_code`` (written when the command
ends), ``cancelled`` and ``timed_out`` markers, and ``output/`` for the run's outputs.
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import shlex
from collections.abc import Mapping, Sequence

import attrs

from bridge.adapters.gpu import parse_nvidia_smi
from bridge.adapters.gpu_sampling import MARKERS, SAMPLER, GpuMemory, reading
from bridge.errors import BackendError
from bridge.lazy_patterns import lazy
from bridge.machine.ports import GpuInfo
from bridge.plan.safe_ids import SAFE_ID_RULE, is_safe_id

__all__ = [
    "RemoteStatus",
    "bash",
    "cancel_script",
    "changed_script",
    "check_name",
    "find_script",
    "gpu_memory",
    "handed_exports",
    "job_script",
    "launch_script",
    "parse_gpus",
    "parse_status",
    "probe_script",
    "remove_scratch_script",
    "scratch_path",
    "status_script",
]

TAIL_MARK = "@@bridge-log-tail@@"
_ENV_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Defined in every script that needs it: the wrapper is alive when /proc has it, it is not a
# zombie (PID 1 may reap slowly, so kill -0 is not enough), and its command line names this
# attempt's job.sh (guards against pid reuse).
_ALIVE_FN = (
    'bridge_alive() { [ -n "$1" ] && [ -d "/proc/$1" ] || return 1; '
    'case "$(ps -o stat= -p "$1" 2>/dev/null)" in Z*|"") return 1;; esac; '
    "tr '\\0' '\\n' < \"/proc/$1/cmdline\" 2>/dev/null | grep -qxF -- \"$2/job.sh\"; }\n"
)


def bash(script: str) -> str:
    """
    Return a command line that runs ``script`` with bash, whatever the login shell is.
    """
    return "bash -c " + shlex.quote(script)


def check_name(value: str, what: str) -> str:
    """
    Return ``value`` when it is a safe id (:mod:`bridge.plan.safe_ids`), else raise.

    Raises:
        BackendError: the value is not a safe id (empty, ``.``/``..``, a ``/``, NUL, newline,
            space or shell metacharacter, or more than 128 characters).
    """
    if not is_safe_id(value):
        raise BackendError(f"{what} {value!r} cannot name a remote directory: use {SAFE_ID_RULE}")
    return value


def scratch_path(root: str, runs_dir: str, run_id: str, attempt_id: str) -> str:
    """
    Return an attempt's scratch directory ``<root>-<8 hex of runs_dir>/<run_id>/<attempt_id>``
    (one folder per project: two projects' attempts, or two users' on a shared ``/tmp``, never
    meet). No I/O: the job creates it.
    """
    tag = hashlib.sha256(runs_dir.encode()).hexdigest()[:8]
    return posixpath.join(
        f"{root}-{tag}", check_name(run_id, "run id"), check_name(attempt_id, "attempt id")
    )


def remove_scratch_script(path: str) -> str:
    """
    Return a script removing the scratch directory ``path`` and all in it, then its run's and
    project's folders when they are left empty; nothing when it is already gone.
    """
    p = shlex.quote(path)
    return (
        f'rm -rf -- {p} || {{ echo "cannot remove {p}"; exit 0; }}\n'
        f'rmdir -- "$(dirname -- {p})" 2>/dev/null && '
        f'rmdir -- "$(dirname -- "$(dirname -- {p})")" 2>/dev/null\n'
        "exit 0\n"
    )


def job_script(
    *,
    attempt: str,
    workdir: str,
    setup: str,
    argv: Sequence[str],
    env: Mapping[str, str],
    timeout_seconds: float | None,
    kill_grace_seconds: float,
    scratch: str = "",
) -> str:
    """
    Return the body of ``job.sh``: enter ``workdir``, create ``scratch`` (private to the user;
    when given), run ``setup``, run ``argv`` with ``env``, then write ``exit_code`` atomically
    (and ``timed_out`` when the time limit stopped it).

    Raises:
        BackendError: ``argv`` is empty or an environment variable name is not valid.
    """
    if not argv:
        raise BackendError("the run's command is empty")
    a = shlex.quote(attempt)
    lines = [
        f"A={a}",
        # The job records its own pid first: a launcher cut off right after `&` must not leave
        # a running job that looks like a launch that never happened (it would run twice).
        'echo "$$" > "$A/pid.tmp" && mv -f "$A/pid.tmp" "$A/pid"',
        # The GPU sampler stops before the exit code is written: a reader that sees the exit
        # code sees the final peak.
        'bridge_finish() { [ -n "${BRIDGE_GPU_SAMPLER:-}" ] && kill "$BRIDGE_GPU_SAMPLER" '
        '2>/dev/null; printf \'%s\\n\' "$1" > "$A/exit_code.tmp" '
        '&& mv -f "$A/exit_code.tmp" "$A/exit_code"; exit "$1"; }',
        SAMPLER.rstrip("\n"),
        f"cd -- {shlex.quote(workdir)} || {{ echo 'bridge: cannot enter the working directory' "
        f"{shlex.quote(workdir)} >&2; bridge_finish 126; }}",
    ]
    if scratch:
        # The project's scratch folder may sit in a shared /tmp: it must be this user's own
        # real directory (mode 700) before anything is made inside it, or nobody else could
        # have planted a link there.
        s = shlex.quote(scratch)
        top = shlex.quote(posixpath.dirname(posixpath.dirname(scratch)))
        lines.append(
            f"mkdir -m 700 -- {top} 2>/dev/null; "
            f"if [ -d {top} ] && [ ! -L {top} ] && [ -O {top} ]; then "
            f"mkdir -p -m 700 -- {s}; fi; [ -d {s} ] && [ -O {s} ] || "
            f"{{ echo 'bridge: cannot create the scratch directory' {s} "
            "'(its folder must be a directory of this user)' >&2; bridge_finish 126; }"
        )
    if setup.strip():
        lines += [
            "{",
            setup,
            "}",
            "rc=$?",
            'if [ "$rc" -ne 0 ]; then echo "bridge: the setup line failed with exit code $rc" '
            '>&2; bridge_finish "$rc"; fi',
        ]
    for name, value in env.items():
        if not _ENV_NAME.match(name):
            raise BackendError(f"environment variable name {name!r} is not valid")
        lines.append(f"export {name}={shlex.quote(value)}")
    command = " ".join(shlex.quote(a) for a in argv)
    lines.append('bridge_gpu_sampler "$$"')
    if timeout_seconds is None:
        lines += [command, "rc=$?"]
    else:
        limit = f"{timeout_seconds:.3f}"
        grace = f"{kill_grace_seconds:.3f}"
        lines += [
            "SECONDS=0",
            f"timeout -s TERM -k {grace} {limit} {command}",
            "rc=$?",
            # 124: TERM stopped it; 137: KILL after the grace. The elapsed time tells these
            # apart from a command that exits 124 on its own.
            f'if {{ [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }} && '
            f'[ "$SECONDS" -ge {math.floor(timeout_seconds)} ]; then : > "$A/timed_out"; fi',
        ]
    lines.append('bridge_finish "$rc"')
    return "\n".join(lines) + "\n"


def launch_script(*, attempt: str, job: str, handed: bool = False) -> str:
    """
    Return the launch script: create the attempt directory atomically and start ``job``
    detached, or report the existing launch.

    With ``handed``, the script's standard input carries ``export`` lines (see
    :func:`handed_exports`) that it runs before starting the job, so the job inherits those
    variables without their values being written to ``job.sh`` or shown in a command line.

    The answer is ``launched PID`` or ``existing PID`` (PID may be empty when an earlier launch
    was cut off before it started the process). Setup steps end in ``|| exit`` rather than
    ``&&`` so only the job is backgrounded and the call returns at once.
    """
    a = shlex.quote(attempt)
    return (
        # The whole input is read first, whichever way the script ends: an earlier launch
        # ("existing") must not leave the sender writing to a closed channel.
        ("bridge_handed=$(cat) || exit 1\n" if handed else "") + f"A={a}\n"
        'mkdir -p -- "$(dirname -- "$A")" || exit 1\n'
        'if ! mkdir -- "$A" 2>/dev/null; then echo "existing $(cat "$A/pid" 2>/dev/null)"; '
        "exit 0; fi\n"
        'mkdir -p -- "$A/output" || exit 1\n'
        f'printf "%s" {shlex.quote(job)} > "$A/job.sh" || exit 1\n'
        + ('eval "$bridge_handed" || exit 1\nunset bridge_handed\n' if handed else "")
        + 'nohup setsid bash "$A/job.sh" > "$A/stdout.log" 2> "$A/stderr.log" < /dev/null &\n'
        'echo "launched $!"\n'
    )


def handed_exports(env: Mapping[str, str]) -> str:
    """
    Return the ``export`` lines :func:`launch_script` reads from its standard input.

    Raises:
        BackendError: a variable name is not valid.
    """
    lines = []
    for name, value in env.items():
        if not _ENV_NAME.match(name):
            raise BackendError(f"environment variable name {name!r} is not valid")
        lines.append(f"export {name}={shlex.quote(value)}\n")
    return "".join(lines)


def status_script(attempt: str, *, tail_bytes: int = 4000) -> str:
    """
    Return a script printing ``key=value`` lines about the attempt, then the log tail.

    Liveness is read before the exit code: the wrapper writes ``exit_code`` before it exits,
    so "not alive and no exit code" can only mean it died without finishing.
    """
    return (
        _ALIVE_FN + f"A={shlex.quote(attempt)}\n"
        'if [ ! -d "$A" ]; then echo present=0; exit 0; fi\n'
        "echo present=1\n"
        'pid=$(cat "$A/pid" 2>/dev/null)\n'
        'if bridge_alive "$pid" "$A"; then echo alive=1; else echo alive=0; fi\n'
        'echo "pid=$pid"\n'
        '[ -f "$A/exit_code" ] && echo "exit_code=$(cat "$A/exit_code")"\n'
        '[ -e "$A/cancelled" ] && echo cancelled=1\n'
        '[ -e "$A/timed_out" ] && echo timed_out=1\n'
        'echo "age=$(( $(date +%s) - $(stat -c %Y "$A") ))"\n'
        + _MARKER_LINES
        + f"echo {TAIL_MARK}\n"
        f'tail -c {tail_bytes} "$A/stdout.log" 2>/dev/null\n'
        f'tail -c {tail_bytes} "$A/stderr.log" 2>/dev/null\n'
        "exit 0\n"
    )


# Prints ``name=content`` for each GPU sampler marker the attempt directory holds.
_MARKER_LINES = "".join(
    f'[ -f "$A/{name}" ] && echo "{name}=$(head -c 300 "$A/{name}")"\n' for name in MARKERS
)


def gpu_memory(values: Mapping[str, str]) -> GpuMemory:
    """
    Read the GPU sampler's markers from ``name=content`` values (missing names: not there).
    """
    return reading(*(values.get(name, "") for name in MARKERS))


@attrs.frozen(kw_only=True)
class RemoteStatus:
    """
    What :func:`status_script` reported.
    """

    present: bool
    alive: bool = False
    pid: str = ""
    exit_code: int | None = None
    cancelled: bool = False
    timed_out: bool = False
    age_seconds: int = 0
    log_tail: str = ""
    gpu: GpuMemory = attrs.field(factory=GpuMemory)


def parse_status(text: str) -> RemoteStatus:
    """
    Read the output of :func:`status_script`.

    Raises:
        BackendError: the output is not what the script prints (a broken remote shell).
    """
    head, _, tail = text.partition(TAIL_MARK + "\n")
    values: dict[str, str] = {}
    for line in head.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    if "present" not in values:
        raise BackendError(f"unexpected answer from the remote status check: {text[:200]!r}")
    exit_code: int | None = None
    if values.get("exit_code", "") != "":
        try:
            exit_code = int(values["exit_code"])
        except ValueError:
            raise BackendError(
                f"unreadable exit_code marker on the remote: {values['exit_code']!r}"
            ) from None
    age = values.get("age", "0")
    return RemoteStatus(
        present=values["present"] == "1",
        alive=values.get("alive") == "1",
        pid=values.get("pid", ""),
        exit_code=exit_code,
        cancelled=values.get("cancelled") == "1",
        timed_out=values.get("timed_out") == "1",
        age_seconds=int(age) if age.lstrip("-").isdigit() else 0,
        log_tail=tail,
        gpu=gpu_memory(values),
    )


def cancel_script(attempt: str, *, grace_seconds: float) -> str:
    """
    Return the cancel script: write ``cancelled`` (unless the run already finished), TERM the
    wrapper's process group and every process of its session, KILL what is left after
    ``grace_seconds``.

    The session is killed as well as the group because ``timeout`` moves the command into a
    process group of its own.
    """
    return (
        f"A={shlex.quote(attempt)}\n"
        '[ -d "$A" ] || exit 0\n'
        '[ -e "$A/exit_code" ] && exit 0\n'
        ': > "$A/cancelled"\n'
        'pid=$(cat "$A/pid" 2>/dev/null)\n'
        'case "$pid" in ""|*[!0-9]*) exit 0;; esac\n'
        "members() { ps -e -o pid= -o sid= -o stat= | "
        "awk -v s=\"$pid\" '$2==s && $3 !~ /^Z/ {print $1}'; }\n"
        'kill -TERM -- "-$pid" 2>/dev/null\n'
        "members | xargs -r kill -TERM 2>/dev/null\n"
        f"end=$(( $(date +%s) + {math.ceil(grace_seconds)} ))\n"
        'while [ -n "$(members)" ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.1; done\n'
        'kill -KILL -- "-$pid" 2>/dev/null\n'
        "members | xargs -r kill -KILL 2>/dev/null\n"
        "exit 0\n"
    )


def find_script(attempt: str) -> str:
    """
    Return a script printing ``<attempt dir>\\t<pid>`` when the attempt directory ``attempt``
    exists, and nothing when it does not.
    """
    return (
        f"d={shlex.quote(attempt)}; "
        '[ -d "$d" ] && printf "%s\\t%s\\n" "$d" "$(cat "$d/pid" 2>/dev/null)"; '
        "exit 0\n"
    )


def changed_script(attempts: Sequence[tuple[str, str]]) -> str:
    """
    Return a script printing ``changed`` when any of ``(attempt dir, pid)`` has finished or
    its process is gone.
    """
    checks = "".join(
        f"A={shlex.quote(a)}; P={shlex.quote(p)}; "
        '{ [ -e "$A/exit_code" ] || ! bridge_alive "$P" "$A"; } && { echo changed; exit 0; }\n'
        for a, p in attempts
    )
    return _ALIVE_FN + checks + "exit 0\n"


PROBE_GPUS = "@@gpus@@"
PROBE_NO_NVIDIA_SMI = "@@no-nvidia-smi@@"
PROBE_SETUP_FAILED = "@@setup-failed@@"
PROBE_REMOTE_DIR = "@@remote-dir-unusable@@"
PROBE_SMI_FAILED = "@@nvidia-smi-failed@@"


def probe_script(*, remote_dir: str, setup: str) -> str:
    """
    Return the preflight script: run ``setup`` (its output goes to stderr), make sure
    ``remote_dir`` exists and is writable, and list the GPUs with ``nvidia-smi``.
    """
    r = shlex.quote(remote_dir)
    setup_part = f"{{\n{setup}\n}} >&2 || {{ echo {PROBE_SETUP_FAILED} $?; exit 0; }}\n"
    return (
        (setup_part if setup.strip() else "")
        + f"mkdir -p -- {r} && [ -w {r} ] || {{ echo {PROBE_REMOTE_DIR}; exit 0; }}\n"
        "if command -v nvidia-smi >/dev/null 2>&1; then "
        f"echo {PROBE_GPUS}; "
        "nvidia-smi --query-gpu=index,memory.used,memory.total --format=csv,noheader,nounits "
        f"|| echo {PROBE_SMI_FAILED} $?; "
        f"else echo {PROBE_NO_NVIDIA_SMI}; fi\n"
    )


def parse_gpus(text: str) -> tuple[GpuInfo, ...]:
    """
    Read the remote ``nvidia-smi`` query with the same parser as the local probe.

    Raises:
        BackendError: the output is not what the query prints.
    """
    return parse_nvidia_smi(text)
