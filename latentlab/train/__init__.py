"""Training: the shared loop and log (``loop``), the engines (``fast`` TF2, ``jax``, ``magenta``), ``export``."""
