"""The interface catalogues: complete, placeholders intact, and the dashboards really render in French."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["fr", "ar"]
# %(name)s, %s, %d, {name} — a lone "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}")


def _catalogue(language: str):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=language)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def _entries(catalogue):
    return [message for message in catalogue if message.id]


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(language)

    fuzzy = [message.id for message in _entries(catalogue) if message.fuzzy]
    untranslated = [
        message.id
        for message in _entries(catalogue)
        if not message.string
        or (isinstance(message.string, tuple) and not all(message.string))
        or (message.pluralizable and len(message.string) != catalogue.num_plurals)
    ]

    assert len(_entries(catalogue)) > 500  # the whole interface, not a sample
    assert fuzzy == []
    assert untranslated == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_the_placeholders_of_their_source(language):
    wrong = []
    for message in _entries(_catalogue(language)):
        if message.pluralizable:
            # a singular form may say "one" instead of the number, but never invent a placeholder
            allowed = set(_placeholders(message.id[0]) + _placeholders(message.id[1]))
            if any(not set(_placeholders(form)) <= allowed for form in message.string):
                wrong.append(message.id)
        elif _placeholders(message.string) != _placeholders(message.id):
            wrong.append(message.id)

    assert wrong == []


def _client_of(email: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def test_the_cooperative_dashboard_speaks_french(demo):
    response = _client_of("saffron@example.com").get(reverse("coop-dashboard:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "<h1>Tableau de bord</h1>" in page
    assert "<h2>Stock par lot</h2>" in page
    assert ">Historique</a>" in page
    assert "Stock by lot" not in page


def test_the_gie_dashboard_speaks_french(demo):
    url = reverse("gie-dashboard:home", kwargs={"slug": "mawrout-bladi"})

    response = _client_of("gie@example.com").get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h3>Ventes par membre, 12 dernières semaines (MAD)</h3>" in page
    assert ">Tournées de collecte</a>" in page
    assert ">Relevés</a>" in page
    assert "Collection rounds" not in page


def test_the_dashboards_switch_to_arabic_under_the_ar_prefix(demo):
    response = _client_of("saffron@example.com").get("/ar" + reverse("coop-dashboard:home"))

    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "<h1>لوحة التحكم</h1>" in page
