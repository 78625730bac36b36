"""Branded error pages (400, 403, 404, 500) in the visitor's language.

400, 403 and 404 render with the request, on the storefront's base template; 500 renders
`500.html` alone, without the request or the database, since either may be what failed.
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from core.user_input import InputRejected

logger = logging.getLogger(__name__)


def bad_request(request, exception=None):
    # Only our own refusals carry a message meant for the visitor; Django's may name internals.
    message = exception.message if isinstance(exception, InputRejected) else ""
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request=None):
    try:
        html = loader.get_template("500.html").render()
    except Exception:  # the page that says something broke must not break in turn
        logger.exception("The 500 page could not be rendered")
        html = "<!DOCTYPE html><title>Terroir Souk</title><h1>Terroir Souk</h1><p>Server error (500)</p>"
    return HttpResponseServerError(html)
