"""What a shopper does over HTTP, shared by the load and fault benchmarks (`bench/stack_*.py`).

Each step goes through an `http` object with `get(path, label)` and `post(path, data, label)`, so the
same journey runs on a `requests.Session` (faults) or inside locust (load). Forms are posted like a
browser does: with the CSRF cookie echoed in the X-CSRFToken header.
"""

import re

ADDRESS = {
    "first_name": "Nadia",
    "last_name": "Berrada",
    "line1": "12 rue Tarik Ibn Ziad",
    "line4": "Casablanca",
    "postcode": "20250",
    "country": "MA",
    "phone_number": "+212612345678",
}
SEARCHES = ["safran", "argan", "dattes", "huile", "miel", "rose", "compost", "majhoul"]
ORDER_NUMBER = re.compile(rb"\b(1\d{5,})\b")


class CheckoutFailed(Exception):
    def __init__(self, step: str, status: int):
        super().__init__(f"{step}: HTTP {status}")
        self.step, self.status = step, status


class RequestsHttp:
    """`requests.Session` against a base URL; never follows redirects (each step checks its 302)."""

    def __init__(self, session, base: str, timeout: float = 30):
        self.session, self.base, self.timeout = session, base.rstrip("/"), timeout

    def _headers(self) -> dict:
        return {"X-CSRFToken": self.session.cookies.get("csrftoken", "")}

    def get(self, path: str, label: str = ""):
        return self.session.get(self.base + path, allow_redirects=False, timeout=self.timeout)

    def post(self, path: str, data: dict, label: str = ""):
        return self.session.post(
            self.base + path, data=data, headers=self._headers(), allow_redirects=False, timeout=self.timeout
        )


def _expect(response, step: str, *statuses: int):
    if response.status_code not in statuses:
        raise CheckoutFailed(step, response.status_code)
    return response


def basket_add(http, *, product_url: str, product_pk: int, quantity: int = 1, visit: bool = True) -> None:
    if visit:  # the product page, which also sets the CSRF cookie
        _expect(http.get(product_url, "product"), "product", 200)
    _expect(http.post(f"/basket/add/{product_pk}/", {"quantity": quantity}, "basket add"), "basket", 302)


def cod_checkout(http, *, email: str, review: bool = True) -> str:
    """A guest's cash-on-delivery checkout of the current basket; returns the order number.

    review=False skips showing the preview page before placing the order (fewer requests)."""
    _expect(http.get("/checkout/", "checkout"), "checkout", 200, 302)
    guest = {"username": email, "options": "anonymous"}
    _expect(http.post("/checkout/", guest, "checkout guest"), "guest", 302)
    _expect(http.post("/checkout/shipping-address/", ADDRESS, "checkout address"), "address", 302)
    _expect(http.get("/checkout/shipping-method/", "checkout method"), "method", 302)
    _expect(http.post("/checkout/payment-method/", {"method": "cod"}, "checkout payment"), "payment", 302)
    if review:
        _expect(http.get("/checkout/preview/", "checkout preview"), "preview", 200)
    placed = http.post("/checkout/preview/", {"action": "place_order"}, "checkout place")
    _expect(placed, "place", 302)
    if "thank-you" not in placed.headers.get("Location", ""):
        raise CheckoutFailed("place (redirected back)", placed.status_code)
    thanks = _expect(http.get("/checkout/thank-you/", "checkout thank-you"), "thank-you", 200)
    found = ORDER_NUMBER.search(thanks.content)
    return found.group(1).decode() if found else ""
