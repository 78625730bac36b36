"""What a page must be to run under the storefront's Content-Security-Policy."""

import re

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([^']+)'")


def csp_directives(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_page_obeys_its_policy(response):
    assert response.status_code == 200, response
    script_src = csp_directives(response)["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonces = NONCE.findall(" ".join(script_src))
    html = response.content.decode()
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" in attributes or 'type="application/json"' in attributes:  # a file, or data
            continue
        assert nonces and f'nonce="{nonces[0]}"' in attributes, (
            f"inline script without the nonce: {attributes}"
        )
    assert EVENT_HANDLER.findall(html) == []
