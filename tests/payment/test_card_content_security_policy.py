import pytest

from tests.csp import assert_page_obeys_its_policy, csp_directives
from tests.payment.checkout_helpers import card_checkout_until_payment_page, product_of

pytestmark = pytest.mark.django_db


def test_the_card_payment_page_obeys_the_policy_and_allows_only_stripe_js_from_outside(
    client, demo, stripe_double
):
    response = card_checkout_until_payment_page(client, [(product_of("souktana-safran-taliouine"), 1)])

    assert_page_obeys_its_policy(response)
    script_src = csp_directives(response)["script-src"]
    assert [source for source in script_src if source.startswith("https:")] == ["https://js.stripe.com"]
    assert '<script src="https://js.stripe.com/v3/">' in response.content.decode()
