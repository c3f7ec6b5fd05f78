"""
Every section of bridge.toml refuses an unknown key the same way: the one settings reader
(bridge/plan/settings.py) names file:line, the dotted setting and the closest valid key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.adapters.backends.local.backend import LocalBackend
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.adapters.backends.ssh.config import SSHConfig
from bridge.adapters.backends.vast.config import VastConfig
from bridge.errors import ConfigError
from bridge.pipeline import bootstrap
from bridge.plan import load_project
from tests.e2e.tiny import PLAN, TRACKER

RUN = '[run]\ncommand = "python3 -c pass"\n'
SSH_HOST = '[[backends.ssh.hosts]]\nhost = "gpu1"\n'

# (bridge.toml, the misspelt key's line, the setting named, the key suggested)
CASES = [
    ('[metrix]\nprimary = "a"\n', 1, "metrix", "metrics"),
    ("[bridge]\nmax_paralel = 2\n", 2, "bridge.max_paralel", "max_parallel"),
    ('[run]\ncomand = "x"\n', 2, "run.comand", "command"),
    (RUN + '[systems."Method"]\ngpu = 1\n', 4, "systems.Method.gpu", "gpus"),
    (RUN + '[[runs]]\nid = "R9"\nseeds = 1\n', 5, "runs[0].seeds", "seed"),
    (RUN + "[grid]\naxes = { seed = [1] }\nprioriti = 'must'\n", 5, "grid.prioriti", "priority"),
    (
        RUN + "[grid]\naxes = { seed = [1] }\n[[grid.phases]]\nname = 'a'\naxis = {}\n",
        7,
        "grid.phases[0].axis",
        "axes",
    ),
    ('[metrics]\nprimery = "acc"\n', 2, "metrics.primery", "primary"),
    (
        "[[metrics.regex]]\npattern = 'acc (\\\\d+)'\nfiel = 'log.txt'\n",
        3,
        "metrics.regex[0].fiel",
        "file",
    ),
    (
        '[[metrics.extract]]\nname = "m"\nfile = "s.json"\nquery = "a"\nqeury = "b"\n',
        5,
        "metrics.extract[0].qeury",
        "query",
    ),
    (
        '[metrics.wandb]\nentity = "e"\nproject = "p"\nprojetc = "q"\n',
        4,
        "metrics.wandb.projetc",
        "project",
    ),
    (
        '[reviewer]\nkind = "checklist"\non_unavailabel = "block"\n',
        3,
        "reviewer.on_unavailabel",
        "on_unavailable",
    ),
    (
        '[implementer]\nkind = "existing"\ntimeout_second = 5\n',
        3,
        "implementer.timeout_second",
        "timeout_seconds",
    ),
    ('[notify]\nwebhook_url_env = "HOOK"\nformats = "slack"\n', 3, "notify.formats", "format"),
    (
        '[ablations]\ncommand = ["a"]\ntimeout_secs = 5\n',
        3,
        "ablations.timeout_secs",
        "timeout_seconds",
    ),
    ("[backends.local]\ncpu_slot = 2\n", 2, "backends.local.cpu_slot", "cpu_slots"),
    (
        '[bridge]\nbackend = "ssh"\n[backends.ssh]\nremote_dri = "/x"\n' + SSH_HOST,
        4,
        "backends.ssh.remote_dri",
        "remote_dir",
    ),
    (
        '[bridge]\nbackend = "ssh"\n[backends.ssh]\nremote_dir = "/x"\n' + SSH_HOST + "prot = 22\n",
        7,
        "backends.ssh.hosts[0].prot",
        "port",
    ),
    (
        '[bridge]\nbackend = "vast"\n[backends.vast]\nmax_dhp = 1\n',
        4,
        "backends.vast.max_dhp",
        "max_dph",
    ),
    (
        '[bridge]\nbackend = "slurm"\n[backends.slurm]\npartitio = "gpu"\n',
        4,
        "backends.slurm.partitio",
        "partition",
    ),
    (
        '[bridge]\nbackend = "modal"\n[backends.modal]\napp = "a"\ntimout = 5\n',
        5,
        "backends.modal.timout",
        "timeout",
    ),
    (
        '[bridge]\nbackend = "modal"\n[backends.modal]\napp = "a"\n'
        'secrets = [{ name = "s", required_key = ["A"] }]\n',
        5,
        "backends.modal.secrets[0].required_key",
        "required_keys",
    ),
    # Sections kept for another backend are read too (the local backend is the one used).
    ('[backends.modal]\napp = "a"\ntimout = 5\n', 3, "backends.modal.timout", "timeout"),
    ('[backends.slurm]\npartitio = "gpu"\n', 2, "backends.slurm.partitio", "partition"),
    ('[backends.sssh]\nremote_dir = "/x"\n', 1, "backends.sssh", "ssh"),
]


def _check(root: Path, toml: str) -> None:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN)
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER)
    (root / "bridge.toml").write_text(toml)
    project = load_project(root)
    bootstrap.validate(project)
    bootstrap.make_notifier(project)


@pytest.mark.parametrize(("toml", "line", "setting", "suggested"), CASES)
def test_unknown_key_names_file_line_setting_and_closest_key(
    tmp_path: Path, toml: str, line: int, setting: str, suggested: str
) -> None:
    """A misspelt key in any section is a ConfigError at its line, naming it and the key meant."""
    with pytest.raises(ConfigError) as info:
        _check(tmp_path, toml)
    error = info.value
    assert error.file == "bridge.toml", str(error)
    assert error.line == line, str(error)
    assert error.setting == setting, str(error)
    assert f"did you mean {suggested!r}" in error.message, str(error)


def test_a_secret_value_is_never_quoted_back(tmp_path: Path) -> None:
    """A key pasted where a variable's name belongs is refused without repeating it."""
    with pytest.raises(ConfigError) as info:
        _check(
            tmp_path,
            '[bridge]\nbackend = "vast"\n[backends.vast]\napi_key_env = 4242424242\n',
        )
    assert info.value.setting == "backends.vast.api_key_env"
    assert info.value.line == 4
    assert "4242424242" not in str(info.value)


def test_local_backend_takes_its_settings(tmp_path: Path) -> None:
    """[backends.local] reaches the local backend: both settings, none dropped."""
    (tmp_path / "refine-logs").mkdir(parents=True)
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN)
    (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER)
    (tmp_path / "bridge.toml").write_text(
        "[backends.local]\ncpu_slots = 3\ngpu_free_threshold_mib = 1234\n"
    )
    backend = bootstrap.make_backend(load_project(tmp_path))
    assert isinstance(backend, LocalBackend)
    assert (backend.cpu_slots, backend.gpu_free_threshold_mib) == (3, 1234)


def test_an_empty_string_means_the_default_where_it_always_did() -> None:
    """Backend settings written as "" keep their defaults (an empty key_file is no key file)."""
    ssh = SSHConfig.from_table(
        {
            "remote_dir": "/x",
            "code_sync": "",
            "ssh_config": "",
            "hosts": [{"host": "h", "user": "", "key_file": "", "name": ""}],
        }
    )
    assert (ssh.code_sync, ssh.ssh_config) == ("rsync", None)
    assert (ssh.hosts[0].name, ssh.hosts[0].user, ssh.hosts[0].key_file) == ("h", None, None)
    vast = VastConfig.from_table(
        {"instance_id": 3, "api_key_env": "", "order": "", "remote_dir": "", "ssh_user": ""}
    )
    assert (vast.api_key_env, vast.order, vast.remote_dir, vast.ssh_user) == (
        "VAST_API_KEY",
        "dph_total",
        "/root/bridge",
        "root",
    )
    assert SlurmConfig.from_table({"gpu_flag": ""}).gpu_flag == "gres"
