"""Start the dashboard: ``python -m ui.serve [streamlit options]`` (what ``make run`` does).

Streamlit treats a ``pages/`` folder beside the main script as an old-style (v1) multipage app
until the first run of ``app.py`` calls ``st.navigation``. On a fresh server, a shared link such
as ``/explorer?indicator=G1.INET`` would then run the page file on its own, without the global
filters of ``app.py``. This launcher declares the app a ``st.navigation`` app before the server
starts, so that every link works from the first request.
"""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str]) -> int:
    """Run ``streamlit run app.py`` in this process with ``argv`` as extra options."""
    PagesManager.uses_pages_directory = False
    return cli.main(args=["run", str(APP), *argv], prog_name="streamlit", standalone_mode=False) or 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
