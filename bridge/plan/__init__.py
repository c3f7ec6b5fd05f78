"""
Reading the user's inputs: plan, tracker, proposal and idea files, options and bridge.toml.

The public entry points are :func:`load_plan` (one plan file) and :func:`load_project` (a whole
project directory: discovery, ``bridge.toml``, options, runs). Nothing here touches the network
or starts processes; malformed input raises :class:`bridge.errors.PlanError` or
:class:`bridge.errors.ConfigError` and nothing else.
"""

from __future__ import annotations

from bridge.plan.config import (
    Config,
    GridConfig,
    GridPhase,
    MetricRegex,
    MetricsConfig,
    RunConfig,
    RunEntry,
    SystemConfig,
    load_config,
)
from bridge.plan.loader import build_plan, load_plan, parse_plan_text
from bridge.plan.model import (
    Block,
    Budget,
    Claim,
    Field,
    Milestone,
    Plan,
    PlanWarning,
    Risk,
    Section,
    TrackerRun,
)
from bridge.plan.options import OPTION_NAMES, Options, parse_override_line
from bridge.plan.project import LoadedProject, discover, load_project, plan_json, require_runs
from bridge.plan.runs import RunSpec, match_system
from bridge.plan.templates import (
    BUILTIN_PLACEHOLDERS,
    OUTPUTS_OF,
    outputs_of,
    placeholders,
    render_argv,
    render_for_reading,
)
from bridge.plan.vocabulary import normalise_priority, normalise_status

__all__ = [
    "BUILTIN_PLACEHOLDERS",
    "OPTION_NAMES",
    "OUTPUTS_OF",
    "Block",
    "Budget",
    "Claim",
    "Config",
    "Field",
    "GridConfig",
    "GridPhase",
    "LoadedProject",
    "MetricRegex",
    "MetricsConfig",
    "Milestone",
    "Options",
    "Plan",
    "PlanWarning",
    "Risk",
    "RunConfig",
    "RunEntry",
    "RunSpec",
    "Section",
    "SystemConfig",
    "TrackerRun",
    "build_plan",
    "discover",
    "load_config",
    "load_plan",
    "load_project",
    "match_system",
    "normalise_priority",
    "normalise_status",
    "outputs_of",
    "parse_override_line",
    "parse_plan_text",
    "placeholders",
    "plan_json",
    "render_argv",
    "render_for_reading",
    "require_runs",
]
