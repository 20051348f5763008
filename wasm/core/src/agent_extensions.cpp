#include "flexcore/agent_extensions.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <numeric>
#include <unordered_map>

#include "flexcore/sid.h"
#include "json_tape.h"
#include "text.h"

namespace flexcore::agent_extensions {
namespace {

using nlohmann::json;
namespace tx = flexcore::detail::text;
namespace jt = flexcore::detail::json_tape;

constexpr std::uint32_t kMaxPageSize = 1000;
constexpr std::size_t kMaxFilterBytes = 256;

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_control(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

// How a character that is not 0-9 is named in a message: printable ASCII quoted, anything else as U+XXXX.
std::string describe_character(std::string_view s, std::size_t at) {
  const auto c = static_cast<unsigned char>(s[at]);
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  std::uint32_t cp = c;
  std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (length > 1 && at + length <= s.size()) {
    cp = length == 2 ? (c & 0x1Fu) : length == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[at + k]) & 0x3Fu);
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "U+";
  const int digits = cp > 0xFFFF ? 6 : 4;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back(kHex[(cp >> shift) & 0xF]);
  return out;
}

std::string folded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  tx::append_folded(out, s);
  return out;
}

// Numeric comparison of extension numbers: digit strings by value, then by spelling; others after.
int compare_numeric(std::string_view a, std::string_view b) noexcept {
  const bool da = all_digits(a), db = all_digits(b);
  if (da != db) return da ? -1 : 1;
  if (!da) return a.compare(b);
  auto strip = [](std::string_view s) {
    const std::size_t nz = s.find_first_not_of('0');
    return nz == std::string_view::npos ? std::string_view() : s.substr(nz);
  };
  const std::string_view sa = strip(a), sb = strip(b);
  if (sa.size() != sb.size()) return sa.size() < sb.size() ? -1 : 1;
  if (const int c = sa.compare(sb); c != 0) return c;
  return a.compare(b);
}

// --- JSON helpers ------------------------------------------------------------------------------------

std::string type_of(const json& value) {
  if (value.is_number()) return "number";
  return value.type_name();
}

void write_string(std::string& out, std::string_view s) { tx::append_json_string(out, s); }

std::string_view kind_name(jt::Kind kind) noexcept {
  switch (kind) {
    case jt::Kind::Object: return "object";
    case jt::Kind::Array: return "array";
    case jt::Kind::String: return "string";
    case jt::Kind::Number: return "number";
    case jt::Kind::True:
    case jt::Kind::False: return "boolean";
    case jt::Kind::Null: return "null";
  }
  return "null";
}

// The row object at tape `index`. Rows are read from the strict tape scanner (one pass, no DOM): row sets
// of 10,000+ rows cross the wasm boundary on every table query. `what` names the row in messages.
Result<Extension> extension_from(const jt::Tape& tape, std::uint32_t index, std::string_view what) {
  const jt::Token& token = tape.tokens[index];
  if (token.kind != jt::Kind::Object) {
    return Result<Extension>::failure(ErrorCode::InvalidArgument, std::string(what) + ": expected a JSON object, got " +
                                                                      std::string(kind_name(token.kind)));
  }
  Extension row;
  std::string scratch;
  for (std::uint32_t i = index + 1; i < token.end; i = tape.next(i + 1)) {
    const std::string_view key = jt::string_value(tape, i, scratch);
    std::string Extension::*member = nullptr;
    if (key == "workerSid") member = &Extension::worker_sid;
    else if (key == "workerFullName") member = &Extension::worker_full_name;
    else if (key == "extensionNumber") member = &Extension::extension_number;
    else if (key == "updatedBy") member = &Extension::updated_by;
    else if (key == "updatedAt") member = &Extension::updated_at;
    if (member == nullptr) continue;  // mapKey and unknown members
    const jt::Token& value = tape.tokens[i + 1];
    if (value.kind == jt::Kind::Null) {
      (row.*member).clear();
    } else if (value.kind == jt::Kind::String) {
      (row.*member).clear();
      jt::decode_string(tape, i + 1, row.*member);
    } else {
      return Result<Extension>::failure(ErrorCode::InvalidArgument, std::string(what) + "." + std::string(key) +
                                                                        ": expected a string, got " +
                                                                        std::string(kind_name(value.kind)));
    }
  }
  return row;
}

Result<json> parse_document(std::string_view text, std::string_view what) {
  json document = json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded()) {
    return Result<json>::failure(ErrorCode::InvalidArgument, std::string(what) + ": invalid JSON");
  }
  return document;
}

// A non-negative integer option given as a JSON number or a digit string (query parameters are strings).
Result<std::optional<std::uint32_t>> uint_option(const json& object, const char* name, const char* expected) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::optional<std::uint32_t>();
  auto fail = [&] {
    return Result<std::optional<std::uint32_t>>::failure(ErrorCode::InvalidArgument,
                                                         std::string(name) + " must be " + expected);
  };
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > 0xFFFFFFFFull) return fail();
    return std::optional<std::uint32_t>(static_cast<std::uint32_t>(v));
  }
  if (it->is_number_float()) {
    const double d = it->get<double>();
    if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<std::uint64_t>(d))) return fail();
    return std::optional<std::uint32_t>(static_cast<std::uint32_t>(d));
  }
  if (it->is_string()) {
    const std::string_view s = trim(it->get_ref<const std::string&>());
    if (!all_digits(s) || s.size() > 10) return fail();
    std::uint64_t v = 0;
    for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 0xFFFFFFFFull) return fail();
    return std::optional<std::uint32_t>(static_cast<std::uint32_t>(v));
  }
  return fail();  // negative integers, booleans, objects
}

}  // namespace

// --- Validation ----------------------------------------------------------------------------------------

Status check_validation_options(const ValidationOptions& options) {
  if (options.min_digits < 1 || options.min_digits > 32) {
    return Status::failure(ErrorCode::InvalidArgument,
                           "minDigits must be between 1 and 32, got " + std::to_string(options.min_digits));
  }
  if (options.max_digits < options.min_digits || options.max_digits > 32) {
    return Status::failure(ErrorCode::InvalidArgument, "maxDigits must be between minDigits (" +
                                                           std::to_string(options.min_digits) + ") and 32, got " +
                                                           std::to_string(options.max_digits));
  }
  if (options.max_name_length < 1 || options.max_name_length > 10000) {
    return Status::failure(ErrorCode::InvalidArgument,
                           "maxNameLength must be between 1 and 10000, got " + std::to_string(options.max_name_length));
  }
  return ok_status();
}

Result<Validation> validate_extension(const Extension& entry, const std::vector<Extension>& existing,
                                      const ValidationOptions& options) {
  if (Status s = check_validation_options(options); !s.ok()) return s.error();
  Validation v;
  v.entry = entry;
  v.entry.worker_full_name = std::string(trim(entry.worker_full_name));
  v.entry.extension_number = std::string(trim(entry.extension_number));
  auto problem = [&](const char* field, std::string message, Reason reason, ErrorCode code = ErrorCode::InvalidArgument,
                     std::string other = {}) {
    v.problems.push_back(Problem{field, std::move(message), code, std::move(other), std::move(reason)});
  };
  auto count = [](std::size_t n) { return std::to_string(n); };

  const std::string& name = v.entry.worker_full_name;
  if (name.empty()) {
    problem("workerFullName", "workerFullName is required", Reason{"required", {}});
  } else if (!tx::is_valid_utf8(name)) {
    problem("workerFullName", "workerFullName must be valid UTF-8", Reason{"invalid_utf8", {}});
  } else if (has_control(name)) {
    problem("workerFullName", "workerFullName must not contain control characters", Reason{"control_character", {}});
  } else if (const std::size_t length = tx::code_points(name); length > options.max_name_length) {
    problem("workerFullName",
            "workerFullName must be at most " + count(options.max_name_length) + " characters, got " + count(length),
            Reason{"too_long", {{"maxLength", count(options.max_name_length)}, {"length", count(length)}}});
  }

  const std::string& number = v.entry.extension_number;
  bool number_ok = false;
  if (number.empty()) {
    problem("extensionNumber", "extensionNumber is required", Reason{"required", {}});
  } else if (const std::size_t bad = number.find_first_not_of("0123456789"); bad != std::string::npos) {
    std::string character = describe_character(number, bad);
    problem("extensionNumber", "extensionNumber must contain only the digits 0-9 (found " + character + ")",
            Reason{"not_digits", {{"character", character.front() == '\'' ? character.substr(1, 1) : character}}});
  } else if (number.size() < options.min_digits || number.size() > options.max_digits) {
    problem("extensionNumber",
            "extensionNumber must have " +
                (options.min_digits == options.max_digits ? count(options.min_digits)
                                                          : count(options.min_digits) + " to " + count(options.max_digits)) +
                " digits, got " + count(number.size()),
            Reason{number.size() < options.min_digits ? "too_few_digits" : "too_many_digits",
                   {{"minDigits", count(options.min_digits)},
                    {"maxDigits", count(options.max_digits)},
                    {"digits", count(number.size())}}});
  } else {
    number_ok = true;
  }
  if (number_ok) {
    for (const Extension& other : existing) {
      if (other.worker_sid != v.entry.worker_sid && trim(other.extension_number) == number) {
        std::string who = other.worker_full_name.empty() ? other.worker_sid : other.worker_full_name + " (" + other.worker_sid + ")";
        problem("extensionNumber", "extensionNumber " + number + " is already assigned to " + who,
                Reason{"taken",
                       {{"extensionNumber", number},
                        {"conflictingWorkerSid", other.worker_sid},
                        {"conflictingWorkerName", other.worker_full_name}}},
                ErrorCode::AlreadyExists, other.worker_sid);
        break;
      }
    }
  }

  if (v.entry.worker_sid.empty()) {
    problem("workerSid", "workerSid is required", Reason{"required", {}});
  } else if (auto sid = check_sid(v.entry.worker_sid, "WK", "workerSid"); !sid.ok()) {
    problem("workerSid", sid.error().message, *sid_reason(v.entry.worker_sid, "WK"));
  }
  return v;
}

// --- Query ----------------------------------------------------------------------------------------------

std::string_view to_string(Column column) noexcept {
  switch (column) {
    case Column::WorkerFullName: return "workerFullName";
    case Column::ExtensionNumber: return "extensionNumber";
    case Column::WorkerSid: return "workerSid";
    case Column::UpdatedBy: return "updatedBy";
    case Column::UpdatedAt: return "updatedAt";
  }
  return "workerFullName";
}

std::optional<Column> column_from_string(std::string_view name) noexcept {
  for (Column c : {Column::WorkerFullName, Column::ExtensionNumber, Column::WorkerSid, Column::UpdatedBy, Column::UpdatedAt}) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

Status check_query(const Query& query) {
  if (query.page < 1) return Status::failure(ErrorCode::InvalidArgument, "page must be at least 1, got 0");
  if (query.page_size < 1 || query.page_size > kMaxPageSize) {
    return Status::failure(ErrorCode::InvalidArgument, "pageSize must be between 1 and " + std::to_string(kMaxPageSize) +
                                                           ", got " + std::to_string(query.page_size));
  }
  if (query.filter.size() > kMaxFilterBytes) {
    return Status::failure(ErrorCode::InvalidArgument, "filter must be at most " + std::to_string(kMaxFilterBytes) + " bytes");
  }
  return ok_status();
}

struct ExtensionTable::RankCache {
  std::mutex mutex;
  std::array<std::vector<std::uint32_t>, 6> ranks;  // Column 0-4, then ExtensionNumber numeric
  std::array<bool, 6> ready{};
};

ExtensionTable::ExtensionTable(std::vector<Extension> rows)
    : rows_(std::move(rows)), rank_cache_(std::make_shared<RankCache>()) {
  folded_names_.reserve(rows_.size());
  folded_sids_.reserve(rows_.size());
  folded_updated_by_.reserve(rows_.size());
  row_start_.reserve(rows_.size() + 1);
  for (const Extension& row : rows_) {
    folded_names_.push_back(folded(row.worker_full_name));
    folded_sids_.push_back(folded(row.worker_sid));
    folded_updated_by_.push_back(folded(row.updated_by));
    row_start_.push_back(static_cast<std::uint32_t>(haystack_.size()));
    haystack_ += folded_names_.back();
    haystack_ += '\0';
    haystack_ += row.extension_number;
    haystack_ += '\0';
    haystack_ += folded_sids_.back();
    haystack_ += '\0';
  }
  row_start_.push_back(static_cast<std::uint32_t>(haystack_.size()));
}

const std::vector<std::uint32_t>& ExtensionTable::ranks(Column column, bool numeric) const {
  const bool numeric_extension = numeric && column == Column::ExtensionNumber;
  const std::size_t slot = numeric_extension ? 5 : static_cast<std::size_t>(column);
  std::lock_guard lock(rank_cache_->mutex);
  auto& rank = rank_cache_->ranks[slot];
  if (rank_cache_->ready[slot]) return rank;
  auto compare = [&](std::uint32_t a, std::uint32_t b) -> int {
    switch (column) {
      case Column::WorkerFullName: return folded_names_[a].compare(folded_names_[b]);
      case Column::ExtensionNumber:
        return numeric_extension ? compare_numeric(rows_[a].extension_number, rows_[b].extension_number)
                                 : rows_[a].extension_number.compare(rows_[b].extension_number);
      case Column::WorkerSid: return folded_sids_[a].compare(folded_sids_[b]);
      case Column::UpdatedBy: return folded_updated_by_[a].compare(folded_updated_by_[b]);
      case Column::UpdatedAt: return rows_[a].updated_at.compare(rows_[b].updated_at);
    }
    return 0;
  };
  std::vector<std::uint32_t> order(rows_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return compare(a, b) < 0; });
  rank.assign(rows_.size(), 0);
  std::uint32_t current = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k > 0 && compare(order[k - 1], order[k]) != 0) ++current;
    rank[order[k]] = current;
  }
  rank_cache_->ready[slot] = true;
  return rank;
}

Result<Page> ExtensionTable::query(const Query& query) const {
  if (Status s = check_query(query); !s.ok()) return s.error();
  const std::string needle = folded(trim(query.filter));
  // The hot loops write through a raw pointer into a buffer sized once: under emscripten's JS exception
  // handling every call that may throw (push_back) while a destructor is pending goes through a JS trampoline,
  // which made these loops ~10× slower in wasm.
  std::vector<std::uint32_t> order(rows_.size());
  std::uint32_t* out = order.data();
  std::size_t matches = 0;
  if (needle.empty()) {
    for (std::uint32_t i = 0; i < rows_.size(); ++i) out[matches++] = i;
  } else if (needle.find('\0') != std::string::npos) {
    // A needle with NUL cannot match a field (fields hold no NUL once validated), and would span fields here.
  } else {
    // One pass over all rows' text (a plain byte loop: no calls in the hot path); after a hit, continue at
    // the next row, so each matching row is listed once, in row order.
    const char* text = haystack_.data();
    const std::size_t size = haystack_.size();
    const char* want = needle.data();
    const std::size_t length = needle.size();
    const char first = want[0];
    const std::uint32_t* starts = row_start_.data();
    std::uint32_t row = 0;
    std::size_t at = 0;
    while (at + length <= size) {
      if (text[at] == first && std::memcmp(text + at + 1, want + 1, length - 1) == 0) {
        while (starts[row + 1] <= at) ++row;
        out[matches++] = row;
        at = starts[row + 1];
        ++row;
        continue;
      }
      ++at;
    }
  }
  order.resize(matches);
  if (query.sort_by && order.size() > 1) {  // (a default-constructed table has no rank cache and no rows)
    // Stable order = the key's rank, then the row index. Only the rows up to the end of the requested page
    // need to be in order: a partial sort (heap of `needed` rows) when that is a small part of the matches.
    const std::uint32_t* rank = ranks(*query.sort_by, query.numeric).data();
    const bool descending = query.sort_dir == SortDirection::Descending;
    auto before = [rank, descending](std::uint32_t a, std::uint32_t b) noexcept {
      if (rank[a] != rank[b]) return descending ? rank[a] > rank[b] : rank[a] < rank[b];
      return a < b;
    };
    const std::uint64_t needed = static_cast<std::uint64_t>(query.page) * query.page_size;
    if (needed < order.size() / 4) {
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(needed), order.end(), before);
    } else {
      std::sort(order.begin(), order.end(), before);
    }
  }
  Page page;
  page.total = order.size();
  page.page = query.page;
  page.page_size = query.page_size;
  page.page_count = static_cast<std::uint32_t>((order.size() + query.page_size - 1) / query.page_size);
  const std::uint64_t first = static_cast<std::uint64_t>(query.page - 1) * query.page_size;
  if (first < order.size()) {
    const std::uint64_t last = std::min<std::uint64_t>(first + query.page_size, order.size());
    page.items.reserve(static_cast<std::size_t>(last - first));
    for (std::uint64_t i = first; i < last; ++i) page.items.push_back(rows_[order[static_cast<std::size_t>(i)]]);
  }
  return page;
}

Result<Page> query_extensions(const std::vector<Extension>& rows, const Query& query) {
  if (Status s = check_query(query); !s.ok()) return s.error();
  return ExtensionTable(rows).query(query);
}

// --- Diff and lookup -------------------------------------------------------------------------------------

Result<Diff> diff_extensions(const std::vector<Extension>& draft, const std::vector<Extension>& published) {
  auto index = [](const std::vector<Extension>& rows, std::string_view what,
                  std::unordered_map<std::string_view, std::size_t>& out) -> Status {
    out.reserve(rows.size() * 2);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!out.emplace(rows[i].worker_sid, i).second) {
        return Status::failure(ErrorCode::InvalidArgument, std::string(what) + "[" + std::to_string(i) + "].workerSid: " +
                                                               rows[i].worker_sid + " appears more than once");
      }
    }
    return ok_status();
  };
  std::unordered_map<std::string_view, std::size_t> draft_index, published_index;
  if (Status s = index(draft, "draft", draft_index); !s.ok()) return s.error();
  if (Status s = index(published, "published", published_index); !s.ok()) return s.error();
  Diff diff;
  for (const Extension& row : draft) {
    auto it = published_index.find(row.worker_sid);
    if (it == published_index.end()) {
      diff.added.push_back(row);
      continue;
    }
    const Extension& before = published[it->second];
    if (before.extension_number != row.extension_number || before.worker_full_name != row.worker_full_name) {
      diff.changed.push_back(Change{before, row});
    }
  }
  for (const Extension& row : published) {
    if (draft_index.find(row.worker_sid) == draft_index.end()) diff.removed.push_back(row);
  }
  return diff;
}

const LookupEntry* LookupTable::find(std::string_view extension) const noexcept {
  const std::string_view key = trim(extension);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const LookupEntry& e, std::string_view k) { return std::string_view(e.extension_number) < k; });
  if (it == entries_.end() || it->extension_number != key) return nullptr;
  return &*it;
}

Result<LookupTable> build_lookup_table(const std::vector<Extension>& published) {
  LookupTable table;
  table.entries_.reserve(published.size());
  for (std::size_t i = 0; i < published.size(); ++i) {
    const std::string_view number = trim(published[i].extension_number);
    if (number.empty()) {
      return Result<LookupTable>::failure(ErrorCode::InvalidArgument,
                                          "published[" + std::to_string(i) + "].extensionNumber is empty");
    }
    table.entries_.push_back(LookupEntry{std::string(number), published[i].worker_sid, published[i].worker_full_name});
  }
  std::stable_sort(table.entries_.begin(), table.entries_.end(),
                   [](const LookupEntry& a, const LookupEntry& b) { return a.extension_number < b.extension_number; });
  for (std::size_t i = 1; i < table.entries_.size(); ++i) {
    if (table.entries_[i].extension_number == table.entries_[i - 1].extension_number) {
      return Result<LookupTable>::failure(ErrorCode::AlreadyExists,
                                          "extension " + table.entries_[i].extension_number + " is assigned to both " +
                                              table.entries_[i - 1].worker_sid + " and " + table.entries_[i].worker_sid);
    }
  }
  return table;
}

Result<std::vector<Extension>> validate_extension_set(const std::vector<Extension>& rows,
                                                      const ValidationOptions& options) {
  auto checked = check_validation_options(options);
  if (!checked) return checked.error();
  std::vector<Extension> normalised;
  normalised.reserve(rows.size());
  std::string first_problem;
  std::size_t problem_count = 0;
  const std::vector<Extension> none;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto validation = validate_extension(rows[i], none, options);
    if (!validation) return validation.error();
    for (const auto& problem : validation.value().problems) {
      if (problem_count++ == 0) first_problem = "data[" + std::to_string(i) + "]." + problem.field + ": " + problem.message;
    }
    Extension row = std::move(validation.value().entry);
    row.updated_by.clear();
    row.updated_at.clear();
    normalised.push_back(std::move(row));
  }
  if (problem_count > 0) {
    if (problem_count > 1) first_problem += " (and " + std::to_string(problem_count - 1) + " more problems)";
    return Result<std::vector<Extension>>::failure(ErrorCode::InvalidArgument, std::move(first_problem));
  }
  auto table = build_lookup_table(normalised);  // a repeated extension number → AlreadyExists
  if (!table) {
    Error error = table.error();
    if (error.message.rfind("published", 0) == 0) error.message.replace(0, 9, "data");
    return error;
  }
  std::stable_sort(normalised.begin(), normalised.end(),
                   [](const Extension& a, const Extension& b) { return a.worker_sid < b.worker_sid; });
  return normalised;
}

// --- JSON adapters -----------------------------------------------------------------------------------------

Result<Extension> parse_extension(std::string_view text, std::string_view what) {
  auto tape = jt::scan(text, what);
  if (!tape.ok()) return tape.error();
  return extension_from(tape.value(), 0, what);
}

Result<std::vector<Extension>> parse_extensions(std::string_view text, std::string_view what) {
  auto scanned = jt::scan(text, what);
  if (!scanned.ok()) return scanned.error();
  const jt::Tape& tape = scanned.value();
  if (tape.tokens[0].kind != jt::Kind::Array) {
    return Result<std::vector<Extension>>::failure(ErrorCode::InvalidArgument, std::string(what) +
                                                                                   ": expected a JSON array, got " +
                                                                                   std::string(kind_name(tape.tokens[0].kind)));
  }
  std::vector<Extension> rows;
  std::size_t position = 0;
  for (std::uint32_t i = 1; i < tape.tokens[0].end; i = tape.next(i), ++position) {
    if (tape.tokens[i].kind == jt::Kind::Object) {
      auto row = extension_from(tape, i, what);  // `what` is only used in messages, built on failure below
      if (row.ok()) {
        rows.push_back(std::move(row).value());
        continue;
      }
    }
    return extension_from(tape, i, std::string(what) + "[" + std::to_string(position) + "]").error();
  }
  return rows;
}

namespace {
void write_row(std::string& out, const Extension& row, RowShape shape) {
  out += "{\"workerFullName\":";
  write_string(out, row.worker_full_name);
  out += ",\"extensionNumber\":";
  write_string(out, row.extension_number);
  out += ",\"workerSid\":";
  write_string(out, row.worker_sid);
  if (shape == RowShape::Published) {
    out += ",\"mapKey\":";
    write_string(out, row.worker_sid);
  } else {
    out += ",\"updatedBy\":";
    write_string(out, row.updated_by);
    out += ",\"updatedAt\":";
    write_string(out, row.updated_at);
  }
  out += '}';
}

void write_rows(std::string& out, const std::vector<Extension>& rows, RowShape shape) {
  out += '[';
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ',';
    write_row(out, rows[i], shape);
  }
  out += ']';
}
}  // namespace

std::string to_json(const Extension& row, RowShape shape) {
  std::string out;
  write_row(out, row, shape);
  return out;
}

std::string to_json(const std::vector<Extension>& rows, RowShape shape) {
  std::string out;
  out.reserve(rows.size() * 160 + 2);
  write_rows(out, rows, shape);
  return out;
}

Result<Query> parse_query(std::string_view text) {
  auto document = parse_document(text, "query");
  if (!document.ok()) return document.error();
  const json& object = document.value();
  if (object.is_null()) return Query{};
  if (!object.is_object()) {
    return Result<Query>::failure(ErrorCode::InvalidArgument, "query: expected a JSON object, got " + type_of(object));
  }
  Query query;
  if (auto it = object.find("filter"); it != object.end() && !it->is_null()) {
    if (!it->is_string()) return Result<Query>::failure(ErrorCode::InvalidArgument, "filter must be a string");
    query.filter = it->get<std::string>();
  }
  if (auto it = object.find("sortBy"); it != object.end() && !it->is_null()) {
    const std::string* name = it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    if (!name || (!name->empty() && !column_from_string(*name))) {
      return Result<Query>::failure(ErrorCode::InvalidArgument,
                                    "sortBy must be one of workerFullName, extensionNumber, workerSid, updatedBy, updatedAt");
    }
    if (!name->empty()) query.sort_by = column_from_string(*name);
  }
  if (auto it = object.find("sortDir"); it != object.end() && !it->is_null()) {
    const std::string* dir = it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    if (!dir || (*dir != "asc" && *dir != "desc")) {
      return Result<Query>::failure(ErrorCode::InvalidArgument, "sortDir must be \"asc\" or \"desc\"");
    }
    query.sort_dir = *dir == "desc" ? SortDirection::Descending : SortDirection::Ascending;
  }
  if (auto it = object.find("numeric"); it != object.end() && !it->is_null()) {
    if (it->is_boolean()) query.numeric = it->get<bool>();
    else if (it->is_string() && (*it == "true" || *it == "false")) query.numeric = *it == "true";
    else return Result<Query>::failure(ErrorCode::InvalidArgument, "numeric must be true or false");
  }
  auto page = uint_option(object, "page", "a positive integer");
  if (!page.ok()) return page.error();
  if (page.value()) query.page = *page.value();
  auto size = uint_option(object, "pageSize", "a positive integer");
  if (!size.ok()) return size.error();
  if (size.value()) query.page_size = *size.value();
  if (Status s = check_query(query); !s.ok()) return s.error();
  return query;
}

Result<ValidationOptions> parse_validation_options(std::string_view text) {
  auto document = parse_document(text, "options");
  if (!document.ok()) return document.error();
  const json& object = document.value();
  ValidationOptions options;
  if (object.is_null()) return options;
  if (!object.is_object()) {
    return Result<ValidationOptions>::failure(ErrorCode::InvalidArgument,
                                              "options: expected a JSON object, got " + type_of(object));
  }
  struct Field {
    const char* name;
    std::uint32_t ValidationOptions::*member;
  };
  for (const Field& f : {Field{"minDigits", &ValidationOptions::min_digits}, Field{"maxDigits", &ValidationOptions::max_digits},
                         Field{"maxNameLength", &ValidationOptions::max_name_length}}) {
    auto v = uint_option(object, f.name, "a positive integer");
    if (!v.ok()) return v.error();
    if (v.value()) options.*(f.member) = *v.value();
  }
  if (Status s = check_validation_options(options); !s.ok()) return s.error();
  return options;
}

std::string to_json(const Page& page) {
  std::string out = "{\"items\":";
  write_rows(out, page.items, RowShape::Draft);
  out += ",\"total\":" + std::to_string(page.total) + ",\"page\":" + std::to_string(page.page) +
         ",\"pageSize\":" + std::to_string(page.page_size) + ",\"pageCount\":" + std::to_string(page.page_count) + "}";
  return out;
}

std::string to_json(const Diff& diff) {
  std::string out = "{\"added\":";
  write_rows(out, diff.added, RowShape::Draft);
  out += ",\"changed\":[";
  for (std::size_t i = 0; i < diff.changed.size(); ++i) {
    if (i) out += ',';
    out += "{\"before\":";
    write_row(out, diff.changed[i].before, RowShape::Draft);
    out += ",\"after\":";
    write_row(out, diff.changed[i].after, RowShape::Draft);
    out += '}';
  }
  out += "],\"removed\":";
  write_rows(out, diff.removed, RowShape::Draft);
  out += '}';
  return out;
}

std::string to_json(const Validation& validation) {
  std::string out = "{\"entry\":";
  write_row(out, validation.entry, RowShape::Draft);
  out += ",\"problems\":[";
  for (std::size_t i = 0; i < validation.problems.size(); ++i) {
    const Problem& p = validation.problems[i];
    if (i) out += ',';
    out += "{\"field\":";
    write_string(out, p.field);
    out += ",\"message\":";
    write_string(out, p.message);
    out += ",\"code\":";
    write_string(out, to_string(p.code));
    if (!p.conflicting_worker_sid.empty()) {
      out += ",\"conflictingWorkerSid\":";
      write_string(out, p.conflicting_worker_sid);
    }
    out += ",\"reason\":";
    write_string(out, p.reason.id);
    out += ",\"params\":{";
    for (std::size_t k = 0; k < p.reason.params.size(); ++k) {
      if (k) out += ',';
      write_string(out, p.reason.params[k].name);
      out += ':';
      write_string(out, p.reason.params[k].value);
    }
    out += "}}";
  }
  out += "]}";
  return out;
}

std::string to_json(const LookupTable& table) {
  std::string out = "[";
  for (std::size_t i = 0; i < table.entries().size(); ++i) {
    const LookupEntry& e = table.entries()[i];
    if (i) out += ',';
    out += "{\"extensionNumber\":";
    write_string(out, e.extension_number);
    out += ",\"workerSid\":";
    write_string(out, e.worker_sid);
    out += ",\"workerFullName\":";
    write_string(out, e.worker_full_name);
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace flexcore::agent_extensions
