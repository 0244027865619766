#!/usr/bin/env python3
"""Writes the malformed-request and request-smuggling corpus, one JSON object per line.

Every request in it is one a strict HTTP server must refuse: the answer has to be a 4xx
problem+json or a closed connection, never a 2xx, and never a second answer on the same
connection. HTTP/1.1 cases are raw bytes; most carry a canary request behind the malformed
one, placed so that it only runs if the server misreads where the first request ends
(SecurityCorpusIT counts the canary's requests at the catalog: there must be none).
HTTP/2 cases are header lists and DATA sent as frames.

Usage: generate_corpus.py OUT.jsonl [--host HOST]
"""

import argparse
import base64
import itertools
import json
import sys

CANARY_PATH = "/api/categories?canary="

# A POST that no server may answer with a 2xx whatever its body (no Content-Type, no token).
TARGET = "POST /api/auth/login HTTP/1.1"

# Transfer-Encoding spellings a server must read as Transfer-Encoding or refuse outright.
TE_OR_REFUSED = [
    "Transfer-Encoding: chunked",
    "transfer-encoding: chunked",
    "TRANSFER-ENCODING: CHUNKED",
    "Transfer-Encoding: Chunked",
    "Transfer-Encoding:chunked",
    "Transfer-Encoding:   chunked",
    "Transfer-Encoding: chunked   ",
    "Transfer-Encoding:\tchunked",
    "Transfer-Encoding: chunked, chunked",
    "Transfer-Encoding: identity, chunked",
    "Transfer-Encoding: gzip, chunked",
    "Transfer-Encoding: chunked, identity",
    "Transfer-Encoding: chunked, gzip",
    "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
    "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked",
    "Transfer-Encoding: x\r\nTransfer-Encoding: chunked",
    "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
    "Transfer-Encoding: chunked;q=1",
    "Transfer-Encoding: xchunked",
    "Transfer-Encoding: chunkedx",
    "Transfer-Encoding: chunk",
    'Transfer-Encoding: "chunked"',
    "Transfer-Encoding: ,chunked",
    "Transfer-Encoding: chunked,",
    "Transfer-Encoding: \x0bchunked",
    "Transfer-Encoding: \x0cchunked",
    "Transfer-Encoding: chunked\x00",
    "Transfer-Encoding: \x00chunked",
    "Transfer-Encoding : chunked",
    "Transfer-Encoding\t: chunked",
    " Transfer-Encoding: chunked",
    "Transfer-Encoding:\r\n chunked",
    "X-Pad: y\r\n Transfer-Encoding: chunked",
    "X-Pad: y\r\n\tTransfer-Encoding: chunked",
    "Transfer-Encoding: chunked\n",
    "Transfer-Encoding: \xc2\xa0chunked",
    "Transfer-Encoding: ch\x00unked",
]

# Names that are not Transfer-Encoding: a server frames by Content-Length and must not be fooled.
OTHER_HEADERS = [
    "Transfer_Encoding: chunked",
    "Transfer-Encodings: chunked",
    "XTransfer-Encoding: chunked",
    "Transfer-Encoding-X: chunked",
    "Content-Encoding: chunked",
]

CONTENT_LENGTHS = [
    "Content-Length: {n}",
    "content-length: {n}",
    "Content-Length:{n}",
    "Content-Length: {n}\r\nContent-Length: {n}",
    "Content-Length: 0{n}",
    "Content-Length: +{n}",
    "Content-Length: {n}, {n}",
]

CHUNK_TRICKS = [
    ("size past 64 bits", "1000000000000003c\r\n{pad60}\r\n0\r\n\r\n"),
    ("size past 63 bits", "8000000000000003c\r\n{pad60}\r\n0\r\n\r\n"),
    ("size of 17 hex digits", "ffffffffffffffff3c\r\n{pad60}\r\n0\r\n\r\n"),
    ("size of 28 hex digits", "100000000000000000000000003c\r\n{pad60}\r\n0\r\n\r\n"),
    ("negative size", "-3c\r\n{pad60}\r\n0\r\n\r\n"),
    ("hex prefix", "0x3c\r\n{pad60}\r\n0\r\n\r\n"),
    ("plus sign", "+3c\r\n{pad60}\r\n0\r\n\r\n"),
    ("empty size", "\r\n{pad60}\r\n0\r\n\r\n"),
    ("size ended by bare LF", "3c\n{pad60}\r\n0\r\n\r\n"),
    ("extension ended by bare LF", "3c;x=y\n{pad60}\r\n0\r\n\r\n"),
    ("extension with a bare CR", "3c;x=\ry\r\n{pad60}\r\n0\r\n\r\n"),
    ("data longer than its size", "3\r\nabcdef\r\n0\r\n\r\n"),
    ("data ended by bare LF", "3\r\nabc\n0\r\n\r\n"),
    ("data not ended", "3\r\nabc0\r\n\r\n"),
    ("last chunk ended by bare LF", "0\n\n"),
    ("trailer ended by bare LF", "0\r\nX: y\n\r\n"),
    ("size with a NUL", "3\x00\r\nabc\r\n0\r\n\r\n"),
    ("size with a vertical tab", "\x0b3\r\nabc\r\n0\r\n\r\n"),
    ("non-hex size", "3g\r\nabc\r\n0\r\n\r\n"),
    ("unicode digit size", "\xd9\xa3\r\nabc\r\n0\r\n\r\n"),
]

REQUEST_LINES = [
    "GET /api/categories HTTP/1.2",
    "GET /api/categories HTTP/2.0",
    "GET /api/categories HTTP/3",
    "GET /api/categories HTTP/1.1.1",
    "GET /api/categories HTTP/11",
    "GET /api/categories http/1.1",
    "GET /api/categories HTTPS/1.1",
    "GET /api/categories FOO/1.1",
    "GET /api/categories HTTP/1.1 extra",
    "GET  /api/categories HTTP/1.1",
    "GET /api/categories  HTTP/1.1",
    "GET\t/api/categories\tHTTP/1.1",
    " GET /api/categories HTTP/1.1",
    "GET /api/cate\x00gories HTTP/1.1",
    "GET /api/cate gories HTTP/1.1",
    "GET /api/categories\x7f HTTP/1.1",
    "G\x00ET /api/categories HTTP/1.1",
    "GET /api/categories HTTP/1.1\x00",
    "GET api/categories HTTP/1.1",
    "GET * HTTP/1.1",
    "GET HTTP/1.1",
    "GET /api/categories",
    "HTTP/1.1 200 OK",
    "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    "PRI * HTTP/2.0",
]

# Targets that are well framed but cannot be decoded or name nothing: refused, and since where the
# request ends is clear, the connection may carry on; no canary behind them.
BAD_TARGETS = [
    "/api/%zz",
    "/api/categories/%zz",
    "/api/products/%c0%af",
    "/api/products/%00",
    "/api/products/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/products/..%2f..%2f",
    "/api/products/%",
    "/api/products/%e2%82",
    "/api/cart/items/%00",
    "/api/orders/%zz",
    "/api/notifications?page=%zz",
    "/api/products?q=%zz",
    "/api/products?size=-1",
    "/api/products?page=abc",
]

HEADER_TRICKS = [
    ("no Host", "GET /api/categories HTTP/1.1\r\n\r\n"),
    ("two Hosts", "GET /api/categories HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    ("empty Host", "GET /api/categories HTTP/1.1\r\nHost:\r\n\r\n"),
    ("Host with a path", "GET /api/categories HTTP/1.1\r\nHost: a/b\r\n\r\n"),
    ("Host with userinfo", "GET /api/categories HTTP/1.1\r\nHost: user@a\r\n\r\n"),
    ("Host with a space", "GET /api/categories HTTP/1.1\r\nHost: a b\r\n\r\n"),
    ("Host with a bad port", "GET /api/categories HTTP/1.1\r\nHost: a:80x\r\n\r\n"),
    ("Host with a NUL", "GET /api/categories HTTP/1.1\r\nHost: a\x00b\r\n\r\n"),
    ("empty header name", "GET /api/categories HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n"),
    ("header without a colon", "GET /api/categories HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n"),
    ("space in a header name", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX Y: z\r\n\r\n"),
    ("space before the colon", "GET /api/categories HTTP/1.1\r\nHost : a\r\n\r\n"),
    ("NUL in a header name", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX\x00Y: z\r\n\r\n"),
    ("NUL in a header value", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n"),
    ("SOH in a header value", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n"),
    ("ESC in a header value", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: a\x1bb\r\n\r\n"),
    ("DEL in a header value", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n"),
    ("bare CR in a header value", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"),
    ("bare LF line ends", "GET /api/categories HTTP/1.1\nHost: a\n\n"),
    ("mixed line ends", "GET /api/categories HTTP/1.1\r\nHost: a\n\r\n"),
    ("folded first header", "GET /api/categories HTTP/1.1\r\n Host: a\r\n\r\n"),
    ("folded header", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n"),
    ("non-ASCII header name", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: z\r\n\r\n"),
    ("bad Content-Length", "POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n"),
    ("negative Content-Length", "POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
    ("differing Content-Lengths", "POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
    ("huge Content-Length", "POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n"),
    ("HTTP/1.0 with Transfer-Encoding", "POST /api/auth/login HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("long request line", "GET /api/categories?" + "q" * 70000 + " HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("huge header", "GET /api/categories HTTP/1.1\r\nHost: a\r\nX: " + "h" * 70000 + "\r\n\r\n"),
    ("many headers", "GET /api/categories HTTP/1.1\r\nHost: a\r\n" + "".join("X-%d: y\r\n" % i for i in range(3000)) + "\r\n"),
]

# HTTP/2 header lists: each one a request no server may act on (RFC 9113 §8.2, §8.3).
H2_BASE = [(":method", "GET"), (":scheme", "https"), (":path", "/api/categories"), (":authority", "localhost")]


def h2_cases():
    cases = []
    for code in list(range(0x00, 0x09)) + list(range(0x0a, 0x20)) + [0x7f]:
        ch = chr(code)
        cases.append(("control %02x in a value" % code, H2_BASE + [("x-foo", "a" + ch + "b")], None))
    cases += [
        ("CRLF injection", H2_BASE + [("x-foo", "a\r\nTransfer-Encoding: chunked")], None),
        ("LF injection into a smuggled request", H2_BASE + [("x-foo", "a\n\nGET " + CANARY_PATH + "h2 HTTP/1.1\nHost: x\n\n")], None),
        ("leading space in a value", H2_BASE + [("x-foo", " a")], None),
        ("trailing tab in a value", H2_BASE + [("x-foo", "a\t")], None),
        ("upper-case name", H2_BASE + [("X-Foo", "a")], None),
        ("space in a name", H2_BASE + [("x foo", "a")], None),
        ("colon in a name", H2_BASE + [("x:foo", "a")], None),
        ("empty name", H2_BASE + [("", "a")], None),
        ("NUL in a name", H2_BASE + [("x\x00foo", "a")], None),
        ("connection header", H2_BASE + [("connection", "close")], None),
        ("keep-alive header", H2_BASE + [("keep-alive", "timeout=5")], None),
        ("proxy-connection header", H2_BASE + [("proxy-connection", "keep-alive")], None),
        ("transfer-encoding header", H2_BASE + [("transfer-encoding", "chunked")], None),
        ("upgrade header", H2_BASE + [("upgrade", "h2c")], None),
        ("te other than trailers", H2_BASE + [("te", "gzip")], None),
        ("no :path", [(":method", "GET"), (":scheme", "https"), (":authority", "localhost")], None),
        ("no :method", [(":scheme", "https"), (":path", "/api/categories"), (":authority", "localhost")], None),
        ("no :scheme", [(":method", "GET"), (":path", "/api/categories"), (":authority", "localhost")], None),
        ("empty :path", [(":method", "GET"), (":scheme", "https"), (":path", ""), (":authority", "localhost")], None),
        ("two :path", H2_BASE + [(":path", "/api/products")], None),
        ("pseudo-header after a regular one", [(":method", "GET"), ("x-foo", "a"), (":scheme", "https"), (":path", "/api/categories"), (":authority", "localhost")], None),
        ("unknown pseudo-header", H2_BASE + [(":foo", "a")], None),
        ("response pseudo-header", H2_BASE + [(":status", "200")], None),
        (":path without a slash", [(":method", "GET"), (":scheme", "https"), (":path", "api/categories"), (":authority", "localhost")], None),
        (":path with a space", [(":method", "GET"), (":scheme", "https"), (":path", "/api/cate gories"), (":authority", "localhost")], None),
        (":path with %zz", [(":method", "GET"), (":scheme", "https"), (":path", "/api/%zz"), (":authority", "localhost")], None),
        (":authority with userinfo", [(":method", "GET"), (":scheme", "https"), (":path", "/api/categories"), (":authority", "u@localhost")], None),
        (":authority with a space", [(":method", "GET"), (":scheme", "https"), (":path", "/api/categories"), (":authority", "local host")], None),
        (":method with a space", [(":method", "G ET"), (":scheme", "https"), (":path", "/api/categories"), (":authority", "localhost")], None),
        ("TRACE", [(":method", "TRACE"), (":scheme", "https"), (":path", "/api/categories"), (":authority", "localhost")], None),
        ("content-length larger than the DATA", [(":method", "POST"), (":scheme", "https"), (":path", "/api/auth/login"), (":authority", "localhost"), ("content-type", "application/json"), ("content-length", "100")], "{}"),
        ("content-length smaller than the DATA", [(":method", "POST"), (":scheme", "https"), (":path", "/api/auth/login"), (":authority", "localhost"), ("content-type", "application/json"), ("content-length", "1")], '{"email":"a@b.c","password":"x"}'),
        ("two content-lengths", [(":method", "POST"), (":scheme", "https"), (":path", "/api/auth/login"), (":authority", "localhost"), ("content-type", "application/json"), ("content-length", "2"), ("content-length", "3")], "{}"),
        ("malformed content-type", [(":method", "POST"), (":scheme", "https"), (":path", "/api/auth/login"), (":authority", "localhost"), ("content-type", 'application/json; boundary="'), ("content-length", "2")], "{}"),
    ]
    return cases


def canary(tag, host):
    return "GET %s%s HTTP/1.1\r\nHost: %s\r\n\r\n" % (CANARY_PATH, tag, host)


def h1_cases(host):
    cases = []
    n = 0
    for te, cl in itertools.product(TE_OR_REFUSED + OTHER_HEADERS, CONTENT_LENGTHS):
        te_is_te = te in TE_OR_REFUSED
        layouts = ["CL.TE", "TE.CL"] if te_is_te else ["CL.TE"]
        for layout, te_first in itertools.product(layouts, [True, False]):
            n += 1
            tag = "a%d" % n
            if layout == "CL.TE":
                # Read as chunked, the body ends at "0": the canary is a second request.
                # Read by its length, the canary is body.
                body = "0\r\n\r\n" + canary(tag, host)
            else:
                # Read by its length (4), the canary starts right after "5c\r\n".
                # Read as chunked, the canary is the chunk's data.
                hidden = canary(tag, host)
                body = "%x\r\n%s\r\n0\r\n\r\n" % (len(hidden), hidden)
            length = len(body) if layout == "CL.TE" else 4
            framing = [te, cl.format(n=length)]
            if not te_first:
                framing.reverse()
            raw = "%s\r\nHost: %s\r\n%s\r\n\r\n%s" % (TARGET, host, "\r\n".join(framing), body)
            cases.append(("cl-te", "%s %s %s%s" % (layout, te, cl, "" if te_first else " (CL first)"), raw))
    for i, (name, body) in enumerate(CHUNK_TRICKS):
        for path in ["/api/auth/login", "/api/products"]:
            tag = "b%d%s" % (i, path[5])
            raw = "POST %s HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n\r\n%s%s" % (
                path, host, body.format(pad60="x" * 60), canary(tag, host))
            cases.append(("chunks", "%s to %s" % (name, path), raw))
    for i, line in enumerate(REQUEST_LINES):
        raw = "%s\r\nHost: %s\r\n\r\n%s" % (line, host, canary("c%d" % i, host))
        cases.append(("request-line", repr(line[:60]), raw))
    for target in BAD_TARGETS:
        raw = "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (target, host)
        cases.append(("request-target", target, raw))
    for i, (name, head) in enumerate(HEADER_TRICKS):
        cases.append(("headers", name, head + canary("d%d" % i, host)))
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--host", default="localhost")
    args = parser.parse_args()
    count = 0
    with open(args.out, "w", encoding="ascii") as out:
        for family, name, raw in h1_cases(args.host):
            out.write(json.dumps({
                "protocol": "h1",
                "family": family,
                "name": name,
                "raw": base64.b64encode(raw.encode("latin-1")).decode("ascii"),
            }) + "\n")
            count += 1
        for name, headers, data in h2_cases():
            out.write(json.dumps({
                "protocol": "h2",
                "family": "h2",
                "name": name,
                "headers": [[k, v] for k, v in headers],
                "data": data,
            }) + "\n")
            count += 1
    print("%d cases written to %s" % (count, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
