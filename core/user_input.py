"""Rules every piece of text a visitor sends must pass, wherever it is read (URL, query string, form)."""

import re

from django.core.exceptions import BadRequest, ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters (NUL included) and DEL; tab, line feed and carriage return are text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InputRejected(BadRequest):
    """The request carries input no page accepts; answered 400 with `message`, which the visitor reads."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


@deconstructible
class NoControlCharactersValidator:
    message = _("Control characters are not allowed here.")
    code = "control_characters"

    def __call__(self, value):
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharactersValidator)
