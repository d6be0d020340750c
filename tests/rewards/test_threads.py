"""Rewards computed from a thread pool in a fresh process (open-instruct's async_call runs verifiers in
threads): every thread must see the whole registry, not one another thread is still loading."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
from concurrent.futures import ThreadPoolExecutor
from pipeline.rewards import reward
GT = {"format": "ifgen", "constraints": [{"id": "punctuation:no_comma"}, {"id": "ifgen:max_chars",
      "params": {"max_chars": 50}}]}
with ThreadPoolExecutor(8) as ex:
    print(list(ex.map(lambda i: reward("fine", GT), range(32))).count(1.0))
"""


def test_first_rewards_from_many_threads_see_the_whole_registry():
    proc = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, env=dict(os.environ), timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "32"
