// The desktop's notification service: org.freedesktop.Notifications on the
// session D-Bus, through libnotify. desktop_notifier.cpp is the one file
// that includes libnotify and GLib; it is built into the `hearth` program
// only, so the tests and the rest of the client never link them.
#pragma once

#include <memory>

#include "client/notifier.h"

namespace hearth::client {

// Posts as the application "Hearth". Connecting to the session bus happens
// at the first post; without a bus or a notification service, each post
// fails with kUnavailable.
Result<std::unique_ptr<Notifier>> desktop_notifier();

}  // namespace hearth::client
