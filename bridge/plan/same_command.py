"""
Runs that claim to differ by seed but would run the very same command.

A plan's "25 seeds" becomes 25 runs, each with its seed; a ``[run] command`` that uses neither
``{seed}`` nor anything else that differs between them (033 trial: ``python3 train.py --out
{output_dir}``) would run one computation 25 times and report its spread as seed variance.
Nothing a run is told apart by reaches it but its command, so such runs are refused before any
launch, naming the setting to change.
"""

from __future__ import annotations

from collections.abc import Mapping

from bridge.errors import ConfigError
from bridge.plan.config import Config
from bridge.plan.run_fields import RunFields
from bridge.plan.templates import AT_LAUNCH, outputs_of, placeholders, render_argv

__all__ = ["refuse_same_commands"]

# Filled in at launch with values every run has its own of, but that no script reads its
# configuration from: they do not tell two runs' computations apart.
_NOT_TELLING = AT_LAUNCH


def refuse_same_commands(launching: Mapping[str, tuple[RunFields, str]], config: Config) -> None:
    """
    Refuse runs with different seeds whose commands, environments and working directories are
    the same (placeholders that every launch fills, such as ``{output_dir}``,
    left as written).

    Args:
        launching: the runs bridge will launch, by id, each with the setting its command
            comes from (``run.command``, ``systems.NAME.command``, ``runs.N.command``).
        config: the parsed bridge.toml (for the setting's line).

    Raises:
        ConfigError: naming the runs, their seeds, and the command's setting.
    """
    groups: dict[tuple[object, ...], list[tuple[str, RunFields, str]]] = {}
    for run_id, (fields, setting) in launching.items():
        if not fields.command:
            continue
        key = _computation(fields)
        if key is not None:
            groups.setdefault(key, []).append((run_id, fields, setting))
    for same in groups.values():
        seeds = sorted({fields.seed for _, fields, _ in same if fields.seed is not None})
        if len(seeds) < 2:
            # Runs of one seed with one command: a configuration run again on purpose, or
            # systems the researcher names apart that run the same thing (a sanity system
            # "Ours sanity" running what "Ours" runs): their commands may say so.
            continue
        _, first, setting = same[0]
        ids = [run_id for run_id, fields, _ in same if fields.seed is not None]
        shown = ", ".join(ids[:6]) + (f", … ({len(ids)} in all)" if len(ids) > 6 else "")
        values = ", ".join(str(seed) for seed in seeds[:6]) + (", …" if len(seeds) > 6 else "")
        raise ConfigError(
            f"runs {shown} have different seeds ({values}) but would all run the same command "
            f"({' '.join(first.command)}): {setting} has no {{seed}}, and a run is given "
            f"nothing but its command, so one computation would run {len(ids)} times and its "
            f"spread would read as seed variance. Add {{seed}} to {setting} (or {{run_id}}, "
            "if your script looks its settings up by run id); if the command runs every seed "
            "itself, list one run per block in the tracker or [[runs]], without seeds",
            setting=setting,
            file=config.file,
            line=config.line_of(setting),
        )


def _computation(spec: RunFields) -> tuple[object, ...] | None:
    """
    What the run would execute: its command rendered with its own values (launch-time ones
    left as written), its environment and working directory; None when it cannot be rendered
    (a missing value, refused elsewhere).
    """
    kept = {
        name: "{" + name + "}"
        for token in spec.command
        for name in placeholders(token)
        if name in _NOT_TELLING or outputs_of(name) is not None
    }
    try:
        argv = render_argv(spec.command, {**spec.params, **kept})
    except ConfigError:
        return None
    return (argv, tuple(sorted(spec.env.items())), spec.cwd)
