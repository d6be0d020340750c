"""A progress bar with rate and ETA (tqdm), silent when disabled."""

from __future__ import annotations

import sys


class Progress:
    def __init__(self, name: str, total: int, enabled: bool = True):
        self._bar = None
        if enabled and total:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=name, unit="item", file=sys.stderr, dynamic_ncols=True, mininterval=0.5, smoothing=0.1
            )

    def update(self, n: int, failed: int = 0) -> None:
        if self._bar is not None:
            self._bar.update(n)
            if failed:
                self._bar.set_postfix(failed=failed, refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
