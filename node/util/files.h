// Small, careful file operations: bounded reads, atomic durable writes,
// private directories. All paths are plain strings (POSIX).
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "util/bytes.h"
#include "util/status.h"

namespace hearth {

// Reads a whole regular file, refusing one larger than max_bytes before reading it.
Result<Bytes> read_small_file(const std::string& path, size_t max_bytes);
// The steps of write_file_atomically, in order.
enum class WriteStep {
  kTempCreated,  // `path`.tmp exists, empty, with `mode`
  kTempWritten,  // it holds every byte, maybe not yet on disk
  kTempSynced,   // fsync()ed
  kReplaced,     // renamed over (or linked as) `path`
  kDirSynced,    // the directory entry is on disk
};
// Called after each step; a failed Status stops the write right there, as a
// crash would (nothing is cleaned up). For tests that crash at every step.
using WriteStepHook = std::function<Status(WriteStep)>;

// Writes `path`.tmp (created with `mode`, any stale one removed first),
// fsyncs it, renames it over `path`, fsyncs the directory. A crash at any
// point leaves `path` whole: the old content or the new, never neither, never
// a mix. With overwrite == false an existing `path` is an error (kRefused).
Status write_file_atomically(const std::string& path, ByteView data, unsigned mode, bool overwrite,
                             const WriteStepHook& after_step = nullptr);
// write_file_atomically for a file written in pieces (a long export): the
// pieces go to `path`.tmp, and commit() puts it in place as that does. A
// writer destroyed before commit() removes `path`.tmp; `path` is untouched.
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::string& path, unsigned mode, bool overwrite);
  AtomicFile(AtomicFile&& o) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();
  Status write(ByteView data);
  Status commit();

 private:
  AtomicFile(std::string path, int fd, bool overwrite)
      : path_(std::move(path)), fd_(fd), overwrite_(overwrite) {}
  std::string path_;
  int fd_ = -1;  // -1: committed or moved from
  bool overwrite_ = false;
};

// Creates `path` (and missing parents) with mode 0700, or tightens an existing
// directory we own to 0700. Refuses a directory owned by another user.
Status ensure_private_dir(const std::string& path);
bool path_exists(const std::string& path);

// Where Hearth keeps its files: `flag` if not empty, else $HEARTH_HOME, else
// $XDG_DATA_HOME/hearth, else $HOME/.local/share/hearth.
Result<std::string> resolve_home(const std::string& flag);

struct HomePaths {
  std::string home;
  std::string keys() const { return home + "/keys"; }
  std::string db() const { return home + "/hearth.db"; }
  std::string control_socket() const { return home + "/control.sock"; }
  std::string lock() const { return home + "/hearthd.lock"; }
};

}  // namespace hearth
