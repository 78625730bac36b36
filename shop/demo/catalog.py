"""Demo catalogue details: typed attributes, labels and certificates, ONSSA numbers, fr/ar/en texts."""

import datetime
import re
from decimal import Decimal

from oscar.core.loading import get_model

from catalog.services import product_class_attributes_sync, product_specs_save

ProducerCertificate = get_model("partner", "ProducerCertificate")
QualityLabel = get_model("catalogue", "QualityLabel")

LABELS = [
    ("aop-safran-taliouine", "aop", "Safran de Taliouine AOP"),
    ("igp-argane", "igp", "Argane IGP"),
    ("igp-dattes-majhoul-tafilalet", "igp", "Dattes Majhoul de Tafilalet IGP"),
    ("bio", "organic", "Agriculture biologique"),
    ("commerce-equitable", "fair_trade", "Commerce équitable"),
]

# slug → (ONSSA authorisation number, [(label code, certificate number, certifier)], story ar, story en)
PRODUCERS = {
    "souktana-safran-taliouine": (
        "AS.09.187.06",
        [
            ("aop-safran-taliouine", "AOP-SAF-2019-014", "Normacert"),
            ("commerce-equitable", "FT-MA-0207", "Ecocert"),
        ],
        "عند سفح جبل سيروا، تقطف أسر تالوين زهرة الزعفران فجرا في نونبر. "
        "زعفران تالوين بتسمية المنشأ المحمية.",
        "At the foot of Mount Siroua, Taliouine families pick the saffron crocus at dawn in November and "
        "trim the stigmas the same day. Safran de Taliouine PDO.",
    ),
    "tifawin-argan-tiznit": (
        "AS.02.044.11",
        [("igp-argane", "IGP-ARG-2016-031", "Normacert")],
        "ثمان وخمسون امرأة يكسرن ثمار الأركان يدويا في تلال تيزنيت. "
        "زيت الطعام محمص وزيت التجميل معصور على البارد.",
        "Fifty-eight women crack argan nuts by hand in the hills of Tiznit. The culinary oil is roasted, "
        "the cosmetic oil cold-pressed.",
    ),
    "amal-tafraout-argan": (
        "AS.09.112.13",
        [("igp-argane", "IGP-ARG-2018-077", "Normacert"), ("bio", "MA-BIO-140-0098", "Ecocert")],
        "في وادي أملن، تعصر التعاونية زيت الأركان وتجني لوز تافراوت.",
        "In the Ammeln valley the cooperative presses argan oil and harvests Tafraout almonds.",
    ),
    "nakhil-aoufous": (
        "AS.18.203.15",
        [("igp-dattes-majhoul-tafilalet", "IGP-DAT-2017-009", "Bureau Veritas")],
        "في واحة أوفوس على ضفاف زيز، تجني التعاونية تمور المجهول وبوفقوس. "
        "تمور المجهول لتافيلالت بالبيان الجغرافي المحمي.",
        "In the Aoufous palm grove on the Ziz river the cooperative harvests and packs Medjool (Majhoul) and "
        "Boufeggous dates. Dattes Majhoul de Tafilalet PGI.",
    ),
    "al-wahda-rissani": (
        "AS.18.219.16",
        [],
        "نخيل الريصاني، مهد تافيلالت، تعطي تمور بوسليخن والمجهول.",
        "The palms of Rissani, cradle of the Tafilalet, give Bouslikhene and Medjool (Majhoul) dates.",
    ),
    "compost-vert-erfoud": ("AS.18.231.17", [], "", ""),
    "rose-du-dades": ("AS.18.156.12", [], "", ""),
    "zitouna-ouazzane": ("AS.04.150.08", [], "", ""),
    "aromatiques-haut-atlas": ("AS.07.099.10", [], "", ""),
}

WORDS = [  # (French, Arabic, English) — enough to translate the demo's saffron, argan and date titles
    ("Safran de Taliouine en filaments", "زعفران تالوين خيوط", "Taliouine saffron threads"),
    ("Safran de Taliouine en poudre", "زعفران تالوين مسحوق", "Taliouine saffron powder"),
    ("Coffret découverte safran et thé", "علبة اكتشاف الزعفران والشاي", "Saffron and tea discovery box"),
    ("catégorie III", "الفئة الثالثة", "category III"),
    ("catégorie II", "الفئة الثانية", "category II"),
    ("catégorie I", "الفئة الأولى", "category I"),
    ("Huile d'argan alimentaire torréfiée", "زيت أركان غذائي محمص", "Roasted culinary argan oil"),
    ("Huile d'argan alimentaire artisanale", "زيت أركان غذائي تقليدي", "Artisanal culinary argan oil"),
    (
        "Huile d'argan cosmétique pressée à froid",
        "زيت أركان تجميلي معصور على البارد",
        "Cold-pressed cosmetic argan oil",
    ),
    ("Huile d'argan cosmétique bio", "زيت أركان تجميلي بيو", "Organic cosmetic argan oil"),
    ("Huile d'argan cosmétique", "زيت أركان تجميلي", "Cosmetic argan oil"),
    ("Amlou aux amandes et huile d'argan", "أملو باللوز وزيت الأركان", "Amlou with almonds and argan oil"),
    ("Amlou traditionnel au miel", "أملو تقليدي بالعسل", "Traditional amlou with honey"),
    ("Savon noir à l'huile d'argan", "صابون بلدي بزيت الأركان", "Black soap with argan oil"),
    ("Crème de jour à l'argan", "كريم نهاري بالأركان", "Argan day cream"),
    ("Amandes de Tafraout décortiquées", "لوز تافراوت مقشر", "Shelled Tafraout almonds"),
    ("Dattes Majhoul de Tafilalet", "تمور المجهول من تافيلالت", "Medjool dates from Tafilalet"),
    ("Dattes Majhoul Tafilalet", "تمور المجهول تافيلالت", "Medjool dates, Tafilalet"),
    ("Dattes Majhoul dénoyautées", "تمور المجهول منزوعة النوى", "Pitted Medjool dates"),
    ("Dattes Majhoul", "تمور المجهول", "Medjool dates"),
    ("Dattes Boufeggous", "تمور بوفقوس", "Boufeggous dates"),
    ("Dattes Bouslikhene", "تمور بوسليخن", "Bouslikhene dates"),
    ("Dattes Jihel", "تمور الجيهل", "Jihel dates"),
    ("Dattes Aziza", "تمور عزيزة", "Aziza dates"),
    ("Dattes Khalt (mélange de variétés)", "تمور الخلط (أصناف مختلفة)", "Khalt dates (mixed varieties)"),
    ("Pâte de dattes Aziza", "عجينة تمر عزيزة", "Aziza date paste"),
    ("Sirop de dattes (rob)", "رب التمر", "Date syrup (rob)"),
    ("Coffret dattes fourrées aux amandes", "علبة تمور محشوة باللوز", "Box of almond-stuffed dates"),
    ("Farine de noyaux de dattes torréfiés", "دقيق نوى التمر المحمص", "Roasted date-stone flour"),
    ("calibre Jumbo", "عيار جامبو", "Jumbo size"),
    ("calibre Large", "عيار كبير", "Large size"),
    ("calibre Medium", "عيار متوسط", "Medium size"),
]
TRANSLATED_TYPES = ("safran", "huile-argan", "dattes")
DATE_VARIETIES = ("Majhoul", "Boufeggous", "Jihel", "Aziza", "Bouslikhene", "Khalt")
PLANTS = {  # keyword → (latin name, part used, wild or cultivated)
    "Henné": ("Lawsonia inermis", "feuilles", "cultivated"),
    "Thym": ("Thymus satureioides", "parties aériennes", "wild"),
    "Verveine": ("Aloysia citrodora", "feuilles", "cultivated"),
    "Romarin": ("Salvia rosmarinus", "parties aériennes", "wild"),
    "Menthe": ("Mentha spicata", "feuilles", "cultivated"),
    "rose": ("Rosa damascena", "fleurs", "cultivated"),
}


def demo_labels() -> None:
    for code, kind, name in LABELS:
        QualityLabel.objects.update_or_create(code=code, defaults={"kind": kind, "name": name})


def demo_product_classes(product_classes) -> None:
    for product_class in product_classes:
        product_class_attributes_sync(product_class=product_class)


def demo_producer(*, producer, today: datetime.date) -> None:
    onssa, certificates, story_ar, story_en = PRODUCERS[producer.slug]
    producer.onssa_number = onssa
    producer.onssa_valid_until = today + datetime.timedelta(days=2 * 365)
    producer.story_ar, producer.story_en = story_ar, story_en
    producer.save(update_fields=["onssa_number", "onssa_valid_until", "story_ar", "story_en"])
    for label_code, number, certifier in certificates:
        ProducerCertificate.objects.update_or_create(
            partner=producer,
            label=QualityLabel.objects.get(code=label_code),
            defaults={
                "number": number,
                "certifier": certifier,
                "valid_until": today + datetime.timedelta(days=365),
            },
        )


def _translate(title: str, column: int) -> str:
    for words in WORDS:
        title = title.replace(words[0], words[column])
    return title


def _net_quantity(title: str):
    match = re.search(r"(\d+(?:,\d+)?) (g|kg|ml|L)$", title)
    if not match:
        return None, ""
    return Decimal(match.group(1).replace(",", ".")), match.group(2).lower()


def _attributes(type_slug: str, title: str, today: datetime.date) -> tuple[dict, list]:
    """(typed attribute values, claimed label codes) read from a demo product's title."""
    if type_slug == "safran":
        category = "II" if "catégorie II" in title else "I"
        lab = {"I": (232, 92, 34, 9.5), "II": (171, 61, 28, 9.8)}[category]
        form = "powder" if "poudre" in title else "threads"
        values = {"form": form, "harvest_year": today.year - 1}
        if "catégorie" in title:
            values.update(
                iso_category=category, crocin=lab[0], picrocrocin=lab[1], safranal=lab[2], moisture=lab[3]
            )
        return values, ["aop-safran-taliouine", "commerce-equitable"]
    if type_slug == "huile-argan":
        cosmetic = any(word in title for word in ("cosmétique", "Crème", "Savon"))
        values = {"use": "cosmetic" if cosmetic else "culinary"}
        if "Huile" in title:
            values["extraction"] = "mechanical" if "pressée à froid" in title else "artisanal"
        labels = ["igp-argane"] if "Huile d'argan" in title else []
        return values, labels + (["bio"] if "bio" in title else [])
    if type_slug == "huile-olive":
        if "vierge extra" in title:
            return {"grade": "extra_virgin", "acidity": 0.4, "cultivar": "Picholine marocaine"}, []
        if "vierge" in title:
            return {"grade": "virgin", "acidity": 1.5, "cultivar": "Picholine marocaine"}, []
        return {"cultivar": "Picholine marocaine"}, []
    if type_slug == "dattes":
        variety = next((v for v in DATE_VARIETIES if v in title), "Mélange")
        values = {
            "variety": "Majhoul (Medjool)" if variety == "Majhoul" else variety,
            "pitted": "dénoyautées" in title,
        }
        caliber = re.search(r"calibre (\w+)", title)
        if caliber:
            values["caliber"] = caliber.group(1)
        majhoul_igp = variety == "Majhoul" and "Tafilalet" in title
        return values, ["igp-dattes-majhoul-tafilalet"] if majhoul_igp else []
    if type_slug == "compost":
        return {
            "feedstock": "Palmes et résidus de palmier dattier, fumier",
            "npk": "1.5-0.8-1.2",
            "organic_matter": 45,
        }, []
    if type_slug in ("herbes-henne", "rose"):
        plant = next(
            (v for k, v in PLANTS.items() if k in title), PLANTS["rose"] if type_slug == "rose" else None
        )
        if plant:
            return {"latin_name": plant[0], "part_used": plant[1], "growing": plant[2]}, []
    if type_slug == "miel":
        return {"floral_source": "euphorbe" if "euphorbe" in title else "thym"}, []
    return {}, []


def demo_product(*, product, producer, type_slug: str, today: datetime.date) -> None:
    title = product.title
    attributes, labels = _attributes(type_slug, title, today)
    net_quantity, unit = _net_quantity(title)
    if type_slug == "safran" and unit == "g":
        attributes.setdefault("form", "threads")
    if type_slug in TRANSLATED_TYPES:
        product.title_ar, product.title_en = _translate(title, 1), _translate(title, 2)
        product.description_ar = f"{product.title_ar}. {PRODUCERS[producer.slug][2]}"
        product.description_en = f"{product.title_en}. {PRODUCERS[producer.slug][3]}"
    product_specs_save(
        product=product,
        attributes=attributes,
        net_quantity=net_quantity,
        net_quantity_unit=unit if net_quantity is not None else "",
        origin_region=producer.region,
        origin_commune=producer.commune,
        storage_conditions="À conserver à l'abri de la lumière et de l'humidité.",
    )
    product.labels.set(QualityLabel.objects.filter(code__in=labels))
