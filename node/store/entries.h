// Reads any entry back as a model::Entry: shared events are opened with the
// author's log key, private entries with the local key.
#pragma once

#include "store/event_log.h"
#include "store/private_log.h"

namespace hearth::store {

class EntryLoader {
 public:
  EntryLoader(EventLog& events, PrivateLog& privates, const Keyring& keys)
      : events_(events), privates_(privates), keys_(keys) {}

  // kNotFound for a forgotten body (the words are gone).
  Result<model::Entry> load(const model::EntryRef& ref);
  Result<model::Entry> load_event(const StoredEvent& event);

 private:
  EventLog& events_;
  PrivateLog& privates_;
  const Keyring& keys_;
};

// The meta of a shared event from its header and ID (wire::event_id).
model::EntryMeta event_meta(const wire::EventHeader& header, const Hash32& id, int64_t row);

}  // namespace hearth::store
