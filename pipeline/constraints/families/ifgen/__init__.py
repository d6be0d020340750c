"""ifgen's own constraints: what real assistant answers need beyond the reference sets (tables, code fences,
steps, structured data, sentence and length shapes, content bans), one module per category."""

from ...core.contract import definer

define = definer(family="ifgen", split="train")
