"""
Ablation planning through a coding-agent or LLM command.

``[ablations]`` names a command (an argv list, run with no shell, placeholders as for agent
reviewers: ``{prompt_file}``, ``{reply_file}``, ``{project}``). The command is shown the plan and
the results, and answers with a JSON array of runs::

    [{"block": "B4", "system": "Method (no attention)", "seed": 0, "args": {"attn": "off"}}]

Each entry may carry ``id`` (else bridge numbers them ``A001`` …), ``purpose`` and ``args``
(extra placeholder values for the command template). Anything else is an error, never guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from bridge.adapters.implement.command import run_agent
from bridge.errors import ReviewError
from bridge.events.secrets import redact
from bridge.lazy_patterns import lazy
from bridge.machine.ports import AblationPlanner, AblationRequest, ProposedRun
from bridge.plan import setting_rules as rules
from bridge.plan.safe_ids import SAFE_ID_RULE, is_safe_id
from bridge.plan.setting_fields import setting
from bridge.plan.settings import Section

__all__ = [
    "AblationsConfig",
    "AgentCLIAblationPlanner",
    "build_ablation_planner",
    "parse_proposals",
]

_JSON_ARRAY = lazy(r"\[\s*(?:\{.*\}\s*)?\]", re.S)

PROMPT = """You plan ablation experiments for a research project whose main result is positive.

Propose the smallest set of ablation runs that shows which components of the proposed method
cause the gain. Use only systems that the project can run (listed below) or variants of them
that differ in command-line arguments. Answer with ONLY a JSON array, one object per run:
{{"block": "<block id>", "system": "<system name>", "seed": <int>, "purpose": "<why>",
  "args": {{"<placeholder>": "<value>"}}}}
Answer [] when no ablation is worth running.

## Systems the project can run
{systems}

## Run ids already taken
{taken}

## Plan
{plan}

## Results so far
{results}
"""


def parse_proposals(text: str, taken: Sequence[str]) -> tuple[ProposedRun, ...]:
    """
    Read the planner's JSON array into proposed runs, numbering those without an id.

    Raises:
        ReviewError: the reply holds no JSON array, or an entry is not of the documented shape.
    """
    match = _JSON_ARRAY.search(text)
    if match is None:
        raise ReviewError("the ablation planner's reply holds no JSON array of runs")
    try:
        items = json.loads(match.group(0))
    except json.JSONDecodeError as exc:
        raise ReviewError(f"the ablation planner's reply is not valid JSON: {exc}") from exc
    used = set(taken)
    runs: list[ProposedRun] = []
    counter = 0
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("system"), str):
            raise ReviewError(f'ablation proposal {n} needs at least a "system" string')
        run_id = item.get("id")
        if isinstance(run_id, str) and run_id and not is_safe_id(run_id):
            # The id names the run's folder and reaches its command: never a path or a word
            # a shell would read.
            raise ReviewError(f"ablation proposal {n}: id {run_id!r} is not usable: {SAFE_ID_RULE}")
        if not isinstance(run_id, str) or not run_id or run_id in used:
            counter += 1
            while f"A{counter:03d}" in used:
                counter += 1
            run_id = f"A{counter:03d}"
        used.add(run_id)
        seed = item.get("seed")
        args = item.get("args") or {}
        # type(), not isinstance(): `true` is an int to Python, and not a seed.
        if seed is not None and type(seed) is not int:
            raise ReviewError(f"ablation proposal {n}: seed must be an integer")
        if not isinstance(args, dict):
            raise ReviewError(f"ablation proposal {n}: args must be an object")
        runs.append(
            ProposedRun(
                id=run_id,
                block=str(item.get("block") or ""),
                system=item["system"],
                seed=seed,
                purpose=str(item.get("purpose") or "ablation"),
                args={str(k): str(v) for k, v in args.items()},
            )
        )
    return tuple(runs)


class AgentCLIAblationPlanner:
    """
    Ask a configured command for ablation runs.

    Args:
        command: the argv (placeholders ``{prompt_file}``, ``{reply_file}``, ``{project}``).
        timeout_seconds: bound on the command's run time.
    """

    name = "agent"

    def __init__(self, command: Sequence[str], *, timeout_seconds: float = 900.0) -> None:
        if not command:
            raise ReviewError("the ablation planner needs a non-empty command")
        self.command = tuple(command)
        self.timeout_seconds = timeout_seconds

    def propose(self, request: AblationRequest) -> Sequence[ProposedRun]:
        """
        Run the command with the plan and results; parse its JSON answer.

        Raises:
            ReviewError: the command failed, timed out, or answered something unreadable.
        """
        prompt = redact(  # the command is outside: no credential goes to it
            PROMPT.format(
                systems="\n".join(f"- {s}" for s in request.systems) or "- (none listed)",
                taken=", ".join(request.taken_ids) or "(none)",
                plan=request.plan_excerpt,
                results=request.results,
            )
        )
        output = run_agent(
            self.command,
            prompt,
            project=request.project,
            timeout_seconds=self.timeout_seconds,
            error=ReviewError,
        )
        return parse_proposals(output.reply, request.taken_ids)


@attrs.frozen(kw_only=True)
class AblationsConfig(Section):
    """
    The ``[ablations]`` table: the agent that proposes ablation runs.

    Attributes:
        command: the agent's argv (placeholders as for agent reviewers).
        timeout_seconds: bound on one proposal.
    """

    SECTION = "ablations"

    command: tuple[str, ...] = attrs.field(metadata=setting(read=rules.argv))
    timeout_seconds: float = attrs.field(default=900.0, metadata=setting(read=rules.positive))


def build_ablation_planner(
    table: Mapping[str, object] | None,
    *,
    file: str | None = None,
    line_of: Callable[[str], int | None] | None = None,
) -> AblationPlanner | None:
    """
    Build the planner ``[ablations]`` asks for; None (planning skipped) without the table.

    Raises:
        ConfigError: the table is wrong (unknown key, no command).
    """
    if table is None:
        return None
    config = AblationsConfig.from_table(table, file=file, line_of=line_of)
    return AgentCLIAblationPlanner(config.command, timeout_seconds=config.timeout_seconds)
