// The read side: views joined with the words they point at, decrypted on
// read. Results are plain values for the control layer to present.
#pragma once

#include <functional>
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
  bool archived = false;         // archived on this device
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
  struct Reply {
    model::DeviceKey author{};
    int64_t wall_ms = 0;
    std::string text;
  };
  std::vector<Reply> replies;  // the other partner's answers to its need, oldest first
  bool archived = false;
};

// One author's pause as this device sees it.
struct PauseItem {
  model::DeviceKey author{};
  model::PauseView view;
  model::PauseWindow window;  // on this device's clock (model/pause.h)
  std::string note;
};

struct Counts {
  uint32_t reflections = 0;
  uint32_t boundaries = 0;
  uint32_t check_ins = 0;
};

// Read queries. While this device's own pause is active (by `clock`), what
// the partner shared during it is held back (store/arrivals.h): lists,
// look-ups by ID and counts leave it out, and waiting() counts it.
class Reader {
 public:
  using Clock = std::function<int64_t()>;  // ms since the Unix epoch
  // Without a clock nothing is ever held back (exports, tests).
  explicit Reader(Store& store, Clock clock = {}) : store_(store), clock_(std::move(clock)) {}

  // Newest first by creation; limit 0: all. Forgotten reflections are gone.
  // archived: the archived ones only; else all but those. Words that do not
  // open show as kUnavailableText (boundaries too; notes that do not open
  // are left out, and so are check-ins).
  Result<std::vector<ReflectionItem>> reflections(uint32_t limit, bool with_history,
                                                  bool archived = false);
  Result<ReflectionItem> reflection(const model::ReflectionKey& key, bool with_history);
  // One page of an export: archived or not, with history, oldest first by
  // (created_ms, reflection ID, whether this device wrote it), at most
  // `limit` after `after` (none: from the oldest). It reads an index range,
  // so a page costs the same at any size of the journal.
  struct PageCursor {
    int64_t created_ms = 0;
    model::EntityId id{};
    bool mine = false;
  };
  Result<std::vector<ReflectionItem>> reflection_page(const std::optional<PageCursor>& after,
                                                      uint32_t limit);
  // Reflections whose ID starts or ends with the hex text (case-insensitive):
  // the CLI shows the random end of an ID (its last 8 hex characters).
  Result<std::vector<model::ReflectionKey>> find_reflections(std::string_view hex_prefix);

  // Current ones first: limits (this device's, then the partner's), then
  // agreements in force, then what waits for an answer, each newest first;
  // with_history adds withdrawn, retired and declined ones after them.
  Result<std::vector<BoundaryItem>> boundaries(uint32_t limit, bool with_history);
  Result<BoundaryItem> boundary(const model::EntityId& id);
  Result<std::vector<model::EntityId>> find_boundaries(std::string_view hex_prefix);

  // Newest first; forgotten ones are gone. archived: as for reflections.
  Result<std::vector<CheckInItem>> check_ins(uint32_t limit, bool archived = false);
  Result<CheckInItem> check_in(const model::DeviceKey& author, const model::EntityId& id);
  Result<std::vector<model::CheckInKey>> find_check_ins(std::string_view hex_prefix);

  Result<PauseItem> pause(const model::DeviceKey& author);
  Result<Counts> counts();
  // How many of the partner's entries wait until this device's pause ends.
  Result<uint32_t> waiting();
  // Whether the partner's entries that arrived during this device's pause
  // are held back now.
  Result<bool> holding();

 private:
  Result<ReflectionItem> load_reflection(const model::ReflectionKey& key,
                                         const model::ReflectionView& view, bool with_history);
  Store& store_;
  Clock clock_;
};

// "0A1B…" from user input: 4..32 hex characters, else kInvalidArgument.
Result<std::string> normalize_id_prefix(std::string_view text);

}  // namespace hearth::store
