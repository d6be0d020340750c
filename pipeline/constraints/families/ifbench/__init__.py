"""The 58 IFBench out-of-distribution constraints (allenai/IFBench), all `split="eval_only"`.

These ids score the IFBench benchmark, so they are never used to build training data (compose takes them only
with `compose.include_eval_only`). Semantics follow the current IFBench checkers; the code is ours.
"""

from ...core.contract import definer

define = definer(family="ifbench", split="eval_only", tags=("english",))
