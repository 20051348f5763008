#include "flexcore/customer_context.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>

#include "json_tape.h"
#include "text.h"

namespace flexcore::customer_context {
namespace {

namespace jt = flexcore::detail::json_tape;
namespace tx = flexcore::detail::text;
using jt::Kind;
using jt::Tape;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026 "…"

std::string_view kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::Object: return "object";
    case Kind::Array: return "array";
    case Kind::String: return "string";
    case Kind::Number: return "number";
    case Kind::True:
    case Kind::False: return "boolean";
    case Kind::Null: return "null";
  }
  return "null";
}

ValueKind value_kind(Kind kind) noexcept {
  switch (kind) {
    case Kind::Object: return ValueKind::Object;
    case Kind::Array: return ValueKind::Array;
    case Kind::String: return ValueKind::String;
    case Kind::Number: return ValueKind::Number;
    case Kind::True:
    case Kind::False: return ValueKind::Boolean;
    case Kind::Null: return ValueKind::Null;
  }
  return ValueKind::Null;
}

bool is_blank(std::string_view text) noexcept {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A growable byte buffer for the hot writers. libc++ declares basic_string<char> an extern template, so
// under emscripten each std::string append/push_back is an out-of-line library call; this inlines, and unlike
// vector<char>::resize it does not zero the bytes it is about to overwrite.
class Buffer {
 public:
  void append(const char* p, std::size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push(char c) {
    if (size_ == capacity_) grow(size_ + 1);
    data_[size_++] = c;
  }
  void fill(std::size_t n, char c) {
    if (size_ + n > capacity_) grow(size_ + n);
    std::memset(data_.get() + size_, c, n);
    size_ += n;
  }
  void clear() noexcept { size_ = 0; }
  std::size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return std::string_view(data_.get(), size_); }

 private:
  void grow(std::size_t need) {
    const std::size_t capacity = std::max(need, capacity_ * 2 + 256);
    std::unique_ptr<char[]> next(new char[capacity]);
    if (size_ > 0) std::memcpy(next.get(), data_.get(), size_);
    data_ = std::move(next);
    capacity_ = capacity;
  }
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// ---------------------------------------------------------------------------------------------------
// Numbers: JavaScript's Number::toString (ECMA-262 6.1.6.1.20) of the double JSON.parse produces.

// Formats decimal digits `d` (no leading/trailing zeros, non-empty) with value 0.d × 10^n.
void format_js(Buffer& out, bool negative, std::string_view d, long long n) {
  const long long k = static_cast<long long>(d.size());
  if (negative) out.push('-');
  if (k <= n && n <= 21) {
    out.append(d);
    out.fill(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(d.substr(0, static_cast<std::size_t>(n)));
    out.push('.');
    out.append(d.substr(static_cast<std::size_t>(n)));
  } else if (-6 < n && n <= 0) {
    out.append("0.", 2);
    out.fill(static_cast<std::size_t>(-n), '0');
    out.append(d);
  } else {
    const long long e = n - 1;
    out.push(d[0]);
    if (k > 1) {
      out.push('.');
      out.append(d.substr(1));
    }
    out.push('e');
    out.push(e < 0 ? '-' : '+');
    char exponent[24];
    const int length = std::snprintf(exponent, sizeof exponent, "%lld", e < 0 ? -e : e);
    out.append(exponent, static_cast<std::size_t>(length));
  }
}

// strtod over "<digits>e<exp>": no decimal point, so the C library's locale cannot change the reading.
double parse_digits(std::string_view digits, long long exponent) {
  std::string text(digits);
  text.push_back('e');
  text.append(std::to_string(exponent));
  return std::strtod(text.c_str(), nullptr);
}

void format_number(Buffer& out, std::string_view literal) {
  const bool negative = !literal.empty() && literal[0] == '-';
  // Significant digits (leading zeros skipped): the first 20 kept in `head`, `count` in all, `last` = count
  // up to the last non-zero digit (trailing zeros do not change the value's digits).
  char head[20];
  std::size_t count = 0, last = 0;
  long long point = 0;
  std::size_t i = negative ? 1 : 0;
  auto digit = [&](char c) {
    if (count < sizeof head) head[count] = c;
    ++count;
    if (c != '0') last = count;
  };
  for (; i < literal.size() && literal[i] >= '0' && literal[i] <= '9'; ++i) {
    if (literal[i] != '0' || count > 0) {
      digit(literal[i]);
      ++point;
    }
  }
  if (i < literal.size() && literal[i] == '.') {
    for (++i; i < literal.size() && literal[i] >= '0' && literal[i] <= '9'; ++i) {
      if (literal[i] != '0' || count > 0) digit(literal[i]);
      else --point;  // a leading zero after the point: 0.0d → 0.d × 10^-1
    }
  }
  long long exponent = 0;
  if (i < literal.size() && (literal[i] == 'e' || literal[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < literal.size() && (literal[i] == '+' || literal[i] == '-')) exp_negative = literal[i++] == '-';
    for (; i < literal.size(); ++i) {
      if (exponent < 1000000000LL) exponent = exponent * 10 + (literal[i] - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  if (last == 0) {  // zero, including -0 (JSON.stringify(-0) === "0")
    out.push('0');
    return;
  }
  const long long n = point + exponent;
  if (last <= 15 && n >= -306 && n <= 308) {
    // At most 15 significant digits in the normal range: distinct decimals of <= 15 digits map to distinct
    // doubles (DBL_DIG), so these digits are the shortest round-trip digits JavaScript prints.
    format_js(out, negative, std::string_view(head, last), n);
    return;
  }
  // Rare: re-read every significant digit.
  std::string digits;
  digits.reserve(count);
  for (char c : literal.substr(negative ? 1 : 0)) {
    if (c == 'e' || c == 'E') break;
    if (c >= '0' && c <= '9' && (c != '0' || !digits.empty())) digits.push_back(c);
  }
  digits.resize(last);
  const double x = parse_digits(digits, n - static_cast<long long>(digits.size()));
  if (std::isinf(x)) {  // JSON.stringify(Infinity) === "null"
    out.append("null", 4);
    return;
  }
  if (x == 0) {
    out.push('0');
    return;
  }
  // Shortest digits that read back as x; %.*e rounds correctly, so it is also the closest such string.
  char buffer[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*e", precision - 1, x);
    std::string candidate;
    const char* p = buffer;
    for (; *p && *p != 'e'; ++p) {
      if (*p >= '0' && *p <= '9') candidate.push_back(*p);
    }
    const long long e10 = *p == 'e' ? std::strtoll(p + 1, nullptr, 10) : 0;
    if (parse_digits(candidate, e10 - (precision - 1)) == x || precision == 17) {
      while (candidate.size() > 1 && candidate.back() == '0') candidate.pop_back();
      format_js(out, negative, candidate, e10 + 1);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// JSON.stringify string escaping of decoded (generalised UTF-8) text.

void append_json_escaped(Buffer& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push('"');
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size()) {
      const auto c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c == '"' || c == '\\' || (c == 0xED && run + 1 < s.size() && static_cast<unsigned char>(s[run + 1]) >= 0xA0)) break;
      ++run;
    }
    out.append(s.data() + i, run - i);
    i = run;
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out.append("\\\"", 2); ++i; break;
      case '\\': out.append("\\\\"); ++i; break;
      case '\b': out.append("\\b"); ++i; break;
      case '\f': out.append("\\f"); ++i; break;
      case '\n': out.append("\\n"); ++i; break;
      case '\r': out.append("\\r"); ++i; break;
      case '\t': out.append("\\t"); ++i; break;
      case 0xED: {  // lone surrogate kept by the decoder: JSON.stringify writes \udXXX
        const std::uint32_t unit = 0xD000u | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                                   (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) out.push(kHex[(unit >> shift) & 0xF]);
        i += 3;
        break;
      }
      default:
        out.append("\\u00");
        out.push(kHex[c >> 4]);
        out.push(kHex[c & 0xF]);
        ++i;
        break;
    }
  }
  out.push('"');
}

// ---------------------------------------------------------------------------------------------------
// Object members in JavaScript order.

struct Member {
  std::string_view key;  // decoded
  std::uint32_t value;   // tape index
};

// "0" … "4294967294" without leading zeros: a canonical array index (ECMA-262 6.1.7), ordered first.
bool array_index(std::string_view key, std::uint64_t& value) noexcept {
  if (key.empty() || key.size() > 10) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  std::uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 4294967294ULL) return false;
  value = v;
  return true;
}

// FNV-1a: a cheap hash for object keys (duplicate detection only).
std::uint32_t key_hash(std::string_view key) noexcept {
  std::uint32_t h = 2166136261u;
  for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

class Reader {
 public:
  // One member list per container level (0 = the object whose rows are listed; a context value is level 1),
  // reused across calls: a list stays valid while its container's members are being visited.
  static constexpr std::size_t kLevels = 66;

  Reader(const Tape& tape, const DisplayOptions& options) : tape_(tape), options_(options), pool_(kLevels) {}

  // Members of the object at `index` (a container of level `level`), in Object.keys order, duplicates
  // resolved like JSON.parse. The reference stays valid until members() is called again for that level.
  const std::vector<Member>& members(std::uint32_t index, std::uint32_t level) {
    std::vector<Member>& out = pool_[level < kLevels ? level : kLevels - 1];
    out.clear();
    const std::uint32_t end = tape_.tokens[index].end;
    bool has_index_key = false;
    for (std::uint32_t i = index + 1; i < end; i = tape_.next(i + 1)) {
      std::string_view key;
      if (tape_.tokens[i].escaped) {
        arena_.emplace_back();
        jt::decode_string(tape_, i, arena_.back());
        key = arena_.back();
      } else {
        key = tape_.raw_string(i);
      }
      if (!has_index_key && !key.empty() && key[0] >= '0' && key[0] <= '9') {
        std::uint64_t ignored = 0;
        has_index_key = array_index(key, ignored);
      }
      out.push_back(Member{key, i + 1});
    }
    resolve_duplicates(out);
    if (has_index_key) order_index_keys(out);
    return out;
  }

  const Tape& tape() const { return tape_; }
  const DisplayOptions& options() const { return options_; }

 private:
  // JSON.parse: a repeated key keeps the position of its first occurrence and the value of its last.
  void resolve_duplicates(std::vector<Member>& members) {
    const std::size_t n = members.size();
    if (n < 2) return;
    if (n <= 16) {
      bool duplicates = false;
      for (std::size_t a = 1; a < n && !duplicates; ++a) {
        for (std::size_t b = 0; b < a && !duplicates; ++b) duplicates = members[a].key == members[b].key;
      }
      if (!duplicates) return;
    }
    // Open addressing over member positions (no allocation per key).
    std::size_t capacity = 32;
    while (capacity < n * 2) capacity *= 2;
    slots_.assign(capacity, 0);  // 0 = empty, else position + 1 in `kept`
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Member m = members[i];
      std::size_t slot = key_hash(m.key) & (capacity - 1);
      for (;;) {
        const std::uint32_t at = slots_[slot];
        if (at == 0) {
          slots_[slot] = static_cast<std::uint32_t>(kept + 1);
          members[kept++] = m;
          break;
        }
        if (members[at - 1].key == m.key) {
          members[at - 1].value = m.value;
          break;
        }
        slot = (slot + 1) & (capacity - 1);
      }
    }
    members.resize(kept);
  }

  // Canonical array-index keys first, ascending; the other keys keep their order.
  static void order_index_keys(std::vector<Member>& members) {
    std::vector<std::pair<std::uint64_t, Member>> indexed;
    std::vector<Member> named;
    for (const Member& m : members) {
      std::uint64_t v = 0;
      if (array_index(m.key, v)) indexed.emplace_back(v, m);
      else named.push_back(m);
    }
    std::sort(indexed.begin(), indexed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    members.clear();
    for (const auto& entry : indexed) members.push_back(entry.second);
    members.insert(members.end(), named.begin(), named.end());
  }

  const Tape& tape_;
  const DisplayOptions& options_;
  std::vector<std::vector<Member>> pool_;
  std::vector<std::uint32_t> slots_;
  std::deque<std::string> arena_;
};

// ---------------------------------------------------------------------------------------------------
// Display text writer: counts code points, stops at a limit, remembers whether anything was cut.

class Text {
 public:
  Text(Buffer& out, std::size_t limit) : out_(out), limit_(limit) {}

  bool full() const noexcept { return full_; }
  bool cut() const noexcept { return full_ || depth_cut_; }
  void mark_depth_cut() noexcept { depth_cut_ = true; }

  void put(std::string_view s) {
    if (full_) return;
    const std::size_t n = tx::code_points(s);
    if (count_ + n <= limit_) {
      out_.append(s);
      count_ += n;
      return;
    }
    const std::size_t keep = tx::prefix_bytes(s, limit_ - count_);
    out_.append(s.data(), keep);
    count_ = limit_;
    full_ = true;
  }

  // Ends the text: the ellipsis when it was cut by the length limit.
  void finish() {
    if (full_) out_.append(kEllipsis);
  }

 private:
  Buffer& out_;
  std::size_t limit_;
  std::size_t count_ = 0;
  bool full_ = false;
  bool depth_cut_ = false;
};

// Compact JSON of the value at `index`, as JSON.stringify(JSON.parse(...)) writes it, with containers
// deeper than max_depth collapsed to {…} / […]. `level` is the level of this value (1 for a row value).
void write_json(Reader& reader, std::uint32_t index, std::uint32_t level, Text& text, Buffer& scratch) {
  const Tape& tape = reader.tape();
  const jt::Token& token = tape.tokens[index];
  switch (token.kind) {
    case Kind::String:
      if (!token.escaped) {
        text.put(tape.text.substr(token.begin, token.end - token.begin));
      } else {
        std::string decoded;
        jt::decode_string(tape, index, decoded);
        scratch.clear();
        append_json_escaped(scratch, decoded);
        text.put(scratch.view());
      }
      return;
    case Kind::Number:
      scratch.clear();
      format_number(scratch, tape.literal(index));
      text.put(scratch.view());
      return;
    case Kind::True: text.put("true"); return;
    case Kind::False: text.put("false"); return;
    case Kind::Null: text.put("null"); return;
    case Kind::Object:
    case Kind::Array: break;
  }
  const bool object = token.kind == Kind::Object;
  if (token.end == index + 1) {
    text.put(object ? "{}" : "[]");
    return;
  }
  if (level > reader.options().max_depth) {
    text.put(object ? "{\xE2\x80\xA6}" : "[\xE2\x80\xA6]");
    text.mark_depth_cut();
    return;
  }
  if (object) {
    text.put("{");
    bool first = true;
    for (const Member& m : reader.members(index, level)) {
      if (text.full()) return;
      if (!first) text.put(",");
      first = false;
      scratch.clear();
      append_json_escaped(scratch, m.key);
      text.put(scratch.view());
      text.put(":");
      write_json(reader, m.value, level + 1, text, scratch);
    }
    text.put("}");
  } else {
    text.put("[");
    for (std::uint32_t i = index + 1; i < token.end; i = tape.next(i)) {
      if (text.full()) return;
      if (i != index + 1) text.put(",");
      write_json(reader, i, level + 1, text, scratch);
    }
    text.put("]");
  }
}

// Display text of arbitrary decoded text, cut to `limit` code points; returns whether it was cut.
bool display_into(std::string& out, std::string_view s, std::size_t limit) {
  const bool clean = tx::is_display_clean(s);
  std::string cleaned;
  if (!clean) {
    tx::append_display(cleaned, s);
    s = cleaned;
  }
  if (s.size() <= limit || tx::code_points(s) <= limit) {
    out.append(s);
    return false;
  }
  out.append(s.substr(0, tx::prefix_bytes(s, limit)));
  out.append(kEllipsis);
  return true;
}

class RowBuilder {
 public:
  RowBuilder(Reader& reader, std::vector<Row>& rows) : reader_(reader), rows_(rows) {}

  // Rows of the members of the object at `index`; `level` is the level of those members (1 for context's).
  void object_rows(std::uint32_t index, std::string_view prefix, std::uint32_t level) {
    const DisplayOptions& options = reader_.options();
    std::string path;
    for (const Member& m : reader_.members(index, level - 1)) {
      std::string_view key = m.key;
      if (!prefix.empty()) {
        path.assign(prefix);
        path.push_back('.');
        path.append(m.key);
        key = path;
      }
      const jt::Token& value = reader_.tape().tokens[m.value];
      if (options.flatten && value.kind == Kind::Object && value.end != m.value + 1 && level <= options.max_depth) {
        object_rows(m.value, std::string(key), level + 1);
        continue;
      }
      if (rows_.size() >= options.max_rows) {
        ++omitted_;
        continue;
      }
      rows_.push_back(row(key, m.value, level));
    }
  }

  void finish() {
    if (omitted_ == 0) return;
    Row marker;
    marker.key = std::string(kEllipsis);
    marker.value = std::to_string(omitted_) + " more not shown";
    marker.kind = ValueKind::Omitted;
    marker.truncated = true;
    rows_.push_back(std::move(marker));
  }

 private:
  Row row(std::string_view key, std::uint32_t index, std::uint32_t level) {
    const DisplayOptions& options = reader_.options();
    const Tape& tape = reader_.tape();
    const jt::Token& token = tape.tokens[index];
    Row row;
    row.kind = value_kind(token.kind);
    row.truncated = display_into(row.key, key, options.max_key_length);
    switch (token.kind) {
      case Kind::String: {
        const std::string_view value = jt::string_value(tape, index, decoded_);
        row.truncated = display_into(row.value, value, options.max_value_length) || row.truncated;
        break;
      }
      case Kind::Null: break;
      case Kind::Number:
        value_.clear();
        format_number(value_, tape.literal(index));
        row.value.assign(value_.view().data(), value_.size());
        break;
      case Kind::True: row.value = "true"; break;
      case Kind::False: row.value = "false"; break;
      case Kind::Object:
      case Kind::Array: {
        value_.clear();
        Text text(value_, options.max_value_length);
        write_json(reader_, index, level, text, scratch_);
        text.finish();
        row.value.assign(value_.view().data(), value_.size());
        row.truncated = text.cut() || row.truncated;
        break;
      }
    }
    return row;
  }

  Reader& reader_;
  std::vector<Row>& rows_;
  std::size_t omitted_ = 0;
  std::string decoded_;
  Buffer value_, scratch_;
};

// The value of the last member named `name` of the object at `index`, or 0 (the root is never a member).
std::uint32_t find_member(const Tape& tape, std::uint32_t index, std::string_view name) {
  std::uint32_t found = 0;
  std::string scratch;
  const std::uint32_t end = tape.tokens[index].end;
  for (std::uint32_t i = index + 1; i < end; i = tape.next(i + 1)) {
    if (jt::string_value(tape, i, scratch) == name) found = i + 1;
  }
  return found;
}

Result<std::vector<Row>> rows_of_object(const Tape& tape, std::uint32_t index, const DisplayOptions& options) {
  std::vector<Row> rows;
  Reader reader(tape, options);
  RowBuilder builder(reader, rows);
  builder.object_rows(index, std::string_view(), 1);
  builder.finish();
  return rows;
}

Error wrong_type(std::string_view what, std::string_view expected, Kind got) {
  return Error{ErrorCode::InvalidArgument,
               std::string(what) + ": expected " + std::string(expected) + ", got " + std::string(kind_name(got))};
}

// ---------------------------------------------------------------------------------------------------
// Timestamps.

constexpr bool is_leap(long long y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(long long y, int m) noexcept {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr long long days_from_civil(long long y, int m, int d) noexcept {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  long long year;
  int month, day;
};

constexpr Civil civil_from_days(long long z) noexcept {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{yoe + era * 400 + (m <= 2), m, d};
}

bool digits_at(std::string_view s, std::size_t pos, std::size_t count, int& value) noexcept {
  if (pos + count > s.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

void append_two(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

// ---------------------------------------------------------------------------------------------------
// Identifiers.

constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

Status check_identifier_text(std::string_view identifier) {
  if (identifier.size() > 1024) {
    return Status::failure(ErrorCode::InvalidArgument, "identifier must be at most 1024 bytes");
  }
  if (!tx::is_valid_utf8(identifier)) return Status::failure(ErrorCode::InvalidArgument, "identifier must be valid UTF-8");
  for (char c : identifier) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !is_ascii_space(c)) || u == 0x7F) {
      return Status::failure(ErrorCode::InvalidArgument, "identifier must not contain control characters");
    }
  }
  return ok_status();
}

}  // namespace

std::string_view to_string(ValueKind kind) noexcept {
  switch (kind) {
    case ValueKind::String: return "string";
    case ValueKind::Number: return "number";
    case ValueKind::Boolean: return "boolean";
    case ValueKind::Null: return "null";
    case ValueKind::Object: return "object";
    case ValueKind::Array: return "array";
    case ValueKind::Omitted: return "omitted";
  }
  return "null";
}

Status check_options(const DisplayOptions& options) {
  auto range = [](std::string_view name, std::uint32_t value, std::uint32_t lo, std::uint32_t hi) -> Status {
    if (value >= lo && value <= hi) return ok_status();
    return Status::failure(ErrorCode::InvalidArgument, std::string(name) + " must be between " + std::to_string(lo) +
                                                           " and " + std::to_string(hi) + ", got " + std::to_string(value));
  };
  for (const Status& s : {range("maxDepth", options.max_depth, 1, 64),
                          range("maxKeyLength", options.max_key_length, 1, 1000000),
                          range("maxValueLength", options.max_value_length, 1, 100000000),
                          range("maxRows", options.max_rows, 1, 10000000)}) {
    if (!s.ok()) return s;
  }
  return ok_status();
}

Result<std::vector<Row>> context_rows(std::string_view attributes_json, const DisplayOptions& options) {
  if (Status s = check_options(options); !s.ok()) return s.error();
  if (is_blank(attributes_json)) return std::vector<Row>();
  auto scanned = jt::scan(attributes_json, "attributes");
  if (!scanned.ok()) return scanned.error();
  const Tape& tape = scanned.value();
  if (tape.tokens[0].kind != Kind::Object) return wrong_type("attributes", "a JSON object", tape.tokens[0].kind);
  const std::uint32_t context = find_member(tape, 0, "context");
  if (context == 0 || tape.tokens[context].kind != Kind::Object) return std::vector<Row>();
  return rows_of_object(tape, context, options);
}

Result<std::vector<Row>> trait_rows(std::string_view traits_json, const DisplayOptions& options) {
  if (Status s = check_options(options); !s.ok()) return s.error();
  if (is_blank(traits_json)) return std::vector<Row>();
  auto scanned = jt::scan(traits_json, "traits");
  if (!scanned.ok()) return scanned.error();
  const Tape& tape = scanned.value();
  if (tape.tokens[0].kind == Kind::Null) return std::vector<Row>();
  if (tape.tokens[0].kind != Kind::Object) return wrong_type("traits", "a JSON object", tape.tokens[0].kind);
  return rows_of_object(tape, 0, options);
}

Result<std::vector<EventRow>> event_rows(std::string_view events_json, const DisplayOptions& options) {
  if (Status s = check_options(options); !s.ok()) return s.error();
  std::vector<EventRow> events;
  if (is_blank(events_json)) return events;
  auto scanned = jt::scan(events_json, "events");
  if (!scanned.ok()) return scanned.error();
  const Tape& tape = scanned.value();
  if (tape.tokens[0].kind == Kind::Null) return events;
  if (tape.tokens[0].kind != Kind::Array) return wrong_type("events", "a JSON array", tape.tokens[0].kind);

  struct Keyed {
    std::optional<Instant> at;
    std::size_t position;
  };
  std::vector<Keyed> keys;
  std::string scratch;
  std::size_t position = 0;
  for (std::uint32_t i = 1; i < tape.tokens[0].end; i = tape.next(i), ++position) {
    if (tape.tokens[i].kind != Kind::Object) {
      return wrong_type("events[" + std::to_string(position) + "]", "an object", tape.tokens[i].kind);
    }
    auto string_member = [&](std::string_view name) -> std::optional<std::string> {
      const std::uint32_t v = find_member(tape, i, name);
      if (v == 0 || tape.tokens[v].kind != Kind::String) return std::nullopt;
      return std::string(jt::string_value(tape, v, scratch));
    };
    EventRow event;
    const std::optional<std::string> type = string_member("type");
    const std::optional<std::string> name = string_member("event");
    const std::optional<std::string> timestamp = string_member("timestamp");
    std::string_view shown;
    if (name && (!type || *type == "track")) shown = *name;
    else if (type) shown = *type;
    display_into(event.name, shown, options.max_key_length);
    if (type) display_into(event.type, *type, options.max_key_length);
    std::optional<Instant> at;
    if (timestamp) {
      display_into(event.timestamp, *timestamp, options.max_value_length);
      at = parse_timestamp(*timestamp);
      if (at) event.display_time = display_timestamp(*timestamp).value_or(std::string());
    }
    const std::uint32_t properties = find_member(tape, i, "properties");
    if (properties != 0 && tape.tokens[properties].kind == Kind::Object) {
      auto rows = rows_of_object(tape, properties, options);
      if (!rows.ok()) return rows.error();
      event.properties = std::move(rows).value();
    }
    keys.push_back(Keyed{at, events.size()});
    events.push_back(std::move(event));
  }
  // Newest first; stable for equal instants; events without a timestamp last, in input order.
  std::stable_sort(keys.begin(), keys.end(), [](const Keyed& a, const Keyed& b) {
    if (a.at && b.at) return *b.at < *a.at;
    return a.at.has_value() && !b.at.has_value();
  });
  std::vector<EventRow> sorted;
  sorted.reserve(events.size());
  for (const Keyed& k : keys) sorted.push_back(std::move(events[k.position]));
  return sorted;
}

std::optional<Instant> parse_timestamp(std::string_view s) noexcept {
  int year = 0, month = 0, day = 0;
  if (!digits_at(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits_at(s, 5, 2, month) || s[7] != '-' ||
      !digits_at(s, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  const long long days = days_from_civil(year, month, day);
  if (s.size() == 10) return Instant{days * 86400, 0};
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (!digits_at(s, 11, 2, hour) || s.size() < 19 || s[13] != ':' || !digits_at(s, 14, 2, minute) || s[16] != ':' ||
      !digits_at(s, 17, 2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::size_t pos = 19;
  std::int32_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t count = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (count < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++count;
      ++pos;
    }
    if (count == 0) return std::nullopt;
    for (std::size_t k = count; k < 9; ++k) nanos *= 10;
  }
  if (pos >= s.size()) return std::nullopt;
  long long offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!digits_at(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits_at(s, pos + 4, 2, om)) {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600LL + om * 60LL);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return Instant{days * 86400 + hour * 3600LL + minute * 60LL + second - offset, nanos};
}

std::optional<std::string> display_timestamp(std::string_view text) {
  const std::optional<Instant> at = parse_timestamp(text);
  if (!at) return std::nullopt;
  long long days = at->seconds / 86400;
  long long rest = at->seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const Civil date = civil_from_days(days);
  std::string out;
  if (date.year < 0 || date.year > 9999) return std::nullopt;  // an offset moved it out of four digits
  const int y = static_cast<int>(date.year);
  out.push_back(static_cast<char>('0' + y / 1000));
  out.push_back(static_cast<char>('0' + y / 100 % 10));
  append_two(out, y % 100);
  out.push_back('-');
  append_two(out, date.month);
  out.push_back('-');
  append_two(out, date.day);
  out.push_back(' ');
  append_two(out, static_cast<int>(rest / 3600));
  out.push_back(':');
  append_two(out, static_cast<int>(rest / 60 % 60));
  out.push_back(':');
  append_two(out, static_cast<int>(rest % 60));
  out.append(" UTC");
  return out;
}

Status check_id_type(std::string_view id_type) {
  bool ok = !id_type.empty() && id_type.size() <= 64;
  for (char c : id_type) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.');
  }
  if (ok) return ok_status();
  return Status::failure(ErrorCode::InvalidArgument, "idType must be 1-64 characters from A-Z, a-z, 0-9, '_' and '.'");
}

Result<std::string> normalize_profile_identifier(std::string_view id_type, std::string_view identifier) {
  if (Status s = check_id_type(id_type); !s.ok()) return s.error();
  if (Status s = check_identifier_text(identifier); !s.ok()) return s.error();
  std::string out;
  if (id_type == "phone") {
    std::size_t first = 0;
    while (first < identifier.size() && is_ascii_space(identifier[first])) ++first;
    const bool lost_plus = first == 1 && identifier[0] == ' ' && identifier.size() > 1 && identifier[1] >= '0' &&
                           identifier[1] <= '9';
    for (char c : identifier) {
      if (c != '-' && !is_ascii_space(c)) out.push_back(c);
    }
    if (lost_plus && out.size() >= 8 && out.size() <= 15 &&
        std::all_of(out.begin(), out.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      out.insert(out.begin(), '+');
    }
  } else {
    std::size_t begin = 0, end = identifier.size();
    while (begin < end && is_ascii_space(identifier[begin])) ++begin;
    while (end > begin && is_ascii_space(identifier[end - 1])) --end;
    out.assign(identifier.substr(begin, end - begin));
  }
  if (out.empty()) return Result<std::string>::failure(ErrorCode::InvalidArgument, "identifier is required");
  return out;
}

std::string encode_uri_component(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' || c == ')';
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

Result<std::string> profile_path(std::string_view space_id, std::string_view id_type, std::string_view identifier) {
  bool space_ok = !space_id.empty() && space_id.size() <= 128;
  for (char c : space_id) {
    space_ok = space_ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  if (!space_ok) {
    return Result<std::string>::failure(ErrorCode::InvalidArgument,
                                        "spaceId must be 1-128 characters from A-Z, a-z, 0-9, '_' and '-'");
  }
  auto normalized = normalize_profile_identifier(id_type, identifier);
  if (!normalized.ok()) return normalized.error();
  std::string path = "/v1/spaces/";
  path.append(space_id);
  path.append("/collections/users/profiles/");
  path.append(id_type);
  path.push_back(':');
  path.append(encode_uri_component(normalized.value()));
  return path;
}

}  // namespace flexcore::customer_context
