#include "control/network_requests.h"

#include <kj/exception.h>

#include <cctype>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "control/auto_lock.h"
#include "config/daemon_config.h"
#include "control/responses.h"
#include "crypto/identity.h"
#include "net/address.h"
#include "store/config.h"
#include "store/partnership.h"
#include "store/peer_addresses.h"
#include "util/log.h"

namespace hearth::control {
namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

// What the requests here work with.
struct Services {
  app::Unlocked& u;
  app::NetworkControl& network;
  app::PairingControl* pairing;
  app::DiscoveryControl* discovery;
  const std::function<void(const std::string&, const std::string&)>& on_setting_changed;
  const std::string& config_file;  // HOME/hearth.conf; empty: every setting in the store

  // The partner changed: sync and discovery follow at once.
  void partner_changed() {
    network.partner_changed();
    if (discovery) discovery->refresh();
  }
};

// A setting `hearth config` may read and change.
struct Setting {
  std::string key;
  std::vector<std::string> values;  // the values it takes, when `parse` is unset
  std::string fallback;  // when never set
  // The value as stored, or why `text` is refused (kInvalidArgument).
  std::function<Result<std::string>(std::string_view text)> parse;
  // Words of the person's own: kept sealed with the local key.
  bool sealed = false;
};

// A setting in the person's own words is stored sealed with the local key,
// as every word a person writes is (docs/DESIGN.md §9.4).
constexpr std::string_view kSealedAd = "hearth/setting/v1";

Bytes sealed_ad(std::string_view key) {
  std::string ad = std::string(kSealedAd) + std::string(key);
  return Bytes(ad.begin(), ad.end());
}

// quiet-hours: "off", or a span of the local day "22:00-08:00" (it may run
// past midnight), stored as "HH:MM-HH:MM". `hearth notify` reads it
// (client/quiet_hours.h).
using config::parse_quiet_hours;

const std::vector<Setting>& settings() {
  static const std::vector<Setting> known = {
      {"discovery", {"on", "off"}, "on", nullptr},
      {std::string(kAutoLockSetting), {}, "off",
       [](std::string_view text) -> Result<std::string> {
         HEARTH_ASSIGN_OR_RETURN(auto limit, parse_auto_lock(text));
         return format_auto_lock(limit);
       }},
      // How deep today's prompt may go: 1 light, 2 thoughtful, 3 deeper.
      {"prompt-depth", {"1", "2", "3"}, "2", nullptr},
      // The couple's stop word for a practice, shown before each.
      {"stop-word", {}, "", nullptr, true},
      // When `hearth notify` posts nothing (docs/DESIGN.md §10.3).
      {"quiet-hours", {}, "off", parse_quiet_hours},
      // Whether `hearth notify` says that the partner shared something new.
      {"notify-entries", {"on", "off"}, "off", nullptr},
  };
  return known;
}

const Setting* setting_named(std::string_view key) {
  for (const Setting& s : settings())
    if (s.key == key) return &s;
  return nullptr;
}

Status unknown_setting(std::string_view key) {
  std::string known;
  for (const Setting& s : settings()) known += (known.empty() ? "" : ", ") + s.key;
  for (const config::FileSetting& f : config::file_settings())
    if (setting_named(f.key) == nullptr) known += ", " + std::string(f.key);
  return Status::invalid("there is no setting `" + std::string(key) +
                         "`; the settings are: " + known);
}

Bytes config_frame(std::string_view key, std::string_view value) {
  return response_frame([&](Response::Builder b) {
    auto c = b.initConfig();
    c.setKey(std::string(key));
    c.setValue(std::string(value));
  });
}

// A setting of HOME/hearth.conf (config/daemon_config.h). Those the store
// also holds (discovery, auto-lock, quiet-hours) are written there too, so
// that what reads them while unlocked sees the same value.
Bytes file_config_get(const std::string& path, const std::string& key) {
  auto file = config::ConfigFile::load(path);
  if (!file) return error_frame(file.status());
  return config_frame(key, file->value(key));
}

Bytes file_config_set(Services& s, const std::string& key, const std::string& value) {
  auto written = config::set_in_file(s.config_file, key, value);
  if (!written) return error_frame(written.status());
  if (setting_named(key) != nullptr) {
    Status st = store::Config(s.u.store->db()).set(key, *written);
    if (!st.is_ok()) return error_frame(st);
  }
  s.u.record("info", "setting " + key + " is now " + *written);
  if (key == "discovery" && s.discovery) s.discovery->refresh();
  if (s.on_setting_changed) s.on_setting_changed(key, *written);
  return config_frame(key, *written);
}

Bytes config_get(Services& s, ConfigKey::Reader r) {
  app::Unlocked& u = s.u;
  const std::string key = text_of(r.getKey());
  if (!s.config_file.empty() && config::in_file(key)) return file_config_get(s.config_file, key);
  const Setting* setting = setting_named(key);
  if (setting == nullptr) return error_frame(unknown_setting(key));
  auto value = store::Config(u.store->db()).get(key);
  if (!value) return error_frame(value.status());
  if (setting->sealed && value->has_value()) {
    Bytes sealed;
    if (!from_hex(**value, sealed)) return error_frame(Status::corrupt("a sealed setting is damaged"));
    auto plain = u.store->keys().open_local(sealed, sealed_ad(key));
    if (!plain) return error_frame(plain.status());
    return config_frame(key, plain->chars());
  }
  return config_frame(key, value->value_or(setting->fallback));
}

Bytes config_set(Services& s, ConfigSet::Reader r) {
  const std::string key = text_of(r.getKey());
  if (!s.config_file.empty() && config::in_file(key))
    return file_config_set(s, key, text_of(r.getValue()));
  const Setting* setting = setting_named(key);
  if (setting == nullptr) return error_frame(unknown_setting(key));
  std::string value = text_of(r.getValue());
  if (setting->sealed) {
    if (value.size() > model::kMaxShortText || !model::is_valid_utf8(value))
      return error_frame(Status::invalid("`" + key + "` is a few words, at most 64 bytes"));
    const Bytes sealed = s.u.store->keys().seal_local(
        ByteView(reinterpret_cast<const uint8_t*>(value.data()), value.size()), sealed_ad(key));
    Status st = store::Config(s.u.store->db()).set(key, to_hex(sealed));
    if (!st.is_ok()) return error_frame(st);
    s.u.record("info", "setting " + key + " was changed");
    return config_frame(key, value);
  }
  if (setting->parse) {
    auto parsed = setting->parse(value);
    if (!parsed) return error_frame(parsed.status());
    value = std::move(parsed).value();
  } else {
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool allowed = false;
    std::string choices;
    for (const std::string& v : setting->values) {
      allowed = allowed || v == value;
      choices += (choices.empty() ? "" : " or ") + v;
    }
    if (!allowed) {
      return error_frame(Status::invalid("`" + key + "` takes " + choices + ", not `" +
                                         text_of(r.getValue()) + "`"));
    }
  }
  Status st = store::Config(s.u.store->db()).set(key, value);
  if (!st.is_ok()) return error_frame(st);
  s.u.record("info", "setting " + key + " is now " + value);
  if (key == "discovery" && s.discovery) s.discovery->refresh();
  if (s.on_setting_changed) s.on_setting_changed(key, value);
  return config_frame(key, value);
}

Bytes paired_frame(const app::PairedPartner& p) {
  return response_frame([&](Response::Builder b) {
    auto r = b.initPaired();
    r.setDeviceId(crypto::format_device_id(p.device_key));
    r.setName(p.name);
    r.setConfirmation(p.confirmation);
  });
}

Bytes invite_frame(const std::string& code, int64_t expires_at_ms, int attempts_left,
                   const std::string& notice = {}) {
  return response_frame([&](Response::Builder b) {
    auto r = b.initInvite();
    r.setCode(code);
    r.setExpiresAt(expires_at_ms);
    r.setAttemptsLeft(static_cast<uint8_t>(attempts_left));
    if (!notice.empty()) r.setNotice(notice);
  });
}

// Streams the invite until it ends; the invite ends too if the client leaves.
void pair_invite(Services& s, bool send_earlier, const std::shared_ptr<ResponseSink>& out) {
  if (s.pairing == nullptr) {
    out->send(error_frame(ErrorCode::REFUSED, "pairing by code is not available in this hearthd"));
    out->finish();
    return;
  }
  struct Shown {
    std::string code;
    int64_t expires_at_ms = 0;
    int attempts_left = 0;
  };
  auto shown = std::make_shared<Shown>();
  // Set once the invite has ended; the pairing service may be gone after
  // that (the daemon locked), so the client leaving must not reach it.
  auto ended = std::make_shared<bool>(false);
  app::InviteEvents events;
  events.send_earlier = send_earlier;
  events.on_failed_attempt = [out, shown](int attempts_left) {
    shown->attempts_left = attempts_left;
    out->send(invite_frame(shown->code, shown->expires_at_ms, attempts_left));
  };
  events.on_notice = [out, shown](const std::string& notice) {
    out->send(invite_frame(shown->code, shown->expires_at_ms, shown->attempts_left, notice));
  };
  events.on_done = [out, ended](Result<app::PairedPartner> outcome) {
    *ended = true;
    out->send(outcome ? paired_frame(*outcome) : error_frame(outcome.status()));
    out->finish();
  };
  auto ticket = s.pairing->invite(std::move(events));
  if (!ticket) {
    out->send(error_frame(ticket.status()));
    out->finish();
    return;
  }
  shown->code = ticket->code;
  shown->expires_at_ms = ticket->expires_at_ms;
  shown->attempts_left = ticket->attempts;
  out->send(invite_frame(ticket->code, ticket->expires_at_ms, ticket->attempts));
  wipe(ticket->code);
  out->on_close([pairing = s.pairing, id = ticket->id, ended] {
    if (!*ended) pairing->cancel_invite(id);
  });
}

void pair_join(Services& s, const std::string& code, const std::string& address,
               bool send_earlier, const std::shared_ptr<ResponseSink>& out) {
  if (s.pairing == nullptr) {
    out->send(error_frame(ErrorCode::REFUSED, "pairing by code is not available in this hearthd"));
    out->finish();
    return;
  }
  s.pairing->join(code, address, send_earlier,
                  [out](Result<app::PairedPartner> outcome) {
                    out->send(outcome ? paired_frame(*outcome) : error_frame(outcome.status()));
                    out->finish();
                  });
}

// The plain statement of what the former partner's device keeps.
std::string still_holds(const store::UnpairSummary& summary) {
  const std::string who = summary.former.name.empty() ? std::string("Your former partner's device")
                                                      : summary.former.name + "'s device";
  std::string out;
  if (summary.partner_holds > 0) {
    out = who + " keeps the " +
          (summary.partner_holds == 1 ? std::string("entry")
                                      : std::to_string(summary.partner_holds) + " entries") +
          " you shared until now; Hearth cannot reach it to remove them.";
  } else {
    out = "As far as this device knows, " + who + " received none of your shared entries.";
  }
  out += " It keeps its own entries, and it cannot connect to this device any more.";
  return out;
}

Bytes unpair(Services& s, Unpair::Reader r) {
  const bool erase = r.getEraseShared();
  auto summary = store::unpair(*s.u.store, s.u.devices, erase);
  if (!summary) return error_frame(summary.status());
  s.partner_changed();
  std::string line = "unpaired from " + crypto::short_device_id(summary->former.key) +
                     ": sync and beacons stopped, its addresses forgotten, and this device's "
                     "entries from seq " +
                     std::to_string(summary->new_epoch) + " on use a new log key";
  if (erase) line += "; erased " + std::to_string(summary->erased_entries) + " shared entries";
  s.u.record("info", line);
  return response_frame([&](Response::Builder b) {
    auto info = b.initUnpaired();
    info.setFormerPartner(crypto::format_device_id(summary->former.key));
    info.setErasedShared(summary->erased_entries);
    info.setPartnerStillHolds(still_holds(*summary));
  });
}

Bytes pair_add(Services& s, PairAdd::Reader r) {
  app::Unlocked& u = s.u;
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
  const store::NewPartner partner_row{*key, "", address ? address->text() : "", "manual",
                                      r.getSendEarlier()};
  auto paired = store::pair_partner(*u.store, u.devices, partner_row, u.clock_ms());
  if (!paired) return error_frame(paired.status());

  std::string line = (current ? "pairing confirmed again with " : "paired with ") +
                     crypto::short_device_id(*key) + " by its device ID";
  if (address) line += "; its address: " + address->text();
  u.record("info", line);
  s.partner_changed();
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

// `now`: the user asked to sync, so a device that is offline dials at once
// rather than when its backoff ends.
Bytes sync_progress(app::Unlocked& u, app::NetworkControl& network, bool now) {
  if (!u.devices.partner()) {
    return error_frame(ErrorCode::REFUSED,
                       "this device is not paired, so there is nothing to sync with; "
                       "`hearth pair invite`, `hearth pair join` or `hearth pair add` pairs it");
  }
  if (now && network.connection_state() == app::ConnectionState::kOffline)
    network.reconnect_now();
  const app::ConnectionState connection = network.connection_state();
  const app::SyncFigures f = network.progress();
  return response_frame([&](Response::Builder b) {
    auto s = b.initSync();
    s.setMySharedEvents(f.my_shared_events);
    s.setPartnerHasMine(f.partner_has_mine);
    s.setPartnerEventsKnown(f.partner_events_known);
    s.setPartnerEventsOffered(f.partner_events_offered);
    s.setCaughtUp(f.caught_up);
    s.setConnection(app::connection_state_name(connection));
  });
}

}  // namespace

void NetworkRequestHandler::handle(ByteView request, std::shared_ptr<ResponseSink> out) {
  Services s{u_, network_, pairing_, discovery_, on_setting_changed_, config_file_};
  bool streaming = false;
  std::optional<Bytes> reply;
  auto parsed = wire::MessageReader::parse(request, kMaxRequestBytes);
  if (!parsed) {
    reply = error_frame(ErrorCode::USAGE, "the request is not a valid control message");
  } else {
    kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
      Request::Reader req = parsed->root<Request>();
      switch (req.which()) {
        case Request::PAIR_ADD:
          reply = pair_add(s, req.getPairAdd());
          return;
        case Request::PAIR_INVITE:
          streaming = true;
          pair_invite(s, req.getPairInvite().getSendEarlier(), out);
          return;
        case Request::PAIR_JOIN: {
          // Everything is read from the request before the answer streams:
          // a malformed request must still get its error.
          std::string code = text_of(req.getPairJoin().getCode());
          std::string address = text_of(req.getPairJoin().getAddress());
          const bool send_earlier = req.getPairJoin().getSendEarlier();
          streaming = true;
          pair_join(s, code, address, send_earlier, out);
          return;
        }
        case Request::UNPAIR:
          reply = unpair(s, req.getUnpair());
          return;
        case Request::CONFIG_GET:
          reply = config_get(s, req.getConfigGet());
          return;
        case Request::CONFIG_SET:
          reply = config_set(s, req.getConfigSet());
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
          reply = sync_progress(u_, network_, false);
          return;
        case Request::SYNC_NOW:
          reply = sync_progress(u_, network_, true);
          return;
        default:
          reply = error_frame(ErrorCode::REFUSED,
                              "this is not available yet in this version of hearthd");
          return;
      }
    });
    if (failure != nullptr) {
      log::warn("control: malformed network request refused");
      if (streaming) return;  // a stream started has answered on `out` itself
      reply = error_frame(ErrorCode::USAGE, "the request is malformed");
    }
  }
  if (streaming) return;
  if (reply) out->send(std::move(*reply));
  out->finish();
}

}  // namespace hearth::control
