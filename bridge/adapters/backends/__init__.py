"""
The backends: where an attempt runs (this machine, SSH servers, Slurm, Vast.ai, Modal), one
subpackage each behind the :class:`~bridge.machine.backend_port.Backend` port, and the
collection of an attempt's outputs they share.
"""
