// A desktop library (libnotify, libsecret) loaded when a command first needs
// it, not when `hearth` starts: linking them would make every command pay
// for loading GLib and its dependencies, a few milliseconds each time
// (docs/ARCHITECTURE.md §3.11). Each library's functions are looked up once,
// typed by the library's own header, and the library stays loaded.
#pragma once

#include <initializer_list>
#include <string>

#include "util/status.h"

namespace hearth::client {

class DesktopLibrary {
 public:
  // Loads `soname` (e.g. "libnotify.so.4"); when it is missing, kUnavailable
  // says which Debian package brings it and what needs it.
  static Result<DesktopLibrary> open(const char* soname, const char* package,
                                     const char* needed_for);

  // The function `name` in the library or a library it loads; kUnavailable
  // when it has none (an older version).
  template <typename Function>
  Status find(Function*& out, const char* name) const {
    void* address = nullptr;
    HEARTH_TRY(lookup(name, address));
    out = reinterpret_cast<Function*>(address);
    return Status::ok();
  }

 private:
  DesktopLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}
  Status lookup(const char* name, void*& out) const;
  void* handle_;  // never closed: GLib is not made to be unloaded
  std::string soname_;
};

}  // namespace hearth::client
