"""
Reading Linux ``/proc`` to tell whether a launched process (group) is still ours and alive.

A pid alone is not an identity: after a process exits the kernel may give its pid to another
one. Every launch therefore records the process's start time (field 22 of ``/proc/<pid>/stat``,
in clock ticks since boot); a pid whose start time differs is someone else. A zombie (state
``Z``) or dead (``X``) process has finished and counts as gone even before its parent reaps it.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from bridge.value_methods import value_methods

__all__ = [
    "ProcStat",
    "group_alive",
    "group_members",
    "process_alive",
    "read_stat",
    "started_with",
]

_PROC = Path("/proc")
_DEAD_STATES = frozenset({"Z", "X", "x"})


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ProcStat:
    """
    The fields of ``/proc/<pid>/stat`` that liveness checks need.

    Attributes:
        pid: the process id.
        state: the one-letter state (``R``, ``S``, ``D``, ``Z``, ...).
        pgid: the process group id.
        start_ticks: the start time in clock ticks since boot, as text (an identity, not a time).
    """

    pid: int
    state: str
    pgid: int
    start_ticks: str

    @property
    def finished(self) -> bool:
        """
        True for a zombie or dead process: it ran to its end and only awaits reaping.
        """
        return self.state in _DEAD_STATES


def read_stat(pid: int) -> ProcStat | None:
    """
    Read ``/proc/<pid>/stat``.

    Args:
        pid: the process id.

    Returns:
        The parsed fields, or ``None`` when no such process exists (or it vanished mid-read).
    """
    try:
        text = (_PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) sits in parentheses and may itself hold spaces or ')'.
    close = text.rfind(")")
    if close < 0:
        return None
    rest = text[close + 2 :].split()
    if len(rest) < 20:
        return None
    return ProcStat(pid=pid, state=rest[0], pgid=int(rest[2]), start_ticks=rest[19])


def process_alive(pid: int, start_ticks: str) -> bool:
    """
    Return True when ``pid`` is the very process that started at ``start_ticks`` and it has
    not finished (a zombie counts as finished).
    """
    stat = read_stat(pid)
    return stat is not None and stat.start_ticks == start_ticks and not stat.finished


def group_members(pgid: int) -> tuple[int, ...]:
    """
    Return the pids of the unfinished processes in process group ``pgid`` (zombies excluded).
    """
    members: list[int] = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = read_stat(int(entry.name))
        if stat is not None and stat.pgid == pgid and not stat.finished:
            members.append(stat.pid)
    return tuple(members)


def group_alive(leader: int, start_ticks: str) -> bool:
    """
    Return True when the process group that ``leader`` (started at ``start_ticks``) created
    still has an unfinished member.

    The kernel never hands out a pid that is still some group's id, so while any member of our
    group lives, the id ``leader`` is ours. If a process with pid ``leader`` exists but started
    at another time, our group emptied and the id was reused: the group is gone.
    """
    stat = read_stat(leader)
    if stat is not None and stat.start_ticks != start_ticks:
        return False
    return bool(group_members(leader))


def started_with(arguments: tuple[str, ...]) -> bool:
    """
    Return True when an unfinished process of this user was started with ``arguments`` right
    after its program (``argv[1:]`` begins with them), as ``/proc/<pid>/cmdline`` shows.

    This tells a launch whose process exists but has not yet recorded its pid from one that
    never started: the wrapper's arguments name its attempt directory, which no other process
    is given.
    """
    wanted = b"\0".join(a.encode() for a in arguments) + b"\0"
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        program_end = cmdline.find(b"\0")
        if program_end < 0 or not cmdline[program_end + 1 :].startswith(wanted):
            continue
        stat = read_stat(int(entry.name))
        if stat is not None and not stat.finished:
            return True
    return False
