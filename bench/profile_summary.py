#!/usr/bin/env python3
"""Summarises the collapsed stacks bench/profile-stack.sh wrote: per process its CPU over the run,
the share of its JIT compiler threads, and, of the rest, the libraries and own frames on top.

Usage: bench/profile_summary.py DIR
"""

import collections
import os
import sys

# The first prefix that matches names a frame's library.
LIBRARIES = [
    ("com/hazelcast", "Hazelcast"), ("org/apache/kafka", "Kafka client"), ("kafka/", "Kafka broker"),
    ("io/vertx/kafka", "Vert.x Kafka"), ("io/vertx/pgclient", "SQL client"), ("io/vertx/sqlclient", "SQL client"),
    ("io/netty", "Netty"), ("io/vertx/core/http", "Vert.x HTTP"), ("io/vertx/core/json", "Vert.x JSON"),
    ("com/fasterxml/jackson", "Jackson"), ("io/vertx/ext/web", "vert.x-web"), ("io/vertx/micrometer", "Micrometer"),
    ("io/micrometer", "Micrometer"), ("io/vertx", "Vert.x"), ("dev/storefront", "own code"),
    ("ch/qos/logback", "logging"), ("net/logstash", "logging"), ("com/icegreen", "mail server"),
    ("jakarta/mail", "mail"), ("org/eclipse/angus", "mail"), ("com/password4j", "Argon2"), ("scala/", "Scala"),
]


def library(frame):
    for prefix, name in LIBRARIES:
        if frame.startswith(prefix):
            return name
    return None


def summarise(path):
    total = compiler = 0
    libraries, own = collections.Counter(), collections.Counter()
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip().rpartition(" ")
            count = int(count)
            total += count
            if "CompileBroker::compiler_thread_loop" in stack:
                compiler += count
                continue
            frames = stack.split(";")
            # The innermost frame that belongs to a library decides; JDK, JVM and kernel frames
            # count for whoever called them.
            found = next((library(f) for f in reversed(frames) if library(f)), None)
            if found is None:
                found = "GC" if any("G1" in f or "GC" in f for f in frames) else "JVM, JDK, kernel"
            libraries[found] += count
            mine = [f for f in frames if f.startswith("dev/storefront")]
            if mine:
                own[mine[-1].split(".lambda$")[0].rsplit("/", 1)[-1]] += count
    return total, compiler, libraries, own


def main():
    directory = sys.argv[1]
    ticks = {}
    with open(os.path.join(directory, "cpu-ticks.txt")) as lines:
        for line in lines:
            name, value = line.split()
            ticks[name] = int(value)
    for name in sorted(ticks, key=lambda n: -ticks[n]):
        path = os.path.join(directory, name + ".collapsed")
        if not os.path.exists(path):
            continue
        total, compiler, libraries, own = summarise(path)
        rest = max(1, total - compiler)
        print(f"{name}: {ticks[name] / 100:.1f} s of CPU, JIT compiler threads {100 * compiler / max(total, 1):.0f}%")
        print("  libraries: " + ", ".join(f"{k} {100 * v / rest:.0f}%" for k, v in libraries.most_common(8)))
        if own:
            print("  own code:  " + ", ".join(f"{k} {100 * v / rest:.1f}%" for k, v in own.most_common(5)))


if __name__ == "__main__":
    main()
