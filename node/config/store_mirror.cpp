#include "config/store_mirror.h"

#include <array>
#include <string_view>

#include "config/daemon_config.h"
#include "store/config.h"

namespace hearth::config {

Status reconcile_with_store(const std::string& path, store::Config& stored) {
  static constexpr std::array<std::string_view, 3> kMirrored = {kDiscovery, kAutoLock, kQuietHours};
  HEARTH_ASSIGN_OR_RETURN(ConfigFile file, ConfigFile::load(path));
  bool file_changed = false;
  for (std::string_view key : kMirrored) {
    HEARTH_ASSIGN_OR_RETURN(std::optional<std::string> in_store, stored.get(key));
    if (!file.get(key) && in_store) {
      // Set before the file held it: the file takes it over, if it is valid.
      if (file.set(key, *in_store)) file_changed = true;
    }
    const std::string want = file.value(key);
    if (in_store != want) HEARTH_TRY(stored.set(key, want));
  }
  if (file_changed) HEARTH_TRY(file.save(path));
  return Status::ok();
}

}  // namespace hearth::config
