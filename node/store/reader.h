// The read side: views joined with the words they point at, decrypted on
// read. Results are plain values for the control layer to present.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/state.h"
#include "store/store.h"

namespace hearth::store {

// The words shown for an entry this device holds but cannot open (its body
// does not decrypt or decode with the key held for it): listings, exports
// and rebuilds go on without it rather than fail.
inline constexpr std::string_view kUnavailableText =
    "[this entry cannot be opened on this device: its words do not open with the key held "
    "for them]";

struct ReflectionItem {
  model::ReflectionKey key;
  model::ReflectionView view;
  model::ReflectionPut current;  // the words of the latest version
  struct Version {
    int64_t wall_ms = 0;
    bool shared = false;
    model::ReflectionPut put;
  };
  std::vector<Version> history;  // oldest first; filled on request
  uint64_t head_seq = 0;         // seq of the latest shared version in the author's log
  bool unavailable = false;      // the latest version does not open (kUnavailableText)
};

struct BoundaryItem {
  model::EntityId id{};
  model::BoundaryView view;
  model::BoundaryFacts facts;
  struct Revision {
    model::RevisionFact fact;
    model::BoundaryPropose words;
  };
  std::vector<Revision> revisions;  // in order; number = index + 1
  std::map<model::EntryRef, std::string> notes;  // response and withdrawal notes by entry
};

struct CheckInItem {
  model::DeviceKey author{};
  model::CheckInView view;
  model::CheckIn words;
};

struct PauseItem {
  model::PauseView view;
  std::string note;
};

struct Counts {
  uint32_t reflections = 0;
  uint32_t boundaries = 0;
  uint32_t check_ins = 0;
};

class Reader {
 public:
  explicit Reader(Store& store) : store_(store) {}

  // Newest first by creation; limit 0: all. Forgotten reflections are gone.
  // Words that do not open show as kUnavailableText (boundaries too; notes
  // that do not open are left out, and so are check-ins).
  Result<std::vector<ReflectionItem>> reflections(uint32_t limit, bool with_history);
  Result<ReflectionItem> reflection(const model::ReflectionKey& key, bool with_history);
  // Reflections whose ID starts or ends with the hex text (case-insensitive):
  // the CLI shows the random end of an ID (its last 8 hex characters).
  Result<std::vector<model::ReflectionKey>> find_reflections(std::string_view hex_prefix);

  Result<std::vector<BoundaryItem>> boundaries(uint32_t limit);
  Result<BoundaryItem> boundary(const model::EntityId& id);
  Result<std::vector<model::EntityId>> find_boundaries(std::string_view hex_prefix);

  Result<std::vector<CheckInItem>> check_ins(uint32_t limit);
  Result<CheckInItem> check_in(const model::DeviceKey& author, const model::EntityId& id);
  Result<PauseItem> pause();
  Result<Counts> counts();

 private:
  Result<ReflectionItem> load_reflection(const model::ReflectionKey& key,
                                         const model::ReflectionView& view, bool with_history);
  Store& store_;
};

// "0A1B…" from user input: 4..32 hex characters, else kInvalidArgument.
Result<std::string> normalize_id_prefix(std::string_view text);

}  // namespace hearth::store
