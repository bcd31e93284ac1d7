"""``python -m fundalloc``: see :mod:`fundalloc.cli`."""
import sys

from .cli import main

sys.exit(main())
