"""
Reading the user's inputs: plan, tracker, proposal and idea files, options and bridge.toml.

The public entry points are :func:`load_plan` (one plan file) and :func:`load_project` (a whole
project directory: discovery, ``bridge.toml``, options, runs). Nothing here touches the network
or starts processes; malformed input raises :class:`bridge.errors.PlanError` or
:class:`bridge.errors.ConfigError` and nothing else.

Names load on first use (PEP 562): ``import bridge.plan`` costs almost nothing, and a
module that needs one part (``bridge.plan.priority``) does not load the parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from bridge.plan.config import (
        Config,
        GridConfig,
        GridPhase,
        MetricRegex,
        MetricsConfig,
        RunConfig,
        RunEntry,
        SystemConfig,
    )
    from bridge.plan.config_reader import load_config
    from bridge.plan.loader import (
        build_plan,
        load_plan,
        parse_plan_text,
    )
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
    from bridge.plan.options import (
        OPTION_NAMES,
        Options,
        parse_override_line,
    )
    from bridge.plan.project import (
        LoadedProject,
        discover,
        load_project,
        plan_json,
        require_runs,
    )
    from bridge.plan.runs import (
        RunSpec,
        match_system,
        run_system_table,
    )
    from bridge.plan.templates import (
        BUILTIN_PLACEHOLDERS,
        OUTPUTS_OF,
        outputs_of,
        placeholders,
        render_argv,
        render_for_reading,
    )
    from bridge.plan.vocabulary import (
        normalise_priority,
        normalise_status,
    )

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
    "run_system_table",
]

# Public name -> the module that defines it; imported on first attribute access.
_LAZY = {
    "BUILTIN_PLACEHOLDERS": "bridge.plan.templates",
    "Block": "bridge.plan.model",
    "Budget": "bridge.plan.model",
    "Claim": "bridge.plan.model",
    "Config": "bridge.plan.config",
    "Field": "bridge.plan.model",
    "GridConfig": "bridge.plan.config",
    "GridPhase": "bridge.plan.config",
    "LoadedProject": "bridge.plan.project",
    "MetricRegex": "bridge.plan.config",
    "MetricsConfig": "bridge.plan.config",
    "Milestone": "bridge.plan.model",
    "OPTION_NAMES": "bridge.plan.options",
    "OUTPUTS_OF": "bridge.plan.templates",
    "Options": "bridge.plan.options",
    "Plan": "bridge.plan.model",
    "PlanWarning": "bridge.plan.model",
    "Risk": "bridge.plan.model",
    "RunConfig": "bridge.plan.config",
    "RunEntry": "bridge.plan.config",
    "RunSpec": "bridge.plan.runs",
    "Section": "bridge.plan.model",
    "SystemConfig": "bridge.plan.config",
    "TrackerRun": "bridge.plan.model",
    "build_plan": "bridge.plan.loader",
    "discover": "bridge.plan.project",
    "load_config": "bridge.plan.config_reader",
    "load_plan": "bridge.plan.loader",
    "load_project": "bridge.plan.project",
    "match_system": "bridge.plan.runs",
    "run_system_table": "bridge.plan.runs",
    "normalise_priority": "bridge.plan.vocabulary",
    "normalise_status": "bridge.plan.vocabulary",
    "outputs_of": "bridge.plan.templates",
    "parse_override_line": "bridge.plan.options",
    "parse_plan_text": "bridge.plan.loader",
    "placeholders": "bridge.plan.templates",
    "plan_json": "bridge.plan.project",
    "render_argv": "bridge.plan.templates",
    "render_for_reading": "bridge.plan.templates",
    "require_runs": "bridge.plan.project",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
