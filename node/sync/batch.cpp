#include "sync/batch.h"

#include "store/entries.h"
#include "util/helper_thread.h"
#include "wire/event_codec.h"

namespace hearth::sync {
namespace {

struct Checked {
  wire::SealedEvent event;
  const Secret* key = nullptr;  // opens the body, when it has one
  std::optional<model::Payload> payload;
};

// A batch with at least this many bodies opens them on two threads; a live
// change (one event) never waits for a thread to start.
constexpr size_t kTwoThreadsFrom = 64;

Status open_bodies(std::vector<Checked>& fresh, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    Checked& c = fresh[i];
    if (c.key == nullptr) continue;
    auto payload = wire::open_event_body(*c.key, c.event.header, c.event.body);
    if (!payload) return payload.status().with_context("event " + std::to_string(c.event.header.seq));
    c.payload = std::move(*payload);
  }
  return Status::ok();
}

// Decrypts, parses and validates every body: the costliest part of a
// catch-up that touches no table. The two halves share nothing but the
// (read-only) keys; the first failure in log order is the one reported.
Status open_bodies(std::vector<Checked>& fresh) {
  const size_t n = fresh.size();
  if (n < kTwoThreadsFrom) return open_bodies(fresh, 0, n);
  const size_t half = n / 2;
  Status first;
  HelperThread& helper = HelperThread::shared();
  if (!helper.try_run([&] { first = open_bodies(fresh, 0, half); }))
    return open_bodies(fresh, 0, n);  // busy or no thread to be had: one is enough
  Status second = open_bodies(fresh, half, n);
  helper.wait();
  HEARTH_TRY(first);
  return second;
}

}  // namespace

Result<Verdict> accept_batch(store::Store& store, const Key32& partner,
                             std::vector<wire::WireEvent> batch, const store::Receipt& receipt) {
  if (batch.empty()) return Verdict::invalid("empty batch");
  // Received events can be fetched again: the partner resends whatever our
  // next Hello does not claim. So this commit need not wait for the disk.
  store::Db::RelaxedDurability relaxed(store.db());
  HEARTH_ASSIGN_OR_RETURN(store::Db::Transaction tx, store.db().begin());

  std::vector<Checked> fresh;
  fresh.reserve(batch.size());
  Key32 author{};
  store::LogHead head;
  Hash32 prev_id{};
  uint64_t prev_lamport = 0;
  uint64_t expected_seq = 0;
  // The first new event does not continue our copy of the log: if the batch
  // is otherwise authentic, its author signed two histories (a fork).
  bool junction_mismatch = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    wire::WireEvent& w = batch[i];
    auto decoded = wire::decode_header(w.header);
    if (!decoded) return Verdict::invalid(decoded.status().message());
    const wire::EventHeader& h = *decoded;
    if (i == 0) {
      author = h.author;
      if (author != store.keys().self() && author != partner)
        return Verdict::invalid("a batch from an author this device does not sync with");
      HEARTH_ASSIGN_OR_RETURN(head, store.events().head(author));
      expected_seq = h.seq;
      if (h.seq > head.seq + 1) return Verdict::invalid("a batch that skips events");
    } else if (h.author != author) {
      return Verdict::invalid("a batch mixing authors");
    }
    if (h.seq != expected_seq) return Verdict::invalid("a batch whose seqs are not consecutive");
    ++expected_seq;
    Hash32 id = wire::event_id(w.header);

    if (h.seq <= head.seq) {
      // Already held: fine if identical (a resend). A different one is a
      // fork only if its author signed it too: two signed events prove it.
      HEARTH_ASSIGN_OR_RETURN(std::optional<Hash32> stored, store.events().id_at(author, h.seq));
      if (!stored || *stored != id) {
        if (!wire::verify_event_signature(author, w.header, w.signature))
          return Verdict::invalid("an event at seq " + std::to_string(h.seq) +
                                  " that its author did not sign");
        return Verdict::fork("two different events claim seq " + std::to_string(h.seq));
      }
      prev_id = id;
      prev_lamport = h.lamport;
      continue;
    }
    if (fresh.empty() && h.seq == head.seq + 1) {
      prev_id = head.id;
      prev_lamport = head.lamport;
      if (h.prev != prev_id && i == 0) {
        junction_mismatch = true;
        prev_id = h.prev;
      }
    }
    if (h.prev != prev_id) return Verdict::invalid("an event's prev does not match the chain");
    if (h.lamport <= prev_lamport) return Verdict::invalid("lamport clock went backwards");
    if (h.lamport - prev_lamport > wire::kMaxLamportStep)
      return Verdict::invalid("lamport clock jumped too far");
    Checked c;
    if (!w.body.empty()) {
      c.key = store.keys().log_key_for(author, h.seq);
      if (c.key == nullptr) return Verdict::invalid("no log key to open these events");
    }
    c.event.header = h;
    std::copy(w.signature.begin(), w.signature.end(), c.event.signature.begin());
    c.event.header_bytes = std::move(w.header);
    c.event.body = std::move(w.body);
    c.event.id = id;
    prev_id = id;
    prev_lamport = h.lamport;
    fresh.push_back(std::move(c));
  }
  if (Status opened = open_bodies(fresh); !opened.is_ok()) return Verdict::invalid(opened.message());
  // One signature check authenticates the chain of headers (and, through
  // bodyHash, the bodies). A batch of only known events needs none.
  // New events are the batch's tail, so the last fresh one is its last event.
  if (!fresh.empty() && !wire::verify_event_signature(author, fresh.back().event.header_bytes,
                                                      fresh.back().event.signature))
    return Verdict::invalid("the batch's last signature does not verify");
  if (junction_mismatch)
    return Verdict::fork("the author signed a different event at seq " + std::to_string(head.seq));

  // Everything below writes what was checked above: a failure now is this
  // device's store failing, never the batch.
  Accepted out;
  out.author = author;
  HEARTH_ASSIGN_OR_RETURN(const store::Receipt noted, store.arrivals().for_batch(receipt));
  for (Checked& c : fresh) {
    // Only the last signature was verified; the chain binds the others to
    // it, and they are kept as received, marked unchecked.
    const bool checked = &c == &fresh.back();
    HEARTH_ASSIGN_OR_RETURN(int64_t row,
                            store.events().insert(c.event, c.payload.has_value(), checked));
    if (!c.payload) continue;
    model::Entry entry{store::event_meta(c.event.header, c.event.id, row),
                       std::move(*c.payload)};
    HEARTH_TRY(store.views().apply(entry));
    HEARTH_ASSIGN_OR_RETURN(bool held, store.arrivals().note(entry, noted));
    if (!held) out.entries.push_back(std::move(entry));
  }
  HEARTH_TRY(tx.commit());
  out.head_seq = fresh.empty() ? head.seq : fresh.back().event.header.seq;
  return Verdict::accepted(std::move(out));
}

}  // namespace hearth::sync
