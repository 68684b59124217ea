"""`python -m benchmarks` (what `make bench` runs)."""

from benchmarks.cli import main

raise SystemExit(main())
