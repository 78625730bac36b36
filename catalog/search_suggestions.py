""" "Did you mean …?": a mistyped search word replaced by the closest word of the catalogue.

The catalogue's vocabulary is the words of the public products' titles in the visitor's language, of
their product types and of their producers' names, each kept as the catalogue writes it (with its
accents) under its folded form. It is read once per language and kept in the cache; the products read
are bounded (the newest `VOCABULARY_PRODUCTS`), and so is the work per query (`QUERY_WORDS` words,
difflib's ratio over the vocabulary). The same on PostgreSQL and SQLite.
"""

import difflib
import re

from django.core.cache import cache
from django.utils.translation import get_language
from oscar.core.loading import get_model

from catalog.search import fold

Product = get_model("catalogue", "Product")

VOCABULARY_PRODUCTS = 2000
VOCABULARY_SECONDS = 600
QUERY_WORDS = 6
MIN_WORD_LENGTH = 3
# difflib's ratio: "aragn" → "argan" 0.80, "safron" → "safran" 0.83, "argane" → "argan" 0.91,
# while "safron" → "savon" is 0.73.
CUTOFF = 0.75
WORD = re.compile(r"[^\W\d_]+")


def _language() -> str:
    return (get_language() or "fr")[:2]


def catalogue_vocabulary() -> dict[str, str]:
    """{folded word: the word as the catalogue writes it}, for the active language, cached."""
    language = _language()
    key = f"terroir:search-vocabulary:{language}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = _vocabulary_read(language=language)
        cache.set(key, vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def _vocabulary_read(*, language: str) -> dict[str, str]:
    title = {"en": "title_en", "ar": "title_ar"}.get(language)
    fields = ["title", *([title] if title else []), "product_class__name"]
    rows = Product.objects.browsable().order_by("-date_created", "-pk")[:VOCABULARY_PRODUCTS]
    producers = (
        Product.objects.browsable()
        .order_by()
        .values_list("stockrecords__partner__name", flat=True)
        .distinct()
    )
    texts = []
    for values in rows.values_list(*fields):
        title_fr, *translated, type_name = values
        texts += [(translated[0] if translated and translated[0] else title_fr), type_name]
    texts += list(producers)
    vocabulary: dict[str, str] = {}
    for text in texts:
        for word in WORD.findall(text or ""):
            folded = fold(word)
            if len(folded) >= MIN_WORD_LENGTH:
                vocabulary.setdefault(folded, word.lower())
    return vocabulary


def search_suggestion(query: str) -> str | None:
    """The query with each word the catalogue does not know replaced by its closest catalogue word,
    or None when no word needed (or found) a replacement."""
    vocabulary = catalogue_vocabulary()
    if not vocabulary:
        return None
    words = list(vocabulary)
    seen = 0
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal seen, changed
        seen += 1
        word = match.group(0)
        folded = fold(word)
        if seen > QUERY_WORDS or len(folded) < MIN_WORD_LENGTH or folded in vocabulary:
            return word
        closest = difflib.get_close_matches(folded, words, n=1, cutoff=CUTOFF)
        if not closest:
            return word
        changed = True
        return vocabulary[closest[0]]

    suggestion = WORD.sub(replace, query)
    return suggestion if changed else None
