"""
The ports: the Protocols through which the pipeline talks to the outside world.

``machine`` defines them; ``bridge/adapters/`` implements them. All value types crossing a port
are frozen attrs classes owned by bridge, so they can be stored in events through the codec.
Adapters translate vendor exceptions into :mod:`bridge.errors` at their edge.

The ports are grouped by boundary, one module each: ``backend_port`` (the backend and the GPU
probe), ``backend_capabilities`` (what only some backends can do), ``agent_ports``
(implementers, reviewers, the ablation planner) and ``gate_ports`` (gates and notifiers); this
module gathers them under one name.
"""

from __future__ import annotations

from bridge.events.values import Artifact, Finding, JobHandle, Severity, Slot
from bridge.machine.agent_ports import (
    AblationPlanner,
    AblationRequest,
    AnswersAtOnce,
    CriterionJudgment,
    CriterionRequest,
    CriterionReviewer,
    Implementation,
    Implementer,
    ImplementRequest,
    ProposedRun,
    Review,
    Reviewer,
    ReviewRequest,
)
from bridge.machine.backend_capabilities import (
    CostQuote,
    IdleReleaser,
    InstanceSpend,
    InstanceSweeper,
    OrphanInstance,
    PaidBackend,
    RentalReporter,
    ScratchSpace,
)
from bridge.machine.backend_port import (
    AttemptPlace,
    Backend,
    GpuInfo,
    GpuProbe,
    JobSpec,
    JobState,
    JobStatus,
)
from bridge.machine.gate_ports import (
    Gate,
    GateDecision,
    Notifier,
    SelectiveNotifier,
)

__all__ = [
    "AblationPlanner",
    "AblationRequest",
    "AnswersAtOnce",
    "Artifact",
    "AttemptPlace",
    "Backend",
    "CostQuote",
    "CriterionJudgment",
    "CriterionRequest",
    "CriterionReviewer",
    "Finding",
    "Gate",
    "GateDecision",
    "GpuInfo",
    "GpuProbe",
    "IdleReleaser",
    "ImplementRequest",
    "Implementation",
    "Implementer",
    "InstanceSpend",
    "InstanceSweeper",
    "JobHandle",
    "JobSpec",
    "JobState",
    "JobStatus",
    "Notifier",
    "OrphanInstance",
    "PaidBackend",
    "ProposedRun",
    "RentalReporter",
    "Review",
    "ReviewRequest",
    "Reviewer",
    "ScratchSpace",
    "SelectiveNotifier",
    "Severity",
    "Slot",
]
