// register_agent_extensions.cpp — embind registrations of the agent extensions feature.
// Every entry point goes through guard(). Mirrored by wasm/package/src/raw.d.ts (interface RawAgentExtensions).
//
// Row sets (thousands of rows) arrive as UTF-8 JSON bytes the facade wrote into the heap; when a function
// takes two texts they sit back to back in one buffer (`firstLength` bytes, then `secondLength` bytes).
// Results leave as UTF-8 JSON bytes (Utf8Bytes) in the shapes of the agent_extensions.h to_json adapters,
// which the facade decodes once and JSON.parses.

#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "flexcore/agent_extensions.h"
#include "marshal.h"

namespace flexcore::bindings {
namespace {

namespace ax = flexcore::agent_extensions;

// Two texts back to back at `address`: [first_length bytes][second_length bytes].
Result<std::pair<std::string_view, std::string_view>> heap_texts(double address, double first_length,
                                                                 double second_length) {
  if (!(address >= 0) || !(first_length >= 0) || !(second_length >= 0) ||
      address + first_length + second_length > 4294967296.0) {
    return Result<std::pair<std::string_view, std::string_view>>::failure(ErrorCode::InvalidArgument,
                                                                         "text: invalid buffer");
  }
  const auto* bytes = reinterpret_cast<const char*>(static_cast<std::uintptr_t>(address));
  const auto first = static_cast<std::size_t>(first_length);
  return std::make_pair(std::string_view(bytes, first),
                        std::string_view(bytes + first, static_cast<std::size_t>(second_length)));
}

val validate_extension_js(double address, double entry_length, double existing_length, const std::string& options_json) {
  return guard([&]() -> Result<Utf8Bytes> {
    auto texts = heap_texts(address, entry_length, existing_length);
    if (!texts.ok()) return texts.error();
    auto entry = ax::parse_extension(texts.value().first, "entry");
    if (!entry.ok()) return entry.error();
    auto existing = ax::parse_extensions(texts.value().second, "existing");
    if (!existing.ok()) return existing.error();
    auto options = ax::parse_validation_options(options_json);
    if (!options.ok()) return options.error();
    auto validation = ax::validate_extension(entry.value(), existing.value(), options.value());
    if (!validation.ok()) return validation.error();
    return Utf8Bytes{ax::to_json(validation.value())};
  });
}

val query_extensions_js(double address, double length, const std::string& query_json) {
  return guard([&]() -> Result<Utf8Bytes> {
    auto texts = heap_texts(address, length, 0);
    if (!texts.ok()) return texts.error();
    auto query = ax::parse_query(query_json);
    if (!query.ok()) return query.error();
    auto rows = ax::parse_extensions(texts.value().first, "rows");
    if (!rows.ok()) return rows.error();
    auto page = ax::query_extensions(rows.value(), query.value());
    if (!page.ok()) return page.error();
    return Utf8Bytes{ax::to_json(page.value())};
  });
}

val diff_extensions_js(double address, double draft_length, double published_length) {
  return guard([&]() -> Result<Utf8Bytes> {
    auto texts = heap_texts(address, draft_length, published_length);
    if (!texts.ok()) return texts.error();
    auto draft = ax::parse_extensions(texts.value().first, "draft");
    if (!draft.ok()) return draft.error();
    auto published = ax::parse_extensions(texts.value().second, "published");
    if (!published.ok()) return published.error();
    auto diff = ax::diff_extensions(draft.value(), published.value());
    if (!diff.ok()) return diff.error();
    return Utf8Bytes{ax::to_json(diff.value())};
  });
}

val build_lookup_table_js(double address, double length) {
  return guard([&]() -> Result<Utf8Bytes> {
    auto texts = heap_texts(address, length, 0);
    if (!texts.ok()) return texts.error();
    auto published = ax::parse_extensions(texts.value().first, "published");
    if (!published.ok()) return published.error();
    auto table = ax::build_lookup_table(published.value());
    if (!table.ok()) return table.error();
    return Utf8Bytes{ax::to_json(table.value())};
  });
}

// The rows of one table held inside the module (issue 6, P3): load once, query many times; only the
// requested page crosses the boundary. JS owns the handle and must call delete() (the facade's dispose()).
class ExtensionTableHandle {
 public:
  // Replaces the rows with the JSON array of `length` bytes at `address`. Result: the row count.
  val load(double address, double length) {
    return guard([&]() -> Result<double> {
      auto texts = heap_texts(address, length, 0);
      if (!texts.ok()) return texts.error();
      auto rows = ax::parse_extensions(texts.value().first, "rows");
      if (!rows.ok()) return rows.error();
      table_ = ax::ExtensionTable(std::move(rows).value());
      return static_cast<double>(table_.size());
    });
  }
  // One page (Page JSON bytes) for a query JSON.
  val query(const std::string& query_json) const {
    return guard([&]() -> Result<Utf8Bytes> {
      auto query = ax::parse_query(query_json);
      if (!query.ok()) return query.error();
      auto page = table_.query(query.value());
      if (!page.ok()) return page.error();
      return Utf8Bytes{ax::to_json(page.value())};
    });
  }
  double size() const { return static_cast<double>(table_.size()); }

 private:
  ax::ExtensionTable table_;
};

}  // namespace
}  // namespace flexcore::bindings

EMSCRIPTEN_BINDINGS(flexcore_agent_extensions) {
  using namespace flexcore::bindings;
  emscripten::function("_validateExtension", &validate_extension_js);
  emscripten::function("_queryExtensions", &query_extensions_js);
  emscripten::function("_diffExtensions", &diff_extensions_js);
  emscripten::function("_buildLookupTable", &build_lookup_table_js);
  emscripten::class_<ExtensionTableHandle>("_ExtensionTable")
      .constructor<>()
      .function("load", &ExtensionTableHandle::load)
      .function("query", &ExtensionTableHandle::query)
      .function("size", &ExtensionTableHandle::size);
}
