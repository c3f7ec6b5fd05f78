"""
The Slurm backend: configuration, the batch-script and queue protocol (pure), the shells that
run Slurm's commands (here, or on a login node over SSH), and the backend itself.
"""
