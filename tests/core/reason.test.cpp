#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "flexcore/agent_extensions.h"
#include "flexcore/reason.h"
#include "flexcore/segment_lookup.h"
#include "flexcore/sid.h"

using flexcore::kAllReasons;
using flexcore::Reason;
namespace ax = flexcore::agent_extensions;

namespace {

const std::string kHex32 = "0123456789abcdef0123456789abcdef";

std::string wk(int n) {
  std::string digits = std::to_string(n);
  return "WK" + std::string(32 - digits.size(), '0') + digits;
}

ax::Extension row(std::string sid, std::string name, std::string number) {
  return ax::Extension{std::move(sid), std::move(name), std::move(number), "", ""};
}

ax::Validation validate(const ax::Extension& entry, const std::vector<ax::Extension>& existing = {},
                        const ax::ValidationOptions& options = {}) {
  auto r = ax::validate_extension(entry, existing, options);
  if (!r.ok()) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

// The reason of the one problem of `field`, failing when there is not exactly one.
Reason reason_of(const ax::Validation& v, const std::string& field) {
  std::vector<Reason> found;
  for (const auto& p : v.problems) {
    if (p.field == field) found.push_back(p.reason);
  }
  if (found.size() != 1) FAIL("expected one problem for " << field << ", got " << found.size());
  return found.front();
}

bool known(const std::string& id) {
  return std::find(kAllReasons.begin(), kAllReasons.end(), id) != kAllReasons.end();
}

}  // namespace

TEST_CASE("reason ids are distinct, lower snake case (with digits) and non-empty", "[core][reason]") {
  std::set<std::string_view> seen(kAllReasons.begin(), kAllReasons.end());
  CHECK(seen.size() == kAllReasons.size());
  for (std::string_view id : kAllReasons) {
    INFO(id);
    CHECK_FALSE(id.empty());
    CHECK(std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }));
  }
}

TEST_CASE("sid_reason says why a value is not a SID, in the order of check_sid's message", "[core][reason][sid]") {
  CHECK_FALSE(flexcore::sid_reason("WT" + kHex32, "WT").has_value());
  CHECK(flexcore::sid_reason("", "WT") == Reason{"required", {}});
  CHECK(flexcore::sid_reason("WT123", "WT") == Reason{"sid_wrong_length", {{"prefix", "WT"}, {"length", "5"}}});
  CHECK(flexcore::sid_reason("WK" + kHex32, "WT") == Reason{"sid_wrong_prefix", {{"prefix", "WT"}}});
  CHECK(flexcore::sid_reason("WT" + kHex32.substr(1) + "g", "WT") == Reason{"sid_not_hex", {{"prefix", "WT"}}});
  // Surrounding whitespace is not trimmed: the length is wrong.
  CHECK(flexcore::sid_reason(" WT" + kHex32, "WT")->id == "sid_wrong_length");
}

TEST_CASE("check_sid's English message and sid_reason agree", "[core][reason][sid]") {
  auto wrong_length = flexcore::check_sid("WT123", "WT", "TaskSid");
  REQUIRE_FALSE(wrong_length.ok());
  CHECK(wrong_length.error().message.find("got 5 characters") != std::string::npos);
  auto wrong_prefix = flexcore::check_sid("WK" + kHex32, "WT", "TaskSid");
  REQUIRE_FALSE(wrong_prefix.ok());
  CHECK(wrong_prefix.error().message.find("does not start with \"WT\"") != std::string::npos);
  auto not_hex = flexcore::check_sid("WT" + kHex32.substr(1) + "z", "WT", "TaskSid");
  REQUIRE_FALSE(not_hex.ok());
  CHECK(not_hex.error().message.find("not a hex digit") != std::string::npos);
}

TEST_CASE("the Task SID check trims and then gives a reason for every rejection", "[core][reason][segment]") {
  namespace sl = flexcore::segment_lookup;
  CHECK_FALSE(sl::task_sid_reason("  WT" + kHex32 + "\n").has_value());
  CHECK(sl::task_sid_reason(" \t ") == Reason{"required", {}});
  CHECK(sl::task_sid_reason("WT12") == Reason{"sid_wrong_length", {{"prefix", "WT"}, {"length", "4"}}});
  CHECK(sl::task_sid_reason("CA" + kHex32)->id == "sid_wrong_prefix");
  CHECK(sl::task_sid_reason("WT" + std::string(32, 'x'))->id == "sid_not_hex");
  // Accepted exactly when check_task_sid accepts.
  for (std::string raw : {std::string(""), std::string("WT"), "WT" + kHex32, " WT" + kHex32, "wt" + kHex32}) {
    INFO(raw);
    CHECK(sl::check_task_sid(raw).ok() == !sl::task_sid_reason(raw).has_value());
  }
}

TEST_CASE("every name problem of an extension row has a reason with its parameters", "[core][reason][agent-extensions]") {
  CHECK(reason_of(validate(row(wk(1), "   ", "1001")), "workerFullName") == Reason{"required", {}});
  CHECK(reason_of(validate(row(wk(1), "Ana\xff", "1001")), "workerFullName") == Reason{"invalid_utf8", {}});
  CHECK(reason_of(validate(row(wk(1), "Ana\x01Li", "1001")), "workerFullName") == Reason{"control_character", {}});
  ax::ValidationOptions options;
  options.max_name_length = 3;
  CHECK(reason_of(validate(row(wk(1), "Añaño", "1001"), {}, options), "workerFullName") ==
        Reason{"too_long", {{"maxLength", "3"}, {"length", "5"}}});
}

TEST_CASE("every extension number problem has a reason with its parameters", "[core][reason][agent-extensions]") {
  CHECK(reason_of(validate(row(wk(1), "Ana", "")), "extensionNumber") == Reason{"required", {}});
  CHECK(reason_of(validate(row(wk(1), "Ana", "-5")), "extensionNumber") == Reason{"not_digits", {{"character", "-"}}});
  CHECK(reason_of(validate(row(wk(1), "Ana", "12'3")), "extensionNumber") == Reason{"not_digits", {{"character", "'"}}});
  CHECK(reason_of(validate(row(wk(1), "Ana", "\xd9\xa1\xd9\xa2")), "extensionNumber") ==
        Reason{"not_digits", {{"character", "U+0661"}}});
  ax::ValidationOptions options;
  options.min_digits = 3;
  options.max_digits = 4;
  CHECK(reason_of(validate(row(wk(1), "Ana", "12"), {}, options), "extensionNumber") ==
        Reason{"too_few_digits", {{"minDigits", "3"}, {"maxDigits", "4"}, {"digits", "2"}}});
  CHECK(reason_of(validate(row(wk(1), "Ana", "12345"), {}, options), "extensionNumber") ==
        Reason{"too_many_digits", {{"minDigits", "3"}, {"maxDigits", "4"}, {"digits", "5"}}});
  const std::vector<ax::Extension> existing = {row(wk(2), "Bo Li", "1001"), row(wk(3), "", "1002")};
  CHECK(reason_of(validate(row(wk(1), "Ana", " 1001 "), existing), "extensionNumber") ==
        Reason{"taken", {{"extensionNumber", "1001"}, {"conflictingWorkerSid", wk(2)}, {"conflictingWorkerName", "Bo Li"}}});
  CHECK(reason_of(validate(row(wk(1), "Ana", "1002"), existing), "extensionNumber").param("conflictingWorkerName") == "");
}

TEST_CASE("every Worker SID problem has the SID check's reason", "[core][reason][agent-extensions]") {
  CHECK(reason_of(validate(row("", "Ana", "1001")), "workerSid") == Reason{"required", {}});
  CHECK(reason_of(validate(row("WK12", "Ana", "1001")), "workerSid") ==
        Reason{"sid_wrong_length", {{"prefix", "WK"}, {"length", "4"}}});
  CHECK(reason_of(validate(row("WT" + kHex32, "Ana", "1001")), "workerSid") == Reason{"sid_wrong_prefix", {{"prefix", "WK"}}});
  CHECK(reason_of(validate(row("WK" + std::string(32, 'q'), "Ana", "1001")), "workerSid") ==
        Reason{"sid_not_hex", {{"prefix", "WK"}}});
}

TEST_CASE("every problem's reason is a known id and reaches the JSON with its parameters", "[core][reason][agent-extensions]") {
  const std::vector<ax::Extension> existing = {row(wk(2), "Bo", "7")};
  for (const ax::Extension& entry : std::vector<ax::Extension>{
           row("", "", ""), row("WK1", "A\x02", "x"), row(wk(1), std::string(300, 'a'), "12345678901"), row(wk(1), "Ana", "7")}) {
    const ax::Validation v = validate(entry, existing);
    REQUIRE_FALSE(v.problems.empty());
    const auto json = nlohmann::json::parse(ax::to_json(v));
    REQUIRE(json["problems"].size() == v.problems.size());
    for (std::size_t i = 0; i < v.problems.size(); ++i) {
      const auto& p = v.problems[i];
      INFO(p.message);
      CHECK(known(p.reason.id));
      CHECK(json["problems"][i]["reason"] == p.reason.id);
      CHECK(json["problems"][i]["params"].size() == p.reason.params.size());
      for (const auto& param : p.reason.params) CHECK(json["problems"][i]["params"][param.name] == param.value);
    }
  }
}
