"""Extension points: an app asks apps loaded after it for knowledge it may not import.

Imports flow one way (core ← catalog ← cooperatives ← fulfilment ← gie ← shop). When an app needs
what a later app knows (a GIE's default commission, who coordinates a producer), it declares a
`Hooks` and the later app registers its functions from `AppConfig.ready()`.
"""


class Hooks:
    """An ordered set of functions registered by later apps; registering one twice keeps one."""

    def __init__(self):
        self._functions: list = []

    def register(self, function):
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __iter__(self):
        return iter(tuple(self._functions))

    def __len__(self):
        return len(self._functions)
