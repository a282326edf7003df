#include "control/network_requests.h"

#include <cctype>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/daemon_config.h"
#include "control/auto_lock_setting.h"
#include "control/responses.h"
#include "crypto/identity.h"
#include "model/quiet_hours.h"
#include "net/address.h"
#include "store/config.h"
#include "store/partnership.h"
#include "store/peer_addresses.h"
#include "util/log.h"

namespace hearth::control {
namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

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
// past midnight), stored as "HH:MM-HH:MM" (model/quiet_hours.h).
Result<std::string> parse_quiet_hours(std::string_view text) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<model::QuietHours> span, model::parse_quiet_hours(text));
  return span ? span->text() : std::string("off");
}

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

}  // namespace

void NetworkRequests::partner_changed() {
  network_.partner_changed();
  if (discovery_) discovery_->refresh();
}

// A setting of HOME/hearth.conf (config/daemon_config.h). Those the store
// also holds (discovery, auto-lock, quiet-hours) are written there too, so
// that what reads them while unlocked sees the same value.
Bytes NetworkRequests::file_config_get(const std::string& key) {
  auto file = config::ConfigFile::load(config_file_);
  if (!file) return error_frame(file.status());
  return config_frame(key, file->value(key));
}

Bytes NetworkRequests::file_config_set(const std::string& key, const std::string& value) {
  auto written = config::set_in_file(config_file_, key, value);
  if (!written) return error_frame(written.status());
  if (setting_named(key) != nullptr) {
    Status st = u_.store->config().set(key, *written);
    if (!st.is_ok()) return error_frame(st);
  }
  u_.record("info", "setting " + key + " is now " + *written);
  if (key == "discovery" && discovery_) discovery_->refresh();
  if (on_setting_changed_) on_setting_changed_(key, *written);
  return config_frame(key, *written);
}

Bytes NetworkRequests::config_get(ConfigKey::Reader r) {
  runtime::Unlocked& u = u_;
  const std::string key = text_of(r.getKey());
  if (!config_file_.empty() && config::in_file(key)) return file_config_get(key);
  const Setting* setting = setting_named(key);
  if (setting == nullptr) return error_frame(unknown_setting(key));
  auto value = u.store->config().get(key);
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

Bytes NetworkRequests::config_set(ConfigSet::Reader r) {
  runtime::Unlocked& u = u_;
  const std::string key = text_of(r.getKey());
  if (!config_file_.empty() && config::in_file(key))
    return file_config_set(key, text_of(r.getValue()));
  const Setting* setting = setting_named(key);
  if (setting == nullptr) return error_frame(unknown_setting(key));
  std::string value = text_of(r.getValue());
  if (setting->sealed) {
    if (value.size() > model::kMaxShortText || !model::is_valid_utf8(value))
      return error_frame(Status::invalid("`" + key + "` is a few words, at most 64 bytes"));
    const Bytes sealed = u.store->keys().seal_local(
        ByteView(reinterpret_cast<const uint8_t*>(value.data()), value.size()), sealed_ad(key));
    Status st = u.store->config().set(key, to_hex(sealed));
    if (!st.is_ok()) return error_frame(st);
    u.record("info", "setting " + key + " was changed");
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
  Status st = u.store->config().set(key, value);
  if (!st.is_ok()) return error_frame(st);
  u.record("info", "setting " + key + " is now " + value);
  if (key == "discovery" && discovery_) discovery_->refresh();
  if (on_setting_changed_) on_setting_changed_(key, value);
  return config_frame(key, value);
}

namespace {

Bytes paired_frame(const runtime::PairedPartner& p) {
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

}  // namespace

// Streams the invite until it ends; the invite ends too if the client leaves.
void NetworkRequests::pair_invite(bool send_earlier, const std::shared_ptr<ResponseSink>& out) {
  if (pairing_ == nullptr) {
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
  runtime::InviteEvents events;
  events.send_earlier = send_earlier;
  events.on_failed_attempt = [out, shown](int attempts_left) {
    shown->attempts_left = attempts_left;
    out->send(invite_frame(shown->code, shown->expires_at_ms, attempts_left));
  };
  events.on_notice = [out, shown](const std::string& notice) {
    out->send(invite_frame(shown->code, shown->expires_at_ms, shown->attempts_left, notice));
  };
  events.on_done = [out, ended](Result<runtime::PairedPartner> outcome) {
    *ended = true;
    out->send(outcome ? paired_frame(*outcome) : error_frame(outcome.status()));
    out->finish();
  };
  auto ticket = pairing_->invite(std::move(events));
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
  out->on_close([pairing = pairing_, id = ticket->id, ended] {
    if (!*ended) pairing->cancel_invite(id);
  });
}

void NetworkRequests::pair_join(const std::string& code, const std::string& address,
                                bool send_earlier, const std::shared_ptr<ResponseSink>& out) {
  if (pairing_ == nullptr) {
    out->send(error_frame(ErrorCode::REFUSED, "pairing by code is not available in this hearthd"));
    out->finish();
    return;
  }
  pairing_->join(code, address, send_earlier,
                  [out](Result<runtime::PairedPartner> outcome) {
                    out->send(outcome ? paired_frame(*outcome) : error_frame(outcome.status()));
                    out->finish();
                  });
}

Bytes NetworkRequests::unpair(Unpair::Reader r) {
  const bool erase = r.getEraseShared();
  auto summary = store::unpair(*u_.store, erase);
  if (!summary) return error_frame(summary.status());
  partner_changed();
  std::string line = "unpaired from " + crypto::short_device_id(summary->former.key) +
                     ": sync and beacons stopped, its addresses forgotten, and this device's "
                     "entries from seq " +
                     std::to_string(summary->new_epoch) + " on use a new log key";
  if (erase) line += "; erased " + std::to_string(summary->erased_entries) + " shared entries";
  u_.record("info", line);
  return response_frame([&](Response::Builder b) {
    auto info = b.initUnpaired();
    info.setFormerPartner(crypto::format_device_id(summary->former.key));
    info.setErasedShared(summary->erased_entries);
    info.setFormerName(summary->former.name);
    info.setPartnerHolds(summary->partner_holds);
  });
}

Bytes NetworkRequests::pair_add(PairAdd::Reader r) {
  runtime::Unlocked& u = u_;
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
  auto paired = store::pair_partner(*u.store, partner_row, u.clock_ms());
  if (!paired) return error_frame(paired.status());

  std::string line = (current ? "pairing confirmed again with " : "paired with ") +
                     crypto::short_device_id(*key) + " by its device ID";
  if (address) line += "; its address: " + address->text();
  u.record("info", line);
  partner_changed();
  const auto partner = u.devices.get(*key);
  return response_frame([&](Response::Builder b) {
    auto p = b.initPaired();
    p.setDeviceId(crypto::format_device_id(*key));
    if (partner) p.setName(partner->name);
  });
}

Bytes NetworkRequests::peer_add(Address::Reader r) {
  runtime::Unlocked& u = u_;
  auto address = net::parse_address(text_of(r.getAddress()));
  if (!address) return error_frame(ErrorCode::USAGE, address.status().message());
  Status st = u.store->addresses().add(address->text(), "manual", u.clock_ms());
  if (!st.is_ok()) return error_frame(st);
  u.record("info", "added the address " + address->text() + " for your partner's device");
  network_.reconnect_now();
  return ok_frame();
}

Bytes NetworkRequests::peer_remove(Address::Reader r) {
  runtime::Unlocked& u = u_;
  auto address = net::parse_address(text_of(r.getAddress()));
  if (!address) return error_frame(ErrorCode::USAGE, address.status().message());
  Status st = u.store->addresses().remove(address->text());
  if (!st.is_ok()) return error_frame(st);
  u.record("info", "removed the address " + address->text());
  return ok_frame();
}

Bytes NetworkRequests::peer_list() {
  runtime::Unlocked& u = u_;
  runtime::NetworkControl& network = network_;
  auto rows = u.store->addresses().list();
  if (!rows) return error_frame(rows.status());
  return response_frame([&](Response::Builder b) {
    auto list = b.initPeers(static_cast<unsigned>(rows->size()));
    for (unsigned i = 0; i < rows->size(); ++i) {
      const auto& row = (*rows)[i];
      const runtime::AddressState state = network.address_state(row.address);
      list[i].setAddress(row.address);
      list[i].setSource(row.source);
      list[i].setState(state.state);
      list[i].setLastError(state.last_error);
    }
  });
}

Bytes NetworkRequests::sync_progress(bool now) {
  runtime::Unlocked& u = u_;
  runtime::NetworkControl& network = network_;
  if (!u.devices.partner()) {
    return error_frame(ErrorCode::REFUSED,
                       "this device is not paired, so there is nothing to sync with; "
                       "`hearth pair invite`, `hearth pair join` or `hearth pair add` pairs it");
  }
  if (now && network.connection_state() == runtime::ConnectionState::kOffline)
    network.reconnect_now();
  const runtime::ConnectionState connection = network.connection_state();
  const model::SyncFigures f = network.progress();
  return response_frame([&](Response::Builder b) {
    auto s = b.initSync();
    s.setMySharedEvents(f.my_shared_events);
    s.setPartnerHasMine(f.partner_has_mine);
    s.setPartnerEventsKnown(f.partner_events_known);
    s.setPartnerEventsOffered(f.partner_events_offered);
    s.setCaughtUp(f.caught_up);
    s.setConnection(connection_state_of(connection));
  });
}

}  // namespace hearth::control
