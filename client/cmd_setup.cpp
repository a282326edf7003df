// Living with Hearth on a desktop (docs/DESIGN.md §11): the settings file
// through `hearth config`, unlocking from the desktop keyring, whether the
// partner can reach this computer (`hearth status`), and the entry IDs the
// shell completions offer.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>

#include <cctype>
#include <ostream>

#include "client/command_util.h"
#include "client/commands.h"
#include "client/json.h"
#include "client/render_json.h"
#include "client/keyring_unlock.h"
#include "client/passphrase_prompt.h"
#include "client/text.h"
#include "config/daemon_config.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"

namespace hearth::client {
namespace {

std::string config_path(const Context& ctx) { return config::path_in(ctx.paths.home); }

// Whether the settings may be read and written without hearthd: it does not
// run (a locked one still holds the store's copies, so it is asked too).
bool daemon_missing(const Status& st) { return st.code() == Code::kUnavailable; }

KeyringItem keyring_item(const Context& ctx, const crypto::KeyFileInfo& info) {
  return {crypto::format_device_id(info.public_key), ctx.paths.home};
}

// The host part of HOST:PORT (brackets removed).
std::string host_of(const std::string& listening) {
  const size_t colon = listening.rfind(':');
  std::string host = colon == std::string::npos ? listening : listening.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host;
}

bool is_loopback(const std::string& host) {
  return host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

// This computer's addresses other partners could reach it at (up, not
// loopback), IPv4 first.
std::vector<std::string> network_addresses() {
  std::vector<std::string> v4, v6;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return {};
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
      continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (i->ifa_addr->sa_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text,
                  sizeof text);
      v4.push_back(text);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* a = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr)) continue;
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      v6.push_back(text);
    }
  }
  ::freeifaddrs(list);
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace

std::string reachability_note(const std::string& listening, bool paired) {
  if (listening.empty())
    return "Your partner's device cannot connect to this one: hearthd is not listening "
           "(`hearth config get listen-address`). This device can still reach theirs.";
  const std::string host = host_of(listening);
  const std::string port = listening.substr(listening.rfind(':') + 1);
  if (is_loopback(host)) {
    if (!paired)
      return "Only this computer can connect for now. hearthd opens port " + port +
             " to your network while `hearth pair invite` runs, and once you are paired.";
    return "Your partner's device cannot connect to this one: hearthd listens on this computer "
           "only (" + listening + "). `hearth config set listen-address auto` opens it to your "
           "network.";
  }
  const bool any = host == "0.0.0.0" || host == "::";
  const std::vector<std::string> mine = network_addresses();
  if (any && mine.empty())
    return "This computer has no network address right now, so your partner's device cannot "
           "reach it.";
  std::string where = any ? std::string() : host;
  if (any) {
    for (size_t i = 0; i < mine.size() && i < 3; ++i) where += (i ? ", " : "") + mine[i];
  }
  return "Your partner's device can connect at " + where + " (TCP port " + port +
         "), unless a firewall blocks it: the README says how to open it.";
}

int run_file_config(Context& ctx, const ConfigOptions& o, UnlockKeyStore* keyring) {
  const std::string key(trim(o.key));
  if (!o.value) {
    // Read: from hearthd when it runs (the same file), else the file itself.
    Result<Reply> reply = ask(ctx, request::config_get(key));
    if (!reply && !daemon_missing(reply.status()) && reply.status().code() != Code::kLocked)
      return fail(ctx, reply.status());
    std::string value;
    if (reply) {
      if (const auto* entry = std::get_if<ConfigEntry>(&*reply)) value = entry->value;
    } else {
      auto file = config::ConfigFile::load(config_path(ctx));
      if (!file) return fail(ctx, file.status());
      value = file->value(key);
    }
    if (ctx.json()) {
      ctx.out << json_document(Reply{ConfigEntry{key, value}}) << std::flush;
    } else {
      ctx.out << terminal_safe(value, false) << "\n" << std::flush;
    }
    return kExitOk;
  }

  Result<std::string> value = config::normalize(key, *o.value);
  if (!value) return fail(ctx, value.status());
  if (key == config::kUnlockWithLogin) {
    if (keyring == nullptr) return fail(ctx, Status::unavailable("no desktop keyring here"));
    auto info = crypto::read_key_file_info(ctx.paths.keys());
    if (!info) return fail(ctx, info.status());
    if (*value == "on") {
      if (!info->sealed)
        return fail(ctx, Status::refused("this device's keys have no passphrase, so there is "
                                         "nothing to unlock at login"));
      // The passphrase, once: the unlock key is derived from it here (the
      // key file is this user's), checked, and stored in the keyring.
      Result<Secret> unlock_key = Status::internal("no passphrase");
      auto derive = [&](const Secret& passphrase) -> Status {
        unlock_key = crypto::derive_unlock_key(ctx.paths.keys(), passphrase);
        return unlock_key.status();
      };
      Status st = Status::ok();
      if (!o.passphrase_file.empty()) {
        auto passphrase = read_passphrase_file(o.passphrase_file);
        st = passphrase ? derive(*passphrase) : passphrase.status();
      } else if (ctx.term.stdin_tty) {
        st = ask_until_accepted(ctx.passphrase_io(), "Passphrase: ", derive);
      } else {
        st = Status::invalid("no terminal to ask for the passphrase: pass --passphrase-file FILE");
      }
      if (!st.is_ok()) return fail(ctx, st);
      if (Status stored = keyring->store(keyring_item(ctx, *info), *unlock_key); !stored.is_ok())
        return fail(ctx, stored);
    } else if (Status cleared = keyring->clear(keyring_item(ctx, *info)); !cleared.is_ok()) {
      return fail(ctx, cleared);
    }
  }
  // Written by hearthd when it runs, so that it applies at once; else here.
  Result<Reply> reply = ask(ctx, request::config_set(key, *value));
  bool direct = false;
  if (!reply) {
    if (!daemon_missing(reply.status()) && reply.status().code() != Code::kLocked)
      return fail(ctx, reply.status());
    auto written = config::set_in_file(config_path(ctx), key, *value);
    if (!written) return fail(ctx, written.status());
    direct = true;
  }
  if (key == config::kAutoLock && *value != "off") {
    auto keys = crypto::read_key_file_info(ctx.paths.keys());
    if (keys && !keys->sealed)
      ctx.err << "This device's keys have no passphrase, so hearthd cannot lock; auto-lock starts\n"
                 "working once you add one with `hearth passphrase set`.\n"
              << std::flush;
  }
  if (ctx.json()) {
    ctx.out << json_document(Reply{ConfigEntry{key, *value}}) << std::flush;
    return kExitOk;
  }
  ctx.out << key << " is now " << terminal_safe(*value, false) << "\n";
  if (key == config::kListenAddress || key == config::kListenPort) {
    ctx.out << "hearthd uses it when it starts again (`systemctl --user restart hearthd`).\n";
  } else if (key == config::kUnlockWithLogin && *value == "on") {
    ctx.out << "Your desktop keyring now holds the key that unlocks Hearth: logging in opens it\n"
               "(`hearth unlock --from-keyring`). Anyone who can use your desktop session can\n"
               "then read Hearth. `hearth config set unlock-with-login off` removes the key.\n";
  } else if (key == config::kUnlockWithLogin) {
    ctx.out << "The key is gone from your desktop keyring; Hearth asks for the passphrase again.\n";
  } else if (direct) {
    ctx.out << "hearthd is not running; it uses the new value when it starts.\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

int run_config_list(Context& ctx) {
  auto file = config::ConfigFile::load(config_path(ctx));
  if (!file) return fail(ctx, file.status());
  std::vector<std::pair<std::string, std::string>> rows;
  for (const config::FileSetting& s : config::file_settings())
    rows.push_back({std::string(s.key), file->value(s.key)});
  // The store's settings, when hearthd is unlocked to read them.
  for (const char* key : {"prompt-depth", "notify-entries"}) {
    Result<Reply> reply = ask(ctx, request::config_get(key));
    if (!reply) continue;
    if (const auto* entry = std::get_if<ConfigEntry>(&*reply)) rows.push_back({key, entry->value});
  }
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object();
    for (const auto& [key, value] : rows) w.key(key).value(value);
    w.end_object();
    ctx.out << w.finish() << std::flush;
    return kExitOk;
  }
  for (const auto& [key, value] : rows) {
    ctx.out << key << " = " << terminal_safe(value, false) << "\n";
  }
  ctx.out << "\nIn " << config_path(ctx) << " (stop-word and the rest are kept in the store).\n"
          << "`hearth config set KEY VALUE` changes one.\n"
          << std::flush;
  return kExitOk;
}

int run_unlock_from_keyring(Context& ctx, UnlockKeyStore& keyring) {
  auto file = config::ConfigFile::load(config_path(ctx));
  if (!file) return fail(ctx, file.status());
  if (file->value(config::kUnlockWithLogin) != "on") {
    // At login the unit runs this whatever the setting: nothing to do is fine.
    if (!ctx.json())
      ctx.err << "unlock-with-login is off; `hearth unlock` asks for the passphrase.\n"
              << std::flush;
    return kExitOk;
  }
  auto info = crypto::read_key_file_info(ctx.paths.keys());
  if (!info) return fail(ctx, info.status());
  Result<StatusInfo> before = ask_for<StatusInfo>(ctx, request::status());
  if (!before) return fail(ctx, before.status());
  if (!before->locked) {
    if (!ctx.json()) ctx.out << "Hearth is already unlocked.\n" << std::flush;
    if (ctx.json()) print_json(ctx, *before);
    return kExitOk;
  }
  Result<std::optional<Secret>> key = keyring.lookup(keyring_item(ctx, *info));
  if (!key) return fail(ctx, key.status());
  if (!key->has_value())
    return fail(ctx, Status::not_found("your desktop keyring holds no key for Hearth; "
                                       "`hearth config set unlock-with-login on` stores one"));
  Result<Reply> reply = ask(ctx, request::unlock_with_key(**key).view(), Wait::kLong);
  if (!reply) {
    if (reply.status().code() == Code::kAuthFailed)
      return fail(ctx, Status::auth_failed(
                           reply.status().message() +
                           ". `hearth unlock` opens it with the passphrase; then `hearth config "
                           "set unlock-with-login on` stores the new key"));
    return fail(ctx, reply.status());
  }
  if (ctx.json()) {
    print_json(ctx, *reply);
  } else {
    ctx.out << "Unlocked with the key from your desktop keyring.\n" << std::flush;
  }
  return kExitOk;
}

int run_complete_ids(Context& ctx, const std::string& kind) {
  // Quiet by design: the shell shows nothing rather than an error.
  std::vector<std::string> ids;
  if (kind == "reflection") {
    if (auto list = ask_for<std::vector<Reflection>>(ctx, request::reflect_list(100, false)))
      for (const auto& r : *list) ids.push_back(short_id(r.id));
  } else if (kind == "boundary") {
    if (auto list = ask_for<std::vector<Boundary>>(ctx, request::boundary_list(100)))
      for (const auto& b : *list) ids.push_back(short_id(b.id));
  } else if (kind == "checkin") {
    if (auto list = ask_for<std::vector<CheckIn>>(ctx, request::check_in_list(100)))
      for (const auto& c : *list) ids.push_back(short_id(c.id));
  } else if (kind == "prompt") {
    if (auto list = ask_for<std::vector<Prompt>>(ctx, request::prompt_list(100)))
      for (const auto& p : *list) ids.push_back(p.id);
  } else {
    return kExitUsage;
  }
  for (const std::string& id : ids) {
    // Only what a shell can take as one word.
    bool plain = !id.empty();
    for (char c : id)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') plain = false;
    if (plain) ctx.out << id << "\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

}  // namespace hearth::client
