"""The load mix of bench/stack_load.py, for locust: browse 70 %, search 15 %, basket 10 %, checkout 5 %.

Targets (product and category addresses) come from the JSON file named by TERROIR_BENCH_TARGETS.
"""

import itertools
import json
import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack_client import SEARCHES, CheckoutFailed, basket_add, cod_checkout  # noqa: E402

TARGETS = json.loads(Path(os.environ["TERROIR_BENCH_TARGETS"]).read_text())
EMAILS = itertools.count(1)


class LocustHttp:
    """The stack_client interface over locust's client: one statistics row per step, not per URL."""

    def __init__(self, client):
        self.client = client

    def get(self, path, label=""):
        return self.client.get(path, name=label or path, allow_redirects=False)

    def post(self, path, data, label=""):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        return self.client.post(path, data=data, headers=headers, name=label or path, allow_redirects=False)


class Shopper(HttpUser):
    wait_time = between(1, 2)

    def on_start(self):
        self.http = LocustHttp(self.client)

    @task(70)
    def browse(self):
        page = random.choice(["home", "category", "product", "product", "catalogue"])
        if page == "home":
            self.client.get("/", name="browse home")
        elif page == "catalogue":
            self.client.get("/catalogue/", name="browse catalogue")
        elif page == "category":
            self.client.get(random.choice(TARGETS["categories"]), name="browse category")
        else:
            self.client.get(random.choice(TARGETS["products"])[1], name="browse product")

    @task(15)
    def search(self):
        self.client.get(f"/search/?q={random.choice(SEARCHES)}", name="search")

    @task(10)
    def basket(self):
        pk, url = random.choice(TARGETS["stocked"])
        self._step(lambda: basket_add(self.http, product_url=url, product_pk=pk))
        self.client.get("/basket/", name="basket view")

    @task(5)
    def checkout(self):
        pk, url = random.choice(TARGETS["stocked"])

        def journey():
            basket_add(self.http, product_url=url, product_pk=pk)
            cod_checkout(self.http, email=f"load-{os.getpid()}-{next(EMAILS)}@example.com")

        self._step(journey)

    def _step(self, journey):
        try:
            journey()
        except CheckoutFailed as exc:
            # The HTTP errors are already counted by locust; a wrong redirect is a failure too.
            self.environment.events.request.fire(
                request_type="FLOW", name=f"flow {exc.step}", response_time=0, response_length=0,
                exception=exc, context={},
            )  # fmt: skip
