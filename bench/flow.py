"""The buyer flow over HTTP, for `bench/http.py`: virtual buyers ordering cash on delivery.

Each virtual buyer (a thread) repeats, as a new guest each time (no cookies to start with):
product page → add to cart (POST /gio-hang/them/ with the variant and the CSRF token of the page's
form; from /gio-hang/khach/ when the page is a shared cached copy without one) → cart → checkout
form (GET) → checkout (POST: the form's idempotency key and token, an address in Hà Nội, standard
delivery, COD). An order counts when the checkout answers 302 to /don-hang/<number>/.
"""

import json
import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.loadgen import Browser, input_value, percentile

STEPS = ("product", "add to cart", "cart", "checkout form", "checkout post")


@dataclass
class FlowResult:
    seconds: float = 0.0
    orders: int = 0  # every order placed, those of buyers still in flight at the deadline included
    in_time: int = 0  # orders placed before the deadline: the rate
    deadline: float = 0.0
    tail: float = 0.0  # seconds the buyers in flight took to finish after the deadline
    requests: int = 0
    server_errors: int = 0  # 5xx answers
    failures: Counter = field(default_factory=Counter)  # why a buyer did not get an order
    ms: dict = field(default_factory=lambda: {step: [] for step in STEPS})

    @property
    def rate(self) -> float:
        return self.in_time / self.seconds if self.seconds else 0.0

    def step_lines(self):
        for step in STEPS:
            samples = self.ms[step]
            if samples:
                yield f"  {step:14} p50 {statistics.median(samples):7.1f} ms  p95 {percentile(samples, 0.95):7.1f} ms  ({len(samples)})"


class _Failed(Exception):
    pass


def csrf_token(browser, html) -> str:
    """The CSRF token of the page's forms, or the visitor's from /gio-hang/khach/ (a shared cached page has none)."""
    token = input_value(html, "csrfmiddlewaretoken")
    if token:
        return token
    reply = browser.get("/gio-hang/khach/", headers={"Accept": "application/json"})  # what visitor.js asks
    if reply.status != 200:
        raise _Failed(f"no CSRF token on the page, /gio-hang/khach/ → {reply.status}")
    return json.loads(reply.body)["csrf_token"]


def one_order(base_url: str, flow: dict, variant_id, product_url: str, result: FlowResult, lock) -> None:
    browser = Browser(base_url)

    def step(name, reply, expected):
        with lock:
            result.requests += 1
            result.ms[name].append(reply.ms)
            if reply.status >= 500:
                result.server_errors += 1
        if reply.status != expected:
            said = re.findall(r'class="(?:alert|errorlist)[^"]*"[^>]*>(.*?)</(?:div|ul|p)>', reply.text, re.DOTALL)
            why = " / ".join(" ".join(re.sub(r"<[^>]+>", " ", x).split()) for x in said)[:160]
            raise _Failed(f"{name}: HTTP {reply.status}" + (f" ({why})" if why else ""))
        return reply

    try:
        page = step("product", browser.get(product_url), 200)
        if f'value="{variant_id}"' not in page.text:
            raise _Failed("product: the variant's form is not on the page")
        step("add to cart", browser.post("/gio-hang/them/", {
            "csrfmiddlewaretoken": csrf_token(browser, page.text), "variant": variant_id, "quantity": 1,
            "next": product_url}), 302)
        step("cart", browser.get("/gio-hang/"), 200)
        form = step("checkout form", browser.get("/thanh-toan/"), 200).text
        key = input_value(form, "idempotency_key")
        if not key:
            raise _Failed("checkout form: no idempotency_key")
        placed = step("checkout post", browser.post("/thanh-toan/", {
            "csrfmiddlewaretoken": csrf_token(browser, form), "idempotency_key": key,
            "name": "Người mua đo tải", "phone": f"0912{random.randrange(10**6):06d}", "email": "buyer@example.com",
            "province": flow["province"], "commune": flow["commune"], "street": "1 Tràng Tiền",
            "delivery_method": "tieu-chuan", "payment_method": "cod", "note": ""}), 302)
        if not re.match(r"^(https?://[^/]+)?/don-hang/[^/]+/", placed.headers.get("location", "")):
            raise _Failed(f"checkout post: redirected to {placed.headers.get('location')}")
        with lock:
            result.orders += 1
            if time.perf_counter() <= result.deadline:
                result.in_time += 1
    except _Failed as failure:
        with lock:
            result.failures[str(failure)] += 1
    except OSError as error:
        with lock:
            result.failures[f"connection: {error.__class__.__name__}"] += 1
    finally:
        browser.close()


def run_flow(base_url: str, flow: dict, seconds: float, concurrency: int) -> FlowResult:
    result, lock = FlowResult(), threading.Lock()
    items = list(flow["variants"].items())
    started = time.perf_counter()
    result.deadline = deadline = started + seconds

    def buyer(n):
        rng = random.Random(n)
        while time.perf_counter() < deadline:
            variant_id, url = rng.choice(items)
            one_order(base_url, flow, variant_id, url, result, lock)

    threads = [threading.Thread(target=buyer, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # buyers in flight at the deadline finish their order (counted, not in the rate)
    result.seconds = seconds
    result.tail = time.perf_counter() - deadline
    return result
