"""Typed attributes of each product type, and the rules that check them together.

The declarations here are the single source: `product_class_attributes_sync` turns them into
Oscar `ProductAttribute` rows (so the dashboard shows typed fields), and
`product_attributes_validate` checks a product's values, field by field, before they are saved.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT, INTEGER, FLOAT, BOOLEAN = "text", "integer", "float", "boolean"


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    type: str = TEXT
    required: bool = False
    choices: tuple = ()  # ((value, label), …) for a closed list stored as text
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str = ""


@dataclass(frozen=True)
class ProductType:
    slug: str
    name: str
    is_food: bool
    specs: tuple = field(default_factory=tuple)
    net_units: tuple = ("g", "kg")


SAFFRON_FORMS = (("threads", gettext_lazy("Threads")), ("powder", gettext_lazy("Powder")))
ISO_CATEGORIES = (("I", "I"), ("II", "II"), ("III", "III"))
# ISO 3632-2 minimums per category: crocin E440, picrocrocin E257; safranal E330 must be 20–50.
ISO_3632_MINIMUMS = {
    "I": {"crocin": Decimal(190), "picrocrocin": Decimal(70)},
    "II": {"crocin": Decimal(150), "picrocrocin": Decimal(55)},
    "III": {"crocin": Decimal(100), "picrocrocin": Decimal(40)},
}
SAFRANAL_RANGE = (Decimal(20), Decimal(50))
SAFFRON_MAX_MOISTURE = {"threads": Decimal(12), "powder": Decimal(10)}
OLIVE_GRADES = (
    ("extra_virgin", gettext_lazy("Extra virgin")),
    ("virgin", gettext_lazy("Virgin")),
    ("ordinary_virgin", gettext_lazy("Ordinary virgin")),
)
OLIVE_MAX_ACIDITY = {
    "extra_virgin": Decimal("0.8"),
    "virgin": Decimal("2.0"),
    "ordinary_virgin": Decimal("3.3"),
}

PERCENT = {"minimum": Decimal(0), "maximum": Decimal(100), "unit": "%"}
YEAR = {"type": INTEGER, "minimum": Decimal(1950), "maximum": Decimal(2100)}
PLANT_SPECS = (
    Spec("latin_name", gettext_lazy("Latin name")),
    Spec("part_used", gettext_lazy("Part used")),
    Spec(
        "growing",
        gettext_lazy("Wild or cultivated"),
        choices=(("wild", gettext_lazy("Wild")), ("cultivated", gettext_lazy("Cultivated"))),
    ),
)

PRODUCT_TYPES = {
    t.slug: t
    for t in (
        ProductType(
            "safran",
            gettext_lazy("Saffron"),
            True,
            (
                Spec("form", gettext_lazy("Form"), required=True, choices=SAFFRON_FORMS),
                Spec("iso_category", gettext_lazy("ISO 3632 category"), choices=ISO_CATEGORIES),
                Spec(
                    "crocin", gettext_lazy("Crocin (E440)"), FLOAT, minimum=Decimal(0), maximum=Decimal(400)
                ),
                Spec(
                    "picrocrocin",
                    gettext_lazy("Picrocrocin (E257)"),
                    FLOAT,
                    minimum=Decimal(0),
                    maximum=Decimal(200),
                ),
                Spec(
                    "safranal",
                    gettext_lazy("Safranal (E330)"),
                    FLOAT,
                    minimum=Decimal(0),
                    maximum=Decimal(100),
                ),
                Spec("moisture", gettext_lazy("Moisture"), FLOAT, **PERCENT),
                Spec("harvest_year", gettext_lazy("Harvest year"), **YEAR),
            ),
            net_units=("g",),
        ),
        ProductType(
            "huile-argan",
            gettext_lazy("Argan oil"),
            True,
            (
                Spec(
                    "use",
                    gettext_lazy("Use"),
                    required=True,
                    choices=(
                        ("culinary", gettext_lazy("Culinary (roasted kernels)")),
                        ("cosmetic", gettext_lazy("Cosmetic (unroasted kernels)")),
                    ),
                ),
                Spec(
                    "extraction",
                    gettext_lazy("Extraction"),
                    choices=(
                        ("artisanal", gettext_lazy("Artisanal")),
                        ("mechanical", gettext_lazy("Mechanical")),
                    ),
                ),
            ),
            net_units=("ml", "l", "g"),
        ),
        ProductType(
            "huile-olive",
            gettext_lazy("Olive oil"),
            True,
            (
                Spec("grade", gettext_lazy("Grade"), choices=OLIVE_GRADES),
                Spec(
                    "acidity",
                    gettext_lazy("Free acidity"),
                    FLOAT,
                    minimum=Decimal(0),
                    maximum=Decimal(10),
                    unit="%",
                ),
                Spec("cultivar", gettext_lazy("Cultivar")),
                Spec("crop_year", gettext_lazy("Crop year"), **YEAR),
            ),
            net_units=("ml", "l", "g"),
        ),
        ProductType(
            "dattes",
            gettext_lazy("Dates"),
            True,
            (
                Spec("variety", gettext_lazy("Variety"), required=True),
                Spec("caliber", gettext_lazy("Caliber")),
                Spec("pitted", gettext_lazy("Pitted"), BOOLEAN),
            ),
        ),
        ProductType(
            "compost",
            gettext_lazy("Compost"),
            False,
            (
                Spec("feedstock", gettext_lazy("Feedstock"), required=True),
                Spec("npk", gettext_lazy("N-P-K")),
                Spec("organic_matter", gettext_lazy("Organic matter"), FLOAT, **PERCENT),
            ),
            net_units=("kg",),
        ),
        ProductType("herbes-henne", gettext_lazy("Herbs and henna"), True, PLANT_SPECS),
        ProductType("rose", gettext_lazy("Rose products"), True, PLANT_SPECS, net_units=("ml", "l", "g")),
        ProductType(
            "miel", gettext_lazy("Honey"), True, (Spec("floral_source", gettext_lazy("Floral source")),)
        ),
    )
}


def product_type_for(product_class) -> ProductType | None:
    return PRODUCT_TYPES.get(getattr(product_class, "slug", None))


def _coerce(spec: Spec, raw):
    """The value in its Python type, or raise ValueError with the message for the user."""
    if spec.type == BOOLEAN:
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "1", "yes", "on"):
            return True
        if str(raw).lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError(_("Enter yes or no."))
    if spec.type in (INTEGER, FLOAT):
        try:
            number = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if spec.type == INTEGER and number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        if spec.minimum is not None and number < spec.minimum:
            raise ValueError(_("Must be at least %(min)s.") % {"min": spec.minimum})
        if spec.maximum is not None and number > spec.maximum:
            raise ValueError(_("Must be at most %(max)s.") % {"max": spec.maximum})
        return int(number) if spec.type == INTEGER else number
    value = str(raw).strip()
    if spec.choices and value not in dict(spec.choices):
        raise ValueError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(str(v) for v in dict(spec.choices))}
        )
    return value


def product_attributes_validate(*, product_type_slug: str, values: dict) -> tuple[dict, dict]:
    """Check a product's attributes; return (clean values, {field: [messages]})."""
    product_type = PRODUCT_TYPES.get(product_type_slug)
    if product_type is None:
        return {}, (
            {"product_class": [_("Unknown product type “%s”.") % product_type_slug]} if values else {}
        )
    errors: dict[str, list] = {}
    clean = {}
    specs = {spec.code: spec for spec in product_type.specs}
    for code in values:
        if code not in specs:
            errors.setdefault(code, []).append(
                _("Not an attribute of %(type)s.") % {"type": product_type.name}
            )
    for spec in product_type.specs:
        raw = values.get(spec.code)
        if raw is None or raw == "":
            if spec.required:
                errors.setdefault(spec.code, []).append(_("%(name)s is required.") % {"name": spec.name})
            continue
        try:
            clean[spec.code] = _coerce(spec, raw)
        except ValueError as error:
            errors.setdefault(spec.code, []).append(f"{spec.name}: {error}")
    if not errors:
        checks = {"safran": _saffron_errors, "huile-olive": _olive_oil_errors, "compost": _compost_errors}
        check = checks.get(product_type_slug)
        if check:
            for code, message in check(clean):
                errors.setdefault(code, []).append(message)
    return clean, errors


def _saffron_errors(values: dict):
    category = values.get("iso_category")
    if values.get("harvest_year") and values["harvest_year"] > timezone.localdate().year:
        yield "harvest_year", _("The harvest year cannot be in the future.")
    moisture_max = SAFFRON_MAX_MOISTURE.get(values.get("form"))
    if moisture_max is not None and values.get("moisture") is not None and values["moisture"] > moisture_max:
        yield (
            "moisture",
            _("Moisture %(value)s%% exceeds the %(max)s%% ISO 3632 allows for saffron %(form)s.")
            % {"value": values["moisture"], "max": moisture_max, "form": dict(SAFFRON_FORMS)[values["form"]]},
        )
    if not category:
        return
    for code, minimum in ISO_3632_MINIMUMS[category].items():
        value = values.get(code)
        if value is not None and value < minimum:
            yield (
                code,
                _("Category %(category)s needs %(name)s ≥ %(min)s; the lab measured %(value)s.")
                % {"category": category, "name": code, "min": minimum, "value": value},
            )
    safranal = values.get("safranal")
    if safranal is not None and not (SAFRANAL_RANGE[0] <= safranal <= SAFRANAL_RANGE[1]):
        yield (
            "safranal",
            _("Category %(category)s needs safranal between 20 and 50; the lab measured %(value)s.")
            % {"category": category, "value": safranal},
        )


def _olive_oil_errors(values: dict):
    grade = values.get("grade")
    if not grade:
        return
    acidity = values.get("acidity")
    if acidity is None:
        yield "acidity", _("Give the free acidity measured for a graded olive oil.")
    elif acidity > OLIVE_MAX_ACIDITY[grade]:
        yield (
            "acidity",
            _("%(grade)s olive oil needs acidity ≤ %(max)s%%; this one has %(value)s%%.")
            % {"grade": dict(OLIVE_GRADES)[grade], "max": OLIVE_MAX_ACIDITY[grade], "value": acidity},
        )


def _compost_errors(values: dict):
    npk = values.get("npk")
    if npk:
        parts = npk.split("-")
        try:
            ok = len(parts) == 3 and all(Decimal(p) >= 0 for p in parts)
        except InvalidOperation:
            ok = False
        if not ok:
            yield "npk", _("Write N-P-K as three numbers separated by dashes, e.g. 2-1-2.")
