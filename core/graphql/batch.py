"""Per-object values of a page loaded in one call: the API's dataloaders, without promises.

A list resolver hands its page to `page_of` (or `page_batch`); the first object whose field needs
related rows loads them for every object of the page at once, the others read what it loaded. An
object that came outside a page loads for itself alone. So a field costs one query per page, and
only when a query asks for it.
"""

from django.db.models import prefetch_related_objects


class _Page:
    def __init__(self, objects):
        self.objects = objects
        self.prefetched: set = set()


def page_of(objects) -> list:
    """Mark the objects as one page; returns them as a list."""
    objects = list(objects)
    page = _Page(objects)
    for obj in objects:
        obj._graphql_page = page
    return objects


def page_prefetch(obj, *lookups, key: str) -> None:
    """Prefetch `lookups` (Django prefetch lookups) once for the whole page `obj` came in."""
    page = getattr(obj, "_graphql_page", None)
    if page is None:
        prefetch_related_objects([obj], *lookups)
        return
    if key not in page.prefetched:
        prefetch_related_objects(page.objects, *lookups)
        page.prefetched.add(key)


class _PageBatch:
    def __init__(self, objects, load):
        self._objects = objects
        self._load = load
        self._values = None

    def get(self, key, default):
        if self._values is None:
            self._values = self._load(self._objects)
        return self._values.get(key, default)


def page_batch(objects, *, name: str, load) -> list:
    """Attach `load(objects) -> {pk: value}` under `name` to each object of the page; returns the page."""
    objects = list(objects)
    batch = _PageBatch(objects, load)
    for obj in objects:
        setattr(obj, f"_graphql_batch_{name}", batch)
    return objects


def batched(obj, *, name: str, load_one, default=None):
    """The object's value from its page's batch, or loaded for it alone when it came outside a page."""
    batch = getattr(obj, f"_graphql_batch_{name}", None)
    if batch is None:
        return load_one(obj)
    return batch.get(obj.pk, default)
