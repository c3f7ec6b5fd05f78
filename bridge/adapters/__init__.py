"""
The adapters: everything that talks to the world outside the process (backends, coding agents,
reviewers, metric sources, the GPU probe, the notifier), each implementing a port of
:mod:`bridge.machine.ports`.

Only this layer imports fabric, vastai, modal, httpx or subprocess; the composition root
(:mod:`bridge.pipeline.bootstrap`) is the only place that builds an adapter.
"""
