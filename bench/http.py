"""Benchmark: the shop over HTTP, served as in production (gunicorn, 2 workers), against a floor.

    .venv/bin/python bench/http.py                                   # 20,000 products on SQLite
    .venv/bin/python bench/http.py --products 2000 --requests 50     # a quick look
    .venv/bin/python bench/http.py --redis-url redis://127.0.0.1:6379/5 \\
        --elasticsearch-url http://127.0.0.1:9200 \\
        --flow-database-url postgres://ocop:ocop@127.0.0.1:5432/ocop_bench
    .venv/bin/python bench/http.py --reuse --only product,flow ...  # keep the databases, a subset

Setup: builds the synthetic catalogue (`generate_catalog`, seed 1) in bench/out/http.sqlite3 or
--database-url (wiped unless --reuse), migrates, seeds shipping rates, reindexes search and
collects static files into bench/out/static; then starts gunicorn (deploy/gunicorn.conf.py,
WEB_CONCURRENCY=2) and a task worker with DJANGO_SETTINGS_MODULE=bench.settings_bench: production
settings plus the floor URL and a query-count header. Logs: bench/out/*.log. Every process it
starts is stopped at the end, on an error or on Ctrl-C.

How to read it. The machine is shared and noisy, so the figure to compare is `× floor`: a page's
p50 divided by the p50 of the floor, `/__bench_floor__/`, a view that returns the home page's bytes
(captured once) through the same middleware, measured in the same run: each page's requests go in
four runs, each after a run of the floor at the same concurrency, and the ratio uses those floor
runs (their p50 is in the notes; `floor (all)` pools them). Every page is warmed up first. `queries`
is the SQL count of one request rendered in-process (django.test.Client + CaptureQueriesContext,
page cache off, after one warm-up request): what rendering the page costs. `served` is the median
count of the timed HTTP requests (the `X-Bench-Queries` header that bench.floor's middleware adds)
and, when the app sends `X-Page-Cache`, how many of them the page cache answered. Anonymous
visitors send no cookies; the Wagtail editor is driven signed in as a superuser, one request at a time.

With --url (a stack already running) nothing is built or started for the pages: that stack must
use the database given here (--database-url, else bench/out/http.sqlite3) so the pages chosen exist,
and it has a floor only if it runs with DJANGO_SETTINGS_MODULE=bench.settings_bench (else `× floor`
shows "-"); the two-process check and the memory figures need stacks started here, so they are skipped.

The buyer flow runs on its own stack on --flow-database-url (PostgreSQL; its own catalogue; with
Redis it uses the next Redis database number, so its task queue and cache never meet the page
stack's). It prints `place_order` alone (bench/checkout.py's service mode, as many processes as
the stack has web workers, 3 lines from 3 producers per order) and then the flow through HTTP, ending with the `flow:` line: orders/s,
5xx answers, and variants oversold (stock below 0, or more units ordered than it had).
Prints, does not assert.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This file is called http.py: its folder must not shadow the standard library's `http`.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))  # checkout.py and common.py as their own scripts import them

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from urllib.parse import quote, urlsplit, urlunsplit  # noqa: E402

from bench import site_data, stack  # noqa: E402
from bench.flow import csrf_token, run_flow  # noqa: E402
from bench.loadgen import Browser, Samples, drive, form_fields, input_value, summary  # noqa: E402

PAGE_NAMES = ("home", "products", "products-50", "product", "search", "search-facets", "autocomplete",
              "province", "admin-editor")
SECTIONS = ("shared", "flow")
WEB_WORKERS = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--admin-requests", type=int, default=10, help="timed requests of the editor (concurrency 1)")
    parser.add_argument("--flow-seconds", type=float, default=30)
    parser.add_argument("--flow-concurrency", type=int, default=20)
    parser.add_argument("--database-url", default="", help="the pages' database (default: bench/out/http.sqlite3)")
    parser.add_argument("--flow-database-url", default="", help="PostgreSQL for the buyer flow (skipped without)")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--elasticsearch-url", default="")
    parser.add_argument("--url", default="", help="a running stack to measure instead of starting one")
    parser.add_argument("--reuse", action="store_true", help="keep the catalogue already in the databases")
    parser.add_argument("--no-page-cache", action="store_true", help="render every page (PAGE_CACHE_SECONDS=0)")
    parser.add_argument("--only", default="", help=f"a subset: {','.join(PAGE_NAMES + SECTIONS)}")
    args = parser.parse_args()
    args.only = set(filter(None, args.only.split(",")))
    unknown = args.only - set(PAGE_NAMES + SECTIONS)
    if unknown:
        parser.error(f"unknown in --only: {', '.join(sorted(unknown))}")
    return args


def wanted(args, name) -> bool:
    return not args.only or name in args.only


def stack_env(args, database_url: str, redis_url: str, index: str) -> dict:
    """The environment of every process of one stack (and of its setup)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "TASKS_BACKEND")}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings_bench", DATABASE_URL=database_url, REDIS_URL=redis_url,
               ELASTICSEARCH_URL=args.elasticsearch_url, ELASTICSEARCH_INDEX=index, CACHE_KEY_PREFIX=f"{index}-cache",
               SECRET_KEY="bench-only-insecure-key", ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0",
               MEDIA_ROOT=str(stack.OUT / "media"), PYTHONPATH=str(stack.ROOT),
               LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"))  # setup's page creations log at INFO
    if redis_url:
        env["TASKS_BACKEND"] = "rq"
    if args.no_page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    if database_url.startswith("postgres"):  # production keeps connections (DESIGN.md); a new one costs ~30 ms here
        env.setdefault("DATABASE_CONN_MAX_AGE", "60")
    return env


def next_redis_db(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + 1) % 16}"))


def setup(env: dict, args, reuse: bool, with_picks: bool = True) -> dict:
    if env["DATABASE_URL"].startswith("sqlite") and not reuse:
        site_data.wipe_sqlite()
    if env["DATABASE_URL"].startswith("postgres"):
        from bench.common import ensure_postgres_database

        ensure_postgres_database(env["DATABASE_URL"])
    return site_data.in_django(env, site_data.prepare, args.products, reuse, with_picks)


# --- Pages -----------------------------------------------------------------------------------------

def sign_in(base_url: str, username: str, password: str) -> Browser:
    browser = Browser(base_url)
    page = browser.get("/admin/login/")
    reply = browser.post("/admin/login/", {"csrfmiddlewaretoken": input_value(page.text, "csrfmiddlewaretoken"),
                                           "username": username, "password": password, "next": "/admin/"})
    if reply.status != 302:
        raise RuntimeError(f"admin sign-in answered {reply.status}")
    return browser


def page_list(picks: dict) -> dict:
    word = quote(picks["word"])
    return {
        "home": "/", "products": "/san-pham/", "products-50": "/san-pham/?trang=50",
        "product": picks["product_url"], "search": f"/tim-kiem/?q={word}",
        "search-facets": f"/tim-kiem/?{picks['facets']}", "autocomplete": f"/tim-kiem/goi-y/?q={word[:3]}",
        "province": f"/tinh/{picks['province']}/", "admin-editor": f"/admin/pages/{picks['producer_id']}/edit/",
    }


FLOOR = "/__bench_floor__/"


def paired(base_url: str, path: str, requests: int, concurrency: int, factory, blocks: int = 4):
    """The page's requests in `blocks` runs, each after a run of the floor as long at the same
    concurrency: on a noisy machine the page and its floor see the same neighbours."""
    page, floor = Samples(), Samples()
    for n in [requests // blocks + (i < requests % blocks) for i in range(min(blocks, requests))]:
        floor.extend(drive(base_url, FLOOR, max(n, concurrency), concurrency))
        page.extend(drive(base_url, path, n, concurrency, factory))
    return page, floor


def row(name, samples, floor, rendered=None) -> str:
    p50, p95 = summary(samples)
    floor_p50 = summary(floor)[0] if floor else None
    ratio = f"{p50 / floor_p50:8.2f}" if floor_p50 else f"{'-':>8}"
    queries, status = rendered or ("-", 200)
    notes = [f"floor {floor_p50:.1f} ms"] if floor_p50 else []
    if samples.queries:
        notes.append(f"served {statistics.median(samples.queries):g}")
    if samples.cache:
        notes.append(f"page cache hit {samples.cache.get('hit', 0)}/{len(samples.ms)}")
    odd = {code: n for code, n in samples.statuses.items() if code != 200}
    if odd or status != 200:
        notes.append("HTTP " + ", ".join(f"{code}×{n}" for code, n in sorted(odd.items())) + f" (in-process {status})")
    if samples.errors:
        notes.append(f"{samples.errors} connection errors")
    return f"{name:16} {p50:8.1f} {p95:8.1f} {ratio} {queries:>8}  " + "; ".join(notes)


def run_pages(args, env: dict, base_url: str, picks: dict) -> None:
    pages = {name: path for name, path in page_list(picks).items() if wanted(args, name)}
    print(f"\npages at {base_url}: {args.requests} requests at concurrency {args.concurrency} each "
          f"(editor: {args.admin_requests} at 1); {picks['live_products']} live products")
    print(f"  search word {picks['word']!r}: {picks['word_hits']} hits; facets {picks['facets']}: {picks['facet_hits']} hits")
    staff = sign_in(base_url, *picks["admin"]) if "admin-editor" in pages else None
    plan = {name: (path, args.admin_requests, 1, lambda: staff) if name == "admin-editor"
            else (path, args.requests, args.concurrency, None) for name, path in pages.items()}
    has_floor = Browser(base_url).get(FLOOR).status == 200
    warm = [*plan.values(), (FLOOR, 0, args.concurrency, None)] if has_floor else plan.values()
    for path, _n, concurrency, factory in warm:
        drive(base_url, path, max(2, concurrency * 4), concurrency, factory)  # every worker has served it
    results, floors = {}, Samples()
    for name, (path, requests, concurrency, factory) in plan.items():
        if has_floor:
            results[name] = paired(base_url, path, requests, concurrency, factory)
            floors.extend(results[name][1])
        else:
            results[name] = (drive(base_url, path, requests, concurrency, factory), None)
    rendered = site_data.in_django({**env, "PAGE_CACHE_SECONDS": "0"}, site_data.query_counts, pages, {"admin-editor"})
    print(f"\n{'page':16} {'p50 ms':>8} {'p95 ms':>8} {'× floor':>8} {'queries':>8}")
    if has_floor:
        print(row("floor (all)", floors, None, (0, 200)))
    for name, (samples, floor) in results.items():
        print(row(name, samples, floor, rendered.get(name)))
    print("  × floor: against the floor runs interleaved with that page's" if has_floor else "  no floor view on this stack")
    print("  paths: " + ", ".join(f"{n} {p}" for n, p in pages.items()))


# --- Two web processes -----------------------------------------------------------------------------

def cart_lines(html: str) -> list:
    return sorted(re.findall(r'name="line" value="(\d+)"', html))


def first_price(html: str) -> int | None:
    """The price of the product page's first pack (digits of the first price after a pack's name)."""
    match = re.search(r'class="variant-name".*?class="price">([^<]+)<', html, re.DOTALL)
    return int(re.sub(r"\D", "", match.group(1))) if match else None


def cart_check(a: stack.Stack, b: stack.Stack, picks: dict) -> bool:
    """A guest's cart made on A, asked for on B with the same cookies."""
    buyer = Browser(a.url)
    page = buyer.get(picks["product_url"])
    variant = re.search(r'name="variant" value="(\d+)"', page.text).group(1)
    added = buyer.post("/gio-hang/them/", {"csrfmiddlewaretoken": csrf_token(buyer, page.text), "variant": variant,
                                           "quantity": 2})
    on_a = cart_lines(buyer.get("/gio-hang/").text)
    other = Browser(b.url)
    other.cookies = dict(buyer.cookies)
    on_b = cart_lines(other.get("/gio-hang/").text)
    print(f"  cart: add on A → {added.status}; lines on A {on_a}, on B with the same cookie {on_b}")
    return bool(on_a) and on_a == on_b


def change_check(a: stack.Stack, b: stack.Stack, picks: dict) -> bool:
    """A superuser raises a product's price in the Wagtail editor on A and publishes; B's page, seen
    twice before (so that it is in B's page cache, if B caches it), must show the new price."""
    url, pk = picks["changed_product_url"], picks["changed_product_id"]
    anonymous = Browser(b.url, keep_cookies=False)
    before = [anonymous.get(url), anonymous.get(url)]
    old_price = first_price(before[1].text)
    staff = sign_in(a.url, *picks["admin"])
    editor = staff.get(f"/admin/pages/{pk}/edit/")
    new_price = (old_price or 0) + 1000
    fields = [(k, str(new_price) if k == "variants-0-price" else v)
              for k, v in form_fields(editor.text, "page-edit-form") if not k.startswith("action-")]
    published = staff.post(f"/admin/pages/{pk}/edit/", [*fields, ("action-publish", "1")])
    after = anonymous.get(url)
    seen_price = first_price(after.text)
    cache = ", ".join(r.headers.get("x-page-cache", "-") for r in (*before, after))
    print(f"  change: product {pk} price {old_price} → {new_price} published on A (HTTP {published.status}); "
          f"B shows {seen_price} on the next request (B's X-Page-Cache before, before, after: {cache})")
    if published.status != 302:
        errors = re.findall(r'class="error-message"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', published.text)
        print(f"  the editor refused the form: {errors[:3] or 'see the response'}")
    return published.status == 302 and seen_price == new_price


def shared_check(env: dict, a: stack.Stack, picks: dict) -> None:
    b = stack.Stack("B", env, workers=WEB_WORKERS).start(task_worker=False)
    shared = ["database", "media"] + (["Redis"] if env["REDIS_URL"] else ["no Redis: each process its own cache"])
    shared += ["Elasticsearch index"] if env["ELASTICSEARCH_URL"] else []
    print(f"\ntwo web processes: A {a.url}, B {b.url} (sharing: {', '.join(shared)})")
    cart_seen, visible = cart_check(a, b, picks), change_check(a, b, picks)
    print(f"shared: cart seen on both {'yes' if cart_seen else 'no'}; "
          f"change on A visible on B {'yes' if visible else 'no'}")
    print_memory(a, b)
    stack.stop(b.web)


def print_memory(*stacks) -> None:
    for s in stacks:
        rss = s.worker_rss()
        print(f"memory {s.name}: " + ", ".join(f"worker {pid} {mib:.0f} MiB" for pid, mib in sorted(rss.items()))
              + (f" (total {sum(rss.values()):.0f} MiB)" if rss else "no workers found"))


# --- The buyer flow --------------------------------------------------------------------------------

def run_flow_section(args) -> None:
    if not args.flow_database_url:
        print("\nflow: skipped (no --flow-database-url; the buyer flow is measured on PostgreSQL)")
        return
    redis = next_redis_db(args.redis_url)
    env = stack_env(args, args.flow_database_url, redis, "ocop-bench-http-flow")
    print(f"\nbuyer flow on {urlsplit(args.flow_database_url).path.strip('/')} (PostgreSQL)"
          + (f", Redis {redis}" if redis else "") + f", DATABASE_CONN_MAX_AGE={env['DATABASE_CONN_MAX_AGE']}:")
    setup(env, args, args.reuse, with_picks=False)
    import checkout  # its service mode: place_order alone, in processes of its own

    variant_ids = site_data.in_django(env, site_data.checkout_variants)
    # As many processes as the web stack has workers: what those two could place doing nothing else.
    rate = checkout.throughput(args.flow_database_url, "service", variant_ids, WEB_WORKERS, min(args.flow_seconds, 10))
    print(f"place_order: {rate:.1f} orders/s (bench/checkout.py service mode: {WEB_WORKERS} processes, "
          f"3 lines from 3 producers per order)")
    flow = site_data.in_django(env, site_data.prepare_flow)
    web = stack.Stack("flow", env, workers=WEB_WORKERS).start()
    drive(web.url, FLOOR, 4 * args.flow_concurrency, args.flow_concurrency)  # warm up
    started = time.perf_counter()
    floor = drive(web.url, FLOOR, 20 * args.flow_concurrency, args.flow_concurrency)
    floor_rate = len(floor.ms) / (time.perf_counter() - started)
    cpu_before, own_before, busy_before = stack.cpu_seconds(web), sum(os.times()[:2]), stack.machine_busy()
    result = run_flow(web.url, flow, args.flow_seconds, args.flow_concurrency)
    cpu = {k: v - cpu_before[k] for k, v in stack.cpu_seconds(web).items()}
    cpu["own"], cpu["machine"] = sum(os.times()[:2]) - own_before, stack.machine_busy() - busy_before
    stock = site_data.in_django(env, site_data.check_stock, flow)
    print(f"{result.in_time} orders in {result.seconds:.0f} s by {args.flow_concurrency} buyers "
          f"({len(flow['variants'])} products, 1 unit per order; {result.orders} with the buyers in flight, "
          f"who took {result.tail:.1f} s more), {result.requests} requests:")
    print("\n".join(result.step_lines()))
    wall = args.flow_seconds + result.tail
    print(f"  {result.requests / wall:.1f} requests/s; the floor on this stack at concurrency {args.flow_concurrency}: "
          f"{floor_rate:.0f} requests/s (p50 {summary(floor)[0]:.1f} ms), measured just before")
    for reason, n in result.failures.most_common(5):
        print(f"  no order {n}×: {reason}")
    print(f"  CPU seconds: web workers {cpu['web']:.1f}, task worker {cpu['tasks']:.1f}, load generator "
          f"{cpu['own']:.1f}; the whole machine {cpu['machine']:.1f} of {os.cpu_count() * wall:.0f} "
          f"({os.cpu_count()} cores × {wall:.0f} s; the rest: PostgreSQL, Redis, Elasticsearch, neighbours)")
    print(f"  stock: {stock['orders']} orders in the database since the start, {stock['units']} units taken; "
          f"variants oversold {stock['oversold']}, stock ≠ initial − ordered {stock['mismatched']}")
    print_memory(web)
    stack.stop_all()
    print(f"flow: {result.rate:.1f} orders/s at concurrency {args.flow_concurrency}, "
          f"5xx {result.server_errors}, oversold {stock['oversold']}")


def run(args) -> None:
    database_url = args.database_url or site_data.sqlite_url()
    env = stack_env(args, database_url, args.redis_url, "ocop-bench-http-pages")
    page_work = any(wanted(args, name) for name in PAGE_NAMES + ("shared",))
    if page_work:
        picks = setup(env, args, args.reuse or bool(args.url))
        if args.url:
            run_pages(args, env, args.url.rstrip("/"), picks)
            print("\nshared: skipped (--url: the second web process must be started here)")
        else:
            a = stack.Stack("A", env, workers=WEB_WORKERS).start()
            if any(wanted(args, name) for name in PAGE_NAMES):
                run_pages(args, env, a.url, picks)
                print_memory(a)
            if wanted(args, "shared"):
                shared_check(env, a, picks)
            stack.stop_all()
    if wanted(args, "flow"):
        run_flow_section(args)


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored (`&`)
    try:
        run(args)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping every process started here", file=sys.stderr)
        sys.exit(130)
    finally:
        stack.stop_all()


if __name__ == "__main__":
    main()
