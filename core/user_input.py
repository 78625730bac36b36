"""Rules every piece of text a visitor sends must pass, wherever it is read (URL, query string, form)."""

import re

from django.core.exceptions import BadRequest

# C0 and C1 control characters (NUL included) and DEL; tab, line feed and carriage return are text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InputRejected(BadRequest):
    """The request carries input no page accepts; answered 400 with `message`, which the visitor reads."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
