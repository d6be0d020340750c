"""`datasets.load_dataset` on a local folder, each call with a cache of its own.

`datasets` keys its cache by the folder's name and the config, not by the files in it, and every export
folder is called `export`: two runs loaded in one session would otherwise share a cache entry, and the
second load would return the first run's rows (which test ran first then decides what passes).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def load_local(folder: str | Path, name: str):
    from datasets import load_dataset

    base = os.environ.get("HF_DATASETS_CACHE") or None
    return load_dataset(str(folder), name, cache_dir=tempfile.mkdtemp(prefix="load-", dir=base))
