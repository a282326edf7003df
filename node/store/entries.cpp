#include "store/entries.h"

namespace hearth::store {

model::EntryMeta event_meta(const wire::EventHeader& header, const Hash32& id, int64_t row) {
  model::EntryMeta m;
  m.order = {header.lamport, header.author};
  m.wall_ms = header.wall_ms;
  m.ref = {model::EntryRef::Source::kShared, row};
  m.event_id = id;
  return m;
}

Result<model::Entry> EntryLoader::load(const model::EntryRef& ref) {
  if (ref.source == model::EntryRef::Source::kPrivate) return privates_.load(ref.row);
  HEARTH_ASSIGN_OR_RETURN(StoredEvent e, events_.read_row(ref.row));
  return load_event(e);
}

Result<model::Entry> EntryLoader::load_event(const StoredEvent& e) {
  HEARTH_ASSIGN_OR_RETURN(wire::EventHeader header, wire::decode_header(e.header));
  if (!e.body) return Status::not_found("the words of this entry were forgotten");
  const Secret* key = keys_.log_key_for(header.author, header.seq);
  if (key == nullptr) return Status::not_found("no log key for this author");
  model::Entry entry;
  entry.meta = event_meta(header, wire::event_id(e.header), e.row);
  HEARTH_ASSIGN_OR_RETURN(entry.payload, wire::open_event_body(*key, header, *e.body));
  return entry;
}

}  // namespace hearth::store
