#include "json_tape.h"

#include <array>
#include <cstring>

#include "text.h"

namespace flexcore::detail::json_tape {
namespace {

enum : std::uint8_t { kPlain = 0, kQuote = 1, kBackslash = 2, kControl = 3, kHigh = 4 };

constexpr std::array<std::uint8_t, 256> make_string_classes() {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20) table[c] = kControl;
    else if (c == '"') table[c] = kQuote;
    else if (c == '\\') table[c] = kBackslash;
    else if (c >= 0x80) table[c] = kHigh;
    else table[c] = kPlain;
  }
  return table;
}
constexpr std::array<std::uint8_t, 256> kStringClass = make_string_classes();

constexpr bool is_ws(unsigned char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
constexpr bool is_digit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_hex(unsigned char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr unsigned hex_value(unsigned char c) noexcept {
  return is_digit(c) ? c - '0' : (c >= 'a' ? c - 'a' + 10 : c - 'A' + 10);
}

// Eight bytes at a time: true when none of them ends or interrupts a plain ASCII run
// ('"', '\\', a control byte < 0x20, or a byte >= 0x80).
inline bool all_plain(const unsigned char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  const std::uint64_t quote = x ^ (ones * '"');
  const std::uint64_t backslash = x ^ (ones * '\\');
  const std::uint64_t special = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
                                ((x - ones * 0x20) & ~x) | x;
  return (special & high) == 0;
}

// Length of the valid UTF-8 sequence starting at p[0] (>= 0x80), or 0 when invalid (RFC 3629 table 3-7).
inline std::size_t utf8_sequence(const unsigned char* p, std::size_t available) noexcept {
  const unsigned char c = p[0];
  auto cont = [&](std::size_t i, unsigned char lo, unsigned char hi) { return i < available && p[i] >= lo && p[i] <= hi; };
  if (c < 0xC2) return 0;
  if (c < 0xE0) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (c < 0xF0) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c < 0xF5) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

class Scanner {
 public:
  Scanner(std::string_view text, std::string_view what, std::vector<Token>& tokens)
      : p_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), what_(what), tokens_(tokens) {}

  Status run() {
    std::size_t pos = 0;
    if (n_ >= 3 && p_[0] == 0xEF && p_[1] == 0xBB && p_[2] == 0xBF) pos = 3;
    enum class State { Value, Key, After } state = State::Value;
    pos = skip_ws(pos);
    for (;;) {
      switch (state) {
        case State::Value: {
          if (pos >= n_) return error(pos, "unexpected end of input, expected a value");
          const unsigned char c = p_[pos];
          if (c == '{' || c == '[') {
            const bool object = c == '{';
            stack_.push_back(static_cast<std::uint32_t>(tokens_.size()));
            tokens_.push_back(Token{static_cast<std::uint32_t>(pos), 0, object ? Kind::Object : Kind::Array, false});
            pos = skip_ws(pos + 1);
            if (pos < n_ && p_[pos] == (object ? '}' : ']')) {
              close(pos);
              ++pos;
              state = State::After;
            } else {
              state = object ? State::Key : State::Value;
            }
            continue;
          }
          const bool ok = c == '"' ? string(pos) : (c == '-' || is_digit(c)) ? number(pos) : literal(pos);
          if (!ok) return failure();
          state = State::After;
          continue;
        }
        case State::Key: {
          if (pos >= n_ || p_[pos] != '"') return error(pos, "expected a string key");
          if (!string(pos)) return failure();
          pos = skip_ws(pos);
          if (pos >= n_ || p_[pos] != ':') return error(pos, "expected ':' after an object key");
          pos = skip_ws(pos + 1);
          state = State::Value;
          continue;
        }
        case State::After: {
          pos = skip_ws(pos);
          if (stack_.empty()) {
            if (pos != n_) return error(pos, "unexpected data after the JSON value");
            return ok_status();
          }
          const bool object = tokens_[stack_.back()].kind == Kind::Object;
          if (pos >= n_) return error(pos, object ? "unexpected end of input, expected ',' or '}'"
                                                  : "unexpected end of input, expected ',' or ']'");
          const unsigned char c = p_[pos];
          if (c == ',') {
            pos = skip_ws(pos + 1);
            state = object ? State::Key : State::Value;
          } else if (c == (object ? '}' : ']')) {
            close(pos);
            ++pos;
          } else {
            return error(pos, object ? "expected ',' or '}'" : "expected ',' or ']'");
          }
          continue;
        }
      }
    }
  }

 private:
  std::size_t skip_ws(std::size_t pos) const noexcept {
    while (pos < n_ && is_ws(p_[pos])) ++pos;
    return pos;
  }

  void close(std::size_t) {
    tokens_[stack_.back()].end = static_cast<std::uint32_t>(tokens_.size());
    stack_.pop_back();
  }

  // Errors are rare: the hot helpers return bool and leave the position and reason here (no Status per token).
  bool fail(std::size_t pos, const char* reason) noexcept {
    error_pos_ = pos;
    error_reason_ = reason;
    return false;
  }
  Status failure() const { return error(error_pos_, error_reason_); }

  Status error(std::size_t pos, std::string_view reason) const {
    std::string message(what_);
    message += ": invalid JSON at byte ";
    message += std::to_string(pos);
    message += ": ";
    message += reason;
    return Status::failure(ErrorCode::InvalidArgument, std::move(message));
  }

  // pos at the opening quote; on success pos is one past the closing quote.
  bool string(std::size_t& pos) {
    const std::size_t start = pos;
    bool escaped = false;
    ++pos;
    for (;;) {
      while (pos + 8 <= n_ && all_plain(p_ + pos)) pos += 8;
      while (pos < n_ && kStringClass[p_[pos]] == kPlain) ++pos;
      if (pos >= n_) return fail(start, "unterminated string");
      switch (kStringClass[p_[pos]]) {
        case kQuote:
          ++pos;
          tokens_.push_back(Token{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos), Kind::String, escaped});
          return true;
        case kBackslash: {
          escaped = true;
          if (pos + 1 >= n_) return fail(start, "unterminated string");
          const unsigned char e = p_[pos + 1];
          if (e == 'u') {
            for (std::size_t i = 2; i < 6; ++i) {
              if (pos + i >= n_ || !is_hex(p_[pos + i])) return fail(pos, "\\u must be followed by 4 hex digits");
            }
            pos += 6;
          } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
            pos += 2;
          } else {
            return fail(pos, "invalid escape sequence in a string");
          }
          break;
        }
        case kControl:
          return fail(pos, "control character in a string (it must be escaped)");
        default: {  // kHigh
          const std::size_t length = utf8_sequence(p_ + pos, n_ - pos);
          if (length == 0) return fail(pos, "invalid UTF-8 in a string");
          pos += length;
          break;
        }
      }
    }
  }

  bool number(std::size_t& pos) {
    const std::size_t start = pos;
    if (p_[pos] == '-') ++pos;
    if (pos >= n_ || !is_digit(p_[pos])) return fail(pos, "expected a digit");
    if (p_[pos] == '0') {
      ++pos;
      if (pos < n_ && is_digit(p_[pos])) return fail(start, "numbers must not have leading zeros");
    } else {
      while (pos < n_ && is_digit(p_[pos])) ++pos;
    }
    if (pos < n_ && p_[pos] == '.') {
      ++pos;
      if (pos >= n_ || !is_digit(p_[pos])) return fail(pos, "expected a digit after the decimal point");
      while (pos < n_ && is_digit(p_[pos])) ++pos;
    }
    if (pos < n_ && (p_[pos] == 'e' || p_[pos] == 'E')) {
      ++pos;
      if (pos < n_ && (p_[pos] == '+' || p_[pos] == '-')) ++pos;
      if (pos >= n_ || !is_digit(p_[pos])) return fail(pos, "expected a digit in the exponent");
      while (pos < n_ && is_digit(p_[pos])) ++pos;
    }
    tokens_.push_back(Token{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos), Kind::Number, false});
    return true;
  }

  bool literal(std::size_t& pos) {
    struct Word {
      std::string_view text;
      Kind kind;
    };
    for (const Word& w : {Word{"true", Kind::True}, Word{"false", Kind::False}, Word{"null", Kind::Null}}) {
      if (n_ - pos >= w.text.size() && std::memcmp(p_ + pos, w.text.data(), w.text.size()) == 0) {
        tokens_.push_back(Token{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + w.text.size()), w.kind, false});
        pos += w.text.size();
        return true;
      }
    }
    return fail(pos, "expected a value (object, array, string, number, true, false or null)");
  }

  const unsigned char* p_;
  std::size_t n_;
  std::string_view what_;
  std::vector<Token>& tokens_;
  std::vector<std::uint32_t> stack_;
  std::size_t error_pos_ = 0;
  const char* error_reason_ = "";
};

}  // namespace

Result<Tape> scan(std::string_view text, std::string_view what) {
  if (text.size() >= 0xFFFFFFFFu) {
    return Result<Tape>::failure(ErrorCode::PayloadTooLarge, std::string(what) + ": JSON text of 4 GiB or more");
  }
  Tape tape;
  tape.text = text;
  tape.tokens.reserve(text.size() / 8 + 4);
  Status status = Scanner(text, what, tape.tokens).run();
  if (!status.ok()) return status.error();
  return tape;
}

void decode_string(const Tape& tape, std::uint32_t index, std::string& out) {
  const std::string_view raw = tape.raw_string(index);
  if (!tape.tokens[index].escaped) {
    out.append(raw);
    return;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t n = raw.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t run = i;
    while (run < n && p[run] != '\\') ++run;
    out.append(raw.data() + i, run - i);
    i = run;
    if (i >= n) break;
    const unsigned char e = p[i + 1];  // validated by scan(): an escape is complete
    i += 2;
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        std::uint32_t unit = (hex_value(p[i]) << 12) | (hex_value(p[i + 1]) << 8) | (hex_value(p[i + 2]) << 4) | hex_value(p[i + 3]);
        i += 4;
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 6 <= n && p[i] == '\\' && p[i + 1] == 'u') {
          const std::uint32_t low = (hex_value(p[i + 2]) << 12) | (hex_value(p[i + 3]) << 8) |
                                    (hex_value(p[i + 4]) << 4) | hex_value(p[i + 5]);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        text::append_utf8(out, unit);
        break;
      }
      default: out.push_back(static_cast<char>(e)); break;  // " \ /
    }
  }
}

std::string_view string_value(const Tape& tape, std::uint32_t index, std::string& scratch) {
  if (!tape.tokens[index].escaped) return tape.raw_string(index);
  scratch.clear();
  decode_string(tape, index, scratch);
  return scratch;
}

}  // namespace flexcore::detail::json_tape
