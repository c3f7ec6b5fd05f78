"""
The commands that read the log: ``bridge diagram``, ``log``, ``replay``, ``rebuild`` and
``verify`` (thin, as every handler: :mod:`bridge.pipeline.audit` does the work).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bridge.cli.parser import Parsed
from bridge.cli.project import (
    EXIT_FAILURE,
    EXIT_OK,
    folded_state,
    new_console,
    out,
    overrides,
    project_root,
    resolve_run,
)
from bridge.errors import InputError
from bridge.lazy_patterns import LazyPattern, lazy
from bridge.pipeline.root import find_root

__all__ = ["diagram", "log", "rebuild", "replay", "verify"]

# Rows read as stored that verify names one by one: an old log may hold one per timed-out run.
_NOTES_SHOWN = 20


def diagram(args: Parsed) -> int:
    """``bridge diagram``: Mermaid, with the current stage marked when there is a project log."""
    from bridge.pipeline.audit import db_path
    from bridge.projections.diagram import mermaid

    overrides(args)
    start = Path(args.project or ".")
    if not start.exists():
        raise InputError(f"--project {args.project}: no such file or directory")
    root = find_root(start)  # outside a project: the machine without a marked stage
    stage = folded_state(root).stage if root is not None and db_path(root).exists() else None
    out(mermaid(stage))
    return EXIT_OK


def log(args: Parsed) -> int:
    """``bridge log``: one line per event (``--json``: one object per line)."""
    from bridge.pipeline.audit import open_store, timeline

    root = project_root(args)
    overrides(args)
    run_id = resolve_run(args.run, folded_state(root).runs) if args.run else None
    store = open_store(root)
    try:
        for row in timeline(store, run=run_id):
            if args.json:
                out(json.dumps(row, ensure_ascii=False, sort_keys=True))
                continue
            data = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
            at = row["recorded_at"][:19].replace("T", " ")
            out(f"{row['seq']:>6} {at} {row['stream']:<12} {row['type']:<22} {data}")
    finally:
        store.close()
    return EXIT_OK


def replay(args: Parsed) -> int:
    """``bridge replay --at SEQ --out DIR``: the projections as they were after SEQ."""
    from bridge.pipeline.audit import open_store
    from bridge.pipeline.audit import replay as replay_at

    root = project_root(args)
    overrides(args)
    target = _replay_folder(Path(args.out), root)
    store = open_store(root)
    try:
        last = store.head()
        if not 1 <= args.at <= last:
            raise InputError(f"--at {args.at}: the log's events are numbered 1 to {last}")
        try:
            paths = replay_at(store, args.at, target)
        except OSError as exc:
            raise InputError(f"--out {args.out}: cannot write there: {exc.strerror}") from exc
    finally:
        store.close()
    for path in paths:
        out(f"wrote {path}")
    return EXIT_OK


def _replay_folder(given: Path, root: Path) -> Path:
    """
    The folder ``bridge replay`` writes into: not the project itself, not its ``.bridge``, and
    not a file. A folder inside the project is fine: the past files go under it.

    Raises:
        InputError: ``given`` is the project (the past tracker, results and manifest would
            overwrite the live ones, which a running ``bridge run`` also writes), inside
            ``.bridge`` (bridge's own folder) or ``refine-logs`` (the researcher's), or an
            existing file.
    """
    target = given.expanduser().resolve()
    project = root.resolve()
    own = (project / ".bridge").resolve()  # a .bridge linked to another disk too
    if target == project:
        raise InputError(
            f"--out {given}: that is the project {project} itself; replay writes the tracker, "
            "results and manifest as they were, which would overwrite the live ones. Choose "
            "another folder (e.g. /tmp/replay)"
        )
    if target == own or own in target.parents:
        raise InputError(f"--out {given}: that is inside {own}, bridge's own folder")
    plans = (project / "refine-logs").resolve()
    if target == plans or plans in target.parents:
        # The researcher's plan folder: a past tracker and results there read as theirs.
        raise InputError(
            f"--out {given}: that is inside {plans}, the folder of the plan, tracker and "
            "results; choose a folder of its own (e.g. /tmp/replay)"
        )
    if target.exists() and not target.is_dir():
        raise InputError(f"--out {given}: that is a file, not a folder")
    return target


def rebuild(args: Parsed) -> int:
    """``bridge rebuild``: every projection file rewritten from the log."""
    import time

    from bridge.cli.handlers import kept_copies
    from bridge.pipeline.audit import open_store
    from bridge.pipeline.audit import rebuild as rebuild_from
    from bridge.projections.text import language_of

    root = project_root(args)
    overrides(args)
    store = open_store(root)
    started = time.time()
    try:
        state = rebuild_from(store, root)
    finally:
        store.close()
    zh = language_of(state) == "zh"
    # In the plan's language, as `bridge run` speaks (018, 025 read English here; trial t14).
    out(
        f"已根据 {state.events} 个事件重建产出文件（seq {state.last_seq}）"
        if zh
        else f"rebuilt projections from {state.events} events (seq {state.last_seq})"
    )
    # An edit of the tracker that no command has read yet is rewritten from the log here; the
    # copy kept of it is said, as `bridge run` says it.
    for line in kept_copies(root, started, language_of(state)):
        out(line)
    tracker = state.plan.sources.get("tracker", "") if state.plan is not None else ""
    last = next((o.sha256 for o in reversed(state.outputs) if o.path == tracker), None)
    if tracker and last is not None and (root / tracker).is_file():
        from bridge.adapters.digests import file_sha256

        if file_sha256(root / tracker) != last:
            out(
                f"{tracker} 含有尚未被任何命令读取的修改：保持你写的样子"
                "（下一次 `bridge run` 会读取）"
                if zh
                else f"{tracker} holds an edit no command has read yet: left as you wrote it "
                "(the next `bridge run` reads it)"
            )
    return EXIT_OK


# A drifted file's kind and detail in Chinese (the details audit.py and the projection
# writer give); a detail not here stays as written.
_DRIFT_KINDS = {
    "missing": "缺失",
    "modified": "已修改",
    "behind": "落后于日志",
    "source-missing": "来源缺失",
    "source-changed": "来源已变",
    "input-changed": "输入已变",
}
_DRIFT_DETAILS: tuple[tuple[re.Pattern[str] | LazyPattern, str], ...] = (
    (lazy(r"differs from the log$"), "与日志不符"),
    (lazy(r"differs from its record$"), "与其记录不符"),
    (
        lazy(r"is bridge's last write, made before the latest events; the next bridge "
                   r"command rewrites it$"),
        "是 bridge 上次写入的，早于最新事件；下一个 bridge 命令会重写它",
    ),
    (lazy(r"metrics of (.+) came from it$"), r"\1 的指标来自它"),
    (lazy(r"sha256 (\w+) ≠ (\w+) recorded for (.+)$"), r"sha256 \1 ≠ 为 \3 记录的 \2"),
    (
        lazy(r"outputs of (\S+) changed since (\S+) read them: sha256 (\w+) ≠ (\w+)$"),
        r"\1 的输出在 \2 读取之后已改变：sha256 \3 ≠ \4",
    ),
)  # fmt: skip


def _drift_words(kind: str, detail: str, zh: bool) -> tuple[str, str]:
    """A drift's kind and detail as `bridge verify` prints them, in Chinese for a Chinese plan."""
    if not zh:
        return kind, detail
    for pattern, chinese in _DRIFT_DETAILS:
        if pattern.match(detail):
            detail = pattern.sub(chinese, detail)
            break
    return _DRIFT_KINDS.get(kind, kind), detail


def verify(args: Parsed) -> int:
    """``bridge verify``: the hash chain, and the files on disk against the log."""
    from bridge.cli.console import styled
    from bridge.cli.handlers import run_active
    from bridge.pipeline.audit import open_store
    from bridge.pipeline.audit import verify as verify_log
    from bridge.plan.overview import counted
    from bridge.projections.writer import HELD_EDIT

    root = project_root(args)
    overrides(args)
    store = open_store(root, check=False)
    try:
        report = verify_log(store, root)
    finally:
        store.close()
    console = new_console()
    for problem in report.problems:
        console.print(styled("damaged log:", "red", f" {problem}"))
    if report.triggers_restored:
        console.print("append-only triggers were missing; every row verified, so they are restored")
    if report.triggers_removed:
        removed = report.triggers_removed
        console.print(
            f"{counted(len(removed), 'trigger')} bridge did not create "
            f"{'was' if len(removed) == 1 else 'were'} on the events table "
            f"({', '.join(removed)}); every row verified, so "
            f"{'it is' if len(removed) == 1 else 'they are'} removed and bridge's own are in place"
        )
    # The log's language is known only once it folds: a broken chain is said in English.
    zh = report.language == "zh"
    if report.bad_seq is not None:
        console.print(styled(f"hash chain broken at seq {report.bad_seq}", "red"))
        return EXIT_FAILURE
    if report.undecodable is not None:
        seq, why = report.undecodable
        console.print(styled(f"row {seq}:", "red", f" {why}; the hash chain is intact"))
        return EXIT_FAILURE
    if report.problems:
        return EXIT_FAILURE
    for seq, note in report.as_stored[:_NOTES_SHOWN]:
        # Written by an older bridge, which took int and bool fields as stored: a note, since
        # the chain holds and the row is read as it always was (exit 0 when nothing else).
        console.print(f"注：seq {seq}：{note}" if zh else f"note: seq {seq}: {note}")
    if len(report.as_stored) > _NOTES_SHOWN:
        more = len(report.as_stored) - _NOTES_SHOWN
        console.print(
            f"注：另有 {more} 行同类记录，按存储内容读取"
            if zh
            else f"note: {counted(more, 'more row')} of that kind, read as stored"
        )
    for seq, why in report.bad_snapshots:
        said, fix = (
            (f"seq {seq} 处的快照与日志不符：", "；已删除（下一个快照取自日志）")
            if zh
            else (
                f"snapshot at seq {seq} disagrees with the log:",
                "; removed (the next snapshot is taken from the log)",
            )
        )
        console.print(styled(said, "red", f" {why}{fix}"))
    if report.snapshots_other_version:
        # Another bridge's snapshots (a fold version or state shape of its own): no damage, a
        # note, as a researcher who upgraded bridge reads it (exit 0 when nothing else).
        other = report.snapshots_other_version
        console.print(
            f"注：{other} 个快照由另一版本的 bridge 生成，不会被读取；没有任何损坏"
            "（状态由日志重新得出，下一个快照会替换它们）"
            if zh
            else f"note: {counted(other, 'snapshot')} taken by another version of bridge "
            f"{'is' if other == 1 else 'are'} not read; nothing is damaged (the state is "
            f"folded from the log, and the next snapshot replaces {'it' if other == 1 else 'them'})"
        )
    # While a `bridge run` goes, its projections trail the log until its next refresh: that is
    # not drift. Without one, a file behind the log is reported (the next command rewrites it).
    active = run_active(root)
    writing = [d for d in report.drift if active and d.kind == "behind"]
    # The researcher's tracker edit, not yet read: said, and no failure (the next run reads it).
    edited = [d for d in report.drift if d.kind == "edited"]
    # Files another version of bridge laid out (a log carried over an upgrade): one note for
    # all of them, and no failure (a researcher read "behind the log … the next command
    # rewrites it", exit 1, as damage, and no command but `bridge rebuild` rewrote them).
    older = [d for d in report.drift if d.kind == "older"]
    if older:
        named = ("、" if zh else ", ").join(d.path for d in older)
        one = len(older) == 1
        it, was = ("it", "was") if one else ("them", "were")
        console.print(
            f"注：{named} 由另一版本的 bridge（升级前的版本）写出，格式与当前版本不同；没有任何"
            "损坏：文件正是 bridge 写出的内容，日志保有其中的一切。`bridge rebuild` 会按当前版本"
            f"重写{'它' if one else '它们'}"
            if zh
            else f"note: {named} {was} written by another version of bridge (the one before an "
            f"upgrade), which lays {it} out differently; nothing is damaged: "
            f"{'it is' if one else 'they are'} exactly what bridge wrote, and the log holds "
            f"everything in {it}. `bridge rebuild` rewrites {it} in this version's layout"
        )
    for drift in report.drift:
        if drift in older:
            continue  # said above, all in one note
        if drift in edited and zh and drift.detail == HELD_EDIT:
            console.print(
                f"你的修改：{drift.path} 含有你对 bridge 整体写出的追踪表的修改：保持你写的样子，"
                "不再更新（把笔记移到你自己的文件并删除它，bridge 会重新写出）"
            )
        elif drift in edited:
            console.print(
                f"你的修改：{drift.path} 含有尚未被任何命令读取的修改（下一次 `bridge run` 会读取）"
                if zh
                else f"your edit: {drift.path} {drift.detail}"
            )
        elif drift in writing:
            console.print(
                f"正在写入：{drift.path}（有 bridge run 正在运行）"
                if zh
                else f"being written: {drift.path} (a bridge run is active)"
            )
        else:
            kind, detail = _drift_words(drift.kind, drift.detail, zh)
            said = f"{drift.path} {detail}".rstrip()
            console.print(
                styled(f"{kind}：" if zh else f"{kind}:", "red", said if zh else f" {said}")
            )
    if len(writing) + len(edited) + len(older) < len(report.drift) or report.bad_snapshots:
        return EXIT_FAILURE
    agreed = report.snapshots_agreed
    if zh:
        files = (
            "产出文件是 bridge 自己写的，正在运行的 bridge run 会把它们更新到最新"
            if writing
            else f"产出文件是 bridge 自己写的（{len(older)} 个为旧版格式）"
            if older
            else "产出文件与日志一致"
        )
        snapshots = f"，{agreed} 个快照一致" if agreed else ""
        console.print(f"正常：{report.events} 个事件，哈希链完整{snapshots}，{files}")
        return EXIT_OK
    snapshots = {0: "", 1: ", 1 snapshot agrees"}.get(agreed, f", {agreed} snapshots agree")
    files = (
        "projections are bridge's own, the active bridge run brings them up to date"
        if writing
        else f"projections are bridge's own ({len(older)} in another version's layout)"
        if older
        else "projections match the log"
    )
    console.print(f"ok: {report.events} events, hash chain intact{snapshots}, {files}")
    return EXIT_OK
