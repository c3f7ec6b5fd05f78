"""
``LocalFallbackReviewer``: the workflow's rule for a reviewer that cannot be reached.

ARIS's experiment bridge says: when the external reviewer is unavailable, run the same checklist
locally and mark the review ``[local-only]``. This wrapper does exactly that, loudly: the
configured reviewer is asked first; when it raises :class:`~bridge.errors.ReviewError`
(unreachable, refused, timed out, a malformed reply after its own retries), the local checklist
answers instead, its text opens with why, and :attr:`Review.unavailable` carries the reason so
the pipeline records it. A configuration mistake (a key variable that is not set) is never
covered up this way: :func:`bridge.adapters.review.config.build_reviewer` refuses it at start.
"""

from __future__ import annotations

import attrs

from bridge.errors import ReviewError
from bridge.logs import get_logger
from bridge.machine.ports import (
    CriterionJudgment,
    CriterionRequest,
    CriterionReviewer,
    Review,
    Reviewer,
    ReviewRequest,
)

__all__ = ["LocalFallbackReviewer"]

_log = get_logger("bridge.review")


class LocalFallbackReviewer:
    """
    Ask ``primary``; when it cannot answer, ask ``local`` and mark the review ``[local-only]``.

    Args:
        primary: the configured reviewer (HTTP model or agent CLI).
        local: the local checklist reviewer.
    """

    def __init__(self, primary: Reviewer, local: Reviewer) -> None:
        self.primary = primary
        self.local = local
        self.name = primary.name

    def review(self, request: ReviewRequest) -> Review:
        """
        The primary reviewer's review, or the local checklist's with the reason it stood in.

        Returns:
            The primary's ``Review``; or the local one with ``local_only=True``,
            ``unavailable`` set to ``"<primary>: <error>"`` and its text prefixed with that.

        Raises:
            ReviewError: the local checklist failed too (it reads files only, so it should not).
        """
        try:
            return self.primary.review(request)
        except ReviewError as exc:
            reason = f"{self.primary.name}: {exc}"
            _log.warning("reviewer_unavailable", reviewer=self.primary.name, reason=str(exc))
        review = self.local.review(request)
        text = (
            f"[local-only] The configured reviewer could not be reached ({reason}); the local "
            f"checklist ran instead.\n\n{review.text}"
        )
        return attrs.evolve(review, text=text, local_only=True, unavailable=reason)

    def judge_criterion(self, request: CriterionRequest) -> CriterionJudgment:
        """
        The primary reviewer's judgment of a criterion. There is no local stand-in: a
        checklist cannot judge a criterion, so a failure is the caller's to record.

        Raises:
            ReviewError: the primary cannot judge criteria, or could not answer.
        """
        if not isinstance(self.primary, CriterionReviewer):
            raise ReviewError(f"the {self.primary.name} reviewer does not judge criteria")
        return self.primary.judge_criterion(request)
