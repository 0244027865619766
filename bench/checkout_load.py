#!/usr/bin/env python3
"""Checkout load through the gateway: shoppers sign in, put a product in the cart, check out.

Each of --shoppers threads is one signed-in account with its own keep-alive connection. Closed
model by default: each shopper starts its next round when the last one ends. With --rate R, an open
model: rounds arrive at R a second (Poisson) whatever the answers' speed, each taken by a free
shopper (an arrival that waited over 100 ms for one counts as a failure, "arrival late"). A round is
PUT /api/cart/items/{product} then POST /api/orders with a fresh Idempotency-Key and the shopper's
payment token, issued once per shopper for the simulated processor's approving test card before
the clock starts. Only the POST is timed: it is the checkout (read the cart and check the token at
the same time, reserve stock, write the order and its outbox event in one transaction). Prints one JSON
line: checkouts, checkouts per second, p50/p90/p99 in ms, failures by status and problem type, and
with --pids DIR the CPU per checkout of each process named there (and of PostgreSQL's processes).

A round's quantity differs from the last one's, so the cart always changes and is never refused as
already ordered; products come from those with stock to spare, and one that sells out is dropped.
--warmup S runs the rounds for S seconds before the measured ones: a freshly started stack spends
most of its first minutes compiling (JIT), which is not what a checkout costs.

Usage: bench/checkout_load.py --gateway http://127.0.0.1:8080 [--shoppers 16] [--rate R] [--duration 20]
                              [--warmup 30] [--pids .storefront/NAME/pids]
"""

import argparse
import os
import queue
import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse
import uuid

APPROVED_CARD = "4242424242424242"


def request(conn, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json"} if data is not None else {}
    all_headers.update(headers or {})
    conn.request(method, path, body=data, headers=all_headers)
    response = conn.getresponse()
    payload = response.read()
    return response.status, payload


def products(conn, count, min_stock=20):
    ids, page = [], 1
    while len(ids) < count:
        status, payload = request(conn, "GET", f"/api/products?size=100&sort=-price&page={page}")
        if status != 200:
            sys.exit(f"listing products answered {status}: {payload[:200]!r}")
        items = json.loads(payload)["items"]
        if not items:
            break
        ids += [p["id"] for p in items if p["stock"] >= min_stock]
        page += 1
    if not ids:
        sys.exit(f"no product with {min_stock} or more in stock: seed the demo data (./storefront seed)")
    return ids[:count]


def sold_out_products(payload):
    """The products an insufficient-stock problem names."""
    try:
        return json.loads(payload).get("productIds") or []
    except ValueError:
        return []


def start_over(conn, headers):
    request(conn, "DELETE", "/api/cart", None, headers)


def problem_kind(status, payload):
    """The status and, for a problem+json answer, the last part of its type."""
    try:
        kind = json.loads(payload).get("type", "")
    except ValueError:
        kind = ""
    return f"{status} {kind.rsplit(':', 1)[-1]}".strip()


def cpu_ticks(pid_dir):
    """utime + stime of every process in pid_dir's *.pid files, and of PostgreSQL's."""
    ticks = {}
    pids = {}
    if pid_dir:
        for name in os.listdir(pid_dir):
            if name.endswith(".pid"):
                with open(os.path.join(pid_dir, name)) as f:
                    pids[name[:-4]] = [f.read().strip()]
        pids["postgres"] = [p for p in os.listdir("/proc") if p.isdigit() and command(p) == "postgres"]
    for name, members in pids.items():
        ticks[name] = sum(process_ticks(p) for p in members)
    return ticks


def command(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def process_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def sign_in(conn, run_id, n):
    credentials = {"email": f"shopper-{run_id}-{n}@example.com", "password": "checkout bench 1234"}
    status, payload = request(conn, "POST", "/api/auth/register", credentials)
    if status not in (201, 409):
        sys.exit(f"register answered {status}: {payload[:200]!r}")
    status, payload = request(conn, "POST", "/api/auth/login", credentials)
    if status != 200:
        sys.exit(f"login answered {status}: {payload[:200]!r}")
    return {"Authorization": "Bearer " + json.loads(payload)["access_token"]}


def tokenize(conn, headers):
    """The shopper's card, once, for a payment token: checkout names only the token."""
    card = {"number": APPROVED_CARD, "expMonth": 12, "expYear": time.gmtime().tm_year + 3,
            "cvc": "123"}
    status, payload = request(conn, "POST", "/api/payments/tokens", card, headers)
    if status != 201:
        sys.exit(f"tokenizing the card answered {status}: {payload[:200]!r}")
    return json.loads(payload)["token"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--shoppers", type=int, default=16)
    parser.add_argument("--rate", type=float, help="open model: checkouts started per second")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=0)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--pids", help="a stack's pid directory: report CPU per checkout")
    args = parser.parse_args()

    target = urllib.parse.urlsplit(args.gateway)
    connect = lambda: http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
    setup = connect()
    catalog = products(setup, args.products)
    run_id = uuid.uuid4().hex[:8]
    # Logins are rate limited per client address: sign everyone in before the clock starts.
    auth = [sign_in(setup, run_id, n) for n in range(args.shoppers)]
    payment_tokens = {h["Authorization"]: tokenize(setup, h) for h in auth}
    lock = threading.Lock()

    def run(seconds):
        """Every shopper's rounds for `seconds`; the checkouts' latencies and the failures."""
        latencies, failures = [], {}
        deadline = time.monotonic() + seconds

        def fail(what, status, payload):
            kind = f"{what} {problem_kind(status, payload)}"
            with lock:
                failures[kind] = failures.get(kind, 0) + 1

        def one_round(conn, rng, headers, rounds):
            """Put a product in the cart and check out; False once nothing is left to buy."""
            with lock:
                if not catalog:
                    return False
                product = rng.choice(catalog)
            # 1, 2, 3, 1, ...: the cart always differs from the one ordered last round.
            quantity = rounds % 3 + 1
            status, payload = request(
                conn, "PUT", f"/api/cart/items/{product}", {"quantity": quantity}, headers)
            if status != 200:
                fail("cart", status, payload)
                start_over(conn, headers)
                return True
            checkout = dict(headers, **{"Idempotency-Key": str(uuid.uuid4())})
            began = time.monotonic()
            status, payload = request(
                conn, "POST", "/api/orders",
                {"paymentToken": payment_tokens[headers["Authorization"]]}, checkout)
            took = (time.monotonic() - began) * 1000
            if status == 201:
                with lock:
                    latencies.append(took)
            else:
                fail("checkout", status, payload)
                # Products that sold out leave the list; the shopper empties the cart.
                for sold_out in sold_out_products(payload):
                    with lock:
                        if sold_out in catalog:
                            catalog.remove(sold_out)
                start_over(conn, headers)
            return True

        def closed_shopper(headers):
            conn, rng, rounds = connect(), random.Random(), 0
            while time.monotonic() < deadline:
                rounds += 1
                if not one_round(conn, rng, headers, rounds):
                    return

        # Open model: arrivals at --rate a second (Poisson), each served by a free shopper.
        arrivals = queue.Queue()

        def open_shopper(headers):
            conn, rng, rounds = connect(), random.Random(), 0
            while (due := arrivals.get()) is not None:
                if time.monotonic() - due > 0.1:
                    with lock:
                        failures["arrival late"] = failures.get("arrival late", 0) + 1
                rounds += 1
                one_round(conn, rng, headers, rounds)

        def schedule_arrivals():
            rng, at = random.Random(), time.monotonic()
            while at < deadline:
                time.sleep(max(0.0, at - time.monotonic()))
                arrivals.put(at)
                at += rng.expovariate(args.rate)
            for _ in auth:
                arrivals.put(None)

        shopper = open_shopper if args.rate else closed_shopper
        threads = [threading.Thread(target=shopper, args=(h,)) for h in auth]
        if args.rate:
            threads.append(threading.Thread(target=schedule_arrivals))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return latencies, failures

    if args.warmup > 0:
        run(args.warmup)
    cpu_before = cpu_ticks(args.pids)
    start, window_start = time.monotonic(), time.time()
    latencies, failures = run(args.duration)
    elapsed, window_end = time.monotonic() - start, time.time()
    cpu_after = cpu_ticks(args.pids)

    def percentile(p):
        if not latencies:
            return None
        ordered = sorted(latencies)
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 1)

    result = {
        "checkouts": len(latencies),
        "checkouts_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.50),
        "p90_ms": percentile(0.90),
        "p99_ms": percentile(0.99),
        "mean_ms": round(statistics.mean(latencies), 1) if latencies else None,
        "failures": failures,
        "shoppers": args.shoppers,
        "rate": args.rate,
        "seconds": round(elapsed, 1),
        # The measured window (Unix time), for what follows the checkouts (bench/checkout.sh).
        "window": [round(window_start, 3), round(window_end, 3)],
    }
    if args.pids and latencies:
        # /proc counts in USER_HZ (100 per second): 10 ms a tick.
        per_checkout = {
            name: round((cpu_after.get(name, 0) - ticks) * 10 / len(latencies), 2)
            for name, ticks in sorted(cpu_before.items())
        }
        result["cpu_ms_per_checkout"] = per_checkout
        result["cpu_ms_per_checkout_total"] = round(sum(per_checkout.values()), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
