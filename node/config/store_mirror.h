// The settings that both HOME/hearth.conf and the store's config table hold
// (discovery, auto-lock, quiet-hours): the store's copy is what the services
// read while unlocked, the file is what a person reads and edits.
#pragma once

#include <string>

#include "store/config.h"
#include "util/status.h"

namespace hearth::config {

// Makes the store's copies equal to the file's values. A value only the
// store has (set by a Hearth before the file existed) is written to the
// file, so nothing the person chose is lost. Called at each unlock.
Status reconcile_with_store(const std::string& path, store::Config& stored);

}  // namespace hearth::config
