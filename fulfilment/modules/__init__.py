"""Registry of fulfilment modules, by name. A producer's `fulfilment_module` names one of them.

Adding a module: write one file with a `FulfilmentModule` subclass, and add one
`module_register(...)` line below (or call it from your app's `AppConfig.ready()`).
"""

from django.utils.translation import gettext as _

from fulfilment.modules.base import FulfilmentModule

_registry: dict[str, FulfilmentModule] = {}


class UnknownFulfilmentModule(LookupError):
    pass


def module_register(module: FulfilmentModule) -> FulfilmentModule:
    if not module.name:
        raise ValueError(_("A fulfilment module needs a name."))
    _registry[module.name] = module
    return module


def module_get(name: str) -> FulfilmentModule:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownFulfilmentModule(
            _("No fulfilment module is registered as “%(name)s”.") % {"name": name}
        ) from None


def module_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered module, for `Partner.fulfilment_module`."""
    return [(name, module.label) for name, module in sorted(_registry.items())]


from fulfilment.modules.pickup import Pickup  # noqa: E402
from fulfilment.modules.self_ship import SelfShip  # noqa: E402

module_register(SelfShip())
module_register(Pickup())
# What a new producer uses until platform staff choose otherwise.
DEFAULT_MODULE = SelfShip.name
