#include "metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace flexcore::server {

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double value) noexcept {
  std::size_t index = bounds_.size();
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      index = i;
      break;
    }
  }
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  double old_sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(old_sum, old_sum + value, std::memory_order_relaxed)) {
  }
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

template <typename Child>
Child& Family<Child>::labels(const LabelValues& values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": expected " +
                                std::to_string(label_names_.size()) + " label values");
  }
  {
    std::shared_lock lock(mutex_);
    auto found = children_.find(values);
    if (found != children_.end()) return *found->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = children_[values];
  if (!slot) slot = make_child();
  return *slot;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

namespace {
bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (i > 0 && digit))) return false;
  }
  return true;
}

std::string escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string label_set(const std::vector<std::string>& names, const LabelValues& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    out += escape_label_value(values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
  return out;
}

void header(std::string& out, const std::string& name, const std::string& help, std::string_view kind) {
  out += "# HELP " + name + ' ' + escape_help(help) + '\n';
  out += "# TYPE " + name + ' ' + std::string(kind) + '\n';
}
}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  // Prefer the shortest representation that round-trips.
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[40];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buffer;
}

Registry::Entry* Registry::find(const std::string& name) {
  for (auto& entry : entries_) {
    const std::string* existing = entry->counter     ? &entry->counter->name()
                                  : entry->gauge     ? &entry->gauge->name()
                                                     : &entry->histogram->name();
    if (*existing == name) return entry.get();
  }
  return nullptr;
}

CounterFamily& Registry::counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name " + name);
  if (auto* entry = find(name)) {
    if (!entry->counter) throw std::invalid_argument(name + " is registered as a " + entry->kind);
    return *entry->counter;
  }
  auto entry = std::make_unique<Entry>();
  entry->kind = "counter";
  entry->counter = std::make_unique<CounterFamily>(name, help, std::move(label_names));
  entries_.push_back(std::move(entry));
  return *entries_.back()->counter;
}

GaugeFamily& Registry::gauge(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name " + name);
  if (auto* entry = find(name)) {
    if (!entry->gauge) throw std::invalid_argument(name + " is registered as a " + entry->kind);
    return *entry->gauge;
  }
  auto entry = std::make_unique<Entry>();
  entry->kind = "gauge";
  entry->gauge = std::make_unique<GaugeFamily>(name, help, std::move(label_names));
  entries_.push_back(std::move(entry));
  return *entries_.back()->gauge;
}

HistogramFamily& Registry::histogram(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names,
                                     std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name " + name);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::invalid_argument(name + ": bucket bounds must be finite and strictly increasing");
    }
  }
  for (const auto& label : label_names) {
    if (label == "le") throw std::invalid_argument(name + ": a histogram cannot use the label le");
  }
  if (auto* entry = find(name)) {
    if (!entry->histogram) throw std::invalid_argument(name + " is registered as a " + entry->kind);
    return *entry->histogram;
  }
  auto entry = std::make_unique<Entry>();
  entry->kind = "histogram";
  entry->histogram =
      std::make_unique<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
  entries_.push_back(std::move(entry));
  return *entries_.back()->histogram;
}

std::string Registry::expose() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& entry : entries_) {
    if (entry->counter) {
      const auto& family = *entry->counter;
      header(out, family.name(), family.help(), "counter");
      family.for_each([&](const LabelValues& values, const Counter& child) {
        out += family.name() + label_set(family.label_names(), values) + ' ' +
               std::to_string(child.value()) + '\n';
      });
    } else if (entry->gauge) {
      const auto& family = *entry->gauge;
      header(out, family.name(), family.help(), "gauge");
      family.for_each([&](const LabelValues& values, const Gauge& child) {
        out += family.name() + label_set(family.label_names(), values) + ' ' +
               std::to_string(child.value()) + '\n';
      });
    } else {
      const auto& family = *entry->histogram;
      header(out, family.name(), family.help(), "histogram");
      family.for_each([&](const LabelValues& values, const Histogram& child) {
        const auto counts = child.cumulative_counts();
        for (std::size_t i = 0; i < family.bounds().size(); ++i) {
          out += family.name() + "_bucket" +
                 label_set(family.label_names(), values, "le",
                           format_sample_value(family.bounds()[i])) +
                 ' ' + std::to_string(counts[i]) + '\n';
        }
        out += family.name() + "_bucket" + label_set(family.label_names(), values, "le", "+Inf") +
               ' ' + std::to_string(counts.back()) + '\n';
        out += family.name() + "_sum" + label_set(family.label_names(), values) + ' ' +
               format_sample_value(child.sum()) + '\n';
        out += family.name() + "_count" + label_set(family.label_names(), values) + ' ' +
               std::to_string(counts.back()) + '\n';
      });
    }
  }
  return out;
}

namespace {
const std::vector<double> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}  // namespace

ServerMetrics::ServerMetrics(Registry& registry)
    : http_requests(registry.counter("flexcore_http_requests_total",
                                     "HTTP requests answered, by route pattern, method and status.",
                                     {"route", "method", "status"})),
      http_duration(registry.histogram("flexcore_http_request_duration_seconds",
                                       "Time from request routing to response, by route pattern.",
                                       {"route"}, kLatencyBuckets)),
      http_in_flight(registry
                         .gauge("flexcore_http_requests_in_flight",
                                "Requests currently inside a route handler.")
                         .get()),
      upstream_requests(registry.counter(
          "flexcore_upstream_requests_total",
          "Outbound HTTP attempts by upstream host and status (or transport error kind).",
          {"host", "status"})),
      upstream_duration(registry.histogram("flexcore_upstream_request_duration_seconds",
                                           "Duration of each outbound HTTP attempt, by host.",
                                           {"host"}, kLatencyBuckets)),
      upstream_retries(registry.counter("flexcore_upstream_retries_total",
                                        "Outbound retries by upstream host and reason.",
                                        {"host", "reason"})),
      token_cache_hits(registry
                           .counter("flexcore_token_cache_hits_total",
                                    "Flex token validations answered from the cache.")
                           .get()),
      token_cache_misses(registry
                             .counter("flexcore_token_cache_misses_total",
                                      "Flex token validations that called IAM.")
                             .get()),
      token_validations_coalesced(
          registry
              .counter("flexcore_token_validations_coalesced_total",
                       "Flex token validations that waited for an identical IAM call in flight.")
              .get()),
      token_cache_entries(registry
                              .gauge("flexcore_token_cache_entries",
                                     "Valid Flex token results currently cached.")
                              .get()) {}

}  // namespace flexcore::server
