// The connections a listener holds before they proved anything (no prelude
// yet, no handshake), with limits per source and in all.
//
// A source is an IPv4 address or an IPv6 /64 (one host may hold a whole
// /64). At most `per_source` connections of one source and `total` of all
// wait at once. A new connection is always taken in: when a limit is
// reached, the oldest waiting connection of that source (or of all) is
// closed to make room. So a flood from one source holds at most
// `per_source` slots, a flood from many holds only its oldest ones, and a
// device that dials now, the partner among them, gets in at once and needs
// its slot only for the milliseconds its handshake takes.
//
// Single-threaded (the io thread). The pool must outlive its tickets.
#pragma once

#include <asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <string>

namespace hearth::net {

// The source of a connection from `address`: the IPv4 address (an
// IPv4-mapped IPv6 one as IPv4), or the IPv6 /64 as "2001:db8:1:2::/64".
std::string source_of(const asio::ip::address& address);

class PendingPool {
 public:
  // A waiting connection's place; releases it when destroyed.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket();
    // Gives the place back now (the connection proved itself, or ended).
    void release();

   private:
    friend class PendingPool;
    Ticket(PendingPool* pool, uint64_t id) : pool_(pool), id_(id) {}
    PendingPool* pool_ = nullptr;
    uint64_t id_ = 0;
  };

  PendingPool(size_t per_source, size_t total) : per_source_(per_source), total_(total) {}

  // Takes a connection from `source` in. `close` ends it (it is called at
  // most once, when the connection is evicted to make room; the connection's
  // owner then ends and drops its ticket). `evicted`, if given, is told the
  // source of each connection closed to make room.
  Ticket admit(std::string source, std::function<void()> close,
               const std::function<void(const std::string&)>& evicted = {});

  size_t size() const { return waiting_.size(); }
  size_t from(const std::string& source) const;

 private:
  struct Waiting {
    uint64_t id;
    std::string source;
    std::function<void()> close;
  };
  void release(uint64_t id);
  void evict(std::list<Waiting>::iterator it,
             const std::function<void(const std::string&)>& evicted);

  size_t per_source_;
  size_t total_;
  uint64_t next_id_ = 1;
  std::list<Waiting> waiting_;  // oldest first
};

}  // namespace hearth::net
