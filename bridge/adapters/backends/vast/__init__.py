"""
The Vast.ai backend: the vastai SDK for instances and costs, SSH (from ``..ssh``) for the jobs.
"""
