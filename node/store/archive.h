// The reader's archive (docs/DESIGN.md §5.1): entries hidden from this
// device's lists without being forgotten. A local fact: never sent, never
// told to the author, kept through a rebuild. Owns the table `archived`.
#pragma once

#include "model/entry.h"
#include "store/authors.h"
#include "store/db.h"

namespace hearth::store {

enum class ArchiveKind : int { kReflection = 0, kCheckIn = 1 };

class Archive {
 public:
  Archive(Db& db, Authors& authors) : db_(db), authors_(authors) {}
  // Archives (or, with archived false, takes out of the archive) one entry.
  Status set(ArchiveKind kind, const model::DeviceKey& author, const model::EntityId& id,
             bool archived, int64_t now_ms);

 private:
  Db& db_;
  Authors& authors_;
};

}  // namespace hearth::store
