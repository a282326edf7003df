#include "store/drafts.h"

#include "util/assert.h"

namespace hearth::store {
namespace {

Bytes draft_ad(std::string_view name) {
  Bytes ad;
  append(ad, std::string_view("hearth/draft/v1"));
  append(ad, name);
  return ad;
}

}  // namespace

bool valid_draft_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxDraftName) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status Drafts::put(std::string_view name, std::string_view text, int64_t now_ms) {
  HEARTH_ASSERT(valid_draft_name(name), "draft name not checked");
  HEARTH_ASSERT(text.size() <= kMaxDraftText, "draft size not checked");
  if (text.empty()) return discard(name);
  Bytes sealed = keys_.seal_local(as_bytes(text), draft_ad(name));
  Query st = db_.prepare(
      "INSERT INTO drafts (name, updated_ms, body) VALUES (?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET updated_ms = excluded.updated_ms, body = excluded.body");
  st.bind_text(1, name).bind(2, now_ms).bind(3, sealed);
  return st.run();
}

Result<DraftItem> Drafts::get(std::string_view name) {
  Query st = db_.prepare("SELECT updated_ms, body FROM drafts WHERE name = ?");
  st.bind_text(1, name);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) return DraftItem{};
  DraftItem item;
  item.updated_ms = st.int64(0);
  auto plain = keys_.open_local(st.blob(1), draft_ad(name));
  if (!plain) return plain.status().with_context("draft");
  item.text.assign(reinterpret_cast<const char*>(plain->data()), plain->size());
  return item;
}

Status Drafts::discard(std::string_view name) {
  Query st = db_.prepare("DELETE FROM drafts WHERE name = ?");
  st.bind_text(1, name);
  return st.run();
}

}  // namespace hearth::store
