"""The 25 IFEval constraints (google-research `instruction_following_eval`), one module per category.

Ids, kwarg names and verdicts are IFEval's, so IFEval input files score unchanged and ifgen's numbers are
comparable with published IFEval scores — including its deliberate quirks (keywords are regexes, forbidden words
match on word boundaries, undecidable language counts as followed). Where the reference would crash or pick a
random value we do the sensible thing, and tests/constraints/families/ifeval/test_ifeval_known_differences.py
pins each case.
Phrasings are our own wording.
"""

from ...core.contract import definer

define = definer(family="ifeval", split="train")
