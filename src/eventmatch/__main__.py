"""``python -m eventmatch``: the command line (see :mod:`eventmatch.cli`)."""

from .cli import main

raise SystemExit(main())
