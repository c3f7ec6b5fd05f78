"""
The self-review checks shared by ``ExistingCode`` and ``ChecklistReviewer``.

They read the code, never run it: each run's entry script is found from its command and parsed
with :mod:`ast`; its argparse options (and those of the project modules it imports) are compared
with the hyperparameters the plan's setup text names. Every finding carries a stable ``check`` id:

``script.missing`` (BLOCKING)
    the command names a Python script or module that does not exist.
``script.syntax`` (BLOCKING)
    the entry script does not parse.
``entry.unknown`` (NON-BLOCKING)
    the command has no Python entry point, so nothing below could be checked for it.
``params.missing`` (NON-BLOCKING)
    a hyperparameter named in a block's setup is neither an argparse option nor in any command.
``seed.uncontrolled`` (NON-BLOCKING)
    no ``--seed`` option and no seed in the command.
``outputs.undeclared`` (NON-BLOCKING)
    the script writes no JSON or CSV (no ``json.dump``, ``csv.writer``, ``.to_csv``, no ``.json``
    or ``.csv`` path) and the command names none.
``eval.model_labels`` (NON-BLOCKING)
    evaluation may score against another model's outputs instead of ground truth: a labels-like
    option, variable or command argument (``labels``, ``gold``, ``targets``, ``y_true``,
    ``references``…) is given a teacher's, pseudo-labels' or predictions' file or value. Named
    with file and line.

Hyperparameter and seed misses are NON-BLOCKING on purpose: the names come from free text in the
plan, so a miss may be a naming mismatch; the reviewer (or a person) judges. A hyperparameter
counts as configurable under any of its usual spellings (``learning_rate`` by ``--lr``; see
:mod:`bridge.plan.hyperparams`). The ground-truth check is a heuristic over names, so it is
NON-BLOCKING too: scoring a student against its teacher is sometimes the point (distillation
fidelity), and only a person can tell. A missing script is
BLOCKING because the run cannot start at all.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from bridge.lazy_patterns import lazy
from bridge.machine.ports import Finding, Severity
from bridge.plan.hyperparams import spellings_of
from bridge.plan.setting_fields import did_you_mean
from bridge.value_methods import value_methods

__all__ = [
    "EntryPoint",
    "ScriptFacts",
    "check_commands",
    "find_entry",
    "normalise_name",
    "read_script",
]

_MAX_MODULES = 64  # bound on project modules followed through imports from one entry script
_OUTPUT_CALLS = frozenset({"dump", "writer", "DictWriter", "to_csv", "to_json", "savetxt"})
_OUTPUT_SUFFIXES = (".json", ".jsonl", ".csv")
_PYTHON = lazy(r"^(python|python3(\.\d+)?|py)$")
# A name in the role of ground truth, and a source that is some model's output.
_TRUTH_ROLE = lazy(
    r"(?:^|_)(?:labels?|gold|ground_?truth|gt|targets?|references?|refs?|answers?|y_true|truth)"
    r"(?:$|_)"
)
_MODEL_SOURCE = lazy(
    r"teacher|pseudo[_-]?labels?|silver|distill|predictions?|(?:^|[_/.-])preds?(?:$|[_/.-])"
    r"|model[_-]?outputs?|generated",
    re.IGNORECASE,
)
_MODEL_NAME = lazy(r"teacher|pseudo[_-]?labels?|silver|distill", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """
    Return ``name`` in the form options and hyperparameters are compared in.

    Leading dashes go, case folds, and ``-`` or spaces become ``_``: ``--Learning-Rate`` and
    ``learning rate`` both give ``learning_rate``.
    """
    return re.sub(r"[-\s]+", "_", name.strip().lstrip("-").strip().lower())


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class EntryPoint:
    """
    The Python code a command runs.

    Attributes:
        run_id: the run whose command this is.
        shown: the script or module as the command names it (for messages).
        path: where it resolves in the project, or ``None`` when it does not exist.
    """

    run_id: str
    shown: str
    path: Path | None


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScriptFacts:
    """
    What the AST of an entry script (and the project modules it imports) says.

    Attributes:
        options: normalised argparse option names and ``dest`` names.
        writes_tabular: True when the code writes JSON or CSV.
        syntax_error: ``file:line: message`` when a file does not parse, else ``""``.
        syntax_line: the line of that syntax error, if any.
        model_labels: ``(file, line, code)`` where a labels-like name takes another model's
            outputs (the ``eval.model_labels`` heuristic).
    """

    options: frozenset[str]
    writes_tabular: bool
    model_labels: tuple[tuple[str, int, str], ...] = ()
    syntax_error: str = ""
    syntax_line: int | None = None


def find_entry(run_id: str, argv: Sequence[str], roots: Sequence[Path]) -> EntryPoint | None:
    """
    Find the Python entry point of a command.

    The first argument ending in ``.py`` is the script (this covers ``python x.py``,
    ``torchrun x.py`` and ``accelerate launch x.py``); otherwise ``python -m pkg.mod`` names a
    module, resolved to ``pkg/mod.py`` or ``pkg/mod/__main__.py``.

    Args:
        run_id: the run the command belongs to.
        argv: the rendered command.
        roots: directories to resolve relative paths against, in order (the project first).

    Returns:
        The entry point (``path`` is ``None`` when it does not exist), or ``None`` when the
        command runs no Python code this check can see.
    """
    for arg in argv:
        if arg.endswith(".py") and not arg.startswith("-"):
            return EntryPoint(run_id=run_id, shown=arg, path=_resolve(Path(arg), roots))
    for i, arg in enumerate(argv[:-1]):
        if arg == "-m" and i > 0 and _PYTHON.match(Path(argv[i - 1]).name):
            module = argv[i + 1]
            base = Path(*module.split("."))
            candidates = (base.with_suffix(".py"), base / "__main__.py")
            for candidate in candidates:
                found = _resolve(candidate, roots)
                if found is not None:
                    return EntryPoint(run_id=run_id, shown=f"-m {module}", path=found)
            return EntryPoint(run_id=run_id, shown=f"-m {module}", path=None)
    return None


def _resolve(path: Path, roots: Sequence[Path]) -> Path | None:
    if path.is_absolute():
        return path if path.is_file() else None
    for root in roots:
        candidate = root / path
        if candidate.is_file():
            return candidate
    return None


def read_script(path: Path, project: Path) -> ScriptFacts:
    """
    Parse ``path`` and the project modules it imports, collecting argparse options and outputs.

    Imports are followed when they resolve to a file beside the script or under ``project``
    (``import config`` → ``config.py``, ``from pkg.args import x`` → ``pkg/args.py``), at most
    64 files; installed packages are not read.

    Args:
        path: the entry script.
        project: the project root (imports resolve against it too; messages are relative to it).

    Returns:
        The facts. A file that does not parse is reported in ``syntax_error``, not raised.
    """
    options: set[str] = set()
    writes = False
    model_labels: list[tuple[str, int, str]] = []
    seen: set[Path] = set()
    queue = [path]
    while queue and len(seen) < _MAX_MODULES:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        try:
            tree = ast.parse(current.read_text(encoding="utf-8", errors="replace"), str(current))
        except SyntaxError as err:
            shown = _show(current, project)
            where = f"{shown}:{err.lineno}" if err.lineno else shown
            return ScriptFacts(
                options=frozenset(options),
                writes_tabular=writes,
                syntax_error=f"{where}: {err.msg}",
                syntax_line=err.lineno if current == path else None,
            )
        options |= _options(tree)
        writes = writes or _writes_tabular(tree)
        shown = _show(current, project)
        model_labels.extend((shown, line, code) for line, code in _model_labels(tree))
        queue.extend(_local_imports(tree, current.parent, (path.parent, project)))
    return ScriptFacts(
        options=frozenset(options), writes_tabular=writes, model_labels=tuple(model_labels)
    )


def _show(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _options(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        # add_argument is argparse; option is click/typer's decorator, which names options alike.
        if name not in {"add_argument", "option"}:
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(normalise_name(arg.value))
        for keyword in node.keywords:
            if keyword.arg == "dest" and isinstance(keyword.value, ast.Constant):
                found.add(normalise_name(str(keyword.value.value)))
    found.discard("")
    return found


def _truth_role(name: str) -> bool:
    return _TRUTH_ROLE.search(normalise_name(name)) is not None


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _names(node: ast.AST) -> list[str]:
    found = []
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            found.append(n.id)
        elif isinstance(n, ast.Attribute):
            found.append(n.attr)
    return found


def _target_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Tuple | ast.List):
        return [name for elt in node.elts for name in _target_names(elt)]
    return []


def _model_labels(tree: ast.AST) -> Iterable[tuple[int, str]]:
    """
    Lines where a name in the role of ground truth is fed another model's outputs.

    Three shapes: an argparse option whose name or ``dest`` is labels-like with a default
    path that is a teacher's, pseudo-labels' or predictions' file (or whose own name says
    ``--teacher-labels``); an assignment to a labels-like name from a teacher or pseudo-label
    value or path.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name != "add_argument":
                continue
            flags = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            defaults = [k.value for k in node.keywords if k.arg == "default"]
            for flag in flags:
                own = normalise_name(flag)
                if not _truth_role(own):
                    continue
                if _MODEL_NAME.search(own) or any(
                    _MODEL_SOURCE.search(s) for d in defaults for s in _strings(d)
                ):
                    yield node.lineno, ast.unparse(node)[:120]
                    break
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = [n for t in targets for n in _target_names(t) if _truth_role(n)]
            if not named or node.value is None:
                continue
            value = node.value
            if any(_MODEL_NAME.search(n) for n in _names(value)) or any(
                _MODEL_SOURCE.search(s) for s in _strings(value)
            ):
                yield node.lineno, f"{named[0]} = {ast.unparse(value)[:80]}"


def _argv_model_labels(argv: Sequence[str]) -> list[str]:
    """
    Command arguments that hand a labels-like option another model's outputs:
    ``--labels out/teacher_preds.jsonl`` or ``--gold=pseudo_labels.json``.
    """
    found = []
    for i, arg in enumerate(argv):
        if not arg.startswith("-"):
            continue
        flag, _, inline = arg.partition("=")
        value = inline or (argv[i + 1] if i + 1 < len(argv) else "")
        if _truth_role(flag) and value and _MODEL_SOURCE.search(value):
            found.append(f"{flag} {value}")
    return found


def _writes_tabular(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.lower().endswith(_OUTPUT_SUFFIXES):
                return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _OUTPUT_CALLS
        ):
            return True
    return False


def _local_imports(tree: ast.AST, here: Path, roots: Sequence[Path]) -> Iterable[Path]:
    for node in ast.walk(tree):
        names: list[str] = []
        bases = roots
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.parent
                bases = (base,)
            module = node.module or ""
            names = [f"{module}.{alias.name}" if module else alias.name for alias in node.names]
            if module:
                names.append(module)
        for name in names:
            parts = Path(*name.split("."))
            for base in bases:
                for candidate in (base / parts.with_suffix(".py"), base / parts / "__init__.py"):
                    if candidate.is_file():
                        yield candidate


def _command_names(argv: Sequence[str]) -> set[str]:
    """
    Names a command sets: ``--lr 0.1``, ``--lr=0.1``, ``lr=0.1`` (Hydra style) and ``{lr}``.
    """
    names: set[str] = set()
    for arg in argv:
        names.update(normalise_name(m) for m in re.findall(r"\{([A-Za-z_][\w.-]*)\}", arg))
        if arg.startswith("-"):
            names.add(normalise_name(arg.split("=", 1)[0]))
        elif "=" in arg:
            key = arg.split("=", 1)[0].lstrip("+~")
            names.add(normalise_name(key.rsplit(".", 1)[-1]))
    names.discard("")
    return names


def check_commands(
    project: Path,
    commands: Mapping[str, Sequence[str]],
    setup_params: Mapping[str, Sequence[str]],
    *,
    extra_roots: Sequence[Path] = (),
) -> tuple[Finding, ...]:
    """
    Run every check over the runs' commands and return the findings, in a stable order.

    Hyperparameters are checked per block against the union of every entry script's options
    and every command's names, because a block's runs may share one script.

    Args:
        project: the project root; relative script paths resolve against it first.
        commands: run id → rendered argv.
        setup_params: block id → hyperparameter names its setup text names.
        extra_roots: further directories to resolve scripts against (``base_repo/``).

    Returns:
        The findings; empty when everything checked out.
    """
    roots = (project, *extra_roots)
    findings: list[Finding] = []
    all_options: set[str] = set()
    facts_by_path: dict[Path, ScriptFacts] = {}
    for run_id in sorted(commands):
        argv = tuple(commands[run_id])
        command_names = _command_names(argv)
        all_options |= command_names
        entry = find_entry(run_id, argv, roots)
        if entry is None:
            findings.append(
                Finding(
                    severity=Severity.NON_BLOCKING,
                    # Shell-quoted: a `sh -c '…'` script shown joined by spaces read as `sh -c git`.
                    message=f"{run_id}: the command `{shlex.join(argv)}` runs no Python script "
                    "or module that can be checked",
                    check="entry.unknown",
                )
            )
            continue
        if entry.path is None:
            findings.append(
                Finding(
                    severity=Severity.BLOCKING,
                    message=f"{run_id}: the script {entry.shown} does not exist in the "
                    f"project{_closest_script(entry.shown, roots)}",
                    file=entry.shown,
                    check="script.missing",
                )
            )
            continue
        shown = _show(entry.path, project)
        if entry.path not in facts_by_path:
            facts_by_path[entry.path] = read_script(entry.path, project)
        facts = facts_by_path[entry.path]
        all_options |= facts.options
        if facts.syntax_error:
            findings.append(
                Finding(
                    severity=Severity.BLOCKING,
                    message=f"{run_id}: {facts.syntax_error}",
                    file=shown,
                    line=facts.syntax_line,
                    check="script.syntax",
                )
            )
            continue
        if not any("seed" in name for name in facts.options | command_names):
            findings.append(
                Finding(
                    severity=Severity.NON_BLOCKING,
                    message=f"{run_id}: the seed is not controllable: {shown} has no --seed "
                    "option and the command sets no seed",
                    file=shown,
                    check="seed.uncontrolled",
                )
            )
        hits: list[tuple[str, int | None, str]] = list(facts.model_labels)
        hits += [(shown, None, f"the command passes {text}") for text in _argv_model_labels(argv)]
        for file, line, code in hits:
            where = f"{file}:{line}" if line else file
            findings.append(
                Finding(
                    severity=Severity.NON_BLOCKING,
                    message=f"{run_id}: evaluation may score against another model's outputs, "
                    f"not ground truth ({where}: {code}); check that the labels come from the "
                    "data set",
                    file=file,
                    line=line,
                    check="eval.model_labels",
                )
            )
        if not facts.writes_tabular and not any(
            arg.lower().endswith(_OUTPUT_SUFFIXES) for arg in argv
        ):
            findings.append(
                Finding(
                    severity=Severity.NON_BLOCKING,
                    message=f"{run_id}: {shown} declares no JSON or CSV output, so its metrics "
                    "cannot be collected",
                    file=shown,
                    check="outputs.undeclared",
                )
            )
    findings = _merged_across_runs(findings, commands)
    for block_id in sorted(setup_params):
        missing = [name for name in setup_params[block_id] if not spellings_of(name) & all_options]
        if missing:
            findings.append(
                Finding(
                    severity=Severity.NON_BLOCKING,
                    message=f"{block_id}: hyperparameters named in the setup are not "
                    f"configurable (no argparse option or command placeholder): "
                    f"{', '.join(missing)}",
                    check="params.missing",
                )
            )
    return tuple(findings)


def _merged_across_runs(
    findings: Sequence[Finding], commands: Mapping[str, Sequence[str]]
) -> list[Finding]:
    """
    One finding for what several runs share: ``R001, R002, …: the script … does not exist``
    instead of the same sentence once per run (twenty runs of one missing script gave twenty
    lines and "20 blocking findings"). Every run stays named, in the order of ``commands`` (the
    plan's); findings that differ in anything but the run keep apart.
    """
    groups: dict[tuple[object, ...], list[str]] = {}
    firsts: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        run_id, sep, rest = finding.message.partition(": ")
        if not sep or run_id not in commands:
            key: tuple[object, ...] = (id(finding),)
            run_id = ""
        else:
            key = (finding.severity, finding.check, finding.file, finding.line, rest)
        groups.setdefault(key, [])
        if run_id:
            groups[key].append(run_id)
        firsts.setdefault(key, finding)
    order = {run_id: index for index, run_id in enumerate(commands)}
    merged = []
    for key, first in firsts.items():
        runs = sorted(groups[key], key=lambda run_id: order[run_id])
        if len(runs) <= 1:
            merged.append(first)
            continue
        rest = first.message.partition(": ")[2]
        merged.append(attrs.evolve(first, message=f"{', '.join(runs)}: {rest}"))
    return merged


def _closest_script(shown: str, roots: Sequence[Path]) -> str:
    """``"; did you mean 'scripts/train.py'?"``: the Python files beside where a missing script
    was looked for, the closest by name (a typo in the command), or ``""``."""
    named = Path(shown)
    if named.is_absolute() or shown.startswith("-m "):
        return ""
    found: set[str] = set()
    for root in roots:
        folder = root / named.parent
        if folder.is_dir():
            found |= {p.stem for p in folder.glob("*.py")}
    # Names compared without folder or suffix: what they share would make any two look alike.
    return did_you_mean(
        named.stem, sorted(found), lambda n: repr((named.parent / f"{n}.py").as_posix())
    )
