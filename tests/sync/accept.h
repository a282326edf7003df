// accept_batch's verdict as a Result, for tests that ask only "was it
// accepted": a fork is kRefused, an invalid batch kCorrupt (with the reason
// as message), a failing store its own Status.
#pragma once

#include <utility>
#include <vector>

#include "store/store.h"
#include "sync/batch.h"

namespace hearth::test {

inline Result<sync::Accepted> accept(store::Store& store, const Key32& partner,
                                     std::vector<wire::WireEvent> batch,
                                     const store::Receipt& receipt = {}) {
  auto verdict = sync::accept_batch(store, partner, std::move(batch), receipt);
  if (!verdict) return verdict.status();
  switch (verdict->kind()) {
    case sync::Verdict::Kind::kAccepted: return std::move(verdict->accepted());
    case sync::Verdict::Kind::kFork: return Status::refused(verdict->reason());
    case sync::Verdict::Kind::kInvalid: break;
  }
  return Status::corrupt(verdict->reason());
}

}  // namespace hearth::test
