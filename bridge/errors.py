"""
The one exception tree of bridge.

Every error bridge raises on purpose derives from :class:`BridgeError`, so an embedder can catch
one class. The command line maps the branches to exit codes (``ConfigError`` and ``PlanError``
exit 2, everything else 1)::

    BridgeError
    ├── InputError                 bad input from the user: exit code 2
    │   ├── PlanError              a plan, tracker, proposal or idea file (file:line + message)
    │   ├── ConfigError            bridge.toml or an option (the setting's name, file:line if known)
    │   ├── UnknownRunError        a run id that the plan does not have
    │   └── SecretError            a secret value was about to enter the log (from configuration)
    ├── TransitionError            an illegal stage or run-state transition (names the seq if any)
    ├── ConcurrencyError           optimistic-concurrency conflict on an event stream
    ├── IntegrityError             the hash chain or a projection does not match the log
    ├── StoreError                 the event log cannot be read or written (not a database,
    │                              locked past the timeout, disk full)
    ├── LockedError                another bridge process holds the project lock
    ├── BackendError               a backend failed
    │   ├── BackendUnavailable     the backend cannot be reached or is not configured
    │   │   └── BackendConfigError the backend refused our configuration (key, host key,
    │   │                          credentials); also a ConfigError, so exit code 2
    │   └── JobNotFound            a handle the backend does not know
    ├── ReviewError                the reviewer failed (transport, retries exhausted, bad reply)
    └── ImplementError             the implementer failed (agent command, clone of base_repo)
"""

from __future__ import annotations

__all__ = [
    "BackendConfigError",
    "BackendError",
    "BackendUnavailable",
    "BridgeError",
    "ConcurrencyError",
    "ConfigError",
    "ImplementError",
    "InputError",
    "IntegrityError",
    "JobNotFound",
    "LockedError",
    "PlanError",
    "ReviewError",
    "SecretError",
    "StoreError",
    "TransitionError",
    "UnknownRunError",
]


class BridgeError(Exception):
    """
    Base of every error bridge raises on purpose.
    """


class InputError(BridgeError):
    """
    The user's input (plan files, bridge.toml, options, arguments) is wrong; exit code 2.
    """


class PlanError(InputError):
    """
    A plan, tracker, proposal or idea file could not be read.

    Args:
        message: what is wrong, for a person.
        file: the file's path as the user would name it, if known.
        line: the 1-based line, if known.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        where = file or ""
        if file and line:
            where = f"{file}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(InputError):
    """
    A configuration value (bridge.toml, an override line, ``-o key=value``) is wrong or missing.

    Args:
        message: what is wrong, naming the setting.
        setting: the dotted name of the setting (``backends.ssh.remote_dir``), if one.
        file: the configuration file, if the value came from one, named from the project root
            (``bridge.toml``) as plan files are, whichever stage found the mistake.
        line: the 1-based line in that file, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        setting: str | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.setting = setting
        self.file = file
        self.line = line
        where = f"{file}:{line}" if file and line else (file or "")
        super().__init__(f"{where}: {message}" if where else message)


class UnknownRunError(InputError):
    """
    A run id was named that the plan does not contain.
    """


class TransitionError(BridgeError):
    """
    A stage or run-state transition that the state machine does not allow.

    Args:
        message: what was attempted.
        seq: the global sequence number of the offending event, when it came from the log.
    """

    def __init__(self, message: str, *, seq: int | None = None) -> None:
        self.seq = seq
        super().__init__(f"seq {seq}: {message}" if seq is not None else message)


class ConcurrencyError(BridgeError):
    """
    An append found its stream at another version than expected (someone else appended first).
    """


class IntegrityError(BridgeError):
    """
    The log's hash chain is broken, or a projection on disk does not match the log.

    Args:
        message: what does not match.
        seq: the first bad sequence number, when the chain is at fault.
        path: the drifted file, when a projection is at fault.
    """

    def __init__(self, message: str, *, seq: int | None = None, path: str | None = None) -> None:
        self.seq = seq
        self.path = path
        super().__init__(message)


class StoreError(BridgeError):
    """
    The event log cannot be opened, read or written: the file is not a bridge log, it stayed
    locked past the busy timeout, or the disk is full. Nothing is written when this is raised.
    """


class SecretError(InputError):
    """
    A value that looks like a secret was about to be written to the log.

    Only user input carries such values (an ``env`` or ``args`` table in bridge.toml), so this is
    bad input: put the secret in the environment and name the variable instead.
    """


class LockedError(BridgeError):
    """
    Another bridge process holds this project's lock.
    """


class BackendError(BridgeError):
    """
    A backend failed to do what was asked.
    """


class BackendUnavailable(BackendError):
    """
    A backend cannot be reached, is not configured, or refused our credentials.
    """


class BackendConfigError(BackendUnavailable, ConfigError):
    """
    The backend refused what the configuration gave it (a key, a host key, an API token).

    Both a ``BackendUnavailable`` (the backend cannot be used) and a ``ConfigError`` (the user
    must change a setting), so the command line exits 2 and names the setting.
    """


class JobNotFound(BackendError):
    """
    The backend does not know the job a handle names.
    """


class ReviewError(BridgeError):
    """
    The reviewer could not produce a review (transport failure, retries exhausted, bad reply).
    """


class ImplementError(BridgeError):
    """
    The implementer could not run (agent command failed to start, base_repo clone failed).
    """
