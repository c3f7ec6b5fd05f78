"""
The code and its checks: the cloned base repository, implementations, code reviews, the sanity
milestone's verdict and rescue diagnoses (all on the ``bridge`` stream).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from bridge.events.registry import event
from bridge.events.secrets import redact
from bridge.events.values import Finding
from bridge.value_methods import value_methods

__all__ = [
    "CRITERION_APPROVED",
    "CRITERION_HELD",
    "BaseRepoCloned",
    "CodeReviewed",
    "ImplementationRecorded",
    "RescueDiagnosed",
    "SanityChecked",
]


@event("base_repo.cloned")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BaseRepoCloned:
    """
    ``base_repo`` was cloned into the project at ``commit``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    url: str
    path: str
    commit: str


@event("implementation.recorded")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ImplementationRecorded:
    """
    The implementer ran: files it changed (path → sha256) and the findings of its checks.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    implementer: str
    changed_files: Mapping[str, str] = attrs.field(factory=dict)
    findings: tuple[Finding, ...] = ()
    summary: str = ""
    round: int = 1


@event("code.reviewed")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class CodeReviewed:
    """
    A reviewer judged the code (``round`` 1 is the first review, 2 the re-review after a fix).
    ``unavailable`` is why the configured reviewer could not answer when the local checklist
    stood in for it (then ``local_only`` is True).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    reviewer: str
    findings: tuple[Finding, ...] = ()
    text: str = attrs.field(default="", converter=redact)
    local_only: bool = False
    model: str = ""
    round: int = 1
    skipped: bool = False
    unavailable: str = attrs.field(default="", converter=redact)


@event("sanity.checked")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class SanityChecked:
    """
    The sanity milestone finished: passed, or failed with a failure ``signature``; or it was
    ``skipped`` by configuration (``sanity_first = false``: then ``passed`` is True only in the
    sense that nothing holds deployment back).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    passed: bool
    signature: str = ""
    detail: str = attrs.field(default="", converter=redact)
    skipped: bool = False


#: How a block reason (and a failed ``SanityChecked.detail``) opens when the sanity
#: milestone's runs passed but its own success criterion is not met.
CRITERION_HELD = "the sanity milestone's own success criterion is not met"
#: How a passed ``SanityChecked.detail`` opens once a person approved going past that criterion.
CRITERION_APPROVED = "sanity criterion not met, gone past by a person's approval"
#: What a passed ``SanityChecked.detail`` says of a sanity block whose criterion bridge could
#: not judge ("B0's criterion not judged (…)"): its runs passed, the criterion is open.
CRITERION_UNJUDGED = "criterion not judged"


@event("rescue.diagnosed")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RescueDiagnosed:
    """
    The reviewer diagnosed a repeated failure: of the sanity milestone (``milestone`` empty), or
    of runs of the deployed ``milestone`` failing the same way (``signature``, ``runs``).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    reviewer: str
    findings: tuple[Finding, ...] = ()
    text: str = attrs.field(default="", converter=redact)
    milestone: str = ""
    signature: str = ""
    runs: tuple[str, ...] = ()
