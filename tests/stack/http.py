"""A small HTTP client for the stack test: keeps cookies by hand (the stack's cookies are `Secure`,
which the standard library's cookie jar will not send over plain HTTP) and never follows redirects."""

import http.client
import json
import re
import urllib.parse
from dataclasses import dataclass

from catalog.models import ProductVariant


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class Browser:
    def __init__(self, base: str):
        self.address = urllib.parse.urlsplit(base)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None) -> Answer:
        connection = http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=30)
        headers = {"Host": f"{self.address.hostname}:{self.address.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, dict(response.getheaders()), text)

    def get(self, path) -> Answer:
        return self.request("GET", path)

    def post(self, path, data: dict) -> Answer:
        token = data.get("csrfmiddlewaretoken", "")
        referer = f"http://{self.address.hostname}:{self.address.port}{path}"
        return self.request("POST", path, urllib.parse.urlencode(data),
                            {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token,
                             "Referer": referer})

    def answers(self, path) -> bool:
        try:
            return self.get(path).status == 200
        except OSError:
            return False

    def visitor_state(self) -> dict:
        """What `js/visitor.js` asks for on a cached page: the cart's count and a CSRF token."""
        return json.loads(self.get("/gio-hang/khach/").text)

    def cart_count(self) -> int:
        return self.visitor_state()["cart_count"]

    def add_to_cart(self, product, quantity=1) -> int:
        page = self.get(product.url)
        assert re.search(r'name="csrfmiddlewaretoken" value="', page.text)
        token = self.visitor_state()["csrf_token"]
        variant = ProductVariant.objects.get(product=product)
        return self.post("/gio-hang/them/", {"csrfmiddlewaretoken": token, "variant": variant.pk,
                                             "quantity": quantity}).status
