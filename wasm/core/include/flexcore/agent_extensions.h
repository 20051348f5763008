#pragma once
/// @file agent_extensions.h
/// Agent extensions (seed: mvrzan/flex-agent-did-extensions, seed-behaviour.md section 3): supervisors keep
/// a draft set of agent extensions, publish it, and Studio routes a caller who dials an extension to that
/// agent's Worker SID. The pure parts: validation of one row (3.5 CORRECT), the table query (filter, sort,
/// page) used by the plugin in WASM and by the server's list route natively, the draft ↔ published diff
/// that replaces the seed's JSON string comparison, and the extension → worker lookup table.
///
/// Rows (3.2): the Sync item `{workerFullName, extensionNumber, workerSid}` (item key = workerSid, so at most
/// one extension per worker); published rows also carry `mapKey` (= workerSid) in the seed's asset; draft
/// rows carry `updatedBy` / `updatedAt`. JSON adapters at the end of this header read and write those shapes.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flexcore/reason.h"
#include "flexcore/result.h"

namespace flexcore::agent_extensions {

/// One agent extension row.
struct Extension {
  std::string worker_sid;        ///< `workerSid`: the Worker SID, "WK" + 32 hex digits (the Sync item key)
  std::string worker_full_name;  ///< `workerFullName`: the worker's `full_name` attribute
  std::string extension_number;  ///< `extensionNumber`: DTMF digits as a string, leading zeros kept
  std::string updated_by;        ///< `updatedBy`: identity of the last writer (draft rows), or empty
  std::string updated_at;        ///< `updatedAt`: ISO-8601 UTC time of the last write (draft rows), or empty
  bool operator==(const Extension& o) const {
    return worker_sid == o.worker_sid && worker_full_name == o.worker_full_name &&
           extension_number == o.extension_number && updated_by == o.updated_by && updated_at == o.updated_at;
  }
};

// ---------------------------------------------------------------------------------------------------
// Validation

/// Bounds of validate_extension.
struct ValidationOptions {
  std::uint32_t min_digits = 1;         ///< fewest digits in an extension number (1–32)
  std::uint32_t max_digits = 10;        ///< most digits in an extension number (min_digits–32)
  std::uint32_t max_name_length = 256;  ///< longest workerFullName, in Unicode code points (1–10,000)
};

/// Checks the ranges of ValidationOptions. InvalidArgument names the option ("maxDigits must be …").
Status check_validation_options(const ValidationOptions& options);

/// One problem with a row: the field (wire name), a message for the supervisor, and the error code the
/// server answers with (InvalidArgument → 400; AlreadyExists → 409 for a duplicate extension).
struct Problem {
  std::string field;    ///< "workerFullName" | "extensionNumber" | "workerSid"
  std::string message;  ///< e.g. "extensionNumber must contain only the digits 0-9 (found '-')"
  ErrorCode code = ErrorCode::InvalidArgument;
  std::string conflicting_worker_sid;  ///< for AlreadyExists: the worker that has the number
  /// What is wrong, machine-readable (flexcore/reason.h): `required`, `too_long`, `invalid_utf8`,
  /// `control_character` (workerFullName); `required`, `not_digits`, `too_few_digits`, `too_many_digits`,
  /// `taken` (extensionNumber); `required`, `sid_wrong_length`, `sid_wrong_prefix`, `sid_not_hex` (workerSid).
  /// The plugin says it in the supervisor's language; `message` is the same in English.
  Reason reason;
  bool operator==(const Problem& o) const {
    return field == o.field && message == o.message && code == o.code && conflicting_worker_sid == o.conflicting_worker_sid &&
           reason == o.reason;
  }
};

/// The outcome of validate_extension: the normalised row and every problem found (empty when valid).
struct Validation {
  Extension entry;                ///< the row as it would be stored (extension and name trimmed)
  std::vector<Problem> problems;  ///< in field order: workerFullName, extensionNumber, workerSid
  bool ok() const noexcept { return problems.empty(); }
};

/// Validates one row before it is saved (seed-behaviour 3.5 CORRECT) and reports EVERY problem:
/// - `workerFullName`: trimmed of ASCII whitespace; required; at most max_name_length code points; valid
///   UTF-8; no control characters.
/// - `extensionNumber`: trimmed of ASCII whitespace; required; only the ASCII digits 0-9 (DTMF keys; so
///   `-5`, `1.5`, `1e3`, `0x1F` and Arabic-Indic `١٢٣` are rejected); min_digits–max_digits digits;
///   stored as the digit string (leading zeros kept: `0123` ≠ `123`, as the Studio lookup compares strings).
/// - `workerSid`: a Worker SID ("WK" + 32 hex digits, flexcore::check_sid), not trimmed.
/// - uniqueness: no row of `existing` with a DIFFERENT workerSid has the same (trimmed) extension number
///   (code AlreadyExists, message naming that worker); the worker's own row may keep its number.
/// Errors (the Result itself): only InvalidArgument for out-of-range options.
Result<Validation> validate_extension(const Extension& entry, const std::vector<Extension>& existing,
                                      const ValidationOptions& options = {});

// ---------------------------------------------------------------------------------------------------
// Query: filter, sort, page

/// The sortable columns (wire names in comments).
enum class Column { WorkerFullName, ExtensionNumber, WorkerSid, UpdatedBy, UpdatedAt };

/// Wire name of a column: "workerFullName", "extensionNumber", "workerSid", "updatedBy", "updatedAt".
std::string_view to_string(Column column) noexcept;

/// Inverse of to_string(Column); std::nullopt for anything else (case-sensitive).
std::optional<Column> column_from_string(std::string_view name) noexcept;

enum class SortDirection { Ascending, Descending };

/// One table request.
struct Query {
  /// Case-insensitive substring matched against workerFullName, extensionNumber and workerSid (trimmed;
  /// empty matches every row). Case folding covers Latin, Greek, Cyrillic and Armenian letters.
  std::string filter;
  /// Column to sort by; std::nullopt keeps the rows' order.
  std::optional<Column> sort_by;
  SortDirection sort_dir = SortDirection::Ascending;
  /// Extension numbers: false (default) compares digit strings character by character ("10" < "9",
  /// "0123" < "123"); true compares them as numbers ("9" < "10"; equal numbers then by digit string;
  /// non-digit legacy values after all numbers).
  bool numeric = false;
  std::uint32_t page = 1;        ///< 1-based page number (>= 1); a page past the end is empty, not an error
  std::uint32_t page_size = 50;  ///< rows per page (1–1000)
};

/// Checks the ranges of a Query. InvalidArgument names the option: "page must be at least 1, got 0",
/// "pageSize must be between 1 and 1000, got 5000", "filter must be at most 256 bytes".
Status check_query(const Query& query);

/// One page of the table.
struct Page {
  std::vector<Extension> items;  ///< the rows of the requested page, in sort order
  std::size_t total = 0;         ///< rows matching the filter (all pages)
  std::uint32_t page = 1;        ///< the requested page
  std::uint32_t page_size = 50;  ///< the requested page size
  std::uint32_t page_count = 0;  ///< ceil(total / page_size); 0 when nothing matches
};

/// Rows loaded once and queried many times (the plugin's table, the server's list route): keeps the
/// case-folded filter/sort keys of every row so a query does not recompute them.
class ExtensionTable {
 public:
  ExtensionTable() = default;
  explicit ExtensionTable(std::vector<Extension> rows);

  const std::vector<Extension>& rows() const noexcept { return rows_; }
  std::size_t size() const noexcept { return rows_.size(); }

  /// Filters, sorts (stable: equal keys keep the rows' order in both directions) and pages.
  /// Text columns compare case-folded (code point order of the folded text; names equal but for case keep
  /// the rows' order); `updatedAt` compares as text (ISO-8601 UTC strings sort chronologically); empty
  /// values sort first in ascending order.
  /// Errors: those of check_query.
  Result<Page> query(const Query& query) const;

 private:
  struct RankCache;
  /// Dense rank of every row for a sort key (equal keys, equal rank), computed on first use and cached.
  const std::vector<std::uint32_t>& ranks(Column column, bool numeric) const;

  std::vector<Extension> rows_;
  std::vector<std::string> folded_names_, folded_sids_, folded_updated_by_;
  /// Every row's filter text, folded: name '\0' extension '\0' worker SID '\0', rows back to back.
  std::string haystack_;
  std::vector<std::uint32_t> row_start_;  ///< offset of each row in haystack_, plus the end
  std::shared_ptr<RankCache> rank_cache_;  ///< shared by copies (rows are immutable)
};

/// ExtensionTable(rows).query(query), for one-off queries.
Result<Page> query_extensions(const std::vector<Extension>& rows, const Query& query);

// ---------------------------------------------------------------------------------------------------
// Diff and lookup

/// A row present in both sets with a different extension number or full name.
struct Change {
  Extension before;  ///< the published row
  Extension after;   ///< the draft row
};

/// What publishing `draft` would change in `published`.
struct Diff {
  std::vector<Extension> added;    ///< draft rows whose workerSid is not published, in draft order
  std::vector<Change> changed;     ///< rows whose extensionNumber or workerFullName differ, in draft order
  std::vector<Extension> removed;  ///< published rows whose workerSid is not in the draft, in published order
  bool empty() const noexcept { return added.empty() && changed.empty() && removed.empty(); }
};

/// Compares the draft set with the published set by workerSid (the Sync item key). Order, updatedBy and
/// updatedAt do not matter (the seed compared JSON strings, so a reordering looked like a change).
/// Errors: InvalidArgument "draft[4].workerSid: WK… appears more than once" (or "published[…]").
Result<Diff> diff_extensions(const std::vector<Extension>& draft, const std::vector<Extension>& published);

/// One entry of the Studio lookup table.
struct LookupEntry {
  std::string extension_number;
  std::string worker_sid;
  std::string worker_full_name;
};

/// Extension number → worker, built once per publish and read by every Studio lookup
/// (`/agent-extensions?agentExt=…`, seed-behaviour 3.3). Immutable; safe to share between threads.
class LookupTable {
 public:
  LookupTable() = default;

  /// The entry whose extension number equals `extension` after trimming ASCII whitespace (exact string
  /// comparison: "0123" does not find "123"), or nullptr. O(log n), no allocation.
  const LookupEntry* find(std::string_view extension) const noexcept;

  std::size_t size() const noexcept { return entries_.size(); }
  /// Every entry, sorted by extension number (byte order).
  const std::vector<LookupEntry>& entries() const noexcept { return entries_; }

 private:
  friend Result<LookupTable> build_lookup_table(const std::vector<Extension>& published);
  std::vector<LookupEntry> entries_;
};

/// Builds the lookup table from the published rows (extension numbers trimmed).
/// Errors: AlreadyExists "extension 1234 is assigned to both WK… and WK…" when two rows share a number (the
/// seed silently answered with the first); InvalidArgument "published[3].extensionNumber is empty".
Result<LookupTable> build_lookup_table(const std::vector<Extension>& published);

/// Validates a whole replacement set before it becomes a build (/admin/update, seed-behaviour 3.5 CORRECT):
/// every row with validate_extension (format only), then the set's own uniqueness of extension numbers.
/// Returns the normalised rows (trimmed, updatedBy/updatedAt cleared: the store stamps them) sorted by
/// workerSid (the Sync map's order). Repeated workerSids are left to diff_extensions.
/// Errors: InvalidArgument "data[3].extensionNumber: <problem message>" for the first problem, with
/// " (and N more problems)" when there are more; AlreadyExists "extension 1234 is assigned to both WK… and WK…"
/// for a repeated number; InvalidArgument naming the option when `options` is out of range.
Result<std::vector<Extension>> validate_extension_set(const std::vector<Extension>& rows,
                                                      const ValidationOptions& options = {});

// ---------------------------------------------------------------------------------------------------
// JSON adapters (the wire shapes of the routes, the asset and the npm package)

/// Which members to_json writes for each row.
enum class RowShape {
  Draft,      ///< {workerFullName, extensionNumber, workerSid, updatedBy, updatedAt}
  Published,  ///< the seed's asset element: {workerFullName, extensionNumber, workerSid, mapKey}
};

/// Reads one row object (strict RFC 8259 JSON, read in one pass without a DOM). Missing members read as empty
/// strings (validate_extension then reports them); `mapKey` and unknown members are ignored; null reads as
/// empty; a repeated member counts with its last value (as JSON.parse).
/// Errors: InvalidArgument "<what>: expected a JSON object, got …", "<what>.extensionNumber: expected a
/// string, got number", or "<what>: invalid JSON at byte N: …".
Result<Extension> parse_extension(std::string_view json, std::string_view what = "entry");

/// Reads an array of row objects (the seed's asset, `data` of /admin/update, draft rows); 10 MB is one pass.
/// Errors: InvalidArgument "<what>: expected a JSON array, got object", "<what>[7].workerSid: expected a
/// string, got number"-style messages, "<what>: invalid JSON at byte N: …"; PayloadTooLarge at 4 GiB.
Result<std::vector<Extension>> parse_extensions(std::string_view json, std::string_view what = "data");

/// Writes one row / an array of rows in the given shape (members in the order listed on RowShape).
std::string to_json(const Extension& row, RowShape shape = RowShape::Draft);
std::string to_json(const std::vector<Extension>& rows, RowShape shape = RowShape::Draft);

/// Reads a Query from `{filter, sortBy, sortDir, numeric, page, pageSize}` (every member optional). Query
/// parameters arrive as strings, so `page`/`pageSize` may be numbers or digit strings and `numeric` a
/// boolean or "true"/"false"; `sortBy` "" and null mean unsorted; `sortDir` is "asc" or "desc".
/// Errors: InvalidArgument naming the option: "sortBy must be one of workerFullName, extensionNumber,
/// workerSid, updatedBy, updatedAt", "sortDir must be \"asc\" or \"desc\"", "page must be a positive
/// integer", plus those of check_query.
Result<Query> parse_query(std::string_view json);

/// Reads ValidationOptions from `{minDigits, maxDigits, maxNameLength}` (every member optional, integers).
Result<ValidationOptions> parse_validation_options(std::string_view json);

/// `{"items":[…draft rows…],"total":n,"page":p,"pageSize":s,"pageCount":c}`.
std::string to_json(const Page& page);
/// `{"added":[…],"changed":[{"before":{…},"after":{…}}],"removed":[…]}` (rows in Draft shape).
std::string to_json(const Diff& diff);
/// `{"entry":{…},"problems":[{"field","message","code"[,"conflictingWorkerSid"],"reason","params":{name:value}}]}`
/// (params: the Reason's parameters as strings, in their documented order).
std::string to_json(const Validation& validation);
/// `[{"extensionNumber","workerSid","workerFullName"}, …]` sorted by extension number.
std::string to_json(const LookupTable& table);

}  // namespace flexcore::agent_extensions
