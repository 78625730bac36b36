"""Who is paid a fulfilment's shipping: the producer, unless its fulfilment module ships for it."""

from fulfilment.modules import UnknownFulfilmentModule, module_get


def shipping_payees(module_routing_keys) -> dict[str, int]:
    """{routing key: producer paid the shipping} for (module, routing key) pairs of fulfilments with
    shipping, where the module ships for its producers (a GIE hub)."""
    keys_by_module: dict[str, set[str]] = {}
    for module, routing_key in module_routing_keys:
        if routing_key:
            keys_by_module.setdefault(module, set()).add(routing_key)
    payees: dict[str, int] = {}
    for name, keys in keys_by_module.items():
        try:
            payees.update(module_get(name).shipping_payees(routing_keys=keys))
        except UnknownFulfilmentModule:
            continue  # a module since removed: its shipping stays with the producer
    return payees
