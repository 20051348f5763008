#include "agent_extensions/sync_store.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "log.h"
#include "runtime.h"

namespace flexcore::server::agent_extensions {
namespace {

namespace ax = flexcore::agent_extensions;
using nlohmann::json;

std::string row_json(const Extension& row) { return ax::to_json(row, ax::RowShape::Draft); }

json item_data(const Extension& row) {
  return json{{"workerFullName", row.worker_full_name},
              {"extensionNumber", row.extension_number},
              {"workerSid", row.worker_sid},
              {"updatedBy", row.updated_by},
              {"updatedAt", row.updated_at}};
}

// A draft item's data as a row, or why it is malformed (hand-edited items are skipped, never fatal).
Result<Extension> row_of_item(const upstream::SyncItem& item) {
  if (!item.data.is_object()) {
    return Error{ErrorCode::InvalidArgument, "data is " + std::string(item.data.type_name()) + ", not an object"};
  }
  Extension row;
  const std::pair<const char*, std::string*> members[] = {{"workerFullName", &row.worker_full_name},
                                                          {"extensionNumber", &row.extension_number},
                                                          {"workerSid", &row.worker_sid},
                                                          {"updatedBy", &row.updated_by},
                                                          {"updatedAt", &row.updated_at}};
  for (const auto& [name, target] : members) {
    const auto it = item.data.find(name);
    if (it == item.data.end() || it->is_null()) continue;
    if (!it->is_string()) {
      return Error{ErrorCode::InvalidArgument,
                   std::string(name) + " is " + std::string(it->type_name()) + ", not a string"};
    }
    *target = it->get<std::string>();
  }
  if (row.worker_sid.empty()) row.worker_sid = item.key;  // the seed's key = workerSid
  if (row.worker_sid != item.key) {
    return Error{ErrorCode::InvalidArgument, "workerSid " + row.worker_sid + " differs from the item key"};
  }
  if (row.extension_number.empty()) return Error{ErrorCode::InvalidArgument, "extensionNumber is missing"};
  return row;
}

std::string text_of(const json& value, std::string_view name) {
  const auto it = value.find(std::string(name));
  return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error internal(std::string message) {
  return Error{ErrorCode::Internal, "agent extensions Sync store: " + std::move(message)};
}

const std::string kStaleVersion = "Provided version SID is not the latest deployed asset version SID";

bool valid_meta(const json& meta) {
  return meta.is_object() && !text_of(meta, "buildSid").empty() && !text_of(meta, "version").empty() &&
         meta.contains("chunks") && meta["chunks"].is_number_integer();
}

}  // namespace

SyncExtensionStore::SyncExtensionStore(std::unique_ptr<upstream::SyncClient> client, Sids sids,
                                       std::shared_ptr<spdlog::logger> logger, SidGenerator sid_generator)
    : client_(std::move(client)), sids_(std::move(sids)), logger_(std::move(logger)),
      sid_generator_(std::move(sid_generator)) {}

SyncExtensionStore::~SyncExtensionStore() = default;

Result<std::unique_ptr<SyncExtensionStore>> SyncExtensionStore::open(std::unique_ptr<upstream::SyncClient> client,
                                                                     SyncStoreNames names,
                                                                     std::shared_ptr<spdlog::logger> logger,
                                                                     SidGenerator sids) {
  if (!sids) sids = [](std::string_view prefix) { return std::string(prefix) + random_hex(16); };
  Sids resolved;
  auto service = client->ensure_service(names.service);
  if (!service) return service.error();
  resolved.service = service.value();
  auto draft_map = client->ensure_map(resolved.service, names.draft_map);
  if (!draft_map) return draft_map.error();
  resolved.draft_map = draft_map.value();
  auto builds_map = client->ensure_map(resolved.service, names.builds_map);
  if (!builds_map) return builds_map.error();
  resolved.builds_map = builds_map.value();
  auto audit_list = client->ensure_list(resolved.service, names.audit_list);
  if (!audit_list) return audit_list.error();
  resolved.audit_list = audit_list.value();

  std::unique_ptr<SyncExtensionStore> store(
      new SyncExtensionStore(std::move(client), resolved, std::move(logger), std::move(sids)));
  // The document: fetched, or created pointing at an empty build (written first, so the pointer is valid).
  auto existing = store->client_->fetch_document(resolved.service, names.document);
  if (!existing && existing.error().code != ErrorCode::NotFound) return existing.error();
  if (!existing) {
    const Actor system{"flexcore-server", iso8601_now()};
    auto initial = store->write_build({}, system);
    if (!initial) return initial.error();
    json deployed = initial.value();
    deployed["deploymentSid"] = store->sid_generator_("ZD");
    existing = store->client_->ensure_document(resolved.service, names.document,
                                               json{{"latest", initial.value()}, {"deployed", deployed}});
    if (!existing) return existing.error();
  }
  store->sids_.document = existing.value().sid;
  auto doc = store->document();
  if (!doc) return doc.error();
  return store;
}

Result<nlohmann::json> SyncExtensionStore::write_build(const std::vector<Extension>& rows, const Actor& actor) {
  const std::string build_sid = sid_generator_("ZB");
  const std::string version = sid_generator_("ZN");
  // Chunks first (new keys: nothing else reads them until the meta item and the document point at them).
  std::size_t chunk = 0;
  json current = json::array();
  std::size_t bytes = 0;
  auto flush = [&]() -> Status {
    auto written = client_->create_map_item(sids_.service, sids_.builds_map, build_sid + "_" + std::to_string(chunk),
                                            json{{"rows", current}});
    if (!written) return written.error();
    ++chunk;
    current = json::array();
    bytes = 0;
    return ok_status();
  };
  for (const auto& row : rows) {
    const std::string text = ax::to_json(row, ax::RowShape::Published);
    if (bytes + text.size() > kBuildChunkBytes && !current.empty()) {
      if (auto flushed = flush(); !flushed) return flushed.error();
    }
    current.push_back(json::parse(text));
    bytes += text.size() + 1;
  }
  if (!current.empty()) {
    if (auto flushed = flush(); !flushed) return flushed.error();
  }
  json meta{{"buildSid", build_sid}, {"version", version},   {"status", "completed"},
            {"rowCount", rows.size()}, {"chunks", chunk}, {"createdBy", actor.identity},
            {"createdAt", actor.at}};
  auto written = client_->create_map_item(sids_.service, sids_.builds_map, build_sid, meta);
  if (!written) return written.error();
  {
    std::lock_guard lock(cache_mutex_);
    rows_cache_[build_sid] = std::make_shared<const std::vector<Extension>>(rows);
  }
  return meta;
}

Result<SyncExtensionStore::Doc> SyncExtensionStore::document() {
  auto fetched = client_->fetch_document(sids_.service, sids_.document);
  if (!fetched) return fetched.error();
  const auto& data = fetched.value().data;
  if (!data.is_object() || !valid_meta(data.value("latest", json())) || !valid_meta(data.value("deployed", json()))) {
    return internal("document " + sids_.document + " does not hold valid \"latest\" and \"deployed\" builds");
  }
  return Doc{data["latest"], data["deployed"], fetched.value().revision};
}

Result<std::vector<Extension>> SyncExtensionStore::build_rows(const nlohmann::json& meta) {
  const std::string build_sid = text_of(meta, "buildSid");
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = rows_cache_.find(build_sid); it != rows_cache_.end()) return *it->second;
  }
  std::vector<Extension> rows;
  const auto chunks = meta["chunks"].get<long long>();
  for (long long n = 0; n < chunks; ++n) {
    auto item = client_->fetch_map_item(sids_.service, sids_.builds_map, build_sid + "_" + std::to_string(n));
    if (!item) return item.error();
    if (!item.value() || !item.value()->data.is_object() || !item.value()->data.contains("rows")) {
      return internal("build " + build_sid + " chunk " + std::to_string(n) + " is missing or malformed");
    }
    auto parsed = ax::parse_extensions(item.value()->data["rows"].dump(), "published");
    if (!parsed) return internal("build " + build_sid + ": " + parsed.error().message);
    for (auto& row : parsed.value()) rows.push_back(std::move(row));
  }
  std::lock_guard lock(cache_mutex_);
  if (rows_cache_.size() > 8) rows_cache_.clear();  // builds are immutable; keep only a few
  rows_cache_[build_sid] = std::make_shared<const std::vector<Extension>>(rows);
  return rows;
}

Result<PublishedState> SyncExtensionStore::state_of(const Doc& doc) {
  auto rows = build_rows(doc.deployed);
  if (!rows) return rows.error();
  PublishedState state;
  state.rows = std::move(rows).value();
  state.version = text_of(doc.latest, "version");
  state.latest_build_sid = text_of(doc.latest, "buildSid");
  state.deployed_build_sid = text_of(doc.deployed, "buildSid");
  state.deployed_version = text_of(doc.deployed, "version");
  state.version_is_deployed = state.latest_build_sid == state.deployed_build_sid;
  return state;
}

Result<std::vector<SyncExtensionStore::DraftItem>> SyncExtensionStore::draft_items() {
  std::size_t skipped = 0;
  auto items = client_->map_items(sids_.service, sids_.draft_map, &skipped);
  if (!items) return items.error();
  if (skipped > 0) {
    log_event(*logger_, spdlog::level::warn, "agent extensions: malformed Sync map items skipped",
              {{"map", sids_.draft_map}, {"count", skipped}});
  }
  std::vector<DraftItem> out;
  out.reserve(items.value().size());
  for (const auto& item : items.value()) {
    auto row = row_of_item(item);
    if (!row) {
      log_event(*logger_, spdlog::level::warn, "agent extensions: malformed Sync map item skipped",
                {{"map", sids_.draft_map}, {"key", item.key}, {"problem", row.error().message}});
      continue;
    }
    out.push_back(DraftItem{std::move(row).value(), item.revision});
  }
  std::sort(out.begin(), out.end(),
            [](const DraftItem& a, const DraftItem& b) { return a.row.worker_sid < b.row.worker_sid; });
  return out;
}

Result<std::vector<Extension>> SyncExtensionStore::draft() {
  auto items = draft_items();
  if (!items) return items.error();
  std::vector<Extension> rows;
  rows.reserve(items.value().size());
  for (auto& item : items.value()) rows.push_back(std::move(item.row));
  return rows;
}

Result<PublishedState> SyncExtensionStore::published() {
  auto doc = document();
  if (!doc) return doc.error();
  return state_of(doc.value());
}

Status SyncExtensionStore::append_audit(const Actor& actor, std::string_view action, std::string_view worker_sid,
                                        const std::string& before, const std::string& after) {
  auto appended = client_->append_list_item(sids_.service, sids_.audit_list,
                                            json{{"at", actor.at},
                                                 {"actor", actor.identity},
                                                 {"action", std::string(action)},
                                                 {"workerSid", std::string(worker_sid)},
                                                 {"before", before},
                                                 {"after", after}});
  if (!appended) {
    log_event(*logger_, spdlog::level::err, "agent extensions: audit entry not written",
              {{"action", std::string(action)}, {"workerSid", std::string(worker_sid)},
               {"error", appended.error().message}});
    return appended.error();
  }
  return ok_status();
}

Result<DraftOutcome> SyncExtensionStore::change_draft(DraftAction action, const Extension& entry, const Actor& actor,
                                                      const ValidationOptions& options) {
  auto checked = ax::check_validation_options(options);
  if (!checked) return checked.error();
  std::lock_guard lock(write_mutex_);
  auto items = draft_items();
  if (!items) return items.error();
  const DraftItem* current = nullptr;
  for (const auto& item : items.value()) {
    if (item.row.worker_sid == entry.worker_sid) current = &item;
  }
  const std::string lost_race = "the agent extension of " + entry.worker_sid +
                                " was changed by someone else meanwhile; reload and try again";
  DraftOutcome outcome;
  if (action == DraftAction::Delete) {
    if (!current) return Error{ErrorCode::NotFound, "workerSid " + entry.worker_sid + " has no extension"};
    auto deleted = client_->delete_map_item(sids_.service, sids_.draft_map, entry.worker_sid, current->revision);
    if (!deleted) {
      if (deleted.error().code == ErrorCode::Conflict) return Error{ErrorCode::Conflict, lost_race};
      if (deleted.error().code == ErrorCode::NotFound) {
        return Error{ErrorCode::NotFound, "workerSid " + entry.worker_sid + " has no extension"};
      }
      return deleted.error();
    }
    (void)append_audit(actor, "delete", entry.worker_sid, row_json(current->row), "");
    outcome.row = current->row;
    return outcome;
  }
  if (action == DraftAction::Create && current) {
    return Error{ErrorCode::AlreadyExists, "workerSid " + entry.worker_sid + " already has extension " +
                                               current->row.extension_number + "; edit that row instead"};
  }
  if (action == DraftAction::Update && !current) {
    return Error{ErrorCode::NotFound, "workerSid " + entry.worker_sid + " has no extension to update"};
  }
  auto first = ax::validate_extension(entry, {}, options);
  if (!first) return first.error();
  std::vector<Extension> holders;
  for (const auto& item : items.value()) {
    if (item.row.worker_sid != entry.worker_sid &&
        item.row.extension_number == first.value().entry.extension_number) {
      holders.push_back(item.row);
    }
  }
  auto validation = ax::validate_extension(entry, holders, options);
  if (!validation) return validation.error();
  outcome.validation = std::move(validation).value();
  if (!outcome.validation.ok()) return outcome;  // nothing written

  Extension row = outcome.validation.entry;
  row.updated_by = actor.identity;
  row.updated_at = actor.at;
  if (action == DraftAction::Create) {
    auto created = client_->create_map_item(sids_.service, sids_.draft_map, row.worker_sid, item_data(row));
    if (!created) {
      if (created.error().code == ErrorCode::AlreadyExists) {
        return Error{ErrorCode::AlreadyExists, "workerSid " + row.worker_sid +
                                                   " got an extension from someone else meanwhile; edit that row instead"};
      }
      return created.error();
    }
    (void)append_audit(actor, "create", row.worker_sid, "", row_json(row));
  } else {
    auto updated =
        client_->update_map_item(sids_.service, sids_.draft_map, row.worker_sid, item_data(row), current->revision);
    if (!updated) {
      if (updated.error().code == ErrorCode::Conflict || updated.error().code == ErrorCode::NotFound) {
        return Error{ErrorCode::Conflict, lost_race};
      }
      return updated.error();
    }
    (void)append_audit(actor, "update", row.worker_sid, row_json(current->row), row_json(row));
  }
  outcome.row = std::move(row);
  return outcome;
}

Result<BuildInfo> SyncExtensionStore::prepare_publish(const std::vector<Extension>& rows,
                                                      std::string_view expected_version, const Actor& actor,
                                                      const ValidationOptions& options) {
  // Validate the set (the core's rule) before touching the store; repeated workerSids below (diff_extensions).
  auto validated = ax::validate_extension_set(rows, options);
  if (!validated) return validated.error();
  std::vector<Extension> normalised = std::move(validated).value();

  std::lock_guard lock(write_mutex_);
  auto doc = document();
  if (!doc) return doc.error();
  if (text_of(doc.value().latest, "version") != expected_version) return Error{ErrorCode::Conflict, kStaleVersion};
  auto items = draft_items();
  if (!items) return items.error();
  std::vector<Extension> current;
  current.reserve(items.value().size());
  for (const auto& item : items.value()) current.push_back(item.row);
  auto diff = ax::diff_extensions(normalised, current);  // a repeated workerSid → InvalidArgument "draft[…]"
  if (!diff) {
    Error error = diff.error();
    if (error.message.rfind("draft", 0) == 0) error.message.replace(0, 5, "data");
    return error;
  }
  std::unordered_map<std::string, const DraftItem*> by_sid;
  for (const auto& item : items.value()) by_sid.emplace(item.row.worker_sid, &item);
  std::unordered_map<std::string, bool> changed;
  for (const auto& change : diff.value().changed) changed.emplace(change.after.worker_sid, true);
  for (auto& row : normalised) {
    const auto old = by_sid.find(row.worker_sid);
    const bool same = old != by_sid.end() && !changed.count(row.worker_sid);
    row.updated_by = same ? old->second->row.updated_by : actor.identity;
    row.updated_at = same ? old->second->row.updated_at : actor.at;
  }

  // 1. The build (immutable items), 2. the document write making it the latest — the commit point, guarded
  // by If-Match so a concurrent /admin/update cannot be lost — 3. the draft rows, each with If-Match.
  auto meta = write_build(normalised, actor);
  if (!meta) return meta.error();
  json data{{"latest", meta.value()}, {"deployed", doc.value().deployed}};
  auto written = client_->update_document(sids_.service, sids_.document, data, doc.value().revision);
  if (!written) {
    if (written.error().code == ErrorCode::Conflict) return Error{ErrorCode::Conflict, kStaleVersion};
    return written.error();
  }
  std::vector<std::string> draft_failures;
  for (const auto& row : normalised) {
    const auto old = by_sid.find(row.worker_sid);
    if (old == by_sid.end()) {
      auto created = client_->create_map_item(sids_.service, sids_.draft_map, row.worker_sid, item_data(row));
      if (!created) draft_failures.push_back(row.worker_sid + ": " + created.error().message);
      (void)append_audit(actor, "replace-add", row.worker_sid, "", row_json(row));
    } else if (changed.count(row.worker_sid)) {
      auto updated = client_->update_map_item(sids_.service, sids_.draft_map, row.worker_sid, item_data(row),
                                              old->second->revision);
      if (!updated) draft_failures.push_back(row.worker_sid + ": " + updated.error().message);
      (void)append_audit(actor, "replace-change", row.worker_sid, row_json(old->second->row), row_json(row));
    }
  }
  for (const auto& removed : diff.value().removed) {
    auto deleted = client_->delete_map_item(sids_.service, sids_.draft_map, removed.worker_sid,
                                            by_sid.at(removed.worker_sid)->revision);
    if (!deleted) draft_failures.push_back(removed.worker_sid + ": " + deleted.error().message);
    (void)append_audit(actor, "replace-remove", removed.worker_sid, row_json(removed), "");
  }
  (void)append_audit(actor, "build", "",
                     json{{"version", text_of(doc.value().latest, "version")},
                          {"buildSid", text_of(doc.value().latest, "buildSid")}}
                         .dump(),
                     json{{"version", meta.value()["version"]}, {"buildSid", meta.value()["buildSid"]},
                          {"rows", normalised.size()}}
                         .dump());
  if (!draft_failures.empty()) {
    // The build is prepared (and publishable); the draft rows that changed meanwhile keep the other write.
    log_event(*logger_, spdlog::level::warn, "agent extensions: draft rows changed during /admin/update",
              {{"buildSid", meta.value()["buildSid"]}, {"rows", draft_failures}});
  }
  return BuildInfo{text_of(meta.value(), "buildSid"), text_of(meta.value(), "version"), "completed",
                   normalised.size()};
}

Result<BuildInfo> SyncExtensionStore::build(std::string_view build_sid) {
  auto item = client_->fetch_map_item(sids_.service, sids_.builds_map, build_sid);
  if (!item) return item.error();
  if (!item.value() || !valid_meta(item.value()->data)) {
    return Error{ErrorCode::NotFound, "build " + std::string(build_sid) + " not found"};
  }
  const auto& meta = item.value()->data;
  return BuildInfo{text_of(meta, "buildSid"), text_of(meta, "version"), text_of(meta, "status"),
                   meta.value("rowCount", std::size_t{0})};
}

Result<std::vector<Extension>> SyncExtensionStore::build_rows(std::string_view build_sid) {
  auto item = client_->fetch_map_item(sids_.service, sids_.builds_map, build_sid);
  if (!item) return item.error();
  if (!item.value() || !valid_meta(item.value()->data)) {
    return Error{ErrorCode::NotFound, "build " + std::string(build_sid) + " not found"};
  }
  const json meta = item.value()->data;
  return build_rows(meta);
}

Result<PublishOutcome> SyncExtensionStore::publish(std::string_view build_sid, const Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto doc = document();
  if (!doc) return doc.error();
  auto item = client_->fetch_map_item(sids_.service, sids_.builds_map, build_sid);
  if (!item) return item.error();
  if (!item.value() || !valid_meta(item.value()->data)) {
    return Error{ErrorCode::NotFound, "build " + std::string(build_sid) + " not found"};
  }
  const json meta = item.value()->data;
  if (text_of(meta, "status") != "completed") {
    return Error{ErrorCode::Conflict, "build " + std::string(build_sid) + " is " + text_of(meta, "status") +
                                          ", not completed"};
  }
  if (text_of(doc.value().latest, "buildSid") != build_sid) {
    return Error{ErrorCode::Conflict, "build " + std::string(build_sid) +
                                          " is not the latest build: agent extensions were updated by someone "
                                          "else; reload and try again"};
  }
  PublishOutcome outcome;
  Doc next = doc.value();
  if (text_of(doc.value().deployed, "buildSid") == build_sid) {
    outcome.deployment_sid = text_of(doc.value().deployed, "deploymentSid");
    outcome.already_deployed = true;
  } else {
    outcome.deployment_sid = sid_generator_("ZD");
    next.deployed = meta;
    next.deployed["deploymentSid"] = outcome.deployment_sid;
    // The rows must be readable before the pointer moves (so the live set can be built from them).
    auto rows = build_rows(meta);
    if (!rows) return rows.error();
    auto written = client_->update_document(sids_.service, sids_.document,
                                            json{{"latest", next.latest}, {"deployed", next.deployed}},
                                            doc.value().revision);
    if (!written) {
      if (written.error().code == ErrorCode::Conflict) {
        return Error{ErrorCode::Conflict, "another publish or update happened meanwhile; reload and try again"};
      }
      return written.error();
    }
    (void)append_audit(actor, "publish", "",
                       json{{"buildSid", text_of(doc.value().deployed, "buildSid")},
                            {"version", text_of(doc.value().deployed, "version")}}
                           .dump(),
                       json{{"buildSid", std::string(build_sid)},
                            {"version", text_of(meta, "version")},
                            {"deploymentSid", outcome.deployment_sid}}
                           .dump());
  }
  auto state = state_of(next);
  if (!state) return state.error();
  outcome.state = std::move(state).value();
  return outcome;
}

Result<AuditPage> SyncExtensionStore::audit(std::uint32_t page, std::uint32_t page_size) {
  if (page < 1) return Error{ErrorCode::InvalidArgument, "page must be at least 1, got " + std::to_string(page)};
  if (page_size < 1 || page_size > 1000) {
    return Error{ErrorCode::InvalidArgument, "pageSize must be between 1 and 1000, got " + std::to_string(page_size)};
  }
  AuditPage out;
  out.page = page;
  out.page_size = page_size;
  // List indexes only grow and entries are never removed: total = newest − oldest + 1.
  auto newest = client_->list_items_page(sids_.service, sids_.audit_list, upstream::SyncOrder::Descending,
                                         std::nullopt, 1);
  if (!newest) return newest.error();
  if (newest.value().empty()) return out;
  auto oldest = client_->list_items_page(sids_.service, sids_.audit_list, upstream::SyncOrder::Ascending,
                                         std::nullopt, 1);
  if (!oldest) return oldest.error();
  if (oldest.value().empty()) return out;
  const std::int64_t top = newest.value()[0].index;
  const std::int64_t bottom = oldest.value()[0].index;
  out.total = static_cast<std::size_t>(top - bottom + 1);
  std::int64_t from = top - static_cast<std::int64_t>(page - 1) * page_size;
  std::size_t wanted = page_size;
  while (wanted > 0 && from >= bottom) {
    const int chunk = static_cast<int>(std::min<std::size_t>(wanted, 100));
    auto items = client_->list_items_page(sids_.service, sids_.audit_list, upstream::SyncOrder::Descending, from,
                                          chunk);
    if (!items) return items.error();
    if (items.value().empty()) break;
    for (const auto& item : items.value()) {
      if (wanted == 0) break;
      if (!item.data.is_object()) continue;
      out.items.push_back(AuditEntry{item.index + 1, text_of(item.data, "at"), text_of(item.data, "actor"),
                                     text_of(item.data, "action"), text_of(item.data, "workerSid"),
                                     text_of(item.data, "before"), text_of(item.data, "after")});
      --wanted;
    }
    from = items.value().back().index - 1;
  }
  return out;
}

}  // namespace flexcore::server::agent_extensions
