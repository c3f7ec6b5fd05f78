"""
The state machine, pure: the pipeline's stages and the runs' states, the fold from the log to the
state, the scheduler, the judge of the plan's criteria, the training-quality checks, and the
ports (Protocols) through which the pipeline reaches the adapters.
"""
