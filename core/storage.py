"""Where files that only their owner may download are stored.

Media may be served straight from `MEDIA_ROOT` or a bucket, without Django: a purchase-order ZIP or
a cooperative's CSV import must not sit at a path anyone can guess from a slug and a number. They
go under a random directory; the dashboards' download views check who asks.
"""

import uuid

from django.utils.deconstruct import deconstructible


@deconstructible
class private_upload_to:  # noqa: N801 (used like a function in `upload_to=`)
    def __init__(self, prefix: str):
        self.prefix = prefix.rstrip("/")

    def __call__(self, instance, filename: str) -> str:
        return f"{self.prefix}/{uuid.uuid4().hex}/{filename}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.prefix == self.prefix
