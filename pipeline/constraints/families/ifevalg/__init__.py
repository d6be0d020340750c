"""The 29 open-instruct IFEvalG training constraints (`open_instruct/IFEvalG`), one module per category.

Ids, kwarg names and verdicts are IFEvalG's, so RL rewards trained against open-instruct's checkers get the same
verdicts, including their surprising corners (pinned in tests). Phrasings are our own wording.
"""

from ...core.contract import definer

define = definer(family="ifevalg", split="train")
