#include "wire/peer_codec.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include <cstring>

#include "schema/peer.capnp.h"
#include "wire/capnp_message.h"
#include "wire/event_codec.h"

namespace hearth::wire {
namespace {

namespace p = hearth::peer;

kj::ArrayPtr<const kj::byte> bytes_of(ByteView b) { return {b.data(), b.size()}; }
// All of `s`: a std::string converts to capnp Text through c_str(), which
// would end it at the first NUL.
capnp::Text::Reader text_of(const std::string& s) { return {s.data(), s.size()}; }
Bytes copy_of(capnp::Data::Reader d) { return Bytes(d.begin(), d.end()); }

void set_heads(capnp::List<p::Head>::Builder list, const std::vector<PeerHead>& heads) {
  for (unsigned i = 0; i < heads.size(); ++i) {
    list[i].setAuthor(bytes_of(heads[i].author));
    list[i].setSeq(heads[i].seq);
    if (heads[i].seq != 0) list[i].setHeadHash(bytes_of(heads[i].id));
  }
}

Result<std::vector<PeerHead>> heads_of(capnp::List<p::Head>::Reader list) {
  if (list.size() > kMaxHeads) return Status::corrupt("too many heads");
  std::vector<PeerHead> out;
  for (auto h : list) {
    PeerHead head;
    if (h.getAuthor().size() != 32) return Status::corrupt("a head's author is not 32 bytes");
    std::memcpy(head.author.data(), h.getAuthor().begin(), 32);
    head.seq = h.getSeq();
    if (head.seq != 0) {
      if (h.getHeadHash().size() != 32) return Status::corrupt("a head's hash is not 32 bytes");
      std::memcpy(head.id.data(), h.getHeadHash().begin(), 32);
    } else if (h.getHeadHash().size() != 0) {
      return Status::corrupt("an empty log has no head hash");
    }
    out.push_back(head);
  }
  return out;
}

struct Encoder {
  p::Message::Builder m;
  void operator()(const Hello& h) {
    auto b = m.initHello();
    b.setVersion(h.version);
    set_heads(b.initHeads(static_cast<unsigned>(h.heads.size())), h.heads);
    auto keys = b.initLogKeys(static_cast<unsigned>(h.log_keys.size()));
    for (unsigned i = 0; i < h.log_keys.size(); ++i) {
      keys[i].setFirstSeq(h.log_keys[i].first_seq);
      keys[i].setKey(bytes_of(h.log_keys[i].key.view()));
    }
    b.setName(text_of(h.name));
    b.setWallClock(h.wall_clock_ms);
  }
  void operator()(const EventsBatch& batch) {
    auto list = m.initEvents().initEvents(static_cast<unsigned>(batch.events.size()));
    for (unsigned i = 0; i < batch.events.size(); ++i) {
      const auto& e = batch.events[i];
      list[i].setHeader(bytes_of(e.header));
      list[i].setSignature(bytes_of(e.signature));
      list[i].setBody(bytes_of(e.body));
    }
  }
  void operator()(const Ack& a) {
    set_heads(m.initAck().initHeads(static_cast<unsigned>(a.heads.size())), a.heads);
  }
  void operator()(const Ping& x) { m.initPing().setNonce(x.nonce); }
  void operator()(const Pong& x) { m.initPong().setNonce(x.nonce); }
  void operator()(const Bye& b) {
    auto bye = m.initBye();
    bye.setReason(static_cast<p::ByeReason>(b.reason));
    bye.setDetail(text_of(b.detail.substr(0, kMaxByeDetail)));
  }
};

Result<PeerMessage> decode_root(p::Message::Reader m) {
  switch (m.which()) {
    case p::Message::HELLO: {
      auto h = m.getHello();
      Hello out;
      out.version = h.getVersion();
      HEARTH_ASSIGN_OR_RETURN(out.heads, heads_of(h.getHeads()));
      auto keys = h.getLogKeys();
      if (keys.size() > kMaxLogKeys) return Status::corrupt("too many log keys");
      for (auto k : keys) {
        if (k.getKey().size() != 32) return Status::corrupt("a log key is not 32 bytes");
        if (k.getFirstSeq() == 0) return Status::corrupt("a log key starts at seq 0");
        out.log_keys.push_back(
            {k.getFirstSeq(), Secret::copy_of(ByteView(k.getKey().begin(), k.getKey().size()))});
      }
      auto name = h.getName();
      if (name.size() > kMaxNameBytes) return Status::corrupt("name too long");
      out.name.assign(name.begin(), name.size());
      out.wall_clock_ms = h.getWallClock();
      return PeerMessage{std::move(out)};
    }
    case p::Message::EVENTS: {
      auto list = m.getEvents().getEvents();
      if (list.size() == 0 || list.size() > kMaxBatchEvents)
        return Status::corrupt("a batch holds 1 to " + std::to_string(kMaxBatchEvents) + " events");
      EventsBatch out;
      out.events.reserve(list.size());
      size_t total = 0;
      for (auto e : list) {
        if (e.getHeader().size() > kMaxHeaderBytes) return Status::corrupt("event header too large");
        if (e.getSignature().size() != 64) return Status::corrupt("signature is not 64 bytes");
        if (e.getBody().size() > kMaxBodyBytes) return Status::corrupt("event body too large");
        total += e.getHeader().size() + 64 + e.getBody().size();
        if (total > kMaxBatchBytes) return Status::corrupt("batch larger than allowed");
        out.events.push_back({copy_of(e.getHeader()), copy_of(e.getSignature()), copy_of(e.getBody())});
      }
      return PeerMessage{std::move(out)};
    }
    case p::Message::ACK: {
      Ack out;
      HEARTH_ASSIGN_OR_RETURN(out.heads, heads_of(m.getAck().getHeads()));
      return PeerMessage{std::move(out)};
    }
    case p::Message::PING: return PeerMessage{Ping{m.getPing().getNonce()}};
    case p::Message::PONG: return PeerMessage{Pong{m.getPong().getNonce()}};
    case p::Message::BYE: {
      auto b = m.getBye();
      Bye out;
      auto reason = static_cast<uint16_t>(b.getReason());
      out.reason = reason <= static_cast<uint16_t>(ByeReason::kUnsupportedVersion)
                       ? static_cast<ByeReason>(reason)
                       : ByeReason::kProtocolError;
      auto detail = b.getDetail();
      out.detail.assign(detail.begin(), std::min<size_t>(detail.size(), kMaxByeDetail));
      return PeerMessage{std::move(out)};
    }
  }
  return Status::corrupt("unknown peer message");
}

}  // namespace

const char* bye_reason_name(ByeReason r) {
  switch (r) {
    case ByeReason::kNormal: return "normal";
    case ByeReason::kProtocolError: return "protocol error";
    case ByeReason::kInvalidBatch: return "invalid batch";
    case ByeReason::kFork: return "fork";
    case ByeReason::kUnpaired: return "unpaired";
    case ByeReason::kShuttingDown: return "shutting down";
    case ByeReason::kDuplicateConnection: return "duplicate connection";
    case ByeReason::kTimeout: return "timeout";
    case ByeReason::kUnsupportedVersion: return "unsupported version";
  }
  return "unknown";
}

Bytes encode_peer_message(const PeerMessage& message) {
  ScratchBuilder builder;  // a Hello carries log keys
  std::visit(Encoder{builder.get().initRoot<p::Message>()}, message);
  return to_bytes(builder.get());
}

Result<PeerMessage> decode_peer_message(ByteView bytes) {
  HEARTH_ASSIGN_OR_RETURN(MessageReader reader, MessageReader::parse(bytes, kMaxPeerMessageBytes));
  Result<PeerMessage> out = Status::corrupt("malformed peer message");
  kj::Maybe<kj::Exception> failure =
      kj::runCatchingExceptions([&]() { out = decode_root(reader.root<p::Message>()); });
  if (failure != nullptr) return Status::corrupt("malformed peer message");
  return out;
}

}  // namespace hearth::wire
