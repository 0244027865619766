#!/usr/bin/env python3
"""Checkout load through the gateway: shoppers sign in, put a product in the cart, check out.

Each of --shoppers threads is one signed-in account with its own keep-alive connection. A round is
PUT /api/cart/items/{product} then POST /api/orders with a fresh Idempotency-Key and the
simulated processor's approving test card. Only the POST is timed: it is the checkout (read the
cart, reserve stock, write the order and its outbox event in one transaction). Prints one JSON
line: checkouts, checkouts per second, p50/p90/p99 in ms, and failures by status.

Usage: bench/checkout_load.py --gateway http://127.0.0.1:8080 [--shoppers 16] [--duration 20]
"""

import argparse
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


def products(conn, count):
    ids, page = [], 1
    while len(ids) < count:
        status, payload = request(conn, "GET", f"/api/products?size=100&sort=price&page={page}")
        if status != 200:
            sys.exit(f"listing products answered {status}: {payload[:200]!r}")
        items = json.loads(payload)["items"]
        if not items:
            break
        ids += [p["id"] for p in items if p["stock"] > 0]
        page += 1
    if not ids:
        sys.exit("no product in stock: seed the demo data first (./storefront seed)")
    return ids[:count]


def sign_in(conn, run_id, n):
    credentials = {"email": f"shopper-{run_id}-{n}@example.com", "password": "checkout bench 1234"}
    status, payload = request(conn, "POST", "/api/auth/register", credentials)
    if status not in (201, 409):
        sys.exit(f"register answered {status}: {payload[:200]!r}")
    status, payload = request(conn, "POST", "/api/auth/login", credentials)
    if status != 200:
        sys.exit(f"login answered {status}: {payload[:200]!r}")
    return {"Authorization": "Bearer " + json.loads(payload)["access_token"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--shoppers", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--products", type=int, default=2000)
    args = parser.parse_args()

    target = urllib.parse.urlsplit(args.gateway)
    connect = lambda: http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
    setup = connect()
    catalog = products(setup, args.products)
    run_id = uuid.uuid4().hex[:8]
    # Logins are rate limited per client address: sign everyone in before the clock starts.
    auth = [sign_in(setup, run_id, n) for n in range(args.shoppers)]

    latencies, failures, lock = [], {}, threading.Lock()
    start = time.monotonic()
    deadline = start + args.duration

    def shopper(headers):
        conn = connect()
        rng = random.Random()
        while time.monotonic() < deadline:
            product = rng.choice(catalog)
            status, payload = request(
                conn, "PUT", f"/api/cart/items/{product}", {"quantity": 1}, headers)
            if status != 200:
                with lock:
                    failures[f"cart {status}"] = failures.get(f"cart {status}", 0) + 1
                continue
            checkout = dict(headers, **{"Idempotency-Key": str(uuid.uuid4())})
            began = time.monotonic()
            status, payload = request(
                conn, "POST", "/api/orders", {"paymentToken": APPROVED_CARD}, checkout)
            took = (time.monotonic() - began) * 1000
            with lock:
                if status == 201:
                    latencies.append(took)
                else:
                    failures[f"checkout {status}"] = failures.get(f"checkout {status}", 0) + 1

    threads = [threading.Thread(target=shopper, args=(h,)) for h in auth]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start

    def percentile(p):
        if not latencies:
            return None
        ordered = sorted(latencies)
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 1)

    print(json.dumps({
        "checkouts": len(latencies),
        "checkouts_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.50),
        "p90_ms": percentile(0.90),
        "p99_ms": percentile(0.99),
        "mean_ms": round(statistics.mean(latencies), 1) if latencies else None,
        "failures": failures,
        "shoppers": args.shoppers,
        "seconds": round(elapsed, 1),
    }))


if __name__ == "__main__":
    main()
