"""What apps loaded after cooperatives tell it when they load (cooperatives imports none of them)."""

from collections.abc import Callable

from core.hooks import Hooks

# Each returns an expression evaluated on Partner rows: the producer's default commission rate, or
# NULL. For a producer without a rate of its own the first non-NULL one applies (gie: its GIE's).
commission_default_providers = Hooks()

_fulfilment_modules: dict = {"choices": lambda: [], "default": ""}


def fulfilment_modules_provide(*, choices: Callable[[], list[tuple[str, str]]], default: str) -> None:
    """fulfilment says which modules a producer may use (read each time: apps register more as they
    load) and which one a new producer gets."""
    _fulfilment_modules.update(choices=choices, default=default)


def fulfilment_module_choices() -> list[tuple[str, str]]:
    """`Partner.fulfilment_module`'s choices, resolved when asked (never frozen in a migration)."""
    return list(_fulfilment_modules["choices"]())


def fulfilment_module_default() -> str:
    return _fulfilment_modules["default"]
