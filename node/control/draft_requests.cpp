#include "control/draft_requests.h"

#include <string>

#include "control/responses.h"
#include "store/drafts.h"

namespace hearth::control {
namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

// The name checked before anything is stored or read.
std::optional<Bytes> bad_name(capnp::Text::Reader name) {
  if (store::valid_draft_name(std::string_view(name.begin(), name.size()))) return std::nullopt;
  return error_frame(ErrorCode::USAGE, "a draft's name is 1 to 32 of a-z, 0-9 and -");
}

}  // namespace

Bytes draft_put(runtime::Unlocked& u, DraftPut::Reader r) {
  if (auto bad = bad_name(r.getName())) return *bad;
  if (r.getText().size() > store::kMaxDraftText)
    return error_frame(ErrorCode::USAGE, "a draft holds at most 64 KiB, as a reflection does");
  store::Drafts drafts(u.store->db(), u.store->keys());
  Status st = drafts.put(text_of(r.getName()), text_of(r.getText()), u.clock_ms());
  return st.is_ok() ? ok_frame() : error_frame(st);
}

Bytes draft_get(runtime::Unlocked& u, DraftRef::Reader r) {
  if (auto bad = bad_name(r.getName())) return *bad;
  store::Drafts drafts(u.store->db(), u.store->keys());
  auto item = drafts.get(text_of(r.getName()));
  if (!item) return error_frame(item.status());
  return response_frame([&](Response::Builder out) {
    auto d = out.initDraft();
    d.setName(r.getName());
    d.setText(item->text);
    d.setUpdatedAt(item->updated_ms);
  });
}

Bytes draft_discard(runtime::Unlocked& u, DraftRef::Reader r) {
  if (auto bad = bad_name(r.getName())) return *bad;
  store::Drafts drafts(u.store->db(), u.store->keys());
  Status st = drafts.discard(text_of(r.getName()));
  return st.is_ok() ? ok_frame() : error_frame(st);
}

}  // namespace hearth::control
