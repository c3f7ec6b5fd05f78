"""
The local backend: attempts as process groups on this machine, started through a POSIX shell
wrapper (``wrapper.sh``) that records pid, exit code and timeouts on disk.
"""
