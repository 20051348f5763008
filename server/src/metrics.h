#pragma once
/// @file metrics.h
/// A small Prometheus metrics registry (no Prometheus C++ client is packaged in Debian 12):
/// counters and gauges with labels, histograms with fixed buckets, and the text exposition format
/// 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/). Thread-safe: children are
/// found under a shared lock and updated with atomics.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace flexcore::server {

/// Label values, in the order of the family's label names.
using LabelValues = std::vector<std::string>;

/// A monotonically increasing value (a float in the exposition; stored as an integer count here).
class Counter {
 public:
  /// Adds `delta` (>= 0).
  void inc(std::uint64_t delta = 1) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down.
class Gauge {
 public:
  void inc(std::int64_t delta = 1) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  void dec(std::int64_t delta = 1) noexcept { value_.fetch_sub(delta, std::memory_order_relaxed); }
  void set(std::int64_t value) noexcept { value_.store(value, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

/// Observations counted into fixed upper-bound buckets (seconds, bytes...).
class Histogram {
 public:
  /// `bounds`: strictly increasing finite upper bounds; +Inf is implicit.
  explicit Histogram(const std::vector<double>& bounds);
  /// Records one observation.
  void observe(double value) noexcept;
  /// Cumulative counts per bound, then the +Inf count (== count()).
  std::vector<std::uint64_t> cumulative_counts() const;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, size bounds+1
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

/// A named metric with label names; children per distinct label values.
template <typename Child>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~Family() = default;

  /// The child for `values` (created on first use). Precondition: values.size() == label count.
  /// The reference stays valid for the registry's lifetime.
  Child& labels(const LabelValues& values);
  /// The child with no labels (a family declared with no label names).
  Child& get() { return labels({}); }

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  const std::vector<std::string>& label_names() const noexcept { return label_names_; }

  /// Calls `fn(values, child)` for every child, ordered by label values.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    std::shared_lock lock(mutex_);
    for (const auto& [values, child] : children_) fn(values, *child);
  }

 protected:
  virtual std::unique_ptr<Child> make_child() const {
    if constexpr (std::is_default_constructible_v<Child>) {
      return std::make_unique<Child>();
    } else {
      return nullptr;  // HistogramFamily overrides this
    }
  }

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Child>> children_;
};

/// A histogram family: every child shares the family's bucket bounds.
class HistogramFamily : public Family<Histogram> {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds)
      : Family(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {}
  const std::vector<double>& bounds() const noexcept { return bounds_; }

 protected:
  std::unique_ptr<Histogram> make_child() const override {
    return std::make_unique<Histogram>(bounds_);
  }

 private:
  std::vector<double> bounds_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;

/// Owns metric families and renders them. Names must match [a-zA-Z_:][a-zA-Z0-9_:]* and are
/// unique; registering a name twice returns the existing family if its kind matches.
class Registry {
 public:
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names, std::vector<double> bounds);

  /// Prometheus text exposition 0.0.4: for each family (in registration order) `# HELP`,
  /// `# TYPE`, then one sample line per child (`name{label="value"} value`); histograms as
  /// `_bucket{le="…"}` (cumulative, ending with le="+Inf"), `_sum` and `_count`. Label values escape
  /// `\`, `"` and newline; HELP text escapes `\` and newline.
  std::string expose() const;

  /// Content-Type of expose()'s output.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Entry {
    std::string kind;  // "counter" | "gauge" | "histogram"
    std::unique_ptr<CounterFamily> counter;
    std::unique_ptr<GaugeFamily> gauge;
    std::unique_ptr<HistogramFamily> histogram;
  };
  Entry* find(const std::string& name);
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

/// Escapes a label value for the exposition format (`\` → `\\`, `"` → `\"`, newline → `\n`).
std::string escape_label_value(std::string_view value);

/// Formats a sample value: integers without a decimal point, +Inf/-Inf/NaN spelled as Prometheus
/// does, other values with up to 17 significant digits.
std::string format_sample_value(double value);

/// The metrics flexcore-server exports (names are part of the operations contract, server/README.md).
struct ServerMetrics {
  explicit ServerMetrics(Registry& registry);

  CounterFamily& http_requests;           ///< flexcore_http_requests_total{route,method,status}
  HistogramFamily& http_duration;         ///< flexcore_http_request_duration_seconds{route}
  Gauge& http_in_flight;                  ///< flexcore_http_requests_in_flight
  CounterFamily& upstream_requests;       ///< flexcore_upstream_requests_total{host,status}
  HistogramFamily& upstream_duration;     ///< flexcore_upstream_request_duration_seconds{host}
  CounterFamily& upstream_retries;        ///< flexcore_upstream_retries_total{host,reason}
  Counter& token_cache_hits;              ///< flexcore_token_cache_hits_total
  Counter& token_cache_misses;            ///< flexcore_token_cache_misses_total
  Counter& token_validations_coalesced;   ///< flexcore_token_validations_coalesced_total
  Gauge& token_cache_entries;             ///< flexcore_token_cache_entries
};

}  // namespace flexcore::server
