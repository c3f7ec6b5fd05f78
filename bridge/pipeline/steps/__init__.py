"""
The pipeline's stage steps, one module per part of the lifecycle; each step is a function of a
:class:`~bridge.session.Session` that takes one transition and returns the
:class:`~bridge.session.Step`.
"""
