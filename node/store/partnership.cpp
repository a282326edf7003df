#include "store/partnership.h"

#include "store/activity.h"
#include "store/peer_addresses.h"

namespace hearth::store {
namespace {

// The single integer a counting query returns.
Result<uint64_t> count_of(Query& st) {
  HEARTH_ASSIGN_OR_RETURN(int64_t n, st.single_int64());
  return static_cast<uint64_t>(n);
}
Result<uint64_t> count_of(Query&& st) { return count_of(st); }

// Shared entries this device shows: every reflection, boundary and check-in
// that reached the log (both authors), except forgotten reflections.
Result<uint64_t> shared_entries(Store& store) {
  Db& db = store.db();
  const int64_t self = store.self_author();
  Query r = db.prepare(
      "SELECT count(*) FROM reflections WHERE forgotten = 0 AND (shared = 1 OR author != ?)");
  r.bind(1, self);
  HEARTH_ASSIGN_OR_RETURN(uint64_t reflections, count_of(r));
  HEARTH_ASSIGN_OR_RETURN(uint64_t boundaries,
                          count_of(db.prepare("SELECT count(*) FROM boundaries")));
  HEARTH_ASSIGN_OR_RETURN(uint64_t check_ins,
                          count_of(db.prepare(
                              "SELECT count(*) FROM check_ins WHERE forgotten = 0 AND head_source = 0")));
  return reflections + boundaries + check_ins;
}

// This device's entries with an event in [from, to] of its log.
Result<uint64_t> own_entries_between(Store& store, uint64_t from, uint64_t to) {
  if (to < from) return uint64_t{0};
  Db& db = store.db();
  const int64_t self = store.self_author();
  Query r = db.prepare(
      "SELECT count(DISTINCT v.reflection_id) FROM reflection_versions v"
      " JOIN events e ON e.row_id = v.row"
      " WHERE v.source = 0 AND v.author = ?1 AND e.seq BETWEEN ?2 AND ?3");
  r.bind(1, self).bind(2, static_cast<int64_t>(from)).bind(3, static_cast<int64_t>(to));
  HEARTH_ASSIGN_OR_RETURN(uint64_t reflections, count_of(r));
  Query c = db.prepare(
      "SELECT count(DISTINCT c.check_in_id) FROM check_in_copies c JOIN events e ON e.row_id = c.row"
      " WHERE c.source = 0 AND c.author = ?1 AND e.seq BETWEEN ?2 AND ?3");
  c.bind(1, self).bind(2, static_cast<int64_t>(from)).bind(3, static_cast<int64_t>(to));
  HEARTH_ASSIGN_OR_RETURN(uint64_t check_ins, count_of(c));
  Query b = db.prepare(
      "SELECT count(DISTINCT f.boundary_id) FROM boundary_facts f JOIN events e ON e.row_id = f.row"
      " WHERE f.author = ?1 AND e.seq BETWEEN ?2 AND ?3");
  b.bind(1, self).bind(2, static_cast<int64_t>(from)).bind(3, static_cast<int64_t>(to));
  HEARTH_ASSIGN_OR_RETURN(uint64_t boundaries, count_of(b));
  return reflections + check_ins + boundaries;
}

// Inside the caller's transaction: every shared entry goes (see unpair()).
Status erase_shared_entries(Store& store) {
  Db& db = store.db();
  const Key32& self = store.keys().self();
  // The private drafts of reflections that were shared go with them, and
  // the private first copy of a check-in shared later.
  HEARTH_ASSIGN_OR_RETURN(
      std::vector<int64_t> drafts,
      db.prepare("SELECT row FROM reflection_versions WHERE source = 1 AND (author, reflection_id) IN"
                 " (SELECT author, reflection_id FROM reflection_versions WHERE source = 0)"
                 " UNION SELECT row FROM check_in_copies WHERE source = 1 AND (author, check_in_id)"
                 " IN (SELECT author, check_in_id FROM check_in_copies WHERE source = 0)")
          .all_int64());
  for (int64_t row : drafts) {
    Status st = store.privates().remove(row);
    if (!st.is_ok() && st.code() != Code::kNotFound) return st;
  }
  db.scrub_after_commit();
  HEARTH_TRY(store.events().erase_all_but(self));
  HEARTH_TRY(store.events().drop_bodies_of(self));
  HEARTH_TRY(store.keys().delete_other_log_keys(db));
  HEARTH_TRY(store.arrivals().drop_orphans());
  // No event has words left: the views are what the private entries make.
  HEARTH_TRY(store.views().clear());
  HEARTH_ASSIGN_OR_RETURN(std::vector<int64_t> private_rows, store.privates().all_rows());
  for (int64_t row : private_rows) {
    auto e = store.privates().load(row);  // a private forget may have removed it
    if (!e.is_ok() && e.status().code() == Code::kNotFound) continue;
    if (!e.is_ok()) return e.status();
    HEARTH_TRY(store.views().apply(*e));
  }
  return Status::ok();
}

}  // namespace

Result<bool> pair_partner(Store& store, const NewPartner& p, int64_t now_ms) {
  Devices& devices = store.devices();
  if (p.key == store.keys().self())
    return Status::refused("that is this device's own key; a device cannot pair with itself");
  HEARTH_ASSIGN_OR_RETURN(const std::optional<DeviceRow> current, devices.find_partner());
  if (current && current->key != p.key) {
    return Status::refused(
        "this device is already paired; run `hearth unpair` first to pair "
        "with another device");
  }
  HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, store.db().begin());
  bool new_epoch = false;
  if (current) {
    if (!p.name.empty()) HEARTH_TRY(devices.upsert(p.key, DeviceRole::kPartner, p.name, now_ms));
  } else {
    uint64_t share_from = store.keys().own_log_key_first_seq();
    HEARTH_ASSIGN_OR_RETURN(uint64_t earlier, shared_while_unpaired(store));
    if (earlier > 0 && !p.send_earlier) {
      HEARTH_ASSIGN_OR_RETURN(const LogHead mine, store.events().head(store.keys().self()));
      share_from = mine.seq + 1;
      HEARTH_TRY(store.keys().write_new_epoch(store.db(), share_from));
      new_epoch = true;
    }
    HEARTH_TRY(devices.make_partner(p.key, p.name, share_from, now_ms));
  }
  if (!p.address.empty())
    HEARTH_TRY(store.addresses().add(p.address, p.address_source, now_ms));
  HEARTH_TRY(tx.commit());
  // The keys in memory follow the table only once it committed.
  if (new_epoch) HEARTH_TRY(store.keys().load(store.db()));
  return !current.has_value();
}

Result<uint64_t> shared_while_unpaired(Store& store) {
  const Key32& self = store.keys().self();
  HEARTH_ASSIGN_OR_RETURN(const LogHead mine, store.events().head(self));
  return own_entries_between(store, store.keys().own_log_key_first_seq(), mine.seq);
}

Result<UnpairSummary> unpair(Store& store, bool erase_shared) {
  Devices& devices = store.devices();
  HEARTH_ASSIGN_OR_RETURN(const std::optional<DeviceRow> partner, devices.find_partner());
  if (!partner) return Status::refused("this device is not paired with anyone");
  Db& db = store.db();
  const Key32& self = store.keys().self();
  UnpairSummary out;
  out.former = *partner;
  HEARTH_ASSIGN_OR_RETURN(const LogHead mine, store.events().head(self));
  const uint64_t head = mine.seq;
  HEARTH_ASSIGN_OR_RETURN(
      out.partner_holds,
      own_entries_between(store, partner->share_from, std::min(partner->acked_seq, head)));
  {
    HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, db.begin());
    if (erase_shared) {
      HEARTH_ASSIGN_OR_RETURN(out.erased_entries, shared_entries(store));
      HEARTH_TRY(erase_shared_entries(store));
    }
    HEARTH_TRY(devices.make_former(partner->key));
    // Where the former partner's device was: gone from the addresses and
    // from the activity log (and, by the scrub, from the WAL).
    HEARTH_ASSIGN_OR_RETURN(std::vector<PeerAddressRow> rows, store.addresses().list());
    std::vector<std::string> addresses;
    for (const PeerAddressRow& r : rows) addresses.push_back(r.address);
    HEARTH_TRY(store.activity().forget_partner_addresses(addresses));
    db.scrub_after_commit();
    HEARTH_TRY(store.addresses().remove_all());
    out.new_epoch = head + 1;
    HEARTH_TRY(store.keys().write_new_epoch(db, out.new_epoch));
    HEARTH_TRY(tx.commit());
  }
  // The keys in memory follow the table only once it committed.
  HEARTH_TRY(store.keys().load(db));
  return out;
}

}  // namespace hearth::store
