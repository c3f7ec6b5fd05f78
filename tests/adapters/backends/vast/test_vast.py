"""
The Vast.ai backend: the real vastai SDK against a loopback fake of the REST API, whose
instances' SSH endpoint is the loopback OpenSSH server of the SSH backend's tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bridge.adapters.backends.vast.backend import VastBackend, project_label
from bridge.adapters.backends.vast.client import VastApi, endpoint_of
from bridge.adapters.backends.vast.config import VastConfig
from bridge.errors import BackendError, BackendUnavailable, ConfigError
from bridge.events.types import InstanceRented
from bridge.machine.ports import Backend, JobHandle, JobSpec, JobState, JobStatus, Slot
from bridge.pipeline.layout import ProjectLayout
from tests.adapters.backends.ssh.sshd import SshServer, requires_sshd
from tests.adapters.backends.vast.fake_vast import KEY, FakeVast

pytest_plugins = ["tests.adapters.backends.ssh.conftest_ssh"]

pytestmark = [pytest.mark.timeout(120)]

KEY_ENV = "BRIDGE_TEST_VAST_KEY"

JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"acc": float(sys.argv[2])}))
print("trained", sys.argv[2])
"""

TERMINAL = {
    JobStatus.SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.TIMED_OUT,
    JobStatus.CANCELLED,
    JobStatus.LOST,
}


@pytest.fixture
def fake() -> Iterator[FakeVast]:
    """A fresh loopback Vast API for one test."""
    server = FakeVast().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    """The fake's API key, in the environment variable the configuration names."""
    monkeypatch.setenv(KEY_ENV, KEY)
    return KEY


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny research project with one training script."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "train.py").write_text(JOB)
    return root


class Sleeps:
    """An injectable sleep that records what it was asked to wait and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def table(fake: FakeVast, tmp_path: Path, sshd: SshServer | None = None, **extra: Any) -> dict:
    """A [backends.vast] table as bridge.toml would give it."""
    ssh_config = tmp_path / "ssh_config"
    ssh_config.touch()
    t: dict[str, Any] = {
        "api_key_env": KEY_ENV,
        "server_url": fake.url,
        "query": "gpu_ram>=24 num_gpus>=1 reliability>0.95",
        "image": "pytorch/pytorch:latest",
        "remote_dir": str(tmp_path / "remote"),
        "ssh_config": str(ssh_config),
        "connect_timeout": 3,
        "ssh_ready_seconds": 20,
        "status_interval_seconds": 0,
    }
    if sshd is not None:
        t.update(
            ssh_key_file=str(sshd.client_key),
            ssh_user=sshd.user,
            known_hosts=str(sshd.known_hosts),
            strict_host_keys=True,
        )
        fake.ssh_port = sshd.port
    t.update(extra)
    return t


def backend(
    fake: FakeVast, tmp_path: Path, project: Path, sshd: SshServer | None = None, **extra: Any
) -> tuple[VastBackend, Sleeps]:
    """A VastBackend built from the table, with the real SDK pointed at the fake."""
    sleeps = Sleeps()
    config = VastConfig.from_table(table(fake, tmp_path, sshd, **extra))
    return VastBackend(config, project, sleep=sleeps), sleeps


def spec(b: VastBackend, run_id: str = "R001", value: str = "0.9") -> JobSpec:
    """A JobSpec that trains on slot vast-0 and writes metrics into the output dir."""
    attempt_id = f"{run_id}-a{uuid.uuid4().hex[:6]}"
    argv = ("python3", "train.py", b.output_dir(ProjectLayout.place(run_id, attempt_id)), value)
    return JobSpec(
        place=ProjectLayout.place(run_id, attempt_id),
        argv=argv,
        slots=(Slot(host="vast-0", gpu=0),),
    )


def wait_done(b: VastBackend, handle: JobHandle, timeout: float = 30) -> JobState:
    """Poll until the attempt is terminal, with a bound."""
    deadline = time.monotonic() + timeout
    while True:
        state = b.poll(handle)
        if state.status in TERMINAL:
            return state
        assert time.monotonic() < deadline, f"{handle.attempt_id} still {state}"
        b.wait([handle], 0.5)


# ------------------------------------------------------------------------------------------------


class TestVastConfig:
    def test_defaults(self, tmp_path: Path) -> None:
        """A query table gets the documented defaults: VAST_API_KEY, dph_total, 1 instance."""
        c = VastConfig.from_table({"query": "num_gpus=1", "image": "img"})
        assert c.api_key_env == "VAST_API_KEY"
        assert c.order == "dph_total"
        assert c.instances == 1
        assert c.auto_destroy is False
        assert c.max_total_cost is None
        assert c.remote_dir == "/root/bridge"

    def test_needs_exactly_one_of_instance_id_and_query(self) -> None:
        """Neither or both of instance_id and query is a ConfigError naming them."""
        for t in ({"image": "img"}, {"query": "num_gpus=1", "image": "i", "instance_id": 3}):
            with pytest.raises(ConfigError, match="exactly one of instance_id"):
                VastConfig.from_table(t)

    def test_bad_query_names_the_setting(self) -> None:
        """A query the vastai parser rejects is a ConfigError naming backends.vast.query."""
        with pytest.raises(ConfigError, match=r"backends\.vast\.query") as info:
            VastConfig.from_table(
                {"query": "gpu_ram>>24", "image": "img"}, file="bridge.toml", line_of=lambda s: 7
            )
        assert str(info.value).startswith("bridge.toml:7:")
        assert info.value.setting == "backends.vast.query"

    def test_unknown_key_suggests_the_closest(self) -> None:
        """A misspelt setting is named with a suggestion."""
        with pytest.raises(ConfigError, match="did you mean 'max_dph'"):
            VastConfig.from_table({"query": "num_gpus=1", "image": "img", "max_dhp": 1})

    def test_image_required_with_query(self) -> None:
        """Renting needs an image; its absence is named."""
        with pytest.raises(ConfigError, match=r"backends\.vast\.image is required"):
            VastConfig.from_table({"query": "num_gpus=1"})

    def test_reuse_allows_one_instance(self) -> None:
        """instance_id with instances > 1 is refused."""
        with pytest.raises(ConfigError, match="instances must be 1"):
            VastConfig.from_table({"instance_id": 5, "instances": 2})


class TestEndpoint:
    def test_direct_first(self) -> None:
        """public_ipaddr with the port mapped to 22/tcp wins over the proxy."""
        row = {
            "public_ipaddr": "1.2.3.4",
            "ports": {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "41234"}]},
            "ssh_host": "ssh5.vast.ai",
            "ssh_port": 12345,
        }
        e = endpoint_of(row)
        assert (e.host, e.port, e.kind) == ("1.2.3.4", 41234, "direct") if e else False

    def test_proxy_second(self) -> None:
        """Without a direct port the ssh_host:ssh_port proxy is used."""
        e = endpoint_of({"public_ipaddr": "1.2.3.4", "ports": {}, "ssh_host": "s", "ssh_port": 9})
        assert e is not None and (e.host, e.port, e.kind) == ("s", 9, "proxy")

    def test_none_until_published(self) -> None:
        """A row with neither gives no endpoint."""
        assert endpoint_of({"public_ipaddr": "", "ports": None}) is None


class TestVastApi:
    def test_search_sends_query_and_order_and_filters_max_dph(
        self, fake: FakeVast, key: str, tmp_path: Path
    ) -> None:
        """The SDK posts the parsed query with order dph_total; offers over max_dph are dropped."""
        api = VastApi(VastConfig.from_table(table(fake, tmp_path, max_dph=0.5)))
        offers = api.search()
        assert [o.id for o in offers] == [902]
        (req,) = fake.calls("POST", "/api/v0/bundles/")
        assert req.auth == f"Bearer {KEY}"
        assert req.body["gpu_ram"] == {"gte": 24000.0}
        assert req.body["order"] == [["dph_total", "asc"]]

    def test_401_names_the_key_variable(
        self, fake: FakeVast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A refused key is BackendUnavailable naming api_key_env, and never shows the key."""
        monkeypatch.setenv(KEY_ENV, "wrong-key-value")
        api = VastApi(VastConfig.from_table(table(fake, tmp_path)))
        with pytest.raises(BackendUnavailable, match=KEY_ENV) as info:
            api.search()
        assert "401" in str(info.value)
        assert "wrong-key-value" not in str(info.value)

    def test_missing_key_names_the_variable(
        self, fake: FakeVast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No key anywhere is BackendUnavailable naming the variable, before any request."""
        monkeypatch.delenv(KEY_ENV, raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
        api = VastApi(VastConfig.from_table(table(fake, tmp_path)))
        with pytest.raises(BackendUnavailable, match=KEY_ENV):
            api.search()
        assert fake.requests == []

    def test_key_file_works(
        self, fake: FakeVast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the variable, the vastai key file is used."""
        monkeypatch.delenv(KEY_ENV, raising=False)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
        (tmp_path / "xdg" / "vastai").mkdir(parents=True)
        (tmp_path / "xdg" / "vastai" / "vast_api_key").write_text(KEY + "\n")
        assert VastApi(VastConfig.from_table(table(fake, tmp_path))).search()

    def test_429_honours_retry_after(
        self, fake: FakeVast, key: str, tmp_path: Path, retries: list[Any]
    ) -> None:
        """Two 429s with Retry-After: 2 are retried after 2 s each (the retry policy's waits,
        zero in tests), then it works."""
        fake.rate_limit, fake.retry_after = 2, "2"
        api = VastApi(VastConfig.from_table(table(fake, tmp_path)))
        assert api.search()
        assert [r.caused_by.after for r in retries] == [2.0, 2.0]
        assert len(fake.calls("POST", "/api/v0/bundles/")) == 3

    def test_429_is_bounded(
        self, fake: FakeVast, key: str, tmp_path: Path, retries: list[Any]
    ) -> None:
        """A rate limit that never clears ends, after a bounded number of tries, in an error."""
        fake.rate_limit = 100
        api = VastApi(VastConfig.from_table(table(fake, tmp_path)))
        with pytest.raises(BackendUnavailable, match="429"):
            api.search()
        assert 0 < len(retries) < 10
        assert len(fake.calls("POST", "/api/v0/bundles/")) == len(retries) + 1

    def test_retry_after_too_long_is_not_waited(
        self, fake: FakeVast, key: str, tmp_path: Path, retries: list[Any]
    ) -> None:
        """A Retry-After over a minute is reported instead of slept through."""
        fake.rate_limit, fake.retry_after = 1, "3600"
        api = VastApi(VastConfig.from_table(table(fake, tmp_path)))
        with pytest.raises(BackendUnavailable, match="429"):
            api.search()
        assert retries == []

    def test_server_down(self, key: str, tmp_path: Path) -> None:
        """An API nobody answers is BackendUnavailable naming the URL."""
        dead = FakeVast()
        url = dead.url
        dead.server.server_close()
        api = VastApi(VastConfig.from_table(table(dead, tmp_path)))
        with pytest.raises(BackendUnavailable, match="cannot reach"):
            api.search()
        assert url in VastConfig.from_table(table(dead, tmp_path)).server_url  # type: ignore[operator]


class TestVastBackendNoSsh:
    def test_is_a_backend(self, fake: FakeVast, key: str, tmp_path: Path, project: Path) -> None:
        """VastBackend satisfies the Backend protocol."""
        b, _ = backend(fake, tmp_path, project)
        assert isinstance(b, Backend)

    def test_preflight_offers_the_best_offers_gpus_without_renting(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """Preflight returns the cheapest offer's GPUs per host and rents nothing."""
        b, _ = backend(fake, tmp_path, project, instances=2)
        fake.offers = [{"id": 5, "dph_total": 0.5, "num_gpus": 2, "gpu_name": "A100"}]
        slots = b.preflight()
        assert [(s.host, s.gpu) for s in slots] == [
            ("vast-0", 0),
            ("vast-0", 1),
            ("vast-1", 0),
            ("vast-1", 1),
        ]
        assert fake.calls("PUT", r"/api/v0/asks/\d+/") == []

    def test_estimate(self, fake: FakeVast, key: str, tmp_path: Path, project: Path) -> None:
        """The estimate is dph × instances × hours, flagged over max_total_cost."""
        b, _ = backend(fake, tmp_path, project, instances=2, max_total_cost=1.0)
        fake.offers = [{"id": 5, "dph_total": 0.5, "num_gpus": 1, "gpu_name": "A100"}]
        est = b.estimate(3)
        assert est.dollars == pytest.approx(3.0)
        assert est.over_budget
        assert "offer 5" in est.offer

    def test_no_offer_is_unavailable(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """No offer under max_dph is BackendUnavailable naming query and max_dph."""
        b, _ = backend(fake, tmp_path, project, max_dph=0.01)
        with pytest.raises(BackendUnavailable, match=r"max_dph"):
            b.preflight()

    def test_exited_while_starting_names_the_instance(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """An instance that goes exited while starting stops the wait with its id; it is kept."""
        fake.start_statuses = ["loading", "exited"]
        b, _ = backend(fake, tmp_path, project)
        with pytest.raises(BackendError) as info:
            b.submit(spec(b))
        (created,) = fake.instances.values()
        assert f"instance {created.id} is exited" in str(info.value)
        assert "kept" in str(info.value)
        assert fake.calls("DELETE", r"/api/v0/instances/\d+/") == []

    def test_a_rented_instance_is_reported_with_its_cleanup_before_anything_runs(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """The hook hears of the instance (destroy command, image, what it holds) as soon as it
        is rented: even one that never starts is reported before the launch fails."""
        fake.start_statuses = ["loading", "exited"]
        b, _ = backend(fake, tmp_path, project)
        heard: list[InstanceRented] = []
        b.on_rented(heard.append)
        job = spec(b)
        with pytest.raises(BackendError):
            b.submit(job)
        (created,) = fake.instances.values()
        (rented,) = heard
        assert rented.cleanup == f"vastai destroy instance {created.id}"
        assert (rented.backend, rented.instance_id) == ("vast", str(created.id))
        assert rented.attempt_id == job.attempt_id
        assert rented.label.endswith(f":vast-0:{job.attempt_id}")
        assert rented.image and any(str(tmp_path / "remote") in m for m in rented.mounts)

    def test_offline_with_auto_destroy_destroys_the_dead_instance(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """With auto_destroy an instance that never ran (offline) is destroyed, and said so."""
        fake.start_statuses = ["offline"]
        b, _ = backend(fake, tmp_path, project, auto_destroy=True)
        with pytest.raises(BackendError, match=r"is offline.*destroyed"):
            b.submit(spec(b))
        assert fake.instances == {}

    def test_start_timeout_is_bounded(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """An instance stuck loading past start_timeout_seconds is an error naming it."""
        fake.start_statuses = ["loading"]
        sleeps = Sleeps()
        deadline = time.monotonic() + 0.3
        config = VastConfig.from_table(table(fake, tmp_path, None, start_timeout_seconds=0.2))
        b = VastBackend(
            config,
            project,
            sleep=lambda s: (
                sleeps(s) or time.sleep(max(0.0, min(0.05, deadline - time.monotonic())))
            ),
        )
        with pytest.raises(BackendError, match=r"still loading after 0\.2 s"):
            b.submit(spec(b))


@pytest.mark.ssh
@requires_sshd
class TestVastBackend:
    def test_lifecycle(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """search → create (labelled) → running → sync → run → copy back → destroy."""
        b, _ = backend(fake, tmp_path, project, sshd, auto_destroy=True)
        s = spec(b)
        handle = b.submit(s)
        (create,) = fake.calls("PUT", r"/api/v0/asks/\d+/")
        assert create.path == "/api/v0/asks/902/"  # the cheapest offer (order dph_total)
        assert create.body["label"] == f"{project_label(project)}vast-0:{s.attempt_id}"
        assert create.body["image"] == "pytorch/pytorch:latest"
        assert create.body["runtype"] == "ssh_direc ssh_proxy"
        (inst,) = fake.instances.values()
        assert handle.backend == "vast"
        assert handle.locator["instance_id"] == str(inst.id)
        assert handle.locator["endpoint"] == f"127.0.0.1:{sshd.port}"
        assert handle.locator["dph"] == "0.25"
        assert (tmp_path / "remote" / "train.py").is_file()  # code synced

        state = wait_done(b, handle)
        assert state.status is JobStatus.SUCCEEDED, state
        dest = tmp_path / "local"
        artifacts = b.fetch_artifacts(handle, dest)
        assert json.loads((dest / "output" / "metrics.json").read_text()) == {"acc": 0.9}
        assert "output/metrics.json" in {a.path for a in artifacts}
        (cost,) = b.costs()
        assert cost.instance_id == inst.id and cost.dph == 0.25
        assert cost.hours > 0 and cost.dollars == pytest.approx(cost.hours * 0.25, abs=1e-6)
        b.release()
        assert fake.calls("DELETE", rf"/api/v0/instances/{inst.id}/")
        assert fake.instances == {}
        assert b.costs()[0].state == "destroyed"

    def test_idle_instance_is_released_before_the_end(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """release_idle keeps an instance while its run goes on, destroys it once copied back."""
        b, _ = backend(fake, tmp_path, project, sshd, auto_destroy=True)
        handle = b.submit(spec(b))
        (inst,) = fake.instances.values()
        b.release_idle()  # the run is not settled yet: the instance stays, and is not "kept"
        assert inst.id in fake.instances
        assert b.costs()[0].state != "kept"
        assert wait_done(b, handle).status is JobStatus.SUCCEEDED
        b.fetch_artifacts(handle, tmp_path / "local")
        b.release_idle()
        assert fake.calls("DELETE", rf"/api/v0/instances/{inst.id}/")
        assert b.costs()[0].state == "destroyed"
        b.release()  # idempotent: nothing destroyed twice
        assert len(fake.calls("DELETE", rf"/api/v0/instances/{inst.id}/")) == 1

    def test_budget_spent_rents_nothing_more(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """Once max_total_cost is spent, a host without an instance rents none."""
        now = [time.time()]
        config = VastConfig.from_table(table(fake, tmp_path, sshd, instances=2, max_total_cost=1.0))
        b = VastBackend(config, project, sleep=Sleeps(), clock=lambda: now[0])
        b.submit(spec(b))
        now[0] += 10 * 3600  # ten hours at $0.25/h
        assert b.spent() == pytest.approx(2.5, rel=0.01)
        second = spec(b, "R002")
        second = JobSpec(
            place=ProjectLayout.place(second.run_id, second.attempt_id),
            argv=second.argv,
            slots=(Slot(host="vast-1", gpu=0),),
        )
        with pytest.raises(BackendError, match="max_total_cost"):
            b.submit(second)
        assert len(fake.calls("PUT", r"/api/v0/asks/\d+/")) == 1
        b.release()

    def test_copy_failure_keeps_the_instance(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """A failed copy-back says the instance is kept, and release does not destroy it."""
        b, _ = backend(fake, tmp_path, project, sshd, auto_destroy=True)
        handle = b.submit(spec(b))
        assert wait_done(b, handle).status is JobStatus.SUCCEEDED
        shutil.rmtree(handle.locator["attempt_dir"])
        with pytest.raises(BackendError, match=r"is kept, not destroyed"):
            b.fetch_artifacts(handle, tmp_path / "local")
        b.release()
        assert fake.calls("DELETE", r"/api/v0/instances/\d+/") == []
        assert len(fake.instances) == 1
        assert b.costs()[0].state == "kept"
        # Counted in words: it read "1 attempt(s) could not be copied back" (session 38).
        assert b.costs()[0].note == "1 attempt could not be copied back"

    def test_no_auto_destroy_keeps_the_instance(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """Without auto_destroy nothing is destroyed, even after a clean copy."""
        b, _ = backend(fake, tmp_path, project, sshd)
        handle = b.submit(spec(b))
        assert wait_done(b, handle).status is JobStatus.SUCCEEDED
        b.fetch_artifacts(handle, tmp_path / "local")
        b.release()
        assert fake.calls("DELETE", r"/api/v0/instances/\d+/") == []

    def test_crash_after_launch_is_found_by_label(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """A fresh backend finds the attempt by the instance label and never rents a second."""
        first, _ = backend(fake, tmp_path, project, sshd)
        s = spec(first)
        handle = first.submit(s)
        first.release()  # the process "crashes"; the instance stays

        second, _ = backend(fake, tmp_path, project, sshd)
        found = second.find(s.place)
        assert found is not None
        assert found.locator["instance_id"] == handle.locator["instance_id"]
        again = second.submit(s)
        assert again.locator["attempt_dir"] == handle.locator["attempt_dir"]
        assert len(fake.calls("PUT", r"/api/v0/asks/\d+/")) == 1
        assert wait_done(second, again).status is JobStatus.SUCCEEDED
        second.release()

    def test_crash_after_create_adopts_the_instance(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """An instance rented for an attempt that never launched is adopted, not rented again."""
        fake.ssh_port = sshd.port
        b, _ = backend(fake, tmp_path, project, sshd)
        s = spec(b)
        inst = fake.add_instance(
            f"{project_label(project)}vast-0:{s.attempt_id}", ["loading", "running"]
        )
        assert b.find(s.place) is None  # the instance is there, the attempt is not
        handle = b.submit(s)
        assert handle.locator["instance_id"] == str(inst.id)
        assert fake.calls("PUT", r"/api/v0/asks/\d+/") == []
        assert wait_done(b, handle).status is JobStatus.SUCCEEDED
        b.release()

    def test_vanished_instance_is_lost(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """An instance destroyed behind bridge's back makes its runs LOST, naming it."""
        b, _ = backend(fake, tmp_path, project, sshd)
        handle = b.submit(spec(b))
        fake.instances.clear()
        state = b.poll(handle)
        assert state.status is JobStatus.LOST
        assert f"instance {handle.locator['instance_id']} vanished" in state.detail
        b.release()

    def test_ssh_unreachable_while_running_is_lost_after_grace(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, own_sshd: SshServer
    ) -> None:
        """SSH down while the API says running: retried (RUNNING) within the bound, then LOST."""
        b, _ = backend(fake, tmp_path, project, own_sshd, lost_grace_seconds=0.5)
        s = spec(b)
        handle = b.submit(s)
        own_sshd.stop()
        first = b.poll(handle)
        assert first.status is not JobStatus.LOST
        assert "will retry" in first.detail
        deadline = time.monotonic() + 20
        while (state := b.poll(handle)).status is not JobStatus.LOST:
            assert time.monotonic() < deadline, state
            b.wait([handle], 0.2)
        assert "unreachable" in state.detail
        b.release()

    def test_reuse_instance_id_is_never_destroyed(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path, sshd: SshServer
    ) -> None:
        """instance_id runs on that instance, rents nothing and is kept even with auto_destroy."""
        fake.ssh_port = sshd.port
        inst = fake.add_instance("my own box")
        t = table(fake, tmp_path, sshd, auto_destroy=True)
        del t["query"], t["image"]
        t["instance_id"] = inst.id
        b = VastBackend(VastConfig.from_table(t), project, sleep=Sleeps())
        assert b.preflight()
        handle = b.submit(spec(b))
        assert handle.locator["instance_id"] == str(inst.id)
        assert wait_done(b, handle).status is JobStatus.SUCCEEDED
        b.fetch_artifacts(handle, tmp_path / "local")
        b.release()
        assert fake.calls("PUT", r"/api/v0/asks/\d+/") == []
        assert fake.calls("DELETE", r"/api/v0/instances/\d+/") == []


class TestOrphans:
    def test_gc_reports_and_destroys_orphans(
        self, fake: FakeVast, key: str, tmp_path: Path, project: Path
    ) -> None:
        """Labelled instances the log does not show active are orphans; others are left alone."""
        b, _ = backend(fake, tmp_path, project)
        prefix = project_label(project)
        live = fake.add_instance(prefix + "vast-0:R001-a1")
        pending = fake.add_instance(prefix + "vast-0:R002-a1", ["loading"])
        orphan = fake.add_instance(prefix + "vast-0:R003-a1", ["exited"])
        other = fake.add_instance("bridge:someone-else-1234abcd:vast-0:R001-a1")
        handles = [
            JobHandle(backend="vast", attempt_id="R001-a1", locator={"instance_id": str(live.id)})
        ]
        found = b.orphans(handles=handles, attempt_ids=["R002-a1"])
        assert [o.instance_id for o in found] == [orphan.id]
        assert found[0].status == "exited"
        b.destroy_instance(orphan.id)
        assert set(fake.instances) == {live.id, pending.id, other.id}
        with pytest.raises(BackendError, match="not as one of this project's"):
            b.destroy_instance(other.id)
        assert other.id in fake.instances


REPO = Path(__file__).resolve().parents[4]
QUICKSTART = REPO / "examples" / "quickstart"
# This checkout's command line (an installed `bridge` script may belong to another checkout).
MAIN = "import sys; from bridge.cli import main; sys.exit(main())"


class TestGcCommand:
    def gc(self, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `bridge gc` on the project in a child process."""
        return subprocess.run(
            [sys.executable, "-c", MAIN, "gc", "--project", str(project), *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
            env={**os.environ, KEY_ENV: KEY, "COLUMNS": "200", "PYTHONPATH": str(REPO)},
            stdin=subprocess.DEVNULL,
            check=False,
        )

    @pytest.fixture
    def vast_project(self, tmp_path: Path, fake: FakeVast) -> Path:
        """The quickstart, switched to backend = "vast" against the fake."""
        root = tmp_path / "quickstart"
        shutil.copytree(QUICKSTART, root, ignore=shutil.ignore_patterns(".bridge", "runs"))
        toml = root / "bridge.toml"
        text = toml.read_text().replace('backend = "local"', 'backend = "vast"')
        lines = [f"{k} = {json.dumps(v)}" for k, v in table(fake, tmp_path).items()]
        toml.write_text(text + "\n[backends.vast]\n" + "\n".join(lines) + "\n")
        return root

    def test_lists_then_destroys_with_yes(self, fake: FakeVast, vast_project: Path) -> None:
        """`bridge gc` lists an orphan and leaves it; `--destroy --yes` destroys only it."""
        orphan = fake.add_instance(project_label(vast_project) + "vast-0:R009-a1", ["running"])
        stranger = fake.add_instance("someone else's")
        listed = self.gc(vast_project)
        assert listed.returncode == 0, listed.stderr
        assert str(orphan.id) in listed.stdout
        assert str(stranger.id) not in listed.stdout
        assert set(fake.instances) == {orphan.id, stranger.id}
        refused = self.gc(vast_project, "--destroy")
        assert refused.returncode == 2 and "--yes" in refused.stderr
        assert orphan.id in fake.instances
        done = self.gc(vast_project, "--destroy", "--yes")
        assert done.returncode == 0, done.stderr
        assert f"destroyed instance {orphan.id}" in done.stdout
        assert set(fake.instances) == {stranger.id}

    def test_other_backend_is_refused(self, tmp_path: Path) -> None:
        """On a project without rented instances, gc says so with exit 2."""
        root = tmp_path / "quickstart"
        shutil.copytree(QUICKSTART, root, ignore=shutil.ignore_patterns(".bridge", "runs"))
        result = self.gc(root)
        assert result.returncode == 2
        assert "rents none" in result.stderr
