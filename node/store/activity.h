// The activity log behind `hearth log`: what the daemon did on the network
// and why (docs/DESIGN.md §1.4). Messages are Hearth's own words: device IDs,
// addresses, counts, reasons; never anything a person wrote.
//
// At rest each entry is sealed with the local key (PROTOCOL.md §6): the
// table shows how many entries there are and which bucket each is in,
// nothing of when, where or with whom. Two buckets, each trimmed to its own
// newest entries, so a flood of refused strangers can never push out what
// the daemon did with the partner: kGeneral keeps kMaxEntries, kRefusals
// (connections refused before anything was learned) keeps kMaxRefusals.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/keyring.h"

namespace hearth::store {

struct ActivityEntry {
  int64_t at_ms = 0;
  std::string level;  // "info" | "warn" | "error"
  std::string message;
  bool operator==(const ActivityEntry&) const = default;
};

enum class ActivityBucket { kGeneral = 0, kRefusals = 1 };

class Activity {
 public:
  static constexpr int64_t kMaxEntries = 10'000;
  static constexpr int64_t kMaxRefusals = 1'000;

  Activity(Db& db, const Keyring& keys) : db_(db), keys_(keys) {}
  // `partner_address` names the address of the partner's device the message
  // mentions, if any ("host:port" as written in it): unpairing forgets it
  // (forget_partner_addresses). Trims the bucket to its newest entries.
  Status append(std::string_view level, std::string_view message, int64_t at_ms,
                ActivityBucket bucket = ActivityBucket::kGeneral,
                std::string_view partner_address = {});
  // Newest first, both buckets; limit 0: all. An entry that does not open
  // (a damaged row) shows as such; it never fails the list.
  Result<std::vector<ActivityEntry>> newest(uint32_t limit);
  // Unpairing: every entry that names one of `addresses`, or an address
  // recorded as the partner's, says "a former partner's address" there
  // instead. Inside the caller's transaction; asks for a scrub of the WAL.
  Status forget_partner_addresses(std::span<const std::string> addresses);

 private:
  Db& db_;
  const Keyring& keys_;
};

// Moves the entries of the plaintext `activity` table of stores older than
// schema 6 into the sealed log, drops that table and scrubs the WAL. A
// no-op once done. Store::open runs it.
Status seal_plaintext_activity(Db& db, const Keyring& keys);

}  // namespace hearth::store
