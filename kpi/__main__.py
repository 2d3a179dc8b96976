"""Entry point of ``python -m kpi``."""
from kpi.cli import main

raise SystemExit(main())
