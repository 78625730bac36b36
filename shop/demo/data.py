"""The demo marketplace: real regions, real product types, plausible cooperatives.

Prices are in MAD. Quantities are units in stock, spread over one or two lots.
"""

from decimal import Decimal as D

PASSWORD = "terroir-demo"

# (slug, name, {attributes}) — one category and one product class per product type.
PRODUCT_TYPES = [
    ("safran", "Safran", "#c0392b"),
    ("huile-argan", "Huile d'argan", "#c98a2b"),
    ("huile-olive", "Huile d'olive", "#6b8e23"),
    ("dattes", "Dattes", "#7b4a2a"),
    ("compost", "Compost", "#4e5b31"),
    ("herbes-henne", "Herbes et henné", "#3f7d5c"),
    ("rose", "Produits de la rose", "#c2185b"),
    ("miel", "Miel", "#d4a017"),
]

GIE = {
    "slug": "mawrout-bladi",
    "name": "GIE Mawrout Bladi",
    "hub_city": "Erfoud",
    "commission_rate": "0.0800",  # negotiated by the GIE for its members
    "region": "draa-tafilalet",
    "description": (
        "Groupement d'intérêt économique des coopératives des oasis du Tafilalet : dattes, "
        "compost de résidus de palmier et produits de l'oasis, collectés au hub d'Erfoud."
    ),
    "coordinator": "gie@example.com",
}

PRODUCERS = [
    {
        "slug": "souktana-safran-taliouine",
        "name": "Coopérative Souktana du Safran",
        "legal_name": "Coopérative Agricole Souktana du Safran",
        "kind": "cooperative",
        "registration_number": "ODCO-TRD-2006-0187",
        "ice": "001526378000045",
        "region": "souss-massa",
        "province": "Taroudant",
        "commune": "Taliouine",
        "founded_year": 1979,
        "members_count": 96,
        "women_members_count": 41,
        "story": (
            "Au pied du Siroua, les familles de Taliouine cueillent la fleur de Crocus sativus à "
            "l'aube, en novembre, et émondent les stigmates le jour même. Safran de Taliouine AOP."
        ),
        "user": "saffron@example.com",
        "featured": True,
        "prefix": "TAL",
        "products": [
            ("safran", "Safran de Taliouine en filaments, catégorie I — 1 g", D("75.00"), 60, 1),
            ("safran", "Safran de Taliouine en filaments, catégorie I — 2 g", D("145.00"), 40, 2),
            ("safran", "Safran de Taliouine en filaments, catégorie I — 5 g", D("350.00"), 25, 5),
            ("safran", "Safran de Taliouine en filaments, catégorie I — 10 g", D("680.00"), 12, 10),
            ("safran", "Safran de Taliouine en filaments, catégorie II — 2 g", D("110.00"), 30, 2),
            ("safran", "Safran de Taliouine en poudre — 0,5 g", D("40.00"), 50, 1),
            ("safran", "Safran de Taliouine en poudre — 1 g", D("70.00"), 45, 1),
            ("safran", "Coffret découverte safran et thé — 1 g", D("120.00"), 20, 150),
        ],
    },
    {
        "slug": "tifawin-argan-tiznit",
        "name": "Coopérative Tifawin d'Argan",
        "legal_name": "Coopérative Féminine Tifawin pour l'Argan",
        "kind": "cooperative",
        "registration_number": "ODCO-TZN-2002-0044",
        "ice": "002114598000072",
        "region": "souss-massa",
        "province": "Tiznit",
        "commune": "Tiznit",
        "founded_year": 2002,
        "members_count": 58,
        "women_members_count": 58,
        "story": (
            "Cinquante-huit femmes concassent à la main les noix de l'arganier des collines de "
            "Tiznit. L'huile alimentaire est torréfiée, l'huile cosmétique pressée à froid."
        ),
        "user": "argan@example.com",
        "featured": True,
        "prefix": "TIF",
        "products": [
            ("huile-argan", "Huile d'argan alimentaire torréfiée — 250 ml", D("110.00"), 40, 260),
            ("huile-argan", "Huile d'argan alimentaire torréfiée — 500 ml", D("200.00"), 30, 520),
            ("huile-argan", "Huile d'argan alimentaire torréfiée — 1 L", D("380.00"), 15, 1040),
            ("huile-argan", "Huile d'argan cosmétique pressée à froid — 50 ml", D("65.00"), 50, 80),
            ("huile-argan", "Huile d'argan cosmétique pressée à froid — 100 ml", D("115.00"), 40, 140),
            ("huile-argan", "Amlou aux amandes et huile d'argan — 250 g", D("70.00"), 35, 280),
            ("huile-argan", "Savon noir à l'huile d'argan — 200 g", D("35.00"), 60, 220),
        ],
    },
    {
        "slug": "amal-tafraout-argan",
        "name": "Coopérative Amal Tafraout",
        "legal_name": "Coopérative Amal Tafraout pour l'Argan",
        "kind": "cooperative",
        "registration_number": "ODCO-TZN-2009-0112",
        "ice": "002987451000031",
        "region": "souss-massa",
        "province": "Tiznit",
        "commune": "Tafraout",
        "founded_year": 2009,
        "members_count": 34,
        "women_members_count": 30,
        "story": "Dans la vallée des Ammeln, la coopérative presse l'argan et récolte l'amande de Tafraout.",
        "user": None,
        "featured": False,
        "prefix": "AMT",
        "products": [
            ("huile-argan", "Huile d'argan cosmétique bio — 250 ml", D("230.00"), 20, 280),
            ("huile-argan", "Huile d'argan alimentaire artisanale — 250 ml", D("120.00"), 25, 260),
            ("huile-argan", "Crème de jour à l'argan — 50 ml", D("90.00"), 30, 90),
            ("huile-argan", "Amandes de Tafraout décortiquées — 500 g", D("95.00"), 30, 520),
            ("huile-argan", "Amlou traditionnel au miel — 500 g", D("130.00"), 20, 540),
            ("huile-argan", "Huile d'argan cosmétique — 30 ml", D("45.00"), 60, 50),
        ],
    },
    {
        "slug": "nakhil-aoufous",
        "name": "Coopérative Nakhil Aoufous",
        "legal_name": "Coopérative Agricole Nakhil Aoufous",
        "kind": "cooperative",
        "registration_number": "ODCO-ERR-2011-0213",
        "ice": "003345672000018",
        "region": "draa-tafilalet",
        "province": "Errachidia",
        "commune": "Aoufous",
        "founded_year": 2011,
        "members_count": 120,
        "women_members_count": 35,
        "story": (
            "Dans la palmeraie d'Aoufous, au bord du Ziz, la coopérative récolte et conditionne "
            "les dattes Majhoul et Boufeggous de ses membres. IGP Dattes Majhoul de Tafilalet."
        ),
        "user": "dates@example.com",
        "featured": True,
        "prefix": "NAK",
        "gie_member": True,
        "products": [
            ("dattes", "Dattes Majhoul de Tafilalet, calibre Jumbo — 500 g", D("90.00"), 50, 520),
            ("dattes", "Dattes Majhoul de Tafilalet, calibre Jumbo — 1 kg", D("170.00"), 40, 1040),
            ("dattes", "Dattes Majhoul de Tafilalet, calibre Large — 5 kg", D("650.00"), 10, 5100),
            ("dattes", "Dattes Boufeggous — 1 kg", D("80.00"), 50, 1040),
            ("dattes", "Dattes Jihel — 1 kg", D("45.00"), 60, 1040),
            ("dattes", "Dattes Majhoul dénoyautées — 500 g", D("110.00"), 30, 520),
            ("dattes", "Pâte de dattes Aziza — 400 g", D("40.00"), 40, 420),
            ("dattes", "Sirop de dattes (rob) — 350 g", D("55.00"), 30, 400),
        ],
    },
    {
        "slug": "al-wahda-rissani",
        "name": "Coopérative Al Wahda des Dattes",
        "legal_name": "Coopérative Al Wahda des Producteurs de Dattes de Rissani",
        "kind": "cooperative",
        "registration_number": "ODCO-ERR-2014-0301",
        "ice": "003789012000064",
        "region": "draa-tafilalet",
        "province": "Errachidia",
        "commune": "Rissani",
        "founded_year": 2014,
        "members_count": 75,
        "women_members_count": 22,
        "story": "Les palmiers de Rissani, berceau du Tafilalet, donnent des dattes Bouslikhene et Majhoul.",
        "user": None,
        "featured": False,
        "prefix": "WAH",
        "gie_member": True,
        "products": [
            ("dattes", "Dattes Majhoul, calibre Medium — 1 kg", D("140.00"), 40, 1040),
            ("dattes", "Dattes Bouslikhene — 1 kg", D("60.00"), 45, 1040),
            ("dattes", "Dattes Aziza — 500 g", D("35.00"), 50, 520),
            ("dattes", "Coffret dattes fourrées aux amandes — 300 g", D("95.00"), 20, 360),
            ("dattes", "Dattes Khalt (mélange de variétés) — 2 kg", D("70.00"), 30, 2060),
            ("dattes", "Farine de noyaux de dattes torréfiés — 250 g", D("30.00"), 25, 260),
            ("dattes", "Dattes Majhoul Tafilalet — 3 kg", D("390.00"), 12, 3080),
            ("dattes", "Dattes Boufeggous — 500 g", D("42.00"), 40, 520),
        ],
    },
    {
        "slug": "compost-vert-erfoud",
        "name": "Coopérative Compost Vert de l'Oasis",
        "legal_name": "Coopérative Compost Vert de l'Oasis d'Erfoud",
        "kind": "cooperative",
        "registration_number": "ODCO-ERR-2018-0420",
        "ice": "004410276000093",
        "region": "draa-tafilalet",
        "province": "Errachidia",
        "commune": "Erfoud",
        "founded_year": 2018,
        "members_count": 18,
        "women_members_count": 6,
        "story": (
            "Les palmes sèches et les résidus de taille des palmeraies, broyés et compostés avec le "
            "fumier des oasis : un amendement organique local au lieu des brûlis."
        ),
        "user": None,
        "featured": True,
        "prefix": "CMP",
        "gie_member": True,
        "products": [
            ("compost", "Compost de résidus de palmier — sac de 5 kg", D("35.00"), 80, 5000),
            ("compost", "Compost de résidus de palmier — sac de 10 kg", D("60.00"), 60, 10000),
            ("compost", "Compost de résidus de palmier — sac de 25 kg", D("130.00"), 40, 25000),
            ("compost", "Paillis de palmes broyées — sac de 20 kg", D("70.00"), 30, 20000),
            ("compost", "Terreau oasien pour semis — sac de 10 kg", D("75.00"), 35, 10000),
        ],
    },
    {
        "slug": "rose-du-dades",
        "name": "Coopérative Rose du Dadès",
        "legal_name": "Coopérative Féminine Rose du Dadès",
        "kind": "cooperative",
        "registration_number": "ODCO-TNG-2005-0077",
        "ice": "005123984000027",
        "region": "draa-tafilalet",
        "province": "Tinghir",
        "commune": "Kelaat M'Gouna",
        "founded_year": 2005,
        "members_count": 45,
        "women_members_count": 45,
        "story": (
            "En mai, la vallée des roses de Kelaat M'Gouna embaume : la Rosa damascena est cueillie "
            "avant le lever du soleil et distillée en eau de rose et en huile essentielle."
        ),
        "user": None,
        "featured": True,
        "prefix": "ROS",
        "products": [
            ("rose", "Eau de rose de Kelaat M'Gouna — 250 ml", D("45.00"), 50, 280),
            ("rose", "Eau de rose de Kelaat M'Gouna — 500 ml", D("80.00"), 40, 540),
            ("rose", "Huile essentielle de rose de Damas — 5 ml", D("450.00"), 10, 30),
            ("rose", "Boutons de rose séchés — 100 g", D("40.00"), 40, 120),
            ("rose", "Savon à la rose — 100 g", D("25.00"), 70, 110),
            ("rose", "Crème hydratante à la rose — 50 ml", D("85.00"), 30, 90),
        ],
    },
    {
        "slug": "zitouna-ouazzane",
        "name": "Coopérative Zitouna d'Ouazzane",
        "legal_name": "Coopérative Oléicole Zitouna d'Ouazzane",
        "kind": "cooperative",
        "registration_number": "ODCO-OUZ-2008-0150",
        "ice": "006234715000056",
        "region": "tanger-tetouan-al-hoceima",
        "province": "Ouazzane",
        "commune": "Ouazzane",
        "founded_year": 2008,
        "members_count": 64,
        "women_members_count": 12,
        "story": (
            "Picholine marocaine des collines pré-rifaines, récoltée à la main et triturée à froid sous 24 h."
        ),
        "user": None,
        "featured": False,
        "prefix": "ZIT",
        "products": [
            ("huile-olive", "Huile d'olive vierge extra, Picholine marocaine — 500 ml", D("55.00"), 60, 520),
            ("huile-olive", "Huile d'olive vierge extra, Picholine marocaine — 1 L", D("95.00"), 50, 1040),
            ("huile-olive", "Huile d'olive vierge extra, Picholine marocaine — 5 L", D("420.00"), 15, 5100),
            ("huile-olive", "Huile d'olive vierge — 1 L", D("75.00"), 40, 1040),
            ("huile-olive", "Olives noires confites — 500 g", D("35.00"), 40, 520),
            ("huile-olive", "Tapenade d'olives vertes — 200 g", D("30.00"), 30, 220),
        ],
    },
    {
        "slug": "aromatiques-haut-atlas",
        "name": "Coopérative Aromatiques du Haut Atlas",
        "legal_name": "Coopérative des Plantes Aromatiques et Médicinales du Haut Atlas",
        "kind": "cooperative",
        "registration_number": "ODCO-HAZ-2010-0099",
        "ice": "007345826000082",
        "region": "marrakech-safi",
        "province": "Al Haouz",
        "commune": "Asni",
        "founded_year": 2010,
        "members_count": 40,
        "women_members_count": 28,
        "story": (
            "Thym, romarin et verveine cueillis sur les pentes du Toubkal, henné de Tata, miels de montagne."
        ),
        "user": None,
        "featured": False,
        "prefix": "HAT",
        "products": [
            ("herbes-henne", "Henné naturel de Tata en poudre — 100 g", D("25.00"), 80, 110),
            ("herbes-henne", "Henné naturel de Tata en poudre — 250 g", D("50.00"), 50, 260),
            ("herbes-henne", "Thym sauvage du Haut Atlas — 100 g", D("30.00"), 60, 110),
            ("herbes-henne", "Verveine odorante séchée — 50 g", D("28.00"), 60, 60),
            ("herbes-henne", "Romarin sauvage — 100 g", D("22.00"), 60, 110),
            ("herbes-henne", "Menthe Nanah séchée — 50 g", D("20.00"), 70, 60),
            ("miel", "Miel de thym du Haut Atlas — 250 g", D("90.00"), 30, 300),
            ("miel", "Miel de thym du Haut Atlas — 500 g", D("170.00"), 20, 560),
            ("miel", "Miel d'euphorbe — 250 g", D("120.00"), 20, 300),
        ],
    },
]

USERS = [
    # (email, first name, last name, role)
    ("admin@example.com", "Amina", "Admin", "superuser"),
    ("saffron@example.com", "Fatima", "Ait Lahcen", "producer"),
    ("argan@example.com", "Khadija", "Ouhammou", "producer"),
    ("dates@example.com", "Youssef", "Benali", "producer"),
    ("gie@example.com", "Hassan", "Amrani", "coordinator"),
    ("customer@example.com", "Sara", "El Idrissi", "customer"),
]
