"""
Which runs the plan or tracker says wait for others: a ``Depends On`` column (011's milestone
tables ``| Run | Task | Depends On | Cost | Gate |``), the arrows of a dependency section (005's
``## Dependency graph``: ``M0: R001 -> R002 -> R003``) or a note (``after R003+R004``, ``depends
R006``, ``Can start after R008``) in a row's Notes, another of its cells or its section's
heading, and a cell naming its input (``postprocess from R005 + R011``). bridge runs
milestones in order, but within a milestone it would start every run at once; these make a run
wait for the runs it needs (``depends_on``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection, Sequence

from bridge.lazy_patterns import lazy
from bridge.plan.model import StatedDependency
from bridge.plan.text import Document, plain

__all__ = [
    "cell_dependencies",
    "dependency_ids",
    "from_dependencies",
    "graph_dependencies",
    "heading_dependencies",
    "note_dependencies",
    "table_dependencies",
    "waits_only_for",
]


# A header naming the column of what a run waits for.
_DEPENDS_HEADER = lazy(
    r"^(?:depends?(?:\s+on)?|dependenc(?:y|ies)|prerequisites?|prereqs?|requires|needs|after|"
    r"waits?\s+for|依赖|前置(?:条件)?)$",
    re.IGNORECASE,
)
# A note saying what the run waits for: "after R003+R004", "depends on R006 passing",
# "Can start after R008", "依赖 R006".
_ONE = r"[A-Za-z][\w.]{0,24}(?:-[\w.]{1,24}){0,4}"
_NOTE = lazy(
    r"(?:\bdepends?(?:\s+on)?|\bafter|\brequires|\bwaits?\s+for|依赖于?|等待)\s*[:：]?\s*"
    rf"(?P<ids>{_ONE}(?:\s*(?:[,+/&、]|\band\b|和)\s*{_ONE})*)",
    re.IGNORECASE,
)
# A Chinese note naming the runs first and the wait after them: "在 R001 之后运行",
# "R001 完成后再运行", "等 R001 完成后再跑", "仅在 R001 之后才运行". The id's characters are
# ASCII only: "R001完成后" has no space before 完成.
_ZH_ONE = r"[A-Za-z][A-Za-z0-9_.]{0,24}(?:-[A-Za-z0-9_.]{1,24}){0,4}"
_ZH_IDS = rf"(?<![A-Za-z0-9_.-])(?P<ids>{_ZH_ONE}(?:\s*(?:[,+/&、，]|和|与)\s*{_ZH_ONE})*)"
_DONE_ZH = r"(?:运行|跑)?\s*(?:完成|结束|跑完|运行完|成功|通过)"
_NOTE_ZH = lazy(
    rf"(?:(?:仅|只)?(?:在|等到?|待)\s*{_ZH_IDS}\s*(?:{_DONE_ZH})?\s*(?:之后|以后|后)"
    rf"|{_ZH_IDS.replace('ids', 'done')}\s*{_DONE_ZH}\s*(?:之后|以后|后))"
)
# The whole of a note (its first clause) that is such a wait and nothing else, the ids taken
# out (see waits_only_for): "仅在 R001 之后才运行" says no condition but that wait.
_WAIT_ONLY = lazy(
    rf"\W*(?:(?:仅|只)?(?:在|等待|等到?|待|依赖于?)\s*)?\x00\s*(?:{_DONE_ZH})?\s*(?:之后|以后|后)?"
    r"\s*(?:再|才)?\s*(?:开始|启动|运行|执行|跑)?\W*",
)
# A run id: letters then digits (``R003``, ``E02``, ``M0.1``), or a word in capitals
# (``R-ARCHIVE``, ``A``); the project's runs decide which name a run.
_ID = lazy(r"[A-Za-z][A-Za-z0-9_.]{0,24}(?:-[A-Za-z0-9_.]{1,24}){0,4}")
_RANGE = lazy(r"(?P<p>[A-Za-z]{1,4})(?P<a>\d{1,5})\s*[-–~]\s*(?P=p)?(?P<b>\d{1,5})\b")
_MAX_RANGE = 200


def dependency_ids(text: str) -> tuple[str, ...]:
    """
    The run ids a dependency cell or phrase names, in order: ``R001,R003,R004``; a range
    ``R003-R006`` is ``R003 … R006`` (same prefix and width); words (``K=1 data``, ``—``) name
    none.
    """
    found: list[str] = []
    position = 0
    text = plain(text)
    while position < len(text):
        ranged = _RANGE.match(text, position)
        if (
            ranged is not None
            and int(ranged["a"]) < int(ranged["b"]) <= int(ranged["a"]) + _MAX_RANGE
        ):
            width = len(ranged["a"])
            found += [
                f"{ranged['p']}{n:0{width}d}" for n in range(int(ranged["a"]), int(ranged["b"]) + 1)
            ]
            position = ranged.end()
            continue
        single = _ID.match(text, position)
        if single is not None and (position == 0 or not text[position - 1].isalnum()):
            word = single.group(0).rstrip(".")
            if any(c.isdigit() for c in word) or word.isupper():
                found.append(word)
            position = single.end()
            continue
        position += 1
    return tuple(dict.fromkeys(found))


def table_dependencies(doc: Document) -> list[StatedDependency]:
    """
    The rows of every table with a dependency column (``Depends On``, ``Prerequisites``,
    ``依赖``) whose cell names at least one id: the row's id is its first cell.
    """
    stated: list[StatedDependency] = []
    for table in doc.tables:
        column = next(
            (
                n
                for n, h in enumerate(table.header)
                if n and _DEPENDS_HEADER.match(plain(h).strip())
            ),
            None,
        )
        if column is None:
            continue
        for line, cells in table.rows:
            row = plain(cells[0]).strip("*` ").strip()
            said = plain(cells[column]).strip()
            on = tuple(i for i in dependency_ids(said) if i != row)
            if row and on:
                stated.append(StatedDependency(row=row, on=on, said=said, file=doc.file, line=line))
    return stated


def _noted(text: str) -> list[str]:
    """The ids a note's wait phrases name, in order: after the word (``after R003``, ``依赖
    R006``, ``等待 R001``) or before it (``在 R001 之后运行``, ``R001 完成后再运行``)."""
    return list(_noted_once(text))


@functools.lru_cache(maxsize=4096)
def _noted_once(text: str) -> tuple[str, ...]:
    # A tracker's cells repeat (a block's name, a system, a milestone on every row): each text
    # is read once per process.
    found = [(m.start(), m["ids"]) for m in _NOTE.finditer(text)]
    found += [(m.start(), m["ids"] or m["done"]) for m in _NOTE_ZH.finditer(text)]
    return tuple(i for _, ids in sorted(found) for i in dependency_ids(ids))


def waits_only_for(text: str, runs: Collection[str]) -> bool:
    """
    Whether ``text`` (a row's note) says, in its first clause, only that the run waits for
    ``runs`` (ids of runs it depends on): ``仅在 R001 之后才运行``, ``等 R001 完成后再跑``, ``等待
    R001``. Such a note is a wait bridge keeps, not a condition it cannot check; ``仅当 R001 的
    gate 通过后运行`` says more, and is one.
    """
    clause = re.split(r"[,;。，；]", plain(text), maxsplit=1)[0]
    named = [i for i in dependency_ids(clause) if i in runs]
    if not named:
        return False
    ids = "|".join(re.escape(i) for i in sorted(named, key=len, reverse=True))
    marked = re.sub(rf"(?<![A-Za-z0-9_.-])(?:{ids})(?![A-Za-z0-9_-])", "\x00", clause)
    marked = re.sub(r"\x00(?:\s*(?:[,+/&、]|和|与)\s*\x00)+", "\x00", marked)
    return _WAIT_ONLY.fullmatch(marked) is not None


def note_dependencies(row: str, notes: str, file: str, line: int) -> StatedDependency | None:
    """
    What a tracker row's Notes say the run waits for (``after R003+R004``, ``depends R006``,
    ``在 R001 之后运行``), or None.
    """
    ids = _noted(plain(notes))
    on = tuple(i for i in dict.fromkeys(ids) if i != row)
    if not on:
        return None
    return StatedDependency(row=row, on=on, said=plain(notes).strip(), file=file, line=line)


def cell_dependencies(
    row: str, cells: Sequence[str], runs: Collection[str], file: str, line: int
) -> StatedDependency | None:
    """
    What a tracker row's other free-text cells say the run waits for, as its Notes would
    (026's G7, "Queued after G6" in its File column), or None: only ids of ``runs`` (the
    tracker's rows), so a result ("+3pp after fixing A2") names no run unless it is one.
    ``cells`` are the row's cells but its id and Notes.
    """
    ids: list[str] = []
    said: list[str] = []
    for cell in cells:
        named = [i for i in _noted(plain(cell)) if i in runs]
        if named:
            ids += named
            said.append(plain(cell).strip())
    on = tuple(i for i in dict.fromkeys(ids) if i != row)
    if not on:
        return None
    return StatedDependency(row=row, on=on, said="; ".join(said), file=file, line=line)


def heading_dependencies(
    doc: Document, rows: Sequence[tuple[str, int]], runs: Collection[str]
) -> list[StatedDependency]:
    """
    What a section heading says its rows wait for (026's ``### GPU 1 Queue (`queue_gpu1.sh` —
    starts after P6)``): each of ``rows`` (run id, 1-based line in ``doc``) under such a
    heading waits for the ``runs`` it names, the nearest heading that names one deciding.
    """
    stated: list[StatedDependency] = []
    for run_id, line in rows:
        around = [h for h in doc.headings if h.index < line - 1 < h.end]
        for heading in sorted(around, key=lambda h: -h.level):
            found = cell_dependencies(run_id, (heading.text,), runs, doc.file, line)
            if found is not None:
                stated.append(found)
                break
    return stated


# A row's cell naming the runs whose outputs it takes: "postprocess from R005 + R011" (005's
# R013), "<from R006 W*>".
_FROM = lazy(rf"\bfrom\s+(?P<ids>{_ONE}(?:\s*(?:[,+/&、]|\band\b|和)\s*{_ONE})*)", re.IGNORECASE)


def from_dependencies(
    row: str, cells: Sequence[str], runs: Collection[str], file: str, line: int
) -> StatedDependency | None:
    """
    The runs a tracker row's own cells say it takes its input from (``postprocess from R005 +
    R011``), or None: only ids of ``runs`` (the tracker's rows) named right after "from", so a
    word ("from A100 nodes") is no run to wait for. Read beside a dependency column or arrow,
    which may leave such an input out (005's graph gave R013 only R012).
    """
    ids: list[str] = []
    for cell in cells:
        for match in _FROM.finditer(plain(cell)):
            ids += [i for i in dependency_ids(match["ids"]) if i in runs]
    on = tuple(i for i in dict.fromkeys(ids) if i != row)
    if not on:
        return None
    said = "; ".join(plain(c).strip() for c in cells if _FROM.search(plain(c)))
    return StatedDependency(row=row, on=on, said=said, file=file, line=line)


# A section that draws what waits for what: "## Dependency graph", "### Dependencies", "依赖关系".
_GRAPH_HEADING = lazy(r"\bdepend|依赖", re.IGNORECASE)
_ARROW = lazy(r"\s*(?:->|→|⇒|=>|-->|⟶)\s*")
_LABEL = lazy(r"^\s*[-*+]?\s*[\w.]{1,12}\s*[:：]\s+")


def graph_dependencies(doc: Document) -> list[StatedDependency]:
    """
    The arrows of every section whose heading says dependencies (``## Dependency graph``):
    in ``R004 -> R006 -> {R007, R008}``, R006 waits for R004 and R007 and R008 for R006. A line's
    label (``M2:``) is left out, ``;`` separates chains, and arrows elsewhere in the plan (``Stage
    A → Stage B`` in prose) are never read as dependencies.
    """
    stated: list[StatedDependency] = []
    for heading in doc.headings:
        if not _GRAPH_HEADING.search(plain(heading.text)):
            continue
        for offset, text in enumerate(doc.lines[heading.index + 1 : heading.end]):
            number = heading.index + 2 + offset
            # "(if R006 diverges -> rerun R005)" is an aside, not an order of runs.
            text = re.sub(r"[(（][^()（）]*[)）]", " ", text)
            for chain in re.split(r"[;；]", _LABEL.sub("", text)):
                steps = [dependency_ids(step) for step in _ARROW.split(chain)]
                for before, after in itertools.pairwise(steps):
                    for row in after:
                        on = tuple(i for i in before if i != row)
                        if on:
                            said = " ".join(chain.split())
                            stated.append(
                                StatedDependency(
                                    row=row, on=on, said=said, file=doc.file, line=number
                                )
                            )
    return stated
