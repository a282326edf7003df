// The settings file, HOME/hearth.conf (docs/DESIGN.md §11.1): what hearthd
// needs before it is unlocked (where to listen) and the settings of this
// computer a person may want to read or change by hand. hearthd reads it at
// start and at each unlock; `hearth config set` writes it, through hearthd
// when it runs and directly when it does not.
//
//   # Lines starting with # are comments; they are kept.
//   listen-address = auto
//   listen-port = 7420
//   discovery = on
//
// Rules, checked on every read (the file is input like any other):
// - at most kMaxFileBytes, at most kMaxLines lines, each `key = value` or a
//   comment or blank; spaces around `=` and at the ends are ignored;
// - a key this version does not know is kept as it is and ignored (a newer
//   version may have written it);
// - a known key given twice, a line without `=`, or a value the key does not
//   take is an error naming the line: hearthd does not start on a file it
//   cannot trust to say what the person meant.
// Writing replaces the line of the key in place (or adds one at the end) and
// the whole file atomically, mode 0600. No setting in it is a person's own
// words: those stay sealed in the store (docs/DESIGN.md §9.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace hearth::config {

inline constexpr std::string_view kFileName = "hearth.conf";
inline constexpr size_t kMaxFileBytes = 16 * 1024;
inline constexpr size_t kMaxLines = 200;
inline constexpr uint16_t kDefaultListenPort = 7420;

// Keys of the file.
inline constexpr std::string_view kListenAddress = "listen-address";
inline constexpr std::string_view kListenPort = "listen-port";
inline constexpr std::string_view kDiscovery = "discovery";
inline constexpr std::string_view kAutoLock = "auto-lock";
inline constexpr std::string_view kQuietHours = "quiet-hours";
inline constexpr std::string_view kUnlockWithLogin = "unlock-with-login";

struct FileSetting {
  std::string_view key;
  std::string_view fallback;  // the value when the file does not set it
  std::string_view help;      // one line: what it does and takes
};

// The settings the file holds, in the order `hearth config list` shows them.
const std::vector<FileSetting>& file_settings();
// Whether `key` is one of them (the others live in the store).
bool in_file(std::string_view key);
// `value` as it is written for `key`, or why it is refused (kInvalidArgument,
// a sentence saying what the key takes). Keys not in the file: kInvalidArgument.
Result<std::string> normalize(std::string_view key, std::string_view value);

// "HH:MM-HH:MM" (a span of the local day, may run past midnight) or "off",
// as `quiet-hours` stores it.
Result<std::string> parse_quiet_hours(std::string_view text);

// HOME/hearth.conf.
std::string path_in(const std::string& home);

class ConfigFile {
 public:
  ConfigFile() = default;

  // kInvalidArgument (naming the line) by the rules above.
  static Result<ConfigFile> parse(std::string_view text);
  // A missing file is an empty one; a larger one than kMaxFileBytes, or one
  // that is not a regular file, is refused before reading.
  static Result<ConfigFile> load(const std::string& path);

  // The value the file sets for `key`, normalized; nullopt if it sets none.
  std::optional<std::string> get(std::string_view key) const;
  // get(), else the key's fallback.
  std::string value(std::string_view key) const;
  // Sets `key` (normalized first: kInvalidArgument for a value it does not
  // take, or a key not in the file). Returns the value as written.
  Result<std::string> set(std::string_view key, std::string_view value);

  std::string text() const;
  // Writes text() to `path` atomically, mode 0600.
  Status save(const std::string& path) const;

 private:
  struct Line {
    std::string text;  // as read, or as written by set()
    std::string key;   // empty for a comment or blank line
    std::string value;
  };
  std::vector<Line> lines_;
};

// Loads the file at `path`, sets `key`, writes it back. Returns the value as
// written.
Result<std::string> set_in_file(const std::string& path, std::string_view key,
                                std::string_view value);

// Where hearthd listens for its partner, by listen-address and listen-port.
struct ListenSetting {
  enum class Mode {
    kAuto,   // loopback until it is needed (paired, or an invite open), then all interfaces
    kOff,    // nowhere: this device only dials (invites cannot be answered)
    kFixed,  // always `host`
  };
  Mode mode = Mode::kAuto;
  std::string host;  // kFixed: an IP literal
  uint16_t port = kDefaultListenPort;
};
ListenSetting listen_of(const ConfigFile& file);

}  // namespace hearth::config
