"""
The shell scripts the Slurm backend runs (here or on the login node), and the reading of their
answers. Pure: these functions build and parse strings; nothing here runs a command.

Every value from a plan, the configuration or an attempt goes through :func:`shlex.quote`.
Per attempt, the directory the backend names (``<dir>/<place.path>/``) holds ``job.sh`` (the
batch script), ``job_id`` (written after ``sbatch`` answered), ``started`` (written by the job
itself, holding ``$SLURM_JOB_ID``), ``stdout.log``, ``stderr.log``, ``exit_code`` (written by
the job when the command ends), the ``cancelled`` and ``timed_out`` markers, and ``output/``.
"""

from __future__ import annotations

import hashlib
import math
import shlex
from collections.abc import Mapping, Sequence

import attrs

from bridge.adapters.backends.ssh import remote
from bridge.adapters.gpu_sampling import MARKERS, GpuMemory
from bridge.errors import BackendError
from bridge.machine.ports import JobState, JobStatus

__all__ = [
    "Markers",
    "QueueEntry",
    "Snapshot",
    "batch_script",
    "cancel_script",
    "find_script",
    "job_name",
    "jobs_script",
    "parse_jobs",
    "parse_snapshot",
    "preflight_script",
    "resource_args",
    "sbatch_argv",
    "snapshot_script",
    "state_of",
    "submit_script",
    "tail_script",
]

#: Slurm states in which the job has not started (``squeue``'s long names).
WAITING = frozenset({"PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED"})
#: Slurm states in which the job's processes may be alive.
ACTIVE = frozenset(
    {"RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESIZING"}
)
#: Ended without the node or the scheduler keeping the job: retried as lost.
VANISHED = frozenset({"NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "REVOKED"})

_QUEUE = "@@queue"
_QUEUE_RC = "@@queue-rc="
_ATTEMPT = "@@attempt "
_FIELDS = "%i|%j|%T|%r"


def job_name(directory: str, attempt_id: str) -> str:
    """
    Return the job name of an attempt: ``bridge.<attempt id>.<8 hex of the runs directory>``,
    so two projects' attempts ``R001-a1`` never share a name.

    Raises:
        BackendError: the attempt id holds a character Slurm's name filter cannot carry.
    """
    remote.check_name(attempt_id, "attempt id")
    if any(c in attempt_id for c in ",| \t"):
        raise BackendError(
            f"attempt id {attempt_id!r} cannot name a Slurm job (no ',', '|', blank)"
        )
    return f"bridge.{attempt_id}.{directory_tag(directory)}"


def directory_tag(directory: str) -> str:
    """
    The 8 hex digits that tie a job name to one project's runs directory.
    """
    return hashlib.sha256(directory.encode()).hexdigest()[:8]


def batch_script(
    *,
    attempt: str,
    workdir: str,
    modules: Sequence[str],
    setup: Sequence[str],
    argv: Sequence[str],
    env: Mapping[str, str],
    timeout_seconds: float | None,
    kill_grace_seconds: float,
    scratch: str = "",
) -> str:
    """
    Return ``job.sh``: record ``$SLURM_JOB_ID`` in ``started``, then the SSH backend's job body
    (enter ``workdir``, create ``scratch`` when given, load ``modules``, run ``setup``, run
    ``argv`` under ``timeout``, write ``exit_code`` and ``timed_out``), so exit codes and
    timeouts mean what they mean there.
    """
    a = shlex.quote(attempt)
    lines = [f"module load {shlex.quote(m)}" for m in modules] + list(setup)
    body = remote.job_script(
        attempt=attempt,
        workdir=workdir,
        setup="\n".join(lines),
        argv=argv,
        env=env,
        timeout_seconds=timeout_seconds,
        kill_grace_seconds=kill_grace_seconds,
        scratch=scratch,
    )
    return (
        "#!/bin/bash\n"
        f"printf '%s\\n' \"${{SLURM_JOB_ID:-}}\" > {a}/started.tmp && mv -f {a}/started.tmp "
        f"{a}/started\n" + body
    )


def _slurm_path(path: str) -> str:
    # sbatch reads %j, %x, ... in --output/--error as patterns; %% is a literal %.
    return path.replace("%", "%%")


def sbatch_argv(
    *, attempt: str, name: str, resources: Sequence[str], extra: Sequence[str]
) -> list[str]:
    """
    Return the ``sbatch`` argv for one attempt: name, logs, ``resources`` (from
    :func:`resource_args`), the user's ``extra`` arguments, and the script path last.
    """
    return [
        "sbatch",
        "--parsable",
        f"--job-name={name}",
        f"--output={_slurm_path(attempt)}/stdout.log",
        f"--error={_slurm_path(attempt)}/stderr.log",
        f"--chdir={attempt}",
        *resources,
        *extra,
        f"{attempt}/job.sh",
    ]


def resource_args(
    *,
    partition: str,
    account: str,
    qos: str,
    gpus: int,
    gpu_flag: str,
    cpus_per_task: int | None,
    mem: str,
    timeout_seconds: float | None,
    kill_grace_seconds: float,
) -> list[str]:
    """
    Return where and with what a job runs: partition, account, qos, time, GPUs, CPUs, memory.

    ``--time`` is the run's timeout (plus the kill grace) rounded up to minutes plus one, so the
    job's own timer (which writes ``timed_out`` and the exit code) stops the command first;
    Slurm's limit is the backstop.
    """
    argv = _common(partition=partition, account=account, qos=qos)
    if timeout_seconds is not None:
        argv.append(f"--time={math.ceil((timeout_seconds + kill_grace_seconds) / 60.0) + 1}")
    if gpus > 0:
        argv.append(f"--gres=gpu:{gpus}" if gpu_flag == "gres" else f"--gpus={gpus}")
    if cpus_per_task is not None:
        argv.append(f"--cpus-per-task={cpus_per_task}")
    if mem:
        argv.append(f"--mem={mem}")
    return argv


def _common(*, partition: str, account: str, qos: str) -> list[str]:
    argv = []
    if partition:
        argv.append(f"--partition={partition}")
    if account:
        argv.append(f"--account={account}")
    if qos:
        argv.append(f"--qos={qos}")
    return argv


def _squeue(names: Sequence[str]) -> str:
    return (
        f"squeue -h --states=all -o {shlex.quote(_FIELDS)} -n {shlex.quote(','.join(names))}"
        if names
        else ":"
    )


def submit_script(*, attempt: str, name: str, job: str, argv: Sequence[str]) -> str:
    """
    Return the submit script: under a lock on the attempt, answer ``@@existing JOBID`` when
    Slurm or the ``job_id`` marker knows the attempt, else write ``job.sh``, run ``sbatch`` and
    answer ``@@submitted JOBID``; ``@@rejected`` then sbatch's message when it refused;
    ``@@error`` then why when Slurm could not be asked.
    """
    a = shlex.quote(attempt)
    n = shlex.quote(name)
    sbatch = " ".join(shlex.quote(x) for x in argv)
    return (
        f"A={a}\n"
        'mkdir -p -- "$A/output" || { echo "@@error"; echo "cannot create $A"; exit 0; }\n'
        # Two submits of one attempt (a restarted bridge while the first is still in sbatch)
        # take turns, so the second sees the first's job.
        'exec 9>>"$A/submit.lock"; command -v flock >/dev/null && flock -w 120 9\n'
        f"q=$(squeue -h --states=all -o %i -n {n} 2>&1) || "
        '{ echo "@@error"; echo "$q"; exit 0; }\n'
        'id=$(printf "%s\\n" "$q" | head -n 1)\n'
        'if [ -n "$id" ]; then echo "@@existing $id"; exit 0; fi\n'
        'if [ -s "$A/job_id" ]; then echo "@@existing $(cat "$A/job_id")"; exit 0; fi\n'
        'rm -f -- "$A/exit_code" "$A/cancelled" "$A/timed_out" "$A/started"\n'
        f"printf '%s' {shlex.quote(job)} > \"$A/job.sh\" || "
        '{ echo "@@error"; echo "cannot write $A/job.sh"; exit 0; }\n'
        f'out=$({sbatch} 2>"$A/sbatch.err"); rc=$?\n'
        'if [ "$rc" -ne 0 ]; then echo "@@rejected"; cat "$A/sbatch.err"; exit 0; fi\n'
        'id=$(printf "%s\\n" "$out" | tail -n 1); id=${id%%;*}\n'
        'printf \'%s\\n\' "$id" > "$A/job_id.tmp" && mv -f "$A/job_id.tmp" "$A/job_id"\n'
        'echo "@@submitted $id"\n'
    )


def find_script(*, attempt: str, name: str) -> str:
    """
    Return a script printing ``@@queue JOBID`` when Slurm knows a job called ``name`` (or
    ``@@error`` then why when Slurm cannot be asked), and ``@@dir PATH\\tJOBID`` when the
    attempt directory ``attempt`` exists (JOBID from its ``job_id`` or ``started`` marker).
    """
    return (
        f"q=$(squeue -h --states=all -o %i -n {shlex.quote(name)} 2>&1) || "
        '{ echo "@@error"; echo "$q"; exit 0; }\n'
        'id=$(printf "%s\\n" "$q" | head -n 1)\n'
        '[ -n "$id" ] && echo "@@queue $id"\n'
        f"d={shlex.quote(attempt)}\n"
        'if [ -d "$d" ]; then '
        'j=$(cat "$d/job_id" 2>/dev/null || cat "$d/started" 2>/dev/null); '
        'printf "@@dir %s\\t%s\\n" "$d" "$j"; fi\n'
        "exit 0\n"
    )


@attrs.frozen(kw_only=True)
class QueueEntry:
    """
    One line of ``squeue``: the job id, its name, its state and Slurm's reason.
    """

    job_id: str
    name: str
    state: str
    reason: str = ""


@attrs.frozen(kw_only=True)
class Markers:
    """
    What an attempt directory holds.
    """

    present: bool
    exit_code: int | None = None
    cancelled: bool = False
    timed_out: bool = False
    started: bool = False
    gpu: GpuMemory = attrs.field(factory=GpuMemory)


@attrs.frozen(kw_only=True)
class Snapshot:
    """
    One poll round: the queue (``None`` when ``squeue`` failed, with its message in ``error``)
    and the markers of each attempt directory asked about.
    """

    queue: Mapping[str, QueueEntry] | None
    markers: Mapping[str, Markers]
    error: str = ""


def snapshot_script(names: Sequence[str], attempts: Sequence[str]) -> str:
    """
    Return the script of one poll round: one ``squeue`` for every job in ``names``, then the
    markers of each attempt directory in ``attempts``.
    """
    checks = "".join(
        f"A={shlex.quote(a)}; echo {shlex.quote(_ATTEMPT + a)}; "
        'if [ -d "$A" ]; then echo present=1; '
        '[ -f "$A/exit_code" ] && echo "exit_code=$(cat "$A/exit_code")"; '
        '[ -e "$A/cancelled" ] && echo cancelled=1; '
        '[ -e "$A/timed_out" ] && echo timed_out=1; '
        '[ -e "$A/started" ] && echo started=1; '
        + "".join(f'[ -f "$A/{m}" ] && echo "{m}=$(head -c 300 "$A/{m}")"; ' for m in MARKERS)
        + "fi\n"
        for a in attempts
    )
    return f"echo {_QUEUE}\n{_squeue(names)} 2>&1; echo; echo {_QUEUE_RC}$?\n" + checks + "exit 0\n"


def parse_jobs(text: str) -> dict[str, QueueEntry]:
    """
    Read ``squeue -o '%i|%j|%T|%r'`` lines into entries by job name (the newest job wins).
    """
    entries: dict[str, QueueEntry] = {}
    for line in text.splitlines():
        parts = line.strip().split("|")
        if len(parts) < 3 or not parts[0]:
            continue
        entry = QueueEntry(
            job_id=parts[0], name=parts[1], state=parts[2], reason="|".join(parts[3:])
        )
        old = entries.get(entry.name)
        if old is None or _job_number(entry.job_id) > _job_number(old.job_id):
            entries[entry.name] = entry
    return entries


def _job_number(job_id: str) -> int:
    head = job_id.split("_")[0]
    return int(head) if head.isdigit() else -1


def parse_snapshot(text: str) -> Snapshot:
    """
    Read the output of :func:`snapshot_script`.

    Raises:
        BackendError: the output is not what the script prints (a broken shell).
    """
    if _QUEUE not in text or _QUEUE_RC not in text:
        raise BackendError(f"unexpected answer from the Slurm status check: {text[:300]!r}")
    head, _, rest = text.partition(_QUEUE_RC)
    queue_text = head.split(_QUEUE, 1)[1]
    rc_line, _, rest = rest.partition("\n")
    markers: dict[str, Markers] = {}
    for block in rest.split(_ATTEMPT)[1:]:
        path, _, body = block.partition("\n")
        values = dict(line.split("=", 1) for line in body.splitlines() if "=" in line)
        code = values.get("exit_code", "").strip()
        markers[path] = Markers(
            present=values.get("present") == "1",
            exit_code=int(code) if code.lstrip("-").isdigit() else None,
            cancelled=values.get("cancelled") == "1",
            timed_out=values.get("timed_out") == "1",
            started=values.get("started") == "1",
            gpu=remote.gpu_memory(values),
        )
    if rc_line.strip() != "0":
        return Snapshot(queue=None, markers=markers, error=queue_text.strip()[-500:])
    return Snapshot(queue=parse_jobs(queue_text), markers=markers)


def state_of(entry: QueueEntry | None, markers: Markers, log_tail: str = "") -> JobState:
    """
    Map Slurm's word on a job and the markers its script wrote to a ``JobState`` (the one table
    of this backend's states), with the GPU memory the job's sampler recorded. The markers win:
    they are what the job itself recorded.
    """
    gpu = markers.gpu
    return attrs.evolve(
        _status_of(entry, markers, log_tail),
        gpu_memory_peak_mib=gpu.peak_mib,
        gpu_memory_total_mib=gpu.total_mib,
        gpu_memory_unmeasured=gpu.unmeasured,
    )


def _status_of(entry: QueueEntry | None, markers: Markers, log_tail: str) -> JobState:
    slurm = f"Slurm job {entry.job_id} is {entry.state}" if entry else ""
    if markers.exit_code is not None:
        code = markers.exit_code
        if markers.cancelled:
            return JobState(status=JobStatus.CANCELLED, exit_code=code, log_tail=log_tail)
        if markers.timed_out:
            return JobState(status=JobStatus.TIMED_OUT, exit_code=code, log_tail=log_tail)
        if entry is not None and entry.state in ("TIMEOUT", "DEADLINE"):
            # Slurm's TERM reached the script after the command ended (or the command trapped
            # it and exited): the exit code is Slurm's doing, not the run's.
            return JobState(
                status=JobStatus.TIMED_OUT,
                exit_code=code,
                detail=f"{slurm}: Slurm's time limit stopped it",
                log_tail=log_tail,
            )
        status = JobStatus.SUCCEEDED if code == 0 else JobStatus.FAILED
        if entry is not None and entry.state == "OUT_OF_MEMORY":
            return _out_of_memory(entry, code, log_tail)
        return JobState(status=status, exit_code=code, log_tail=log_tail)
    if entry is not None:
        state = entry.state
        if state in WAITING:
            why = entry.reason if entry.reason and entry.reason != "None" else ""
            reason = f" ({why})" if why else ""
            return JobState(
                status=JobStatus.QUEUED,
                detail=f"{slurm}{reason}",
                waiting=f"Slurm {entry.state.lower()}: {why}" if why else "",
            )
        if state in ACTIVE:
            return JobState(status=JobStatus.RUNNING, detail=slurm, log_tail=log_tail)
        if state == "CANCELLED":
            who = "by bridge" if markers.cancelled else "in Slurm (scancel)"
            return JobState(
                status=JobStatus.CANCELLED, detail=f"{slurm}: cancelled {who}", log_tail=log_tail
            )
        if state in ("TIMEOUT", "DEADLINE"):
            return JobState(
                status=JobStatus.TIMED_OUT,
                detail=f"{slurm}: Slurm's time limit stopped it",
                log_tail=log_tail,
            )
        if state == "OUT_OF_MEMORY":
            return _out_of_memory(entry, None, log_tail)
        if state in VANISHED:
            return JobState(
                status=JobStatus.LOST,
                detail=f"{slurm}: the node or the scheduler took the job away",
                log_tail=log_tail,
            )
        if state in ("COMPLETED", "FAILED"):
            return JobState(
                status=JobStatus.LOST,
                detail=f"{slurm} but the job wrote no exit code (its script was killed)",
                log_tail=log_tail,
            )
        return JobState(
            status=JobStatus.LOST,
            detail=f"{slurm}, a state bridge does not know",
            log_tail=log_tail,
        )
    if markers.cancelled:
        return JobState(status=JobStatus.CANCELLED, detail="cancelled by bridge", log_tail=log_tail)
    return JobState(
        status=JobStatus.LOST,
        detail="the job left Slurm's queue without writing an exit code",
        log_tail=log_tail,
    )


def _out_of_memory(entry: QueueEntry, code: int | None, log_tail: str) -> JobState:
    note = f"\nslurm: job {entry.job_id} ran out of memory (OUT_OF_MEMORY)\n"
    return JobState(
        status=JobStatus.FAILED,
        exit_code=code,
        detail=f"Slurm job {entry.job_id} is OUT_OF_MEMORY",
        log_tail=log_tail + note,
    )


def tail_script(attempt: str, *, tail_bytes: int = 4000) -> str:
    """
    Return a script printing the last ``tail_bytes`` of the attempt's stdout and stderr.
    """
    a = shlex.quote(attempt)
    return (
        f"tail -c {tail_bytes} {a}/stdout.log 2>/dev/null; "
        f"tail -c {tail_bytes} {a}/stderr.log 2>/dev/null; exit 0\n"
    )


def cancel_script(*, attempt: str, job_id: str) -> str:
    """
    Return the cancel script: nothing for an attempt that wrote its exit code; otherwise write
    ``cancelled``, then ``scancel`` the job (an already ended job is no error).
    """
    a = shlex.quote(attempt)
    return (
        f"A={a}\n"
        '[ -e "$A/exit_code" ] && exit 0\n'
        '[ -d "$A" ] && : > "$A/cancelled"\n'
        f"scancel {shlex.quote(job_id)} 2>&1 | grep -v 'Job has already finished' >&2\n"
        "exit 0\n"
    )


def jobs_script(directory: str) -> str:
    """
    Return a script listing every job of the user whose name ends in this runs directory's
    tag, as ``squeue`` lines (``@@error`` then why when Slurm cannot be asked).
    """
    tag = shlex.quote("." + directory_tag(directory))
    return (
        f'q=$(squeue -h -o {shlex.quote(_FIELDS)} -u "$(id -un)" 2>&1) || '
        '{ echo "@@error"; echo "$q"; exit 0; }\n'
        f'printf "%s\\n" "$q" | awk -F"|" -v t={tag} '
        "'substr($2, length($2) - length(t) + 1) == t'\n"
        "exit 0\n"
    )


def preflight_script(*, directory: str, partition: str, test_argv: Sequence[str]) -> str:
    """
    Return the preflight script: every Slurm command is on PATH, ``directory`` is writable, the
    partition exists (``sinfo -p``), and ``sbatch --test-only`` accepts the common arguments.
    It prints ``@@missing NAMES``, ``@@dir``, ``@@partition KNOWN`` or ``@@rejected`` then
    sbatch's message; ``@@ok`` when all is well.
    """
    d = shlex.quote(directory)
    part = (
        f'if [ -z "$(sinfo -h -p {shlex.quote(partition)} -o %P 2>/dev/null)" ]; then '
        'echo "@@partition $(sinfo -h -o %P 2>/dev/null | tr "\\n" " ")"; exit 0; fi\n'
        if partition
        else ""
    )
    test = " ".join(shlex.quote(x) for x in test_argv)
    return (
        "m=''; for c in sbatch squeue scancel sinfo; do "
        'command -v "$c" >/dev/null 2>&1 || m="$m $c"; done\n'
        'if [ -n "$m" ]; then echo "@@missing$m"; exit 0; fi\n'
        f"mkdir -p -- {d} && [ -w {d} ] || {{ echo @@dir; exit 0; }}\n"
        + part
        + f"out=$({test} 2>&1) || {{ echo @@rejected; printf '%s\\n' \"$out\"; exit 0; }}\n"
        "echo @@ok\n"
    )
