"""
Metric sources: the run's own output files (``files``) and Weights & Biases (``wandb``).
"""
