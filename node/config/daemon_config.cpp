#include "config/daemon_config.h"

#include <arpa/inet.h>

#include <cctype>

#include "config/auto_lock.h"
#include "model/quiet_hours.h"
#include "util/files.h"

namespace hearth::config {
namespace {

std::string_view trimmed(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return t;
}

std::string lower(std::string_view t) {
  std::string out(t);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<std::string> on_off(std::string_view key, std::string_view text) {
  const std::string v = lower(trimmed(text));
  if (v == "on" || v == "off") return v;
  return Status::invalid("`" + std::string(key) + "` takes on or off, not `" +
                         std::string(trimmed(text)) + "`");
}

bool is_ip_literal(const std::string& text) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, text.c_str(), buf) == 1 || ::inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

Result<std::string> listen_address(std::string_view text) {
  std::string v(trimmed(text));
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
  const std::string word = lower(v);
  if (word == "auto" || word == "off") return word;
  if (v.size() <= 64 && is_ip_literal(v)) return v;
  return Status::invalid(
      "`listen-address` takes auto (this computer only until you pair, then every network), "
      "off, or an IP address of this computer such as 0.0.0.0 or 192.168.1.20; not `" +
      v.substr(0, 64) + "`");
}

Result<std::string> listen_port(std::string_view text) {
  const std::string_view v = trimmed(text);
  unsigned long n = 0;
  bool ok = !v.empty() && v.size() <= 5;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c))) ok = false;
    n = n * 10 + static_cast<unsigned long>(c - '0');
  }
  if (!ok || n < 1 || n > 65535)
    return Status::invalid("`listen-port` takes a TCP port from 1 to 65535 (the default is 7420)");
  return std::to_string(n);
}

Result<std::string> auto_lock(std::string_view text) {
  HEARTH_ASSIGN_OR_RETURN(auto limit, parse_auto_lock(trimmed(text)));
  return format_auto_lock(limit);
}

}  // namespace

const std::vector<FileSetting>& file_settings() {
  static const std::vector<FileSetting> known = {
      {kListenAddress, "auto",
       "where hearthd accepts your partner's connections: auto (this computer only until you "
       "pair or invite, then every network), off, or an IP address of this computer"},
      {kListenPort, "7420", "the TCP port for your partner's connections"},
      {kDiscovery, "on",
       "on or off: find your partner's device on the local network, and let `pair join` find "
       "an open invite"},
      {kAutoLock, "off", "off, or lock after that long without a `hearth` command: 30m, 1h, ..."},
      {kQuietHours, "off", "off, or when `hearth notify` stays quiet, e.g. 22:00-08:00"},
      {kUnlockWithLogin, "off",
       "on or off: keep the unlock key in your desktop's keyring, so logging in unlocks "
       "Hearth"},
  };
  return known;
}

bool in_file(std::string_view key) {
  for (const FileSetting& s : file_settings())
    if (s.key == key) return true;
  return false;
}

Result<std::string> parse_quiet_hours(std::string_view text) {
  // One format for the file, the store and `hearth notify` (model/quiet_hours.h).
  HEARTH_ASSIGN_OR_RETURN(std::optional<model::QuietHours> span,
                          model::parse_quiet_hours(trimmed(text)));
  return span ? span->text() : std::string("off");
}

Result<std::string> normalize(std::string_view key, std::string_view value) {
  if (key == kListenAddress) return listen_address(value);
  if (key == kListenPort) return listen_port(value);
  if (key == kDiscovery || key == kUnlockWithLogin) return on_off(key, value);
  if (key == kAutoLock) return auto_lock(value);
  if (key == kQuietHours) return parse_quiet_hours(value);
  return Status::invalid("`" + std::string(key) + "` is not a setting of " +
                         std::string(kFileName));
}

std::string path_in(const std::string& home) { return home + "/" + std::string(kFileName); }

Result<ConfigFile> ConfigFile::parse(std::string_view text) {
  if (text.size() > kMaxFileBytes)
    return Status::invalid(std::string(kFileName) + " is larger than " +
                           std::to_string(kMaxFileBytes) + " bytes");
  ConfigFile out;
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (++number > kMaxLines)
      return Status::invalid(std::string(kFileName) + " has more than " +
                             std::to_string(kMaxLines) + " lines");
    const std::string where = std::string(kFileName) + " line " + std::to_string(number) + ": ";
    for (char c : raw) {
      if (c == '\0' || (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r'))
        return Status::invalid(where + "holds a control character");
    }
    Line line{std::string(raw), {}, {}};
    const std::string_view body = trimmed(raw);
    if (!body.empty() && body.front() != '#') {
      const size_t eq = body.find('=');
      if (eq == std::string_view::npos)
        return Status::invalid(where + "a setting is written `key = value`");
      line.key = lower(trimmed(body.substr(0, eq)));
      const std::string_view value = trimmed(body.substr(eq + 1));
      if (line.key.empty()) return Status::invalid(where + "the key before `=` is missing");
      if (in_file(line.key)) {
        for (const Line& earlier : out.lines_)
          if (earlier.key == line.key)
            return Status::invalid(where + "`" + line.key + "` is set twice");
        auto normalized = normalize(line.key, value);
        if (!normalized) return Status::invalid(where + normalized.status().message());
        line.value = std::move(normalized).value();
      } else {
        line.value = std::string(value);  // a newer version's: kept, not used
      }
    }
    out.lines_.push_back(std::move(line));
  }
  return out;
}

Result<ConfigFile> ConfigFile::load(const std::string& path) {
  auto data = read_small_file(path, kMaxFileBytes);
  if (!data) {
    if (data.status().code() == Code::kNotFound) return ConfigFile();
    return data.status();
  }
  return parse(std::string_view(reinterpret_cast<const char*>(data->data()), data->size()));
}

std::optional<std::string> ConfigFile::get(std::string_view key) const {
  for (const Line& line : lines_)
    if (line.key == key) return line.value;
  return std::nullopt;
}

std::string ConfigFile::value(std::string_view key) const {
  if (auto v = get(key)) return *v;
  for (const FileSetting& s : file_settings())
    if (s.key == key) return std::string(s.fallback);
  return {};
}

Result<std::string> ConfigFile::set(std::string_view key, std::string_view value) {
  if (!in_file(key)) return normalize(key, value).status();
  HEARTH_ASSIGN_OR_RETURN(std::string normalized, normalize(key, value));
  const std::string text = std::string(key) + " = " + normalized;
  for (Line& line : lines_) {
    if (line.key == key) {
      line = Line{text, std::string(key), normalized};
      return normalized;
    }
  }
  if (lines_.empty()) {
    lines_.push_back({"# Hearth's settings for this computer. `hearth config list` shows them all,",
                      {}, {}});
    lines_.push_back({"# `hearth config set KEY VALUE` changes one; editing by hand works too.",
                      {}, {}});
  }
  lines_.push_back(Line{text, std::string(key), normalized});
  return normalized;
}

std::string ConfigFile::text() const {
  std::string out;
  for (const Line& line : lines_) out += line.text + "\n";
  return out;
}

Status ConfigFile::save(const std::string& path) const {
  const std::string t = text();
  return write_file_atomically(path, ByteView(reinterpret_cast<const uint8_t*>(t.data()), t.size()),
                               0600, /*overwrite=*/true);
}

Result<std::string> set_in_file(const std::string& path, std::string_view key,
                                std::string_view value) {
  HEARTH_ASSIGN_OR_RETURN(ConfigFile file, ConfigFile::load(path));
  HEARTH_ASSIGN_OR_RETURN(std::string written, file.set(key, value));
  HEARTH_TRY(file.save(path));
  return written;
}

ListenSetting listen_of(const ConfigFile& file) {
  ListenSetting out;
  const std::string address = file.value(kListenAddress);
  if (address == "auto") {
    out.mode = ListenSetting::Mode::kAuto;
  } else if (address == "off") {
    out.mode = ListenSetting::Mode::kOff;
  } else {
    out.mode = ListenSetting::Mode::kFixed;
    out.host = address;
  }
  out.port = static_cast<uint16_t>(std::stoul(file.value(kListenPort)));
  return out;
}

}  // namespace hearth::config
