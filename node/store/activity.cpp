#include "store/activity.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "store/address_text.h"

namespace hearth::store {
namespace {

// An entry's plaintext, sealed with the local key
// (AD = "hearth/activity/v1" || id (8 BE)):
//   at_ms (8 BE) || level (1: 0 info, 1 warn, 2 error)
//   || partner address length (1) || partner address || message
constexpr size_t kFixedBytes = 8 + 1 + 1;
constexpr std::string_view kForgotten = "(a former partner's address)";

struct Record {
  int64_t at_ms = 0;
  std::string level;
  std::string partner_address;
  std::string message;
};

Bytes activity_ad(int64_t id) {
  Bytes ad;
  append(ad, std::string_view("hearth/activity/v1"));
  put_u64_be(ad, static_cast<uint64_t>(id));
  return ad;
}

uint8_t level_code(std::string_view level) {
  if (level == "warn") return 1;
  if (level == "error") return 2;
  return 0;
}

const char* level_name(uint8_t code) {
  switch (code) {
    case 1:
      return "warn";
    case 2:
      return "error";
    default:
      return "info";
  }
}

Bytes encode(const Record& r) {
  Bytes out;
  put_u64_be(out, static_cast<uint64_t>(r.at_ms));
  out.push_back(level_code(r.level));
  const std::string_view address = std::string_view(r.partner_address).substr(0, 255);
  out.push_back(static_cast<uint8_t>(address.size()));
  append(out, address);
  append(out, r.message);
  return out;
}

Result<Record> decode(ByteView plain) {
  if (plain.size() < kFixedBytes) return Status::corrupt("an activity entry too short");
  Record r;
  r.at_ms = static_cast<int64_t>(get_u64_be(plain.data()));
  r.level = level_name(plain[8]);
  const size_t address_bytes = plain[9];
  if (plain.size() < kFixedBytes + address_bytes)
    return Status::corrupt("an activity entry too short");
  r.partner_address = std::string(as_chars(plain.subspan(kFixedBytes, address_bytes)));
  r.message = std::string(as_chars(plain.subspan(kFixedBytes + address_bytes)));
  return r;
}

bool in_address(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':';
}

// `text` with every whole occurrence of each of `addresses` (and of a host
// alone followed by another port) replaced by kForgotten.
std::string redact(std::string text, const std::vector<std::string>& addresses) {
  for (const std::string& a : addresses) {
    if (a.empty()) continue;
    size_t pos = 0;
    while ((pos = text.find(a, pos)) != std::string::npos) {
      size_t end = pos + a.size();
      const bool starts = pos == 0 || !in_address(text[pos - 1]);
      // "host" also stands for "host:port" with any port.
      if (end < text.size() && text[end] == ':') {
        size_t digits = end + 1;
        while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
          ++digits;
        if (digits > end + 1) end = digits;
      }
      // A '.' or ':' that ends a sentence or a clause ("at HOST:PORT: the
      // device there ...") is punctuation, not part of the address.
      const bool ends = end == text.size() || !in_address(text[end]) ||
                        ((text[end] == '.' || text[end] == ':') &&
                         (end + 1 == text.size() || text[end + 1] == ' '));
      if (!starts || !ends) {
        pos = end;
        continue;
      }
      text.replace(pos, end - pos, kForgotten);
      pos += kForgotten.size();
    }
  }
  return text;
}

// "host:port" -> "host"; "[v6]:port" -> "v6".
std::string host_of(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    return std::string(
        address.substr(1, close == std::string_view::npos ? address.npos : close - 1));
  }
  const size_t colon = address.rfind(':');
  if (colon != std::string_view::npos && address.find(':') == colon)
    return std::string(address.substr(0, colon));
  return std::string(address);
}

Status write_entry(Db& db, const Keyring& keys, int64_t id, ActivityBucket bucket,
                   const Record& r) {
  Query st = db.prepare(
      "INSERT INTO activity_log (id, bucket, sealed) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed");
  st.bind(1, id).bind(2, static_cast<int64_t>(bucket));
  st.bind(3, keys.seal_local(encode(r), activity_ad(id)));
  return st.run();
}

}  // namespace

Status Activity::append(std::string_view level, std::string_view message, int64_t at_ms,
                        ActivityBucket bucket, std::string_view partner_address) {
  std::optional<Db::Transaction> tx;
  if (!db_.in_transaction()) {
    HEARTH_ASSIGN_OR_RETURN(Db::Transaction t, db_.begin());
    tx.emplace(std::move(t));
  }
  HEARTH_ASSIGN_OR_RETURN(
      const int64_t id,
      db_.prepare("SELECT coalesce(max(id), 0) + 1 FROM activity_log").single_int64());
  Record r{at_ms, std::string(level), std::string(partner_address), std::string(message)};
  HEARTH_TRY(write_entry(db_, keys_, id, bucket, r));
  Query trim = db_.prepare(
      "DELETE FROM activity_log WHERE bucket = ?1 AND id <= (SELECT id FROM activity_log"
      " WHERE bucket = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)");
  trim.bind(1, static_cast<int64_t>(bucket))
      .bind(2, bucket == ActivityBucket::kRefusals ? kMaxRefusals : kMaxEntries);
  HEARTH_TRY(trim.run());
  return tx ? tx->commit() : Status::ok();
}

Result<std::vector<ActivityEntry>> Activity::newest(uint32_t limit) {
  Query st = db_.prepare("SELECT id, sealed FROM activity_log ORDER BY id DESC LIMIT ?");
  st.bind(1, limit == 0 ? int64_t{-1} : int64_t{limit});
  std::vector<ActivityEntry> out;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    auto plain = keys_.open_local(row->blob(1), activity_ad(row->int64(0)));
    auto r = plain ? decode(plain->view()) : Result<Record>(plain.status());
    if (r) {
      out.push_back({r->at_ms, std::move(r->level), std::move(r->message)});
    } else {
      out.push_back(
          {0, "error", "(an entry of this log that does not open: " + r.status().message() + ")"});
    }
  }
  return out;
}

Status Activity::forget_partner_addresses(std::span<const std::string> addresses) {
  struct Entry {
    int64_t id;
    ActivityBucket bucket;
    Record record;
  };
  std::vector<Entry> rows;
  {
    Query st = db_.prepare("SELECT id, bucket, sealed FROM activity_log ORDER BY id");
    for (auto row : st.rows()) {
      HEARTH_TRY(row.status());
      auto plain = keys_.open_local(row->blob(2), activity_ad(row->int64(0)));
      auto r = plain ? decode(plain->view()) : Result<Record>(plain.status());
      if (!r) continue;  // what does not open names nothing readable
      rows.push_back({row->int64(0),
                      row->int64(1) == 1 ? ActivityBucket::kRefusals : ActivityBucket::kGeneral,
                      std::move(*r)});
    }
  }
  std::set<std::string> names(addresses.begin(), addresses.end());
  for (const Entry& row : rows)
    if (!row.record.partner_address.empty()) names.insert(row.record.partner_address);
  std::set<std::string> hosts;
  for (const std::string& n : names) hosts.insert(host_of(n));
  // Longest first, so "host:port" goes whole before "host" alone.
  std::vector<std::string> ordered(names.begin(), names.end());
  ordered.insert(ordered.end(), hosts.begin(), hosts.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  db_.scrub_after_commit();
  for (Entry& row : rows) {
    std::string message = redact(row.record.message, ordered);
    if (message == row.record.message && row.record.partner_address.empty()) continue;
    row.record.message = std::move(message);
    row.record.partner_address.clear();
    HEARTH_TRY(write_entry(db_, keys_, row.id, row.bucket, row.record));
  }
  return Status::ok();
}

std::string without_address(std::string text, std::string_view address) {
  // Longest first, so "host:port" goes whole before "host" alone.
  return redact(std::move(text), {std::string(address), host_of(address)});
}

Status seal_plaintext_activity(Db& db, const Keyring& keys) {
  HEARTH_ASSIGN_OR_RETURN(
      const int64_t old_table,
      db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'activity'")
          .single_int64());
  if (old_table == 0) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(Db::Transaction tx, db.begin());
  struct Old {
    int64_t at_ms;
    std::string level, message;
  };
  std::vector<Old> old;
  {
    Query st = db.prepare("SELECT at_ms, level, message FROM activity ORDER BY id");
    for (auto row : st.rows()) {
      HEARTH_TRY(row.status());
      old.push_back({row->int64(0), std::string(row->text(1)), std::string(row->text(2))});
    }
  }
  Activity log(db, keys);
  for (Old& o : old) {
    const bool refusal = o.message.starts_with("refused a connection from");
    HEARTH_TRY(log.append(o.level, o.message, o.at_ms,
                          refusal ? ActivityBucket::kRefusals : ActivityBucket::kGeneral));
    wipe(o.message);
  }
  db.scrub_after_commit();  // the plaintext goes for good
  HEARTH_TRY(db.exec("DROP TABLE activity"));
  return tx.commit();
}

}  // namespace hearth::store
