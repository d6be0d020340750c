"""Text facts the checkers share (sentences, words, tokens, language), memoised per text.

`tokens` holds the API; `punkt` and `language` are exact, faster equivalents of nltk's punkt/Treebank and of
langdetect, held to the originals by tests/constraints/text/.
"""

from .tokens import (
    clear_caches,
    count_sentences,
    count_words,
    detect_language,
    nltk_data_dir,
    split_sentences,
    stopwords_en,
    treebank_tokens,
    word_tokens,
)

__all__ = [
    "clear_caches", "count_sentences", "count_words", "detect_language", "nltk_data_dir", "split_sentences",
    "stopwords_en", "treebank_tokens", "word_tokens",
]  # fmt: skip
