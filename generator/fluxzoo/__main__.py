"""`python -m fluxzoo` is the same command as `fluxzoo`."""

from fluxzoo._start import main

raise SystemExit(main())
