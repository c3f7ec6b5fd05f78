"""
Tests for the W&B metrics source against a loopback fake of W&B's GraphQL API.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Iterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from bridge.adapters.metrics.wandb import RUN_METRICS_QUERY, WandbSource
from bridge.errors import ConfigError
from bridge.machine.quality import QualityKind, check_quality
from tests.adapters.metrics.fake_wandb import FakeRun, FakeWandb, closed_port_url, losses, serving

KEY_ENV = "BRIDGE_TEST_WANDB_KEY"
HEALTHY = [2.0 / (1 + 0.3 * i) for i in range(20)]
LAB = {"entity": "lab", "project": "iris"}
DIVERGING = [2.0, 1.0, 0.6, 0.5, 0.5, 0.6, 0.9, 1.5, 3.0, 6.0]


@pytest.fixture
def fake() -> Iterator[FakeWandb]:
    """A running fake W&B server."""
    with serving() as server:
        yield server


def _source(fake: FakeWandb, **table: Any) -> WandbSource:
    settings: dict[str, object] = {
        "entity": "lab",
        "project": "iris",
        "base_url": fake.base_url,
        "api_key_env": KEY_ENV,
        "timeout_seconds": 5,
        **table,
    }
    return WandbSource.from_table(settings, environ={KEY_ENV: fake.key})


def _canonical_sha(answer: dict[str, Any]) -> str:
    text = json.dumps(answer, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class TestWandbFetch:
    def test_values_and_histories_with_provenance(self, fake: FakeWandb) -> None:
        """Summary numbers become values, numeric history keys histories, each naming the run."""
        fake.runs["lab", "iris", "R001-s3"] = FakeRun(
            summary={
                "_runtime": 12.0,
                "accuracy": 0.91,
                "eval": {"f1": 0.88},
                "confusion": {"_type": "table", "data": [[1, 2]]},
                "note": "text is not a metric",
                "best": True,
            },
            history=losses(HEALTHY),
        )
        source = _source(fake, run_name="{run_id}-s{seed}", samples=50)
        got = source.fetch("R001", {"seed": "3"}, attempt_id="R001-a1")
        assert got.problems == ()
        (seen,) = fake.seen
        assert seen.authorized and seen.path == "/graphql" and seen.query == RUN_METRICS_QUERY
        assert seen.variables == {
            "entity": "lab",
            "project": "iris",
            "name": "R001-s3",
            "samples": 50,
        }
        sha = _canonical_sha(fake.answers[0])
        assert [(v.name, v.value, v.rule) for v in got.values] == [
            ("accuracy", 0.91, "wandb:summary:accuracy"),
            ("eval.f1", 0.88, "wandb:summary:eval.f1"),
        ]
        assert {(v.source, v.sha256, v.run_id, v.attempt_id) for v in got.values} == {
            ("wandb:lab/iris/R001-s3", sha, "R001", "R001-a1")
        }
        (history,) = got.histories
        assert history.name == "train/loss" and history.rule == "wandb:history:train/loss"
        assert history.steps == tuple(float(i) for i in range(20))
        assert history.values == tuple(HEALTHY)
        assert history.source == "wandb:lab/iris/R001-s3" and history.sha256 == sha

    def test_sparse_rows_and_unsorted_steps(self, fake: FakeWandb) -> None:
        """Rows that do not log a key add no point to it; points follow _step order."""
        rows = (
            {"_step": 20, "train/loss": 0.5, "val/acc": 0.8},
            {"_step": 0, "train/loss": 2.0},
            {"_step": 10, "train/loss": 1.0, "val/acc": None},
        )
        fake.runs["lab", "iris", "R002"] = FakeRun(summary={}, history=rows)
        got = _source(fake).fetch("R002", {})
        by_name = {h.name: h for h in got.histories}
        assert by_name["train/loss"].steps == (0.0, 10.0, 20.0)
        assert by_name["train/loss"].values == (2.0, 1.0, 0.5)
        assert by_name["val/acc"].steps == (20.0,)

    def test_nan_in_history_is_kept_and_flagged(self, fake: FakeWandb) -> None:
        """A NaN W&B logged stays a non-finite point (raw "NaN") and the quality check flags it."""
        fake.runs["lab", "iris", "R003"] = FakeRun(
            summary={"train/loss": math.nan}, history=losses([2.0, 1.0, math.nan, 0.5])
        )
        got = _source(fake).fetch("R003", {})
        (value,) = got.values
        assert value.value is None and value.raw == "NaN"
        (history,) = got.histories
        assert history.values[2] is None and history.nonfinite == ((2, "NaN"),)
        # Once, as the series' blocking finding: its last value NaN says the same again.
        found = check_quality(got.values, got.histories)
        assert [(f.kind, f.blocking) for f in found] == [(QualityKind.NON_FINITE, True)]
        assert any("wandb:lab/iris/R003" in f.message for f in check_quality([], got.histories))

    def test_diverging_loss_flagged(self, fake: FakeWandb) -> None:
        """A loss that W&B shows climbing far above its best is a divergence finding."""
        fake.runs["lab", "iris", "R004"] = FakeRun(summary={}, history=losses(DIVERGING))
        got = _source(fake).fetch("R004", {})
        (finding,) = check_quality(got.values, got.histories)
        assert finding.kind is QualityKind.DIVERGENCE and finding.blocking
        assert "wandb:history:train/loss" in finding.message

    def test_refused_key_names_the_variable_not_the_key(self, fake: FakeWandb) -> None:
        """A 401 is one problem naming api_key_env; the key is in no message or log line."""
        source = WandbSource.from_table(
            {"entity": "lab", "project": "iris", "base_url": fake.base_url, "api_key_env": KEY_ENV},
            environ={KEY_ENV: "wrong-key-abcdef"},
        )
        with capture_logs() as logs:
            got = source.fetch("R001", {})
        (problem,) = got.problems
        assert got.values == () and got.histories == ()
        assert problem.source == "wandb:lab/iris/R001"
        assert KEY_ENV in problem.message and "401" in problem.message
        assert "wrong-key-abcdef" not in problem.message + repr(logs)
        assert len(fake.seen) == 1 and not fake.seen[0].authorized  # a refusal is not retried

    def test_unreachable_within_the_timeout(self) -> None:
        """Nothing listening: an "unreachable" problem, retried, returned within the timeout."""
        source = WandbSource.from_table(
            {
                "entity": "lab",
                "project": "iris",
                "base_url": closed_port_url(),
                "api_key_env": KEY_ENV,
                "timeout_seconds": 3,
            },
            environ={KEY_ENV: "k"},
        )
        started = time.monotonic()
        got = source.fetch("R001", {})
        assert time.monotonic() - started < 3.5
        (problem,) = got.problems
        assert "unreachable" in problem.message and "3 tries" in problem.message
        assert "files only" in problem.message

    def test_server_errors_are_retried(self, fake: FakeWandb) -> None:
        """Two 503s then an answer: the values arrive after three requests."""
        fake.runs["lab", "iris", "R001"] = FakeRun(summary={"accuracy": 0.5})
        fake.statuses = [503, 503]
        source = WandbSource(
            entity="lab",
            project="iris",
            base_url=fake.base_url,
            api_key_env=KEY_ENV,
            backoff_seconds=0.01,
            environ={KEY_ENV: fake.key},
        )
        got = source.fetch("R001", {})
        assert [v.name for v in got.values] == ["accuracy"] and got.problems == ()
        assert len(fake.seen) == 3

    def test_unknown_run_and_project(self, fake: FakeWandb) -> None:
        """A run or project W&B does not know is a problem that says which."""
        (run_problem,) = _source(fake).fetch("R404", {}).problems
        assert "no run 'R404' in lab/iris" in run_problem.message
        (project_problem,) = _source(fake, project="missing").fetch("R001", {}).problems
        assert "project lab/missing" in project_problem.message

    def test_key_not_set_sends_nothing(self, fake: FakeWandb) -> None:
        """Without the key in the environment no request is sent and the problem names it."""
        source = WandbSource.from_table(
            {"entity": "lab", "project": "iris", "base_url": fake.base_url, "api_key_env": KEY_ENV},
            environ={},
        )
        (problem,) = source.fetch("R001", {}).problems
        assert f"{KEY_ENV} named by metrics.wandb.api_key_env is not set" in problem.message
        assert fake.seen == []


class TestWandbConfig:
    def test_defaults(self) -> None:
        """Only entity and project are needed; the rest have the documented defaults."""
        source = WandbSource.from_table({"entity": "lab", "project": "iris"})
        assert (source.run_name, source.api_key_env, source.base_url) == (
            "{run_id}",
            "WANDB_API_KEY",
            "https://api.wandb.ai",
        )
        assert (source.timeout_seconds, source.samples) == (20.0, 500)

    def test_typo_names_the_key_and_the_closest(self) -> None:
        """An unknown key is refused, naming metrics.wandb.<key> and the key it resembles."""
        with pytest.raises(ConfigError) as err:
            WandbSource.from_table({"entity": "lab", "project": "iris", "api_key_evn": "X"})
        assert err.value.setting == "metrics.wandb.api_key_evn"
        assert "did you mean 'api_key_env'" in str(err.value)

    @pytest.mark.parametrize(
        ("table", "setting"),
        [
            ({"project": "iris"}, "metrics.wandb.entity"),
            ({"entity": "lab"}, "metrics.wandb.project"),
            ({**LAB, "timeout_seconds": 0}, "metrics.wandb.timeout_seconds"),
            ({**LAB, "samples": 0}, "metrics.wandb.samples"),
            ({**LAB, "api_key_env": "sk-live-123"}, "metrics.wandb.api_key_env"),
            ({**LAB, "base_url": "ftp://wandb.example"}, "metrics.wandb.base_url"),
            (
                {**LAB, "base_url": "https://u:hunter2pass@w.example"},
                "metrics.wandb.base_url",
            ),
            ({**LAB, "run_name": "{run_id}-{sed}"}, "metrics.wandb.run_name"),
        ],
    )
    def test_bad_values_name_the_setting(self, table: dict[str, object], setting: str) -> None:
        """Each wrong value is a ConfigError naming its dotted setting, echoing no secret."""
        with pytest.raises(ConfigError) as err:
            WandbSource.from_table(table, known_placeholders=("run_id", "seed"))
        assert err.value.setting == setting
        assert "sk-live-123" not in str(err.value) and "hunter2pass" not in str(err.value)
