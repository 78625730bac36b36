"""Loads the demo marketplace. Idempotent: every object is found by a natural key first."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model

from cooperatives.services import lot_create
from fulfilment.modules.self_ship import SelfShip
from gie.fulfilment_module import GieHub
from gie.models import Gie
from gie.services import gie_coordinator_add, gie_member_add
from shop.demo import data
from shop.demo.catalog import demo_labels, demo_producer, demo_product, demo_product_classes
from shop.demo.images import producer_logo, product_picture

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Lot = get_model("partner", "Lot")
Country = get_model("address", "Country")
User = get_user_model()

EUROPE = ["FR", "BE", "NL", "DE", "ES", "IT", "GB", "CH", "LU", "PT", "SE", "DK"]


@transaction.atomic
def demo_load(*, today: datetime.date | None = None, with_images: bool = True) -> dict:
    today = today or datetime.date.today()
    Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Terroir Souk"})
    _countries()
    users = _users()
    types = _product_types()
    demo_labels()
    demo_product_classes(product_class for product_class, __, ___ in types.values())
    producers = {}
    for spec in data.PRODUCERS:
        producer = _producer(spec, users, types, today=today, with_images=with_images)
        producers[spec["slug"]] = producer
    gie = _gie(producers, users)
    return {
        "producers": Partner.objects.exclude(pk=gie.partner_id).count(),
        "gies": Gie.objects.count(),
        "products": Product.objects.count(),
        "users": User.objects.count(),
    }


def _countries():
    Country.objects.update_or_create(
        iso_3166_1_a2="MA",
        defaults={
            "iso_3166_1_a3": "MAR",
            "iso_3166_1_numeric": "504",
            "printable_name": "Maroc",
            "name": "Royaume du Maroc",
            "display_order": 10,
            "is_shipping_country": True,
        },
    )
    names = {
        "FR": ("FRA", "250", "France"),
        "BE": ("BEL", "056", "Belgique"),
        "NL": ("NLD", "528", "Pays-Bas"),
        "DE": ("DEU", "276", "Allemagne"),
        "ES": ("ESP", "724", "Espagne"),
        "IT": ("ITA", "380", "Italie"),
        "GB": ("GBR", "826", "Royaume-Uni"),
        "CH": ("CHE", "756", "Suisse"),
        "LU": ("LUX", "442", "Luxembourg"),
        "PT": ("PRT", "620", "Portugal"),
        "SE": ("SWE", "752", "Suède"),
        "DK": ("DNK", "208", "Danemark"),
    }
    for code in EUROPE:
        a3, numeric, name = names[code]
        Country.objects.update_or_create(
            iso_3166_1_a2=code,
            defaults={
                "iso_3166_1_a3": a3,
                "iso_3166_1_numeric": numeric,
                "printable_name": name,
                "name": name,
                "display_order": 5,
                "is_shipping_country": True,
            },
        )


def _users() -> dict:
    users = {}
    dashboard_access = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    for email, first, last, role in data.USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"username": email, "first_name": first, "last_name": last}
        )
        if created:
            user.set_password(data.PASSWORD)
        user.is_staff = user.is_superuser = role == "superuser"
        user.save()
        # Producers and coordinators work in their own dashboards (/dashboard/cooperative/,
        # /dashboard/gie/); Oscar's dashboard shows whole orders to partners (django-oscar #2240).
        user.user_permissions.remove(dashboard_access)
        users[email] = user
    return users


def _product_types() -> dict:
    types = {}
    for slug, name, colour in data.PRODUCT_TYPES:
        product_class, __ = ProductClass.objects.update_or_create(
            slug=slug, defaults={"name": name, "requires_shipping": True, "track_stock": True}
        )
        ProductAttribute.objects.get_or_create(
            product_class=product_class,
            code="weight",
            defaults={"name": "Poids expédié (kg)", "type": ProductAttribute.FLOAT},
        )
        category = Category.objects.filter(slug=slug, depth=1).first()
        if category is None:
            category = Category.add_root(name=name, slug=slug, is_public=True)
        types[slug] = (product_class, category, colour)
    return types


def _producer(spec, users, types, *, today, with_images) -> Partner:
    fields = {
        key: spec[key]
        for key in (
            "name",
            "legal_name",
            "kind",
            "registration_number",
            "ice",
            "region",
            "province",
            "commune",
            "founded_year",
            "members_count",
            "women_members_count",
            "story",
        )
    }
    fields["is_featured"] = spec["featured"]
    fields["fulfilment_module"] = GieHub.name if spec.get("gie_member") else SelfShip.name
    producer, __ = Partner.objects.update_or_create(slug=spec["slug"], defaults=fields)
    demo_producer(producer=producer, today=today)
    if with_images and not producer.logo:
        colour = types[spec["products"][0][0]][2]
        producer.logo.save(f"{spec['slug']}.png", producer_logo(name=spec["name"], colour=colour), save=True)
    if spec["user"]:
        producer.users.add(users[spec["user"]])
    for index, (type_slug, title, price, stock, weight_g) in enumerate(spec["products"], start=1):
        sku = f"{spec['prefix']}-{index:03d}"
        product_class, category, colour = types[type_slug]
        product, created = Product.objects.update_or_create(
            upc=sku,
            defaults={
                "title": title,
                "slug": slugify(title)[:128],
                "product_class": product_class,
                "structure": Product.STANDALONE,
                "is_public": True,
                "description": f"{title}. {spec['story']}",
            },
        )
        product.attr.weight = weight_g / 1000  # shipped weight in kg, read by shipping charges
        product.attr.save()
        demo_product(product=product, producer=producer, type_slug=type_slug, today=today)
        ProductCategory.objects.get_or_create(product=product, category=category)
        record, __ = StockRecord.objects.update_or_create(
            product=product,
            partner=producer,
            defaults={"partner_sku": sku, "price_currency": "MAD", "price": price},
        )
        if not record.lots.exists():
            first = stock // 3
            harvest = today - datetime.timedelta(days=60 + index)
            lot_create(
                stockrecord=record,
                code=f"{sku}-{today.year - 1}-A",
                quantity=first,
                harvest_date=harvest - datetime.timedelta(days=300),
                best_before=today + datetime.timedelta(days=120 + index),
            )
            lot_create(
                stockrecord=record,
                code=f"{sku}-{today.year}-B",
                quantity=stock - first,
                harvest_date=harvest,
                best_before=today + datetime.timedelta(days=400 + index),
            )
        if with_images and not product.images.exists():
            image = ProductImage(product=product, caption=title, display_order=0)
            image.original.save(f"{sku.lower()}.jpg", product_picture(title=title, colour=colour), save=True)
    return producer


def _gie(producers, users) -> Gie:
    spec = data.GIE
    # The GIE's own producer record: the hub ships its members' parcels and is paid their shipping.
    record, __ = Partner.objects.update_or_create(
        code=f"gie-{spec['slug']}",
        defaults={"name": spec["name"], "kind": Partner.Kind.GIE, "region": spec["region"]},
    )
    gie, __ = Gie.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "hub_city": spec["hub_city"],
            "region": spec["region"],
            "description": spec["description"],
            "commission_rate": Decimal(spec["commission_rate"]),
            "partner": record,
        },
    )
    for producer_spec in data.PRODUCERS:
        if producer_spec.get("gie_member"):
            gie_member_add(gie=gie, producer=producers[producer_spec["slug"]])
    gie_coordinator_add(gie=gie, user=users[spec["coordinator"]])
    return gie
