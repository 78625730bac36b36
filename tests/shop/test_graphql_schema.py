"""The schema clients build against (`schema.graphql`) is the one the code serves."""

from pathlib import Path

from django.conf import settings
from graphql import print_schema

from shop.graphql.schema import schema

SCHEMA_FILE = Path(settings.BASE_DIR) / "schema.graphql"


def test_the_exported_schema_matches_the_code():
    exported = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""

    assert exported.strip() == print_schema(schema.graphql_schema).strip(), (
        "schema.graphql is out of date: run `python manage.py graphql_schema` and commit the file."
    )
