#include "control/network_requests.h"

#include <kj/exception.h>

#include <optional>

#include "control/responses.h"
#include "crypto/identity.h"
#include "net/address.h"
#include "store/peer_addresses.h"
#include "util/log.h"

namespace hearth::control {
namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

Bytes pair_add(app::Unlocked& u, app::NetworkControl& network, PairAdd::Reader r) {
  auto key = crypto::parse_device_id(text_of(r.getDeviceId()));
  if (!key) return error_frame(ErrorCode::USAGE, key.status().message());
  if (!crypto::x25519_public_from_device(*key))
    return error_frame(ErrorCode::USAGE, "that device ID does not hold a valid device key");
  if (*key == u.store->keys().self()) {
    return error_frame(ErrorCode::REFUSED,
                       "that is this device's own ID; pair with the ID `hearth id` prints on "
                       "your partner's computer");
  }
  std::optional<net::Address> address;
  if (r.getAddress().size() > 0) {
    auto parsed = net::parse_address(text_of(r.getAddress()));
    if (!parsed) return error_frame(ErrorCode::USAGE, parsed.status().message());
    address = *parsed;
  }
  const auto current = u.devices.partner();
  if (current && current->key != *key) {
    return error_frame(ErrorCode::REFUSED,
                       "this device is already paired with " +
                           crypto::short_device_id(current->key) +
                           "; run `hearth unpair` first to pair with another device");
  }
  const int64_t now = u.clock_ms();
  auto tx = u.store->db().begin();
  if (!tx) return error_frame(tx.status());
  Status st = u.devices.upsert(*key, store::DeviceRole::kPartner, "", now);
  if (st.is_ok() && address)
    st = store::PeerAddresses(u.store->db()).add(address->text(), "manual", now);
  if (st.is_ok()) st = tx->commit();
  if (!st.is_ok()) return error_frame(st);

  std::string line = (current ? "pairing confirmed again with " : "paired with ") +
                     crypto::short_device_id(*key) + " by its device ID";
  if (address) line += "; its address: " + address->text();
  u.record("info", line);
  network.reconnect_now();
  const auto partner = u.devices.get(*key);
  return response_frame([&](Response::Builder b) {
    auto p = b.initPaired();
    p.setDeviceId(crypto::format_device_id(*key));
    if (partner) p.setName(partner->name);
  });
}

Bytes peer_add(app::Unlocked& u, app::NetworkControl& network, Address::Reader r) {
  auto address = net::parse_address(text_of(r.getAddress()));
  if (!address) return error_frame(ErrorCode::USAGE, address.status().message());
  Status st = store::PeerAddresses(u.store->db()).add(address->text(), "manual", u.clock_ms());
  if (!st.is_ok()) return error_frame(st);
  u.record("info", "added the address " + address->text() + " for your partner's device");
  network.reconnect_now();
  return ok_frame();
}

Bytes peer_remove(app::Unlocked& u, Address::Reader r) {
  auto address = net::parse_address(text_of(r.getAddress()));
  if (!address) return error_frame(ErrorCode::USAGE, address.status().message());
  Status st = store::PeerAddresses(u.store->db()).remove(address->text());
  if (!st.is_ok()) return error_frame(st);
  u.record("info", "removed the address " + address->text());
  return ok_frame();
}

Bytes peer_list(app::Unlocked& u, app::NetworkControl& network) {
  auto rows = store::PeerAddresses(u.store->db()).list();
  if (!rows) return error_frame(rows.status());
  return response_frame([&](Response::Builder b) {
    auto list = b.initPeers(static_cast<unsigned>(rows->size()));
    for (unsigned i = 0; i < rows->size(); ++i) {
      const auto& row = (*rows)[i];
      const app::AddressState state = network.address_state(row.address);
      list[i].setAddress(row.address);
      list[i].setSource(row.source);
      list[i].setState(state.state);
      list[i].setLastError(state.last_error);
    }
  });
}

Bytes sync_progress(app::Unlocked& u, app::NetworkControl& network) {
  if (!u.devices.partner()) {
    return error_frame(ErrorCode::REFUSED,
                       "this device is not paired yet; pair with your partner's device first "
                       "(`hearth pair add`)");
  }
  const app::SyncFigures f = network.progress();
  return response_frame([&](Response::Builder b) {
    auto s = b.initSync();
    s.setMySharedEvents(f.my_shared_events);
    s.setPartnerHasMine(f.partner_has_mine);
    s.setPartnerEventsKnown(f.partner_events_known);
    s.setPartnerEventsOffered(f.partner_events_offered);
    s.setCaughtUp(f.caught_up);
  });
}

}  // namespace

void NetworkRequestHandler::handle(ByteView request, std::shared_ptr<ResponseSink> out) {
  std::optional<Bytes> reply;
  auto parsed = wire::MessageReader::parse(request, kMaxRequestBytes);
  if (!parsed) {
    reply = error_frame(ErrorCode::USAGE, "the request is not a valid control message");
  } else {
    kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
      Request::Reader req = parsed->root<Request>();
      switch (req.which()) {
        case Request::PAIR_ADD:
          reply = pair_add(u_, network_, req.getPairAdd());
          return;
        case Request::PEER_ADD:
          reply = peer_add(u_, network_, req.getPeerAdd());
          return;
        case Request::PEER_REMOVE:
          reply = peer_remove(u_, req.getPeerRemove());
          return;
        case Request::PEER_LIST:
          reply = peer_list(u_, network_);
          return;
        case Request::SYNC_PROGRESS:
          reply = sync_progress(u_, network_);
          return;
        default:
          reply = error_frame(ErrorCode::REFUSED,
                              "this is not available yet in this version of hearthd");
          return;
      }
    });
    if (failure != nullptr) {
      log::warn("control: malformed network request refused");
      reply = error_frame(ErrorCode::USAGE, "the request is malformed");
    }
  }
  if (reply) out->send(std::move(*reply));
  out->finish();
}

}  // namespace hearth::control
