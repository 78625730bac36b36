import pytest
from oscar.core.loading import get_model

from shop.demo.loader import demo_load

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_buys_from_three_cooperatives_and_sees_each_parcel(live_server, page):
    # given the demo marketplace served by a live server
    demo_load(with_images=False)
    products = [Product.objects.get(upc=upc) for upc in ("TAL-001", "TIF-001", "NAK-002")]

    # when a guest puts three cooperatives' products in the basket…
    for product in products:
        page.goto(live_server.url + product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(live_server.url + "/basket/")
    page.locator("a[href='/checkout/']").last.click()

    # …checks out as a guest, delivered in Casablanca, paying cash on delivery
    page.fill("#id_username", "nadia@example.com")
    page.check("input[name=options][value=anonymous]")
    page.locator("form button[type=submit]").last.click()
    page.fill("#id_first_name", "Nadia")
    page.fill("#id_last_name", "Berrada")
    page.fill("#id_line1", "12 rue Tarik Ibn Ziad")
    page.fill("#id_line4", "Casablanca")
    page.fill("#id_postcode", "20250")
    page.select_option("#id_country", "MA")
    page.fill("#id_phone_number", "+212612345678")
    page.locator(
        "#new_shipping_address button[type=submit], form.form-stacked button[type=submit]"
    ).last.click()
    page.check("input[name=method][value=cod]")
    page.click("#payment-method-continue")
    page.click("#place-order")

    # then the confirmation lists what each cooperative will send
    page.wait_for_selector(".producer-group")
    groups = page.locator(".producer-group")
    assert groups.count() == 3
    names = " ".join(groups.all_inner_texts())
    assert "Souktana" in names and "Tifawin" in names and "Nakhil Aoufous" in names
    order = Order.objects.get()
    assert order.lines.values("partner").distinct().count() == 3
    assert page.locator("html").get_attribute("lang") == "fr"
