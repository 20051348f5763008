// segment_csv.cpp — parse_segment_csv (segment_lookup.h): the RFC 4180 reader of Flex Insights raw exports.
// Its own translation unit, free of nlohmann and of throws, so the wasm tree can build it without exceptions
// and at -O2 (wasm/core/CMakeLists.txt; issue 4 P1: with -fexceptions every string append and Status went
// through a JS invoke_* trampoline).
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/segment_lookup.h"
#include "flexcore/sid.h"

namespace flexcore::segment_lookup {
namespace {

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Cursor over the CSV text that counts physical lines (CRLF, LF and lone CR each end one line).
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  bool at_end() const noexcept { return pos_ >= text_.size(); }

  // Reads one record. Only the first field's value is stored in `first` (trimmed); `blank` tells
  // whether the record was an empty line. Returns an error for malformed quoting.
  Status read_record(std::string& first, bool& blank) {
    first.clear();
    blank = true;
    for (int field = 0;; ++field) {
      bool end_of_record = false;
      std::string* sink = field == 0 ? &first : nullptr;
      Status status = read_field(sink, blank, end_of_record);
      if (!status.ok()) return status;
      if (end_of_record) break;
      blank = false;  // a delimiter was seen: not an empty line
    }
    if (!first.empty()) {
      const std::string_view trimmed = trim(first);
      if (trimmed.size() != first.size()) first = std::string(trimmed);
    }
    return ok_status();
  }

 private:
  // Consumes a line break at pos_ if there is one. Returns true if it did.
  bool consume_line_break() noexcept {
    if (pos_ >= text_.size()) return false;
    if (text_[pos_] == '\n') {
      ++pos_;
      ++line_;
      return true;
    }
    if (text_[pos_] == '\r') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return true;
    }
    return false;
  }

  Status read_field(std::string* sink, bool& blank, bool& end_of_record) {
    // Optional blanks before an opening quote.
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      blank = false;
      return read_quoted(sink, end_of_record);
    }
    pos_ = start;
    const std::size_t end = text_.find_first_of(",\r\n", pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    if (!trim(text_.substr(pos_, stop - pos_)).empty()) blank = false;  // whitespace-only lines are blank
    if (sink) sink->assign(text_.data() + pos_, stop - pos_);
    pos_ = stop;
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      return ok_status();
    }
    consume_line_break();
    end_of_record = true;
    return ok_status();
  }

  Status read_quoted(std::string* sink, bool& end_of_record) {
    const std::size_t opening_line = line_;
    ++pos_;  // opening quote
    for (;;) {
      const std::size_t next = text_.find_first_of("\"\r\n", pos_);
      if (next == std::string_view::npos) {
        return Status::failure(ErrorCode::InvalidArgument, "CSV: unterminated quoted field starting on line " +
                                                               std::to_string(opening_line));
      }
      if (sink) sink->append(text_.data() + pos_, next - pos_);
      pos_ = next;
      if (text_[pos_] != '"') {  // a line break inside the quotes: part of the value
        const std::size_t before = pos_;
        consume_line_break();
        if (sink) sink->append(text_.data() + before, pos_ - before);
        continue;
      }
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {  // escaped quote
        if (sink) sink->push_back('"');
        pos_ += 2;
        continue;
      }
      ++pos_;  // closing quote
      break;
    }
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ >= text_.size()) {
      end_of_record = true;
      return ok_status();
    }
    if (text_[pos_] == ',') {
      ++pos_;
      return ok_status();
    }
    if (consume_line_break()) {
      end_of_record = true;
      return ok_status();
    }
    return Status::failure(ErrorCode::InvalidArgument,
                           "CSV: unexpected character after the closing quote on line " + std::to_string(line_));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

Result<std::vector<std::string>> parse_segment_csv(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> ids;
  std::string first;
  bool blank = true;
  bool header_seen = false;
  while (!reader.at_end()) {
    Status status = reader.read_record(first, blank);
    if (!status.ok()) return status.error();
    if (blank) continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    if (!first.empty()) ids.push_back(std::move(first));
    first = std::string();
  }
  return ids;
}

}  // namespace flexcore::segment_lookup
