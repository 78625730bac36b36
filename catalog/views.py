from urllib.parse import unquote, urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.catalogue.views import *  # noqa: F401,F403  (Oscar's other catalogue views)
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from catalog.cache import cache_page_for_stateless_visitors
from catalog.cards import thumbnails_prefetch
from catalog.forms import ListingParametersForm
from catalog.search import (
    PRICE_RANGES,
    SORTS,
    ListingFilters,
    products_facets_cached,
    products_filter,
    products_search,
    products_sort,
)
from catalog.search_suggestions import search_suggestion
from catalog.selectors import (
    product_for_detail,
    product_labels_visible,
    product_specs_display,
    products_with_card_data,
)
from core.user_input import InputRejected

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
PER_PAGE_CHOICES = (12, 24, 48)
HISTORY_COOKIE = frozenset({"oscar_history"})  # Oscar's recently-viewed products


class CountedPaginator(Paginator):
    """A paginator told its count (the facet query already computed it), saving a COUNT query."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@method_decorator(cache_page_for_stateless_visitors, name="dispatch")
class ProductListingView(ListView):
    """Public products from the database: filters, facets with counts, sorting, free-text search."""

    context_object_name = "products"
    template_name = "oscar/catalogue/browse.html"
    category = None

    def get_paginate_by(self, queryset):
        try:
            per_page = int(self.request.GET.get("per_page", ""))
        except ValueError:
            per_page = settings.OSCAR_PRODUCTS_PER_PAGE
        return per_page if per_page in PER_PAGE_CHOICES else settings.OSCAR_PRODUCTS_PER_PAGE

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CountedPaginator(queryset, per_page, count=self.facets.total)

    def base_products(self):
        products = Product.objects.browsable()
        if self.category is not None:
            # A semi-join, not `pk IN (…)` nested in `pk IN (…)`, so PostgreSQL starts from the category.
            in_category = ProductCategory.objects.filter(
                product=OuterRef("pk"), category__in=self.category.get_descendants_and_self()
            )
            products = products.filter(Exists(in_category))
        return products

    def get_queryset(self):
        parameters = ListingParametersForm(self.request.GET)
        if not parameters.is_valid():
            raise InputRejected(parameters.error_summary())
        self.filters = ListingFilters.from_querydict(self.request.GET)
        narrowed = products_filter(self.base_products(), filters=self.filters)
        if self.filters.needs_distinct:  # a filter joined a many-valued relation: one row per product
            narrowed = Product.objects.browsable().filter(pk__in=narrowed.values("pk"))
        search = products_search(narrowed, query=self.filters.query)
        self.search_approximate, results = search.approximate, search.products
        self.facets = products_facets_cached(
            results, filters=self.filters, key=f"{self.category.pk if self.category else ''}"
        )
        ordered = products_sort(results, sort=self.filters.sort, searching=bool(self.filters.query))
        return products_with_card_data(ordered)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        thumbnails_prefetch(self.request, ctx["products"])  # one cache round trip for the page's images
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filters=self.filters,
            facets=self.facets,
            sorts=SORTS.items(),
            price_ranges=PRICE_RANGES,
            per_page_choices=PER_PAGE_CHOICES,
            query_without_page=params.urlencode(),
            query=self.filters.query,
            facets_grouped=[
                ("type", _("Product type"), self.facets.product_type),
                ("region", _("Region"), self.facets.region),
                ("producer", _("Cooperative"), self.facets.producer),
                ("label", _("Quality label"), self.facets.label),
                ("price", _("Price"), self.facets.price),
            ],
        )
        return ctx


class CatalogueView(ProductListingView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        return ctx


class ProductCategoryView(ProductListingView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected_path = self.category.get_absolute_url()
        if unquote(expected_path) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected_path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class ProductSearchView(ProductListingView):
    """Replaces Oscar's Haystack search at `search:search`; same address, database-backed. When nothing
    matched the words typed (no result, or results found only by similarity), it suggests the query
    with the catalogue's closest words."""

    template_name = "oscar/search/results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.filters.query
        ctx["summary"] = _("Products matching “%(q)s”") % {"q": query} if query else _("All products")
        if query and (self.search_approximate or not self.facets.total):
            suggestion = search_suggestion(query)
            if suggestion:
                ctx["suggestion"] = suggestion
                ctx["suggestion_url"] = f"{self.request.path}?{urlencode({'q': suggestion})}"
        return ctx


@method_decorator(cache_page_for_stateless_visitors(replayed_cookies=HISTORY_COOKIE), name="get")
class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, with the product's typed attributes and its certified labels.

    Cached for stateless visitors like the listings: their recently-viewed history is empty, so the
    page is the same for all of them, and the history cookie it sets (just this product) is replayed.
    A cache hit does not count a view in Oscar's analytics.
    """

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        try:
            return product_for_detail(pk=self.kwargs["pk"])
        except Product.DoesNotExist:
            raise Http404(_("No product found.")) from None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["specs"] = product_specs_display(product=self.object)
        ctx["quality_labels"] = product_labels_visible(product=self.object)
        return ctx
