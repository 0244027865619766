package dev.storefront.load.run;

/**
 * One request group's figures over a run, from Gatling's report: requests, failures, and the
 * successful requests' percentiles in milliseconds.
 */
public record GroupStats(String name, long requests, long failed, long p50, long p95, long p99) {}
