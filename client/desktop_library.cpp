#include "client/desktop_library.h"

#include <dlfcn.h>

namespace hearth::client {

Result<DesktopLibrary> DesktopLibrary::open(const char* soname, const char* package,
                                            const char* needed_for) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return Status::unavailable(std::string(needed_for) + " needs " + soname +
                               ", which is not installed (Debian package " + package +
                               ": sudo apt install " + package + ")");
  }
  return DesktopLibrary(handle, soname);
}

Status DesktopLibrary::lookup(const char* name, void*& out) const {
  dlerror();
  out = dlsym(handle_, name);
  if (out == nullptr)
    return Status::unavailable(soname_ + " has no " + name + "; it may be too old for Hearth");
  return Status::ok();
}

}  // namespace hearth::client
