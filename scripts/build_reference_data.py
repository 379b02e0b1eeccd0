"""Build tempdata's committed reference data (``reference_data/``); see ``refdata.build``.

Usage::

    python scripts/build_reference_data.py [--out reference_data]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refdata.build import main

if __name__ == "__main__":
    raise SystemExit(main())
