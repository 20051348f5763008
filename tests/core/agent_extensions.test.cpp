#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "flexcore/agent_extensions.h"

using namespace flexcore::agent_extensions;
using flexcore::ErrorCode;
using Rows = std::vector<Extension>;

namespace {

// WK + 32 hex digits ending in `n` (distinct workers for distinct n).
std::string wk(int n) {
  std::string hex = std::to_string(n);
  return "WK" + std::string(32 - hex.size(), '0') + hex;
}

Extension row(int worker, std::string name, std::string number, std::string by = "", std::string at = "") {
  return Extension{wk(worker), std::move(name), std::move(number), std::move(by), std::move(at)};
}

Validation validate(const Extension& entry, const Rows& existing = {}, const ValidationOptions& options = {}) {
  auto r = validate_extension(entry, existing, options);
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

std::vector<std::string> fields(const Validation& v) {
  std::vector<std::string> out;
  for (const Problem& p : v.problems) out.push_back(p.field);
  return out;
}

Page query_ok(const Rows& rows, const Query& q) {
  auto r = query_extensions(rows, q);
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

std::vector<std::string> names(const Page& page) {
  std::vector<std::string> out;
  for (const Extension& e : page.items) out.push_back(e.worker_full_name);
  return out;
}

Query sorted_by(Column column, SortDirection dir = SortDirection::Ascending, bool numeric = false) {
  Query q;
  q.sort_by = column;
  q.sort_dir = dir;
  q.numeric = numeric;
  q.page_size = 1000;
  return q;
}

}  // namespace

TEST_CASE("a valid extension row passes with its values trimmed and leading zeros kept", "[core][agent_extensions]") {
  auto v = validate(row(1, "  Jane Doe ", " 0123 ", "supervisor@x", "2026-11-21T10:00:00Z"));
  CHECK(v.ok());
  CHECK(v.entry == row(1, "Jane Doe", "0123", "supervisor@x", "2026-11-21T10:00:00Z"));
}

TEST_CASE("extension numbers must be 1-10 ASCII digits: the seed's isNaN cases are rejected", "[core][agent_extensions]") {
  struct Case {
    std::string number, message;
  };
  for (const Case& c : {Case{"-5", "extensionNumber must contain only the digits 0-9 (found '-')"},
                        Case{"1.5", "extensionNumber must contain only the digits 0-9 (found '.')"},
                        Case{"1e3", "extensionNumber must contain only the digits 0-9 (found 'e')"},
                        Case{"0x1F", "extensionNumber must contain only the digits 0-9 (found 'x')"},
                        Case{"12 34", "extensionNumber must contain only the digits 0-9 (found ' ')"},
                        Case{"\xD9\xA1\xD9\xA2\xD9\xA3", "extensionNumber must contain only the digits 0-9 (found U+0661)"},
                        Case{"12345678901", "extensionNumber must have 1 to 10 digits, got 11"},
                        Case{"", "extensionNumber is required"},
                        Case{"   ", "extensionNumber is required"}}) {
    INFO("extensionNumber '" << c.number << "'");
    auto v = validate(row(1, "Jane", c.number));
    REQUIRE(v.problems.size() == 1);
    CHECK(v.problems[0].field == "extensionNumber");
    CHECK(v.problems[0].message == c.message);
    CHECK(v.problems[0].code == ErrorCode::InvalidArgument);
  }
  CHECK(validate(row(1, "Jane", " 12 ")).entry.extension_number == "12");
  CHECK(validate(row(1, "Jane", "1234567890")).ok());
}

TEST_CASE("worker SIDs of the wrong prefix or length are rejected", "[core][agent_extensions]") {
  const std::string hex32 = "0123456789abcdef0123456789abcdef";
  for (const std::string& sid : {"WT" + hex32, "wk" + hex32, "WK" + hex32.substr(1), "WK" + hex32 + "0",
                                " WK" + hex32, std::string("WK1xxxxxxxxxxxxxxxxxxx")}) {
    INFO("workerSid '" << sid << "'");
    auto v = validate(Extension{sid, "Jane", "1234", "", ""});
    REQUIRE(v.problems.size() == 1);
    CHECK(v.problems[0].field == "workerSid");
    CHECK(v.problems[0].message.rfind("workerSid must be a Twilio SID: \"WK\" followed by 32 hex digits", 0) == 0);
  }
  auto empty = validate(Extension{"", "Jane", "1234", "", ""});
  REQUIRE(empty.problems.size() == 1);
  CHECK(empty.problems[0].message == "workerSid is required");
}

TEST_CASE("validation reports every problem at once, in field order", "[core][agent_extensions]") {
  auto v = validate(Extension{"WKnope", "  ", "1e3", "", ""});
  CHECK(fields(v) == std::vector<std::string>{"workerFullName", "extensionNumber", "workerSid"});
  CHECK(v.problems[0].message == "workerFullName is required");
  SECTION("full name rules") {
    CHECK(validate(row(1, std::string(257, 'a'), "1")).problems.at(0).message ==
          "workerFullName must be at most 256 characters, got 257");
    CHECK(validate(row(1, std::string(256, 'a'), "1")).ok());
    CHECK(validate(row(1, "Zoë 😀", "1")).ok());
    CHECK(validate(row(1, "a\tb", "1")).problems.at(0).message == "workerFullName must not contain control characters");
    CHECK(validate(row(1, "\xC3\x28", "1")).problems.at(0).message == "workerFullName must be valid UTF-8");
  }
}

TEST_CASE("an extension number held by another worker is a conflict, but a worker keeps its own", "[core][agent_extensions]") {
  const Rows existing = {row(1, "Jane Doe", "1234"), row(2, "John Roe", " 0042 "), row(3, "", "7")};
  SECTION("another worker has it → AlreadyExists naming that worker") {
    auto v = validate(row(9, "New Agent", "1234"), existing);
    REQUIRE(v.problems.size() == 1);
    CHECK(v.problems[0].code == ErrorCode::AlreadyExists);
    CHECK(v.problems[0].message == "extensionNumber 1234 is already assigned to Jane Doe (" + wk(1) + ")");
    CHECK(v.problems[0].conflicting_worker_sid == wk(1));
    CHECK(validate(row(9, "New", " 0042"), existing).problems.at(0).conflicting_worker_sid == wk(2));
    CHECK(validate(row(9, "New", "7"), existing).problems.at(0).message == "extensionNumber 7 is already assigned to " + wk(3));
  }
  SECTION("the worker's own row may keep its number (the seed rejected this edit)") {
    CHECK(validate(row(1, "Jane D.", "1234"), existing).ok());
  }
  SECTION("digit strings compare exactly: 0123 and 123 are different extensions") {
    CHECK(validate(row(9, "New", "042"), existing).ok());
    CHECK(validate(row(9, "New", "12340"), existing).ok());
  }
  SECTION("a malformed number is not also reported as a duplicate") {
    CHECK(validate(row(9, "New", "1234x"), Rows{row(1, "A", "1234x")}).problems.size() == 1);
  }
}

TEST_CASE("validation options set the digit bounds, and bad options are InvalidArgument", "[core][agent_extensions]") {
  ValidationOptions four;
  four.min_digits = 4;
  four.max_digits = 4;
  CHECK(validate(row(1, "A", "123"), {}, four).problems.at(0).message == "extensionNumber must have 4 digits, got 3");
  CHECK(validate(row(1, "A", "1234"), {}, four).ok());
  ValidationOptions bad;
  bad.min_digits = 5;
  bad.max_digits = 4;
  auto r = validate_extension(row(1, "A", "1"), {}, bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "maxDigits must be between minDigits (5) and 32, got 4");
  bad = ValidationOptions{};
  bad.min_digits = 0;
  CHECK(check_validation_options(bad).error().message == "minDigits must be between 1 and 32, got 0");
  bad = ValidationOptions{};
  bad.max_name_length = 0;
  CHECK(check_validation_options(bad).error().message == "maxNameLength must be between 1 and 10000, got 0");
  CHECK(parse_validation_options(R"({"minDigits":"3","maxDigits":6})").value().min_digits == 3);
  CHECK(parse_validation_options(R"({"minDigits":-1})").error().message == "minDigits must be a positive integer");
  CHECK(parse_validation_options("[]").error().message == "options: expected a JSON object, got array");
  CHECK(parse_validation_options("null").value().max_digits == 10);
}

TEST_CASE("the filter is a case-insensitive substring of name, extension or worker SID", "[core][agent_extensions]") {
  const Rows rows = {row(1, "José Müller", "1001"), row(2, "ANA maria", "2002"), row(171, "Zed", "3003"),
                     row(4, "Ωmega", "4004")};
  auto matching = [&](const std::string& filter) {
    Query q;
    q.filter = filter;
    return names(query_ok(rows, q));
  };
  CHECK(matching("JOSÉ MÜ") == std::vector<std::string>{"José Müller"});
  CHECK(matching("  maria ") == std::vector<std::string>{"ANA maria"});
  CHECK(matching("200") == std::vector<std::string>{"ANA maria"});
  CHECK(matching("wk" + std::string(29, '0') + "171") == std::vector<std::string>{"Zed"});
  CHECK(matching("ωMEGA") == std::vector<std::string>{"Ωmega"});
  CHECK(matching("").size() == 4);
  CHECK(matching("nobody").empty());
  Query q;
  q.filter = "nobody";
  auto page = query_ok(rows, q);
  CHECK(page.total == 0);
  CHECK(page.page_count == 0);
}

TEST_CASE("sorting is stable in both directions on every column", "[core][agent_extensions]") {
  const Rows rows = {row(3, "bob", "20", "sup-b", "2026-11-02T00:00:00Z"), row(1, "Alice", "100", "sup-a", "2026-11-03T00:00:00Z"),
                     row(2, "Bob", "9", "Sup-A", "2026-11-01T00:00:00Z"), row(4, "alice", "020", "", "")};
  // Names equal but for case keep the rows' order.
  CHECK(names(query_ok(rows, sorted_by(Column::WorkerFullName))) == std::vector<std::string>{"Alice", "alice", "bob", "Bob"});
  CHECK(names(query_ok(rows, sorted_by(Column::WorkerFullName, SortDirection::Descending))) ==
        std::vector<std::string>{"bob", "Bob", "Alice", "alice"});
  SECTION("extension numbers as digit strings, or as numbers") {
    CHECK(names(query_ok(rows, sorted_by(Column::ExtensionNumber))) == std::vector<std::string>{"alice", "Alice", "bob", "Bob"});
    CHECK(names(query_ok(rows, sorted_by(Column::ExtensionNumber, SortDirection::Ascending, true))) ==
          std::vector<std::string>{"Bob", "alice", "bob", "Alice"});  // 9, 020, 20, 100
    CHECK(names(query_ok(rows, sorted_by(Column::ExtensionNumber, SortDirection::Descending, true))) ==
          std::vector<std::string>{"Alice", "bob", "alice", "Bob"});
    const Rows legacy = {row(1, "x", "1e3"), row(2, "y", "5"), row(3, "z", "")};
    CHECK(names(query_ok(legacy, sorted_by(Column::ExtensionNumber, SortDirection::Ascending, true))) ==
          std::vector<std::string>{"y", "z", "x"});  // numbers first, then other values as text
  }
  SECTION("worker SID, updated by, updated at") {
    CHECK(names(query_ok(rows, sorted_by(Column::WorkerSid))) == std::vector<std::string>{"Alice", "Bob", "bob", "alice"});
    CHECK(names(query_ok(rows, sorted_by(Column::UpdatedBy))) == std::vector<std::string>{"alice", "Alice", "Bob", "bob"});
    CHECK(names(query_ok(rows, sorted_by(Column::UpdatedAt, SortDirection::Descending))) ==
          std::vector<std::string>{"Alice", "bob", "Bob", "alice"});
  }
  SECTION("equal keys keep input order, also when descending") {
    const Rows same = {row(1, "A", "1"), row(2, "B", "1"), row(3, "C", "1")};
    CHECK(names(query_ok(same, sorted_by(Column::ExtensionNumber, SortDirection::Descending))) ==
          std::vector<std::string>{"A", "B", "C"});
  }
  SECTION("no sortBy keeps the rows' order") {
    Query q;
    CHECK(names(query_ok(rows, q)) == std::vector<std::string>{"bob", "Alice", "Bob", "alice"});
  }
}

TEST_CASE("paging returns the requested page and the total count", "[core][agent_extensions]") {
  Rows rows;
  for (int i = 0; i < 10001; ++i) rows.push_back(row(i, "Agent " + std::to_string(i), std::to_string(10000 + i)));
  Query q;
  q.page_size = 50;
  q.page = 3;
  auto page = query_ok(rows, q);
  CHECK(page.total == 10001);
  CHECK(page.page_count == 201);
  REQUIRE(page.items.size() == 50);
  CHECK(page.items.front().worker_full_name == "Agent 100");
  q.page = 201;
  CHECK(query_ok(rows, q).items.size() == 1);
  q.page = 202;
  auto past = query_ok(rows, q);
  CHECK(past.items.empty());
  CHECK(past.total == 10001);
  SECTION("a table loaded once answers many queries") {
    ExtensionTable table(rows);
    CHECK(table.size() == 10001);
    Query f;
    f.filter = "agent 999";
    f.sort_by = Column::ExtensionNumber;
    f.sort_dir = SortDirection::Descending;
    auto r = table.query(f);
    REQUIRE(r.ok());
    CHECK(r.value().total == 11);  // 999 and 9990-9999
    CHECK(r.value().items.front().worker_full_name == "Agent 9999");
  }
}

TEST_CASE("bad query options are InvalidArgument naming the option", "[core][agent_extensions]") {
  struct Case {
    std::string json, message;
  };
  for (const Case& c :
       {Case{R"({"sortBy":"name"})", "sortBy must be one of workerFullName, extensionNumber, workerSid, updatedBy, updatedAt"},
        Case{R"({"sortBy":3})", "sortBy must be one of workerFullName, extensionNumber, workerSid, updatedBy, updatedAt"},
        Case{R"({"sortDir":"up"})", "sortDir must be \"asc\" or \"desc\""},
        Case{R"({"page":0})", "page must be at least 1, got 0"},
        Case{R"({"page":-1})", "page must be a positive integer"},
        Case{R"({"page":"abc"})", "page must be a positive integer"},
        Case{R"({"page":1.5})", "page must be a positive integer"},
        Case{R"({"page":"99999999999"})", "page must be a positive integer"},
        Case{R"({"pageSize":0})", "pageSize must be between 1 and 1000, got 0"},
        Case{R"({"pageSize":"5000"})", "pageSize must be between 1 and 1000, got 5000"},
        Case{R"({"numeric":"yes"})", "numeric must be true or false"},
        Case{R"({"filter":5})", "filter must be a string"},
        Case{R"({"filter":")" + std::string(257, 'a') + R"("})", "filter must be at most 256 bytes"},
        Case{"[]", "query: expected a JSON object, got array"},
        Case{"{", "query: invalid JSON"}}) {
    INFO("query " << c.json);
    auto r = parse_query(c.json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidArgument);
    CHECK(r.error().message == c.message);
  }
  auto q = parse_query(R"({"filter":"x","sortBy":"updatedAt","sortDir":"desc","numeric":"true","page":"2","pageSize":25.0})");
  REQUIRE(q.ok());
  CHECK(q.value().filter == "x");
  CHECK(q.value().sort_by == Column::UpdatedAt);
  CHECK(q.value().sort_dir == SortDirection::Descending);
  CHECK(q.value().numeric);
  CHECK(q.value().page == 2);
  CHECK(q.value().page_size == 25);
  CHECK_FALSE(parse_query(R"({"sortBy":""})").value().sort_by.has_value());
  CHECK(parse_query("null").ok());
  for (Column c : {Column::WorkerFullName, Column::ExtensionNumber, Column::WorkerSid, Column::UpdatedBy, Column::UpdatedAt}) {
    CHECK(column_from_string(to_string(c)) == c);
  }
}

TEST_CASE("the diff lists added, changed and removed rows by worker SID", "[core][agent_extensions]") {
  const Rows published = {row(1, "Jane", "100"), row(2, "John", "200"), row(3, "Jim", "300")};
  const Rows draft = {row(4, "Ann", "400", "sup", "t"), row(3, "Jim", "301"), row(2, "John", "200", "sup", "t2"),
                      row(1, "Jane Doe", "100")};
  auto r = diff_extensions(draft, published);
  REQUIRE(r.ok());
  const Diff& d = r.value();
  CHECK(d.added == Rows{row(4, "Ann", "400", "sup", "t")});
  REQUIRE(d.changed.size() == 2);
  CHECK(d.changed[0].before == row(3, "Jim", "300"));
  CHECK(d.changed[0].after == row(3, "Jim", "301"));
  CHECK(d.changed[1].after.worker_full_name == "Jane Doe");
  CHECK(d.removed.empty());
  CHECK_FALSE(d.empty());
  SECTION("order and audit fields alone are not a change (the seed's string comparison said they were)") {
    const Rows reordered = {row(3, "Jim", "300", "x", "y"), row(1, "Jane", "100"), row(2, "John", "200")};
    CHECK(diff_extensions(reordered, published).value().empty());
  }
  SECTION("removed rows, in published order") {
    auto removed = diff_extensions(Rows{row(2, "John", "200")}, published).value();
    CHECK(removed.removed == Rows{row(1, "Jane", "100"), row(3, "Jim", "300")});
    CHECK(diff_extensions({}, {}).value().empty());
  }
  SECTION("a worker twice in one set is InvalidArgument") {
    auto dup = diff_extensions(Rows{row(1, "a", "1"), row(1, "b", "2")}, published);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().message == "draft[1].workerSid: " + wk(1) + " appears more than once");
    CHECK(diff_extensions({}, Rows{row(5, "a", "1"), row(5, "a", "1")}).error().message.rfind("published[1]", 0) == 0);
  }
}

TEST_CASE("the lookup table maps extension numbers to workers and rejects duplicates", "[core][agent_extensions]") {
  auto r = build_lookup_table(Rows{row(1, "Jane", "123456"), row(2, "John", " 0123 "), row(3, "EXAMPLE", "000000")});
  REQUIRE(r.ok());
  const LookupTable& table = r.value();
  CHECK(table.size() == 3);
  REQUIRE(table.find("123456") != nullptr);
  CHECK(table.find("123456")->worker_sid == wk(1));
  CHECK(table.find(" 0123\n")->worker_full_name == "John");  // the request value is trimmed
  CHECK(table.find("123") == nullptr);                       // exact digit strings: 0123 is not 123
  CHECK(table.find("") == nullptr);
  CHECK(table.find("999") == nullptr);
  CHECK(table.entries().front().extension_number == "000000");
  SECTION("two workers with one number are rejected") {
    auto dup = build_lookup_table(Rows{row(1, "A", "55"), row(2, "B", "66"), row(3, "C", "55 ")});
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().code == ErrorCode::AlreadyExists);
    CHECK(dup.error().message == "extension 55 is assigned to both " + wk(1) + " and " + wk(3));
  }
  SECTION("an empty number is rejected") {
    CHECK(build_lookup_table(Rows{row(1, "A", "1"), row(2, "B", " ")}).error().message ==
          "published[1].extensionNumber is empty");
  }
  SECTION("10,000 rows") {
    Rows many;
    for (int i = 0; i < 10000; ++i) many.push_back(row(i, "Agent", std::to_string(5000000 + i)));
    auto big = build_lookup_table(many);
    REQUIRE(big.ok());
    CHECK(big.value().find("5009999")->worker_sid == wk(9999));
    CHECK(big.value().find("5010000") == nullptr);
  }
}

TEST_CASE("row JSON: the seed's asset and draft rows are read, and wrong shapes name the index and field",
          "[core][agent_extensions]") {
  // The seed's initial asset (seed-behaviour 3.2).
  auto asset = parse_extensions(R"([{"workerFullName":"EXAMPLE EXTENSIONS","extensionNumber":"000000","workerSid":"WK0","mapKey":"WK0"},
    {"workerFullName":"John Doe","extensionNumber":"123456","workerSid":"WK1xxxxxxxxxxxxxxxxxxx","mapKey":"WK1xxxxxxxxxxxxxxxxxxx"}])");
  REQUIRE(asset.ok());
  REQUIRE(asset.value().size() == 2);
  CHECK(asset.value()[1] == Extension{"WK1xxxxxxxxxxxxxxxxxxx", "John Doe", "123456", "", ""});
  CHECK(parse_extensions("{}").error().message == "data: expected a JSON array, got object");
  CHECK(parse_extensions("[{},5]").error().message == "data[1]: expected a JSON object, got number");
  CHECK(parse_extensions(R"([{"extensionNumber":1234}])").error().message == "data[0].extensionNumber: expected a string, got number");
  CHECK(parse_extensions("[", "draft").error().message == "draft: invalid JSON at byte 1: unexpected end of input, expected a value");
  CHECK(parse_extensions("", "data").error().code == ErrorCode::InvalidArgument);
  CHECK(parse_extension(R"({"workerSid":"WK1","workerSid":null,"workerFullName":"A","mapKey":5,"x":{}})").value() ==
        Extension{"", "A", "", "", ""});  // the last duplicate wins (JSON.parse); mapKey/unknown members ignored
  SECTION("a 10 MB data array is read in one pass") {
    std::string big = "[";
    for (int i = 0; i < 60000; ++i) {
      if (i) big += ',';
      big += R"({"workerFullName":"Agent Número )" + std::to_string(i) + R"(","extensionNumber":")" +
             std::to_string(1000000 + i) + R"(","workerSid":")" + wk(i) + R"(","updatedBy":"supervisor@example.com","updatedAt":"2026-11-21T10:00:00.000Z"})";
    }
    big += "]";
    REQUIRE(big.size() > 10000000);
    auto rows = parse_extensions(big);
    REQUIRE(rows.ok());
    CHECK(rows.value().size() == 60000);
    CHECK(rows.value()[59999].worker_full_name == "Agent Número 59999");
    CHECK(parse_extensions(big.substr(0, big.size() - 1)).error().message.rfind("data: invalid JSON at byte ", 0) == 0);
  }
  CHECK(parse_extension(R"({"workerSid":null})").value() == Extension{});
  CHECK(parse_extension(R"({"workerSid":[]})", "entry").error().message == "entry.workerSid: expected a string, got array");

  const Rows rows = {row(1, "Zoë \"Z\"", "0123", "sup@x", "2026-11-21T10:00:00Z")};
  CHECK(to_json(rows[0], RowShape::Published) == R"({"workerFullName":"Zoë \"Z\"","extensionNumber":"0123","workerSid":")" +
                                                     wk(1) + R"(","mapKey":")" + wk(1) + R"("})");
  CHECK(parse_extensions(to_json(rows)).value() == rows);
  const Rows odd = {row(2, "tab\there \x01 back\\slash \"q\" \xF0\x9F\x98\x80", "1")};
  CHECK(to_json(odd[0]).find(R"("tab\there \u0001 back\\slash \"q\" 😀")") != std::string::npos);
  CHECK(parse_extensions(to_json(odd)).value() == odd);
  auto invalid_utf8 = to_json(Extension{"WK", "\xC3\x28", "1", "", ""});  // never throws on bad bytes
  CHECK(nlohmann::json::parse(invalid_utf8, nullptr, false).is_object());
}

TEST_CASE("result JSON: pages, diffs, validations and lookup tables", "[core][agent_extensions]") {
  using nlohmann::json;
  Query q;
  q.page_size = 1;
  const json page = json::parse(to_json(query_ok(Rows{row(1, "A", "1"), row(2, "B", "2")}, q)));
  CHECK(page["total"] == 2);
  CHECK(page["pageCount"] == 2);
  CHECK(page["pageSize"] == 1);
  CHECK(page["page"] == 1);
  CHECK(page["items"][0]["workerFullName"] == "A");
  CHECK(page["items"][0]["updatedBy"] == "");

  const json diff = json::parse(to_json(diff_extensions(Rows{row(1, "A", "2")}, Rows{row(1, "A", "1"), row(2, "B", "2")}).value()));
  CHECK(diff["added"].empty());
  CHECK(diff["changed"][0]["before"]["extensionNumber"] == "1");
  CHECK(diff["changed"][0]["after"]["extensionNumber"] == "2");
  CHECK(diff["removed"][0]["workerFullName"] == "B");

  const json validation = json::parse(to_json(validate(row(9, "", "5"), Rows{row(1, "A", "5")})));
  CHECK(validation["entry"]["extensionNumber"] == "5");
  REQUIRE(validation["problems"].size() == 2);
  CHECK(validation["problems"][0] == json{{"field", "workerFullName"}, {"message", "workerFullName is required"}, {"code", "InvalidArgument"},
                                             {"reason", "required"}, {"params", json::object()}});
  CHECK(validation["problems"][1]["code"] == "AlreadyExists");
  CHECK(validation["problems"][1]["conflictingWorkerSid"] == wk(1));

  const json table = json::parse(to_json(build_lookup_table(Rows{row(2, "B", "9"), row(1, "A", "10")}).value()));
  CHECK(table == json::array({json{{"extensionNumber", "10"}, {"workerSid", wk(1)}, {"workerFullName", "A"}},
                              json{{"extensionNumber", "9"}, {"workerSid", wk(2)}, {"workerFullName", "B"}}}));
}

TEST_CASE("every page of a large table equals the same slice of the fully stable-sorted rows", "[core][agent_extensions]") {
  // 2,000 rows with many equal keys: pages near the start take the partial-sort path, later ones the full
  // sort; both must give exactly the slices of a stable sort (equal keys keep the rows' order).
  Rows rows;
  for (int i = 0; i < 2000; ++i) {
    rows.push_back(row(i, "Name " + std::to_string((i * 7) % 13), std::to_string((i * 31) % 97), "", ""));
  }
  const ExtensionTable table(rows);
  for (const auto dir : {SortDirection::Ascending, SortDirection::Descending}) {
    for (const auto column : {Column::WorkerFullName, Column::ExtensionNumber}) {
      for (const bool numeric : {false, true}) {
        std::vector<std::size_t> expected(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) expected[i] = i;
        auto key = [&](std::size_t i) -> std::string {
          return column == Column::WorkerFullName ? rows[i].worker_full_name : rows[i].extension_number;
        };
        std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) {
          if (numeric && column == Column::ExtensionNumber) {
            const long x = std::stol(key(a)), y = std::stol(key(b));
            return dir == SortDirection::Ascending ? x < y : x > y;
          }
          return dir == SortDirection::Ascending ? key(a) < key(b) : key(a) > key(b);
        });
        for (std::uint32_t page : {1U, 2U, 3U, 10U, 40U}) {
          Query q;
          q.sort_by = column;
          q.sort_dir = dir;
          q.numeric = numeric;
          q.page = page;
          q.page_size = 50;
          auto result = table.query(q);
          REQUIRE(result.ok());
          REQUIRE(result.value().items.size() == 50);
          for (std::size_t i = 0; i < 50; ++i) {
            INFO("page " << page << " item " << i);
            CHECK(result.value().items[i].worker_sid == rows[expected[(page - 1) * 50 + i]].worker_sid);
          }
        }
      }
    }
  }
}

TEST_CASE("an empty table answers sorted and filtered queries with an empty page", "[core][agent_extensions]") {
  const ExtensionTable empty;
  Query q;
  q.sort_by = Column::WorkerFullName;
  q.filter = "x";
  auto page = empty.query(q);
  REQUIRE(page.ok());
  CHECK(page.value().total == 0);
  CHECK(page.value().page_count == 0);
  const ExtensionTable one(Rows{row(1, "A", "1")});
  q.filter.clear();
  CHECK(one.query(q).value().items.size() == 1);
}

TEST_CASE("a replacement set is validated as a whole: normalised, sorted by worker, first problem named by index",
          "[core][agent_extensions]") {
  SECTION("valid rows come back trimmed, without updatedBy/updatedAt, ascending workerSid") {
    auto set = validate_extension_set({row(3, " Cy ", " 0042 ", "sam", "2026-01-01T00:00:00.000Z"), row(1, "Ann", "7")});
    REQUIRE(set.ok());
    REQUIRE(set.value().size() == 2);
    CHECK(set.value()[0].worker_sid == wk(1));
    CHECK(set.value()[1].worker_sid == wk(3));
    CHECK(set.value()[1].worker_full_name == "Cy");
    CHECK(set.value()[1].extension_number == "0042");
    CHECK(set.value()[1].updated_by.empty());
    CHECK(set.value()[1].updated_at.empty());
  }
  SECTION("the first problem is named with its row index and the rest are counted") {
    auto set = validate_extension_set({row(1, "Ann", "7"), row(2, "Bo", "12a"), row(3, "", "9")});
    REQUIRE_FALSE(set.ok());
    CHECK(set.error().code == ErrorCode::InvalidArgument);
    CHECK(set.error().message.rfind("data[1].extensionNumber: ", 0) == 0);
    CHECK(set.error().message.find("(and 1 more problems)") != std::string::npos);
  }
  SECTION("a number repeated inside the set is AlreadyExists naming both workers") {
    auto set = validate_extension_set({row(1, "Ann", "7"), row(2, "Bo", " 7")});
    REQUIRE_FALSE(set.ok());
    CHECK(set.error().code == ErrorCode::AlreadyExists);
    CHECK(set.error().message == "extension 7 is assigned to both " + wk(1) + " and " + wk(2));
  }
  SECTION("out-of-range options are InvalidArgument") {
    ValidationOptions options;
    options.min_digits = 0;
    CHECK(validate_extension_set({row(1, "Ann", "7")}, options).error().code == ErrorCode::InvalidArgument);
  }
  SECTION("an empty set is valid") { CHECK(validate_extension_set({}).value().empty()); }
}
