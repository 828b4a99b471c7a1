"""``python -m latentlab``: the command line, where the ``latentlab`` script is not installed."""
from latentlab.cli import main

main()
