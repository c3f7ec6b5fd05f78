"""
W&B as a metrics source through a whole ``Bridge.run()``: merged with the files, checked for
quality, recorded as unread (and the files used) when W&B cannot be read, never asked when not
configured.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge import Bridge, Stage, cli
from bridge.errors import ConfigError
from bridge.events import types as ev
from bridge.machine.ports import JobSpec
from bridge.testing import FakeBackend, FakeOutcome
from tests.adapters.metrics.fake_wandb import FakeRun, FakeWandb, closed_port_url, losses, serving
from tests.pipeline.conftest import Run, write_project

KEY_ENV = "BRIDGE_TEST_WANDB_KEY"
RUNS = [
    Run(id="R001", milestone="M0", system="sanity"),
    Run(id="R002", milestone="M1"),
    Run(id="R003", milestone="M1"),
]
HEALTHY = [2.0 / (1 + 0.3 * i) for i in range(20)]
DIVERGING = [2.0, 1.0, 0.6, 0.5, 0.5, 0.6, 0.9, 1.5, 3.0, 6.0]


def _outcome(spec: JobSpec) -> FakeOutcome:
    """Every run writes its accuracy to metrics.json, as the experiment would."""
    return FakeOutcome(outputs={"metrics.json": json.dumps({"accuracy": 0.9})})


def _wandb_run(entity: str, project: str, name: str) -> FakeRun | None:
    """What the experiment logged to W&B: R003's loss diverges; no run named otherwise."""
    if (entity, project) != ("lab", "iris") or not name.startswith("bridge-R"):
        return None
    history = losses(DIVERGING if name == "bridge-R003" else HEALTHY)
    return FakeRun(summary={"accuracy": 0.5, "val_loss": 0.25}, history=history)


def _project(root: Path, base_url: str | None, **wandb: str) -> Path:
    table = ""
    if base_url is not None:
        settings = {
            "entity": "lab",
            "project": "iris",
            "run_name": "bridge-{run_id}",
            "api_key_env": KEY_ENV,
            "base_url": base_url,
            "timeout_seconds": "2",
            **wandb,
        }
        table = "[metrics.wandb]\n" + "".join(
            f"{k} = {v}\n" if k == "timeout_seconds" else f'{k} = "{v}"\n'
            for k, v in settings.items()
        )
    return write_project(root, RUNS, extra=table)


def _recorded(bridge: Bridge) -> dict[str, ev.MetricsRecorded]:
    out = {}
    for run_id, run in bridge.status().runs.items():
        attempt = run.current
        assert attempt is not None and attempt.metrics is not None, run_id
        out[run_id] = attempt.metrics
    return out


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWandb]:
    """A fake W&B answering for the project's runs, with its key in the environment."""
    with serving() as server:
        server.lookup = _wandb_run
        monkeypatch.setenv(KEY_ENV, server.key)
        yield server


class TestWandbMetrics:
    def test_wandb_values_and_histories_are_merged_and_checked(
        self, tmp_path: Path, fake: FakeWandb
    ) -> None:
        """W&B's numbers join the files' (files win a clash); its diverging loss is flagged."""
        root = _project(tmp_path / "p", fake.base_url)
        bridge = Bridge(root, backend=FakeBackend(_outcome))
        assert bridge.run() is Stage.COLLECTED
        recorded = _recorded(bridge)
        assert sorted(s.variables["name"] for s in fake.seen) == [
            "bridge-R001",
            "bridge-R002",
            "bridge-R003",
        ]
        for run_id, metrics in recorded.items():
            by_name = {v.name: v for v in metrics.values}
            assert by_name["accuracy"].value == 0.9
            assert by_name["accuracy"].source.endswith("output/metrics.json")
            assert [v.name for v in metrics.values].count("accuracy") == 1
            assert by_name["val_loss"].source == f"wandb:lab/iris/bridge-{run_id}"
            assert by_name["val_loss"].rule == "wandb:summary:val_loss"
            (history,) = metrics.histories
            assert history.rule == "wandb:history:train/loss" and metrics.problems == ()
        assert [q.kind for q in recorded["R003"].quality] == ["divergence"]
        assert recorded["R002"].quality == ()
        results = json.loads((root / "refine-logs" / "results.json").read_text())
        assert "wandb:lab/iris/bridge-R003" in json.dumps(results)
        # wandb: sources are not files: verify does not call them missing
        assert cli.main(["verify", "--project", str(root)]) == 0

    def test_refused_key_is_recorded_and_files_are_used(
        self, tmp_path: Path, fake: FakeWandb, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A 401 is an unread W&B source naming the variable; the run still collects its files."""
        monkeypatch.setenv(KEY_ENV, "wrong-key-abcdef")
        root = _project(tmp_path / "p", fake.base_url)
        bridge = Bridge(root, backend=FakeBackend(_outcome))
        assert bridge.run() is Stage.COLLECTED
        for run_id, metrics in _recorded(bridge).items():
            assert [v.name for v in metrics.values] == ["accuracy"]
            (problem,) = metrics.problems
            assert problem.source == f"wandb:lab/iris/bridge-{run_id}"
            assert KEY_ENV in problem.message and "401" in problem.message
        for path in [root / ".bridge" / "events.db", *sorted((root / "refine-logs").iterdir())]:
            if path.is_file():
                assert b"wrong-key-abcdef" not in path.read_bytes(), path
        text = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "wandb:lab/iris/bridge-R002" in text

    def test_unreachable_is_recorded_and_files_are_used(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """W&B down: each run records "unreachable" within the timeout and keeps its files."""
        monkeypatch.setenv(KEY_ENV, "some-key")
        root = _project(tmp_path / "p", closed_port_url())
        bridge = Bridge(root, backend=FakeBackend(_outcome))
        started = time.monotonic()
        assert bridge.run() is Stage.COLLECTED
        assert time.monotonic() - started < 3 * 2 + 5  # three runs, each bounded by 2 s
        for metrics in _recorded(bridge).values():
            assert [v.name for v in metrics.values] == ["accuracy"]
            (problem,) = metrics.problems
            assert "unreachable" in problem.message and "files only" in problem.message

    def test_key_not_set_is_recorded(self, tmp_path: Path, fake: FakeWandb) -> None:
        """The key's variable unset: recorded per run, naming the variable; nothing is sent."""
        root = _project(tmp_path / "p", fake.base_url, api_key_env="BRIDGE_TEST_UNSET_KEY")
        bridge = Bridge(root, backend=FakeBackend(_outcome))
        assert bridge.run() is Stage.COLLECTED
        assert fake.seen == []
        for metrics in _recorded(bridge).values():
            (problem,) = metrics.problems
            assert "BRIDGE_TEST_UNSET_KEY" in problem.message and "not set" in problem.message

    def test_not_configured_asks_nothing(self, tmp_path: Path, fake: FakeWandb) -> None:
        """Without [metrics.wandb] no request reaches W&B and nothing W&B is recorded."""
        root = _project(tmp_path / "p", None)
        bridge = Bridge(root, backend=FakeBackend(_outcome))
        assert bridge.run() is Stage.COLLECTED
        assert fake.seen == []
        for metrics in _recorded(bridge).values():
            assert metrics.problems == () and [v.name for v in metrics.values] == ["accuracy"]

    def test_typo_stops_the_start(self, tmp_path: Path, fake: FakeWandb) -> None:
        """A misspelt [metrics.wandb] key is a ConfigError at start naming it, before any run."""
        root = _project(tmp_path / "p", fake.base_url, projetc="iris")
        bridge = Bridge(root, backend=FakeBackend(_outcome))
        with pytest.raises(ConfigError) as err:
            bridge.advance()
        assert err.value.setting == "metrics.wandb.projetc"
        assert "did you mean 'project'" in str(err.value)
        assert err.value.file == "bridge.toml" and err.value.line is not None
