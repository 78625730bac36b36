"""Per-object values of a page loaded in one call (the API's dataloader, without promises).

A list resolver hands its page to `page_batch`; the first object whose field is resolved loads the
values of every object of the page at once, the others read them from the same result.
"""


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
