"""One module a command: ``register(subparsers)`` adds its parser, ``run(args)`` (or ``run_<sub>``) runs it."""
# in the order `latentlab --help` lists them
COMMANDS = ("data", "models", "sample", "draw", "train", "export", "evaluate", "reconstruct", "encode", "project",
            "neighbors", "cluster", "audit", "compare", "traverse", "interpolate", "analogy", "decode", "report",
            "serve", "score", "upgrade", "card", "demo")
