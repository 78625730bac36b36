from decimal import Decimal

import pytest
from django.core.cache import cache
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


def _counts(values):
    return {value.key: value.count for value in values}


def test_facet_counts_match_the_catalogue(client, demo):
    response = client.get("/catalogue/")

    facets = response.context["facets"]
    public = Product.objects.browsable()
    assert facets.total == public.count() == response.context["paginator"].count == 63
    assert _counts(facets.product_type)["safran"] == 8
    assert _counts(facets.producer)["souktana-safran-taliouine"] == 8
    assert _counts(facets.region) == {
        region: public.filter(origin_region=region).count()
        for region in public.values_list("origin_region", flat=True).distinct()
    }
    assert _counts(facets.label)["aop-safran-taliouine"] == 8
    assert _counts(facets.label)["igp-dattes-majhoul-tafilalet"] == 3  # Nakhil's Majhoul de Tafilalet only
    under_50 = StockRecord.objects.filter(product__in=public, price__lt=50).count()
    assert _counts(facets.price)["0-50"] == under_50
    assert sum(_counts(facets.price).values()) == 63
    assert facets.in_stock == 63


def test_facet_filters_narrow_the_results_and_the_counts(client, demo):
    StockRecord.objects.filter(product__upc="TAL-001").update(num_in_stock=0)

    response = client.get("/catalogue/?type=safran&price=50-100&in_stock=1")

    titles = {p.title for p in response.context["products"]}
    # 1 g threads (75 MAD) is in range but out of stock now; the 1 g powder (70 MAD) remains
    assert titles == {"Safran de Taliouine en poudre — 1 g"}
    assert response.context["facets"].total == 1
    assert 'data-facet="type:safran">(1)' in response.content.decode()


def test_sorting_by_price_and_newest(client, demo):
    cheapest = client.get("/catalogue/?sort=price-asc").context["products"][0]
    dearest = client.get("/catalogue/?sort=price-desc").context["products"][0]
    newest = client.get("/catalogue/?sort=newest").context["products"][0]

    prices = StockRecord.objects.values_list("price", flat=True)
    assert cheapest.stockrecords.all()[0].price == min(prices) == Decimal("20.00")
    assert dearest.stockrecords.all()[0].price == max(prices)
    assert newest == Product.objects.browsable().order_by("-date_created", "-pk").first()


def test_category_page_lists_only_its_products_and_paginates(client, demo):
    dates = Category.objects.get(slug="dattes")

    response = client.get(dates.get_absolute_url() + "?per_page=12")

    assert response.context["paginator"].count == 16
    assert len(response.context["products"]) == 12
    assert {p.product_class.slug for p in response.context["products"]} == {"dattes"}
    second = client.get(dates.get_absolute_url() + "?per_page=12&page=2")
    assert len(second.context["products"]) == 4


@pytest.fixture
def larger_catalogue(demo):
    """About 200 public products: the demo plus cheap bulk-created saffron ones."""
    saffron = Product.objects.get(upc="TAL-001")
    producer = Partner.objects.get(slug="souktana-safran-taliouine")
    category = Category.objects.get(slug="safran")
    extra = Product.objects.bulk_create(
        Product(
            title=f"Safran de test {n}",
            slug=f"safran-de-test-{n}",
            upc=f"BULK-{n:04d}",
            product_class=saffron.product_class,
            structure=Product.STANDALONE,
            is_public=True,
            origin_region="souss-massa",
        )
        for n in range(140)
    )
    ProductCategory.objects.bulk_create(ProductCategory(product=p, category=category) for p in extra)
    StockRecord.objects.bulk_create(
        StockRecord(product=p, partner=producer, partner_sku=p.upc, price=Decimal(60), num_in_stock=5)
        for p in extra
    )
    saffron.labels.through.objects.bulk_create(
        saffron.labels.through(product=p, qualitylabel=saffron.labels.first()) for p in extra
    )


@pytest.mark.parametrize("per_page", [12, 24, 48])
@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/",
        "/catalogue/category/safran_{category}/",
        "/search/?q=safran",
        "/search/?q=dattes&sort=price-asc",
    ],
)
def test_listing_pages_stay_within_ten_queries(
    client, larger_catalogue, django_assert_max_num_queries, url, per_page
):
    url = url.format(category=Category.objects.get(slug="safran").pk)
    separator = "&" if "?" in url else "?"
    client.get(f"{url}{separator}per_page={per_page}")  # warm the per-process caches (site, content types)

    with django_assert_max_num_queries(10):
        response = client.get(f"{url}{separator}per_page={per_page}")

    assert response.status_code == 200
    assert len(response.context["products"]) > 0


@pytest.mark.parametrize("upc", ["TAL-001", "NAK-001", "CMP-001"])
def test_product_page_stays_within_eleven_queries(
    client, larger_catalogue, django_assert_max_num_queries, upc
):
    product = Product.objects.get(upc=upc)
    client.get(product.get_absolute_url())  # warm caches; the view counter row now exists
    client.cookies.clear()  # a first-time visitor: no recently-viewed history

    with django_assert_max_num_queries(11):  # one of them the producer's commission, for its share
        response = client.get(product.get_absolute_url())

    assert response.status_code == 200


def test_facet_counts_are_cached_per_filter_set_not_per_page_or_sort(client, demo, settings):
    settings.TERROIR_FACET_CACHE_SECONDS = 60
    cache.clear()
    first = client.get("/catalogue/?type=safran")
    model = Product.objects.get(upc="TAL-001")
    Product.objects.create(title="Safran ajouté", upc="NEW-001", product_class=model.product_class)

    resorted = client.get("/catalogue/?type=safran&sort=price-asc&per_page=12")
    settings.TERROIR_FACET_CACHE_SECONDS = 0
    fresh = client.get("/catalogue/?type=safran")

    assert resorted.context["facets"] == first.context["facets"]  # same filters: counted once
    assert fresh.context["facets"].total == first.context["facets"].total + 1
    cache.clear()
