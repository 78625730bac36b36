"""Database-backed product search, filters, facets and sorting for the category and search pages.

PostgreSQL: full-text search over French, English and Arabic texts (per-language configurations,
accents removed with `unaccent`); when no word matches, `pg_trgm` word similarity on titles, product
types and producer names, so a typo ("safron", "aragn", "tifawine") still finds the products.
SQLite (laptops): case- and accent-insensitive substring matching on the same texts.
Either way a mistyped query also gets a "did you mean" suggestion (`catalog.search_suggestions`).
"""

import hashlib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.regions import REGION_CHOICES
from catalog.selectors import products_certified_for_label_q

Product = get_model("catalogue", "Product")
QualityLabel = get_model("catalogue", "QualityLabel")
StockRecord = get_model("partner", "StockRecord")

SEARCH_FIELDS = ("title", "title_en", "title_ar", "description", "description_en", "origin_commune")
# What `search_document_expression` and `search_title_expression` read: a save touching none of
# these leaves the stored document as it was (stock records and attributes are not in it).
SEARCH_DOCUMENT_FIELDS = frozenset(
    ("title", "title_en", "title_ar", "description", "description_en", "description_ar", "origin_commune")
)
# (key, label, lowest price included, highest price excluded) in MAD
PRICE_RANGES = (
    ("0-50", _("Under 50 MAD"), None, Decimal(50)),
    ("50-100", _("50 to 100 MAD"), Decimal(50), Decimal(100)),
    ("100-200", _("100 to 200 MAD"), Decimal(100), Decimal(200)),
    ("200-500", _("200 to 500 MAD"), Decimal(200), Decimal(500)),
    ("500-", _("500 MAD and more"), Decimal(500), None),
)
# Typo fallback (PostgreSQL): a product is kept when the query's trigram word similarity to its titles,
# type or producer name reaches FUZZY_FLOOR and is within FUZZY_SPREAD of the best product's. On the
# demo catalogue "aragn" scores 0.33 on the argan titles (a transposition shares few trigrams),
# "safron" 0.67 on the saffron ones, while unrelated words stay ≤ 0.30 ("savon" for "safron"). A
# type or producer name counts for NAME_WEIGHT of its similarity: a long name ("Aromatiques du Haut
# Atlas") shares a few trigrams with many short words ("aragn" 0.33) without being what was meant.
FUZZY_FLOOR = 0.32
FUZZY_SPREAD = 0.15
NAME_WEIGHT = 0.9
SORTS = {
    "relevance": _("Relevance"),
    "price-asc": _("Price, lowest first"),
    "price-desc": _("Price, highest first"),
    "newest": _("Newest"),
}


def fold(text: str) -> str:
    """Lower-case text without accents (Arabic letters are kept, only their diacritics go)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class ListingFilters:
    query: str = ""
    product_type: str = ""
    region: str = ""
    producer: str = ""
    label: str = ""
    price: str = ""
    in_stock: bool = False
    sort: str = ""

    @property
    def needs_distinct(self) -> bool:
        """Producer, label, price and stock filters join stock records or labels (many per product)."""
        return bool(self.producer or self.label or self.price or self.in_stock)

    def cache_key(self) -> str:
        """What the facet counts depend on (not the sort or the page)."""
        return "|".join(
            (self.query, self.product_type, self.region, self.producer, self.label, self.price)
            + (str(self.in_stock),)
        )

    @classmethod
    def from_querydict(cls, params) -> "ListingFilters":
        sort = params.get("sort", "")
        return cls(
            query=params.get("q", "").strip()[:200],
            product_type=params.get("type", ""),
            region=params.get("region", ""),
            producer=params.get("producer", ""),
            label=params.get("label", ""),
            price=params.get("price", "") if params.get("price", "") in dict_price_ranges() else "",
            in_stock=params.get("in_stock") in ("1", "on", "true"),
            sort=sort if sort in SORTS else "",
        )


def dict_price_ranges() -> dict:
    return {key: (low, high) for key, __, low, high in PRICE_RANGES}


def _price_subquery():
    return Subquery(StockRecord.objects.filter(product=OuterRef("pk")).order_by("price").values("price")[:1])


def _price_range_q(low, high) -> Q:
    q = Q()
    if low is not None:
        q &= Q(stockrecords__price__gte=low)
    if high is not None:
        q &= Q(stockrecords__price__lt=high)
    return q


@dataclass
class SearchResult:
    products: object  # the narrowed queryset, annotated with `relevance`
    approximate: bool = False  # found by similarity, not by the words typed: worth a suggestion


def products_search(products, *, query: str) -> SearchResult:
    """Narrow `products` to those matching `query`, annotated with `relevance`."""
    if not query:
        return SearchResult(products.annotate(relevance=Value(0.0)))
    if connection.vendor == "postgresql":
        return _products_search_postgres(products, query=query)
    folded = fold(query)
    words = [word for word in folded.split() if len(word) > 1] or [folded]
    # SQLite's LIKE folds ASCII case only, so compare against the texts folded in Python.
    matching = [
        pk
        for pk, *texts in products.values_list("pk", *SEARCH_FIELDS)
        if all(any(word in fold(text or "") for text in texts) for word in words)
    ]
    return SearchResult(products.filter(pk__in=matching).annotate(relevance=Value(1.0)))


def search_document_expression():
    """The weighted fr/en/ar document stored in `Product.search_document` (PostgreSQL expression)."""
    from django.contrib.postgres.lookups import Unaccent
    from django.contrib.postgres.search import SearchVector

    def vector(name, config, weight):
        return SearchVector(Unaccent(F(name)), config=config, weight=weight)

    return (
        vector("title", "french", "A")
        + vector("title_en", "english", "A")
        + SearchVector("title_ar", config="simple", weight="A")
        + vector("origin_commune", "simple", "B")
        + vector("description", "french", "C")
        + vector("description_en", "english", "C")
        + SearchVector("description_ar", config="simple", weight="C")
    )


def search_title_expression():
    """Titles in every language, lower-cased without accents: what the trigram typo search compares."""
    from django.contrib.postgres.lookups import Unaccent

    return Lower(Unaccent(Concat(F("title"), Value(" "), F("title_en"), Value(" "), F("title_ar"))))


def _products_search_postgres(products, *, query: str):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    folded = fold(query)
    search_query = (
        SearchQuery(folded, config="french", search_type="websearch")
        | SearchQuery(folded, config="english", search_type="websearch")
        | SearchQuery(folded, config="simple", search_type="websearch")
    )
    # The stored document is GIN-indexed (migration 0035); products_search_index keeps it current.
    matching = products.filter(search_document=search_query)
    if matching.exists():
        return SearchResult(matching.annotate(relevance=SearchRank(F("search_document"), search_query)))
    return SearchResult(_products_search_similar(products, folded=folded), approximate=True)


def _products_search_similar(products, *, folded: str):
    """No word matched: the visitor probably mistyped. Products ranked by the best trigram word
    similarity of the query to their titles (all languages), their type or their producer's name,
    keeping those close to the best match. Only runs when full-text search found nothing."""
    from django.contrib.postgres.lookups import Unaccent
    from django.contrib.postgres.search import TrigramWordSimilarity

    producer_name = Subquery(
        StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("partner__name")[:1]
    )
    query = Value(folded)
    similarity = Greatest(
        TrigramWordSimilarity(query, F("search_title")),
        TrigramWordSimilarity(query, Lower(Unaccent(F("product_class__name")))) * NAME_WEIGHT,
        TrigramWordSimilarity(query, Lower(Unaccent(Coalesce(producer_name, Value(""))))) * NAME_WEIGHT,
    )
    scored = products.annotate(relevance=similarity).filter(relevance__gte=FUZZY_FLOOR)
    best = scored.aggregate(best=Max("relevance"))["best"]
    if best is None:
        return scored
    return scored.filter(relevance__gte=max(FUZZY_FLOOR, best - FUZZY_SPREAD))


def products_filter(products, *, filters: ListingFilters):
    """Apply the facet filters the visitor chose; each one narrows the result."""
    if filters.product_type:
        products = products.filter(product_class__slug=filters.product_type)
    if filters.region:
        products = products.filter(origin_region=filters.region)
    if filters.producer:
        products = products.filter(stockrecords__partner__slug=filters.producer)
    if filters.label:
        products = products.filter(products_certified_for_label_q(label_code=filters.label))
    if filters.price:
        products = products.filter(_price_range_q(*dict_price_ranges()[filters.price]))
    if filters.in_stock:
        products = products.filter(stockrecords__num_in_stock__gt=0)
    return products


def products_sort(products, *, sort: str, searching: bool):
    sort = sort or ("relevance" if searching else "newest")
    if sort == "relevance" and searching:
        return products.order_by("-relevance", "-date_created", "-pk")
    if sort in ("price-asc", "price-desc"):
        products = products.annotate(sort_price=_price_subquery())
        order = (
            F("sort_price").asc(nulls_last=True)
            if sort == "price-asc"
            else F("sort_price").desc(nulls_last=True)
        )
        return products.order_by(order, "-pk")
    return products.order_by("-date_created", "-pk")


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facets:
    total: int = 0
    product_type: list = field(default_factory=list)
    region: list = field(default_factory=list)
    producer: list = field(default_factory=list)
    label: list = field(default_factory=list)
    price: list = field(default_factory=list)
    in_stock: int = 0


def products_facets_cached(products, *, filters: ListingFilters, key: str = "") -> Facets:
    """`products_facets`, kept TERROIR_FACET_CACHE_SECONDS: counts over the whole result set are the
    costly part of a listing page (O(products)), and are the same for every visitor and page number.
    """
    seconds = getattr(settings, "TERROIR_FACET_CACHE_SECONDS", 0)
    if not seconds:
        return products_facets(products, filters=filters)
    digest = hashlib.sha256(f"{key}|{filters.cache_key()}".encode()).hexdigest()[:32]
    cache_key = f"terroir:facets:{get_language()}:{timezone.localdate()}:{digest}"
    facets = cache.get(cache_key)
    if facets is None:
        facets = products_facets(products, filters=filters)
        cache.set(cache_key, facets, seconds)
    return facets


def products_facets(products, *, filters: ListingFilters, today=None) -> Facets:
    """Counts per facet value over the current result set, in two queries.

    Counts are per (product, stock record); each product is sold by one producer on this marketplace.
    """
    today = today or timezone.localdate()
    matching = Product.objects.filter(pk__in=products.values("pk"))
    price_bucket = Case(
        *[When(_price_range_q(low, high), then=Value(key)) for key, __, low, high in PRICE_RANGES],
        default=Value(""),
        output_field=CharField(),
    )
    rows = (
        matching.values(
            "product_class__slug",
            "product_class__name",
            "origin_region",
            "stockrecords__partner__slug",
            "stockrecords__partner__name",
        )
        .annotate(
            bucket=price_bucket,
            stocked=Case(
                When(stockrecords__num_in_stock__gt=0, then=1), default=0, output_field=IntegerField()
            ),
        )
        .values(
            "product_class__slug",
            "product_class__name",
            "origin_region",
            "stockrecords__partner__slug",
            "stockrecords__partner__name",
            "bucket",
            "stocked",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    facets = Facets()
    counts: dict[str, dict] = {"product_type": {}, "region": {}, "producer": {}, "price": {}}
    names: dict[str, dict] = {"product_type": {}, "region": dict(REGION_CHOICES), "producer": {}, "price": {}}
    names["price"] = {key: label for key, label, __, ___ in PRICE_RANGES}
    for row in rows:
        facets.total += row["n"]
        facets.in_stock += row["n"] if row["stocked"] else 0
        for facet, key, name in (
            ("product_type", row["product_class__slug"], row["product_class__name"]),
            ("region", row["origin_region"], None),
            ("producer", row["stockrecords__partner__slug"], row["stockrecords__partner__name"]),
            ("price", row["bucket"], None),
        ):
            if not key:
                continue
            counts[facet][key] = counts[facet].get(key, 0) + row["n"]
            if name:
                names[facet][key] = name
    for facet, by_key in counts.items():
        selected = getattr(filters, facet)
        values = [
            FacetValue(key=key, label=str(names[facet].get(key, key)), count=n, selected=key == selected)
            for key, n in by_key.items()
        ]
        if facet == "price":  # price ranges keep their natural order; other facets go by count
            values.sort(key=lambda v, keys=list(names["price"]): keys.index(v.key))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        setattr(facets, facet, values)
    labels = (
        QualityLabel.objects.filter(
            products__in=matching,
            certificates__valid_until__gte=today,
            certificates__partner__stockrecords__product=F("products"),
        )
        .annotate(n=Count("products", distinct=True))
        .order_by("-n", "name")
    )
    facets.label = [
        FacetValue(key=x.code, label=x.name, count=x.n, selected=x.code == filters.label) for x in labels
    ]
    return facets
