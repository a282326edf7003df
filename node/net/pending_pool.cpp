#include "net/pending_pool.h"

#include <utility>

namespace hearth::net {

std::string source_of(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_string();
  const asio::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_string();
  asio::ip::address_v6::bytes_type bytes = v6.to_bytes();
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

PendingPool::Ticket::Ticket(Ticket&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), id_(std::exchange(other.id_, 0)) {}

PendingPool::Ticket& PendingPool::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::exchange(other.pool_, nullptr);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

PendingPool::Ticket::~Ticket() { release(); }

void PendingPool::Ticket::release() {
  if (pool_ != nullptr) std::exchange(pool_, nullptr)->release(id_);
}

PendingPool::Ticket PendingPool::admit(std::string source, std::function<void()> close,
                                       const std::function<void(const std::string&)>& evicted) {
  if (per_source_ > 0 && from(source) >= per_source_) {
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
      if (it->source == source) {
        evict(it, evicted);
        break;
      }
    }
  }
  if (total_ > 0 && waiting_.size() >= total_) evict(waiting_.begin(), evicted);
  const uint64_t id = next_id_++;
  waiting_.push_back({id, std::move(source), std::move(close)});
  return Ticket(this, id);
}

size_t PendingPool::from(const std::string& source) const {
  size_t n = 0;
  for (const Waiting& w : waiting_) n += w.source == source ? 1 : 0;
  return n;
}

void PendingPool::release(uint64_t id) {
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    if (it->id == id) {
      waiting_.erase(it);
      return;
    }
  }
}

void PendingPool::evict(std::list<Waiting>::iterator it,
                        const std::function<void(const std::string&)>& evicted) {
  // Out of the list first: the close may run code that releases tickets.
  Waiting gone = std::move(*it);
  waiting_.erase(it);
  if (evicted) evicted(gone.source);
  if (gone.close) gone.close();
}

}  // namespace hearth::net
