"""Build tempdata's committed reference data (``reference_data/``); see ``refdata.build``.

Usage::

    python scripts/build_reference_data.py [--out reference_data]
"""

from __future__ import annotations

import sys
from pathlib import Path

# this checkout's refdata package, and its tempdata (the build shares a few rules with
# the runtime, e.g. tempdata.geo.cities.core_radius_km), before any installed copy
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from refdata.build import main  # noqa: E402 (needs the paths above)

if __name__ == "__main__":
    raise SystemExit(main())
