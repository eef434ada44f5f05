"""A small HTTP load generator for the benchmarks: http.client, threads, cookies, forms.

`Browser` is one visitor (its own connection, kept alive when the server allows it, and its
cookies). `drive()` sends a fixed number of requests to one path at a fixed concurrency and returns
the samples; `summary()` turns them into p50/p95. `form_fields()` reads a form the way a browser
would submit it (the Wagtail editor's, for instance). Standard library only.
"""

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes
    ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-bench-queries")
        return int(value) if value and value.isdigit() else None


class Browser:
    """One visitor of `base_url`; `keep_cookies=False` is an anonymous visitor on every request."""

    def __init__(self, base_url: str, keep_cookies: bool = True, timeout: float = 60):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.keep_cookies = keep_cookies
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method: str, path: str, form: dict | list | None = None, headers: dict | None = None) -> Reply:
        body = urlencode(form, doseq=True).encode() if form is not None else None
        sent = {"Host": f"{self.host}:{self.port}", "Accept": "text/html,application/json", **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies and self.keep_cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed a kept-alive connection: open a new one once
                if attempt == 2:
                    raise
        ms = (time.perf_counter() - started) * 1000
        if response.will_close:
            self.conn.close()
        if self.keep_cookies:
            self._remember(response.msg.get_all("Set-Cookie") or [])
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, ms)

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form, **kwargs) -> Reply:
        return self.request("POST", path, form=form, **kwargs)

    def _remember(self, set_cookies):
        for header in set_cookies:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self):
        self.conn.close()


@dataclass
class Samples:
    ms: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    queries: list = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # X-Page-Cache values (hit / miss), when the app sends them
    errors: int = 0  # connection failures

    def extend(self, other: "Samples") -> None:
        self.ms += other.ms
        self.queries += other.queries
        self.errors += other.errors
        for mine, theirs in ((self.statuses, other.statuses), (self.cache, other.cache)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n


def drive(base_url: str, path: str, requests: int, concurrency: int, browser_factory=None) -> Samples:
    """`requests` GETs of `path`, `concurrency` at a time; anonymous unless a factory gives browsers."""
    samples, lock = Samples(), threading.Lock()
    remaining = [requests]

    def run():
        browser = browser_factory() if browser_factory else Browser(base_url, keep_cookies=False)
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            try:
                reply = browser.get(path)
            except OSError:
                with lock:
                    samples.errors += 1
                continue
            with lock:
                samples.ms.append(reply.ms)
                samples.statuses[reply.status] = samples.statuses.get(reply.status, 0) + 1
                if reply.queries is not None:
                    samples.queries.append(reply.queries)
                if "x-page-cache" in reply.headers:
                    samples.cache[reply.headers["x-page-cache"]] = samples.cache.get(reply.headers["x-page-cache"], 0) + 1
        browser.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def summary(samples: Samples) -> tuple[float, float]:
    if not samples.ms:
        return float("nan"), float("nan")
    return statistics.median(samples.ms), percentile(samples.ms, 0.95)


# --- Reading pages ---------------------------------------------------------------------------------

def input_value(html: str, name: str) -> str | None:
    """The value of the first <input name=…> (attributes in any order), or None."""
    for tag in re.finditer(r"<input\b[^>]*>", html):
        attrs = {k.lower(): unescape(v) for k, _q, v in re.findall(r'([\w-]+)=(["\'])(.*?)\2', tag.group(0))}
        if attrs.get("name") == name:
            return attrs.get("value", "")
    return None


class _FormReader(HTMLParser):
    """What a browser would submit from the form with `form_id` (skipping <template> copies)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.template_depth = form_id, False, 0
        self.fields: list[tuple[str, str]] = []
        self.select = self.textarea = None
        self.options: list = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id or (self.form_id is None and not self.fields)
        if not self.inside:
            return
        if tag == "template":
            self.template_depth += 1
        if self.template_depth or "name" not in a or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self.select, self.options = (a["name"], "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "template" and self.template_depth:
            self.template_depth -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [v for v, selected in self.options if selected] or ([] if multiple else self.options[:1] and [self.options[0][0]])
            self.fields += [(name, v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields
