"""Text normalisation for the index and for queries (pure, no I/O).

The same function turns a product's text into index terms and a shopper's query into query
terms, so both sides always agree:
- NFKC, then lower case; Latin letters lose their accents ("crème" -> "creme");
- Han runs are segmented with jieba's search mode (`cut_for_search`: "儿童运动鞋" -> 儿童,
  运动, 运动鞋); the index also keeps every single Han character of a word, so a query
  segmented differently ("儿童鞋" -> 儿童, 鞋) still meets the product;
- Latin words get a light plural stemming (berries -> berry, chaussures -> chaussure,
  shoes -> shoe), words of one letter are dropped.
Typo tolerance (`edits1`): a Latin query term absent from the vocabulary is replaced by the
indexed terms one edit away (deletion, transposition, substitution, insertion)."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from typing import Any

_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
MIN_TYPO_LENGTH = 4  # shorter words have too many neighbours to guess from
MAX_TERM_LENGTH = 60

_jieba_lock = threading.Lock()
_jieba: Any = None


def _segmenter() -> Any:
    """jieba, initialised once (its dictionary loads in about a second) and quiet."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                with warnings.catch_warnings():  # its regexes use invalid escapes
                    warnings.simplefilter("ignore", DeprecationWarning)
                    import jieba

                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def warm_up() -> None:
    """Load jieba's dictionary now rather than on the first Chinese query."""
    _segmenter()


def fold(text: str) -> str:
    """Lower case, compatibility forms unified, accents of Latin letters removed."""
    lowered = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def is_han(term: str) -> bool:
    return _HAN.match(term) is not None


def stem(word: str) -> str:
    """A light plural stemmer for English and French; leaves short words alone."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith(("s", "x")):
        return word[:-1]
    return word


def _words(text: str) -> Iterator[tuple[str, bool]]:
    for match in _TOKEN.finditer(fold(text)):
        word = match.group()
        yield word, is_han(word)


def index_terms(text: str) -> list[str]:
    """Terms to index for `text`, in order (repeats kept, for relevance)."""
    terms: list[str] = []
    for word, han in _words(text):
        if han:
            for part in _segmenter().cut_for_search(word):
                terms.append(part)
                if len(part) > 1:
                    terms.extend(part)
        elif len(word) > 1:
            terms.append(stem(word)[:MAX_TERM_LENGTH])
    return terms


def query_terms(text: str) -> list[str]:
    """Terms of a query, distinct, in order. Every one must match (AND)."""
    terms: list[str] = []
    for word, han in _words(text):
        parts = list(_segmenter().cut_for_search(word)) if han else [stem(word)]
        for part in parts:
            part = part.strip()[:MAX_TERM_LENGTH]
            if part and (han or len(part) > 1) and part not in terms:
                terms.append(part)
    return terms


def prefix_terms(text: str) -> list[str]:
    """Terms of an autocomplete prefix: like a query, but the last word is not stemmed
    (it is being typed) and a single letter is kept."""
    words = list(_words(text))
    if not words:
        return []
    *head, (last, han) = words
    terms = query_terms(" ".join(word for word, _ in head))
    tail = list(_segmenter().cut(last)) if han else [last]
    for part in tail:
        if part and part not in terms:
            terms.append(part[:MAX_TERM_LENGTH])
    return terms


def typo_candidates(term: str) -> list[str]:
    """Terms one edit away from a Latin term (empty for Han or short terms)."""
    if is_han(term) or len(term) < MIN_TYPO_LENGTH:
        return []
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    found: set[str] = set()
    for left, right in splits:
        if right:
            found.add(left + right[1:])
            for letter in LATIN_ALPHABET:
                found.add(left + letter + right[1:])
        if len(right) > 1:
            found.add(left + right[1] + right[0] + right[2:])
        for letter in LATIN_ALPHABET:
            found.add(left + letter + right)
    found.discard(term)
    return sorted(found)
