"""``python -m latentlab``: the command line, where the ``latentlab`` script is not installed."""
import sys

from latentlab.cli import main

sys.exit(main())
