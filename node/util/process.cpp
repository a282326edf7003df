#include "util/process.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace hearth {

Status keep_out_of_core_dumps() {
  const rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0)
    return Status::internal(std::string("cannot turn core dumps off: ") + std::strerror(errno));
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return Status::internal(std::string("cannot make the process undumpable: ") +
                            std::strerror(errno));
  return Status::ok();
}

}  // namespace hearth
