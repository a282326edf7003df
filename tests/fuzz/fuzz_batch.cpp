// Fuzzes sync::accept_batch, the validation of a batch of events from the
// partner (schema/PROTOCOL.md §4.3), against an in-memory store.
//
// The store belongs to a fixed device whose partner is a fixed key pair
// (fuzz_support.h); it holds the partner's log key. The first input byte
// picks the mode:
//   odd   with bit 1 clear, the rest is a peer message (capnp bytes); if it
//         decodes to Events, that batch is offered. With bit 1 set, the
//         rest is up to 64 peer messages, each with a 4-byte big-endian
//         length (the application stream's framing), and each Events among
//         them is offered in turn to the same store: the seeds hold every
//         batch one side of a real sync session sent, catch-up then live
//   even  structure-aware: the rest chooses how many of the partner's
//         genuine events the store already holds, a run of events from one
//         of four genuine logs (the partner's, a fork of it, this device's
//         own, a stranger's), and up to 16 mutations over it: bit flips,
//         truncations, swaps, drops, duplicates, forgotten bodies, events
//         from another log, attacker-made events
//
// Checked after every batch:
//   - refused: nothing changed; every author's head and the event count are
//     as before
//   - accepted: the author is this device or the partner; the reported head
//     is the stored head; the stored log is a hash chain from seq 1 whose
//     last signature verifies; in structure-aware mode every stored header
//     is a genuine one and every stored body is that event's genuine body or
//     forgotten (no one without the author's key can get anything else in)
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "fuzz_support.h"
#include "store/store.h"
#include "sync/batch.h"

using namespace hearth;

namespace {

struct World {
  fuzz::Logs logs = fuzz::make_logs();
  Key32 self = fuzz::fixed_identity(fuzz::kSelfTag).public_key();
  Key32 partner = fuzz::fixed_identity(fuzz::kPartnerTag).public_key();
  Key32 stranger = fuzz::fixed_identity(fuzz::kStrangerTag).public_key();
  Secret partner_log_key = fuzz::fixed_secret(fuzz::kPartnerLogKeyTag);
  // Header bytes of every genuine event -> its body.
  std::map<Bytes, Bytes> genuine;

  World() {
    for (const auto* log : {&logs.partner, &logs.fork, &logs.self, &logs.stranger})
      for (const auto& e : *log) genuine[e.header_bytes] = e.body;
  }
  const std::vector<wire::SealedEvent>& log(size_t i) const {
    switch (i % 4) {
      case 0:
        return logs.partner;
      case 1:
        return logs.fork;
      case 2:
        return logs.self;
      default:
        return logs.stranger;
    }
  }
};

const World& world() {
  static const World w;
  return w;
}

std::unique_ptr<store::Store> fresh_store() {
  auto s = store::Store::open(":memory:", fuzz::self_keys());
  HEARTH_ASSERT(s.is_ok(), "cannot open an in-memory store");
  auto& store = **s;
  HEARTH_ASSERT(
      store.keys().store_log_key(store.db(), world().partner, 1, world().partner_log_key).is_ok(),
      "cannot store the partner's log key");
  return std::move(s).value();
}

// Opening a store costs more than most inputs, and most batches are refused
// (which, as checked below, leaves the store as it was). So one store is
// kept while batches are refused and only ever extended with more of the
// partner's genuine log; it is opened afresh after a batch was accepted.
struct StoreCache {
  std::unique_ptr<store::Store> store;
  size_t held = 0;  // the partner's events it holds
  bool dirty = true;
};

StoreCache& cache() {
  static StoreCache c;
  return c;
}

// A store that holds exactly the first `held` events of the partner's log.
store::Store& store_holding(size_t held) {
  StoreCache& c = cache();
  if (c.dirty || c.held > held) {
    c.store = fresh_store();
    c.held = 0;
    c.dirty = false;
  }
  if (c.held < held) {
    const auto& log = world().logs.partner;
    auto pre =
        sync::accept_batch(*c.store, world().partner, fuzz::to_wire(log, c.held, held - c.held));
    HEARTH_ASSERT(pre.is_ok() && pre->is_accepted() && pre->accepted().head_seq == held, "a genuine batch was refused");
    c.held = held;
  }
  return *c.store;
}

void flip(Bytes& b, FuzzedDataProvider& in) {
  if (b.empty()) return;
  const size_t at = in.ConsumeIntegralInRange<size_t>(0, b.size() - 1);
  b[at] ^= static_cast<uint8_t>(1u << in.ConsumeIntegralInRange(0, 7));
}

void truncate(Bytes& b, FuzzedDataProvider& in) {
  b.resize(in.ConsumeIntegralInRange<size_t>(0, b.size()));
}

// Applies one mutation chosen by the input to `batch`.
void mutate(std::vector<wire::WireEvent>& batch, FuzzedDataProvider& in) {
  const auto op = in.ConsumeIntegralInRange(0, 10);
  if (batch.empty() && op != 10) return;
  const size_t i = in.ConsumeIntegralInRange<size_t>(0, batch.empty() ? 0 : batch.size() - 1);
  switch (op) {
    case 0:
      flip(batch[i].header, in);
      break;
    case 1:
      flip(batch[i].signature, in);
      break;
    case 2:
      flip(batch[i].body, in);
      break;
    case 3:
      truncate(batch[i].header, in);
      break;
    case 4:
      truncate(batch[i].body, in);
      break;
    case 5: {
      const size_t j = in.ConsumeIntegralInRange<size_t>(0, batch.size() - 1);
      std::swap(batch[i], batch[j]);
      break;
    }
    case 6:
      batch.erase(batch.begin() + static_cast<ptrdiff_t>(i));
      break;
    case 7:
      batch.insert(batch.begin() + static_cast<ptrdiff_t>(i), batch[i]);
      break;
    case 8:
      batch[i].body.clear();
      break;
    case 9: {
      const auto& other = world().log(in.ConsumeIntegral<uint8_t>());
      const size_t k = in.ConsumeIntegralInRange<size_t>(0, other.size() - 1);
      const auto& e = other[k];
      switch (in.ConsumeIntegralInRange(0, 3)) {
        case 0:
          batch[i] = fuzz::to_wire(e);
          break;
        case 1:
          batch[i].header = e.header_bytes;
          break;
        case 2:
          batch[i].signature.assign(e.signature.begin(), e.signature.end());
          break;
        default:
          batch[i].body = e.body;
          break;
      }
      break;
    }
    default: {
      wire::WireEvent e;
      e.header = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 256));
      e.signature = in.ConsumeBytes<uint8_t>(64);
      e.body = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 512));
      batch.insert(batch.begin() + static_cast<ptrdiff_t>(batch.empty() ? 0 : i), std::move(e));
      break;
    }
  }
}

struct Snapshot {
  store::LogHead self, partner, stranger;
  uint64_t events = 0;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(store::Store& store) {
  const World& w = world();
  auto& log = store.events();
  return {*log.head(w.self), *log.head(w.partner), *log.head(w.stranger),
          *log.count(w.self) + *log.count(w.partner) + *log.count(w.stranger)};
}

// The author's stored log is a hash chain from seq 1 whose head is signed.
void check_chain(store::Store& store, const Key32& author, bool genuine_only) {
  auto events = store.events().read_after(author, 0, 100000, size_t{1} << 30);
  HEARTH_ASSERT(events.is_ok(), "cannot read back the stored log");
  Hash32 prev{};
  uint64_t prev_lamport = 0;
  for (size_t i = 0; i < events->size(); ++i) {
    const store::StoredEvent& e = (*events)[i];
    auto h = wire::decode_header(e.header);
    HEARTH_ASSERT(h.is_ok(), "a stored header does not decode");
    HEARTH_ASSERT(h->author == author && h->seq == i + 1, "the stored log is not contiguous");
    HEARTH_ASSERT(h->prev == prev, "the stored log is not a hash chain");
    HEARTH_ASSERT(h->lamport > prev_lamport, "stored lamports do not increase");
    prev = wire::event_id(e.header);
    prev_lamport = h->lamport;
    if (genuine_only) {
      auto it = world().genuine.find(e.header);
      HEARTH_ASSERT(it != world().genuine.end(), "a header no one signed was stored");
      HEARTH_ASSERT(!e.body || *e.body == it->second, "a body that is not the event's was stored");
    }
  }
  if (events->empty()) return;
  const auto& last = events->back();
  HEARTH_ASSERT(wire::verify_event_signature(author, last.header, last.signature),
                "the stored head's signature does not verify");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  (void)world();
  return 0;
}

namespace {

// Offers `batch` and checks what the header says.
void offer(store::Store& store, const std::vector<wire::WireEvent>& batch, bool structured) {
  const World& w = world();
  const Snapshot before = snapshot(store);
  auto verdict = sync::accept_batch(store, w.partner, batch);
  HEARTH_ASSERT(verdict.is_ok(), "the in-memory store failed");
  if (!verdict->is_accepted()) {
    HEARTH_ASSERT(snapshot(store) == before, "a refused batch changed the store");
    return;
  }
  cache().dirty = true;
  const sync::Accepted* accepted = &verdict->accepted();
  HEARTH_ASSERT(accepted->author == w.self || accepted->author == w.partner,
                "a batch from an unknown author was accepted");
  HEARTH_ASSERT(store.events().head(accepted->author)->seq == accepted->head_seq,
                "accept_batch reported a head that is not the stored one");
  HEARTH_ASSERT(*store.events().count(w.stranger) == 0, "a stranger's event was stored");
  check_chain(store, accepted->author, structured);
}

std::optional<std::vector<wire::WireEvent>> events_of(ByteView message) {
  auto decoded = wire::decode_peer_message(message);
  if (!decoded) return std::nullopt;
  auto* events = std::get_if<wire::EventsBatch>(&*decoded);
  if (events == nullptr) return std::nullopt;
  return std::move(events->events);
}

constexpr int kMaxSequence = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  fuzz::reset_random();
  const World& w = world();
  const bool structured = (data[0] & 1) == 0;

  if (!structured) {
    ByteView rest(data + 1, size - 1);
    store::Store& store = store_holding(0);
    if ((data[0] & 2) == 0) {
      if (auto batch = events_of(rest)) offer(store, *batch, false);
      return 0;
    }
    for (int i = 0; i < kMaxSequence && rest.size() >= 4; ++i) {
      const size_t n = std::min<size_t>(get_u32_be(rest.data()), rest.size() - 4);
      if (auto batch = events_of(rest.subspan(4, n))) offer(store, *batch, false);
      rest = rest.subspan(4 + n);
    }
    return 0;
  }

  FuzzedDataProvider in(data + 1, size - 1);
  const size_t held = in.ConsumeIntegralInRange<size_t>(0, w.logs.partner.size());
  const auto& log = w.log(in.ConsumeIntegral<uint8_t>());
  const size_t from = in.ConsumeIntegralInRange<size_t>(0, log.size() - 1);
  const size_t count = in.ConsumeIntegralInRange<size_t>(1, log.size() - from);
  std::vector<wire::WireEvent> batch = fuzz::to_wire(log, from, count);
  const int mutations = in.ConsumeIntegralInRange(0, 16);
  for (int m = 0; m < mutations && in.remaining_bytes() > 0; ++m) mutate(batch, in);
  offer(store_holding(held), batch, true);
  return 0;
}
