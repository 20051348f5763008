#include <catch2/catch.hpp>

#include <thread>

#include "metrics.h"

using namespace flexcore::server;

TEST_CASE("counters and gauges render in the 0.0.4 text format with HELP and TYPE", "[server][metrics]") {
  Registry registry;
  auto& requests = registry.counter("demo_requests_total", "Requests.\nSecond line \\ backslash", {"route", "status"});
  requests.labels({"/session", "200"}).inc();
  requests.labels({"/session", "200"}).inc(2);
  requests.labels({"/a\"b\\c\nd", "404"}).inc();
  registry.gauge("demo_in_flight", "In flight.").get().set(-3);

  const std::string text = registry.expose();
  CHECK(text ==
        "# HELP demo_requests_total Requests.\\nSecond line \\\\ backslash\n"
        "# TYPE demo_requests_total counter\n"
        "demo_requests_total{route=\"/a\\\"b\\\\c\\nd\",status=\"404\"} 1\n"
        "demo_requests_total{route=\"/session\",status=\"200\"} 3\n"
        "# HELP demo_in_flight In flight.\n"
        "# TYPE demo_in_flight gauge\n"
        "demo_in_flight -3\n");
}

TEST_CASE("histograms render cumulative buckets, +Inf, _sum and _count", "[server][metrics]") {
  Registry registry;
  auto& latency = registry.histogram("demo_seconds", "Latency.", {"route"}, {0.125, 0.5, 1});
  auto& child = latency.labels({"/x"});
  child.observe(0.0625);
  child.observe(0.125);  // upper bounds are inclusive
  child.observe(0.75);
  child.observe(3);
  CHECK(registry.expose() ==
        "# HELP demo_seconds Latency.\n"
        "# TYPE demo_seconds histogram\n"
        "demo_seconds_bucket{route=\"/x\",le=\"0.125\"} 2\n"
        "demo_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
        "demo_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
        "demo_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
        "demo_seconds_sum{route=\"/x\"} 3.9375\n"
        "demo_seconds_count{route=\"/x\"} 4\n");
  CHECK(child.count() == 4);
}

TEST_CASE("sample values use Prometheus spellings", "[server][metrics]") {
  CHECK(format_sample_value(3) == "3");
  CHECK(format_sample_value(0.25) == "0.25");
  CHECK(format_sample_value(0.0005) == "0.0005");
  CHECK(format_sample_value(1.0 / 0.0) == "+Inf");
  CHECK(format_sample_value(-1.0 / 0.0) == "-Inf");
  CHECK(format_sample_value(0.0 / 0.0) == "NaN");
}

TEST_CASE("registration rejects bad names, kind clashes and bad buckets", "[server][metrics]") {
  Registry registry;
  CHECK_THROWS(registry.counter("9starts_with_digit", "x"));
  CHECK_THROWS(registry.counter("has-dash", "x"));
  registry.counter("same_name", "x");
  CHECK_NOTHROW(registry.counter("same_name", "x"));
  CHECK_THROWS(registry.gauge("same_name", "x"));
  CHECK_THROWS(registry.histogram("h1", "x", {}, {1, 1}));
  CHECK_THROWS(registry.histogram("h2", "x", {"le"}, {1}));
  auto& family = registry.counter("labelled", "x", {"a"});
  CHECK_THROWS(family.labels({}));
}

TEST_CASE("concurrent increments are all counted", "[server][metrics]") {
  Registry registry;
  auto& family = registry.counter("concurrent_total", "x", {"k"});
  auto& histogram = registry.histogram("concurrent_seconds", "x", {}, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        family.labels({std::to_string((t + i) % 4)}).inc();
        histogram.get().observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::uint64_t total = 0;
  family.for_each([&](const LabelValues&, const Counter& counter) { total += counter.value(); });
  CHECK(total == 80000);
  CHECK(histogram.get().count() == 80000);
  CHECK(histogram.get().sum() == Approx(40000.0));
}

TEST_CASE("the server metrics are registered under their documented names", "[server][metrics]") {
  Registry registry;
  ServerMetrics metrics(registry);
  metrics.http_requests.labels({"/healthz", "GET", "200"}).inc();
  metrics.token_cache_hits.inc();
  const std::string text = registry.expose();
  for (const char* name : {"flexcore_http_requests_total", "flexcore_http_request_duration_seconds",
                           "flexcore_http_requests_in_flight", "flexcore_upstream_requests_total",
                           "flexcore_upstream_request_duration_seconds", "flexcore_upstream_retries_total",
                           "flexcore_token_cache_hits_total", "flexcore_token_cache_misses_total",
                           "flexcore_token_validations_coalesced_total", "flexcore_token_cache_entries"}) {
    CHECK_THAT(text, Catch::Contains(std::string("# TYPE ") + name));
  }
  CHECK_THAT(text, Catch::Contains("flexcore_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"));
  CHECK_THAT(text, Catch::Contains("flexcore_token_cache_hits_total 1"));
}
