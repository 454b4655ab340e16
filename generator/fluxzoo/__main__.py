"""`python -m fluxzoo` is the same command as `fluxzoo`."""

from fluxzoo.cli import main

raise SystemExit(main())
