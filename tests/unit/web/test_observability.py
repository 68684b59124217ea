"""Request metrics and request ids (galerie.web.observability), without a server."""

from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, generate_latest

from galerie.web.observability import RequestMetrics, next_request_id


def samples(metrics: RequestMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in metrics.collect()
        for sample in family.samples
    }


def test_requests_are_counted_per_route_template_and_status() -> None:
    metrics = RequestMetrics(buckets=(0.01, 0.1))
    metrics.observe("GET", "/api/v1/ping", 200, 0.004)
    metrics.observe("GET", "/api/v1/ping", 200, 0.01)  # on a bound: in that bucket ("le")
    metrics.observe("GET", "/api/v1/ping", 401, 0.05)
    metrics.observe("POST", "/api/v1/ping", 200, 3.0)
    got = samples(metrics)
    count = "galerie_requests_total"
    ping = (("method", "GET"), ("path", "/api/v1/ping"))
    assert got[count, (*ping, ("status_code", "200"))] == 2
    assert got[count, (*ping, ("status_code", "401"))] == 1
    assert got[count, (("method", "POST"), ("path", "/api/v1/ping"), ("status_code", "200"))] == 1
    bucket = "galerie_request_duration_seconds_bucket"
    # the histogram is per (method, path): both statuses of GET land in it, cumulatively
    assert got[bucket, (("le", "0.01"), *ping)] == 2
    assert got[bucket, (("le", "0.1"), *ping)] == 3
    assert got[bucket, (("le", "+Inf"), *ping)] == 3
    assert got["galerie_request_duration_seconds_count", ping] == 3
    assert abs(got["galerie_request_duration_seconds_sum", ping] - 0.064) < 1e-9
    post = (("method", "POST"), ("path", "/api/v1/ping"))
    assert got[bucket, (("le", "0.1"), *post)] == 0
    assert got[bucket, (("le", "+Inf"), *post)] == 1
    assert len(got) == 3 + 2 * (3 + 2)  # 3 counters; 3 buckets + count + sum per route


def test_nothing_observed_exposes_no_series() -> None:
    registry = CollectorRegistry()
    registry.register(RequestMetrics())
    text = generate_latest(registry).decode()
    assert "# TYPE galerie_requests_total counter" in text
    assert "# TYPE galerie_request_duration_seconds histogram" in text
    assert "galerie_requests_total{" not in text
    assert "galerie_request_duration_seconds_bucket{" not in text


def test_exposition_has_the_prometheus_names() -> None:
    registry = CollectorRegistry()
    metrics = RequestMetrics()
    registry.register(metrics)
    metrics.observe("GET", "/healthz", 200, 0.002)
    text = generate_latest(registry).decode()
    assert 'galerie_requests_total{method="GET",path="/healthz",status_code="200"} 1.0' in text
    assert (
        'galerie_request_duration_seconds_bucket{le="0.0025",method="GET",path="/healthz"} 1.0'
        in text
    )
    assert (
        'galerie_request_duration_seconds_bucket{le="0.001",method="GET",path="/healthz"} 0.0'
        in text
    )


def test_request_ids_are_16_hex_digits_with_one_prefix_per_process_and_unique() -> None:
    ids = [next_request_id() for _ in range(1000)]
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)
    assert len(set(ids)) == 1000
    assert len({i[:8] for i in ids}) == 1
