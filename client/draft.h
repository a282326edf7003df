// Drafts: where words written in the editor live until hearthd has them.
//
// A draft is a directory made for it alone (mode 0700, named
// kDraftDirPrefix + 6 random characters) holding one file (0600). Editors
// write their swap, backup and auto-save files next to the file they edit,
// so those land in the same directory and go with it.
//
// The directory is made in memory-backed storage that only this user can
// use, never on a disk and never in the Hearth home (which holds no
// plaintext): draft_root() chooses it.
//
// Wiping a draft overwrites every file in its directory with zeros, removes
// it, then removes the directory. A Draft is wiped when it is destroyed
// unless it was kept. While a Draft exists and is not kept, SIGHUP and SIGTERM
// (a terminal closed, a session ended) first stop the editor if one runs,
// wait up to kEditorStopSeconds for it to write and close its files, wipe the
// draft, and then end the process as the signal would.
//
// At most one Draft is armed at a time (the CLI writes one entry per run).
// Not thread-safe: the main thread owns it.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "util/status.h"

namespace hearth::client {

inline constexpr std::string_view kDraftDirPrefix = "hearth-draft-";
// How long a signalled editor may take to exit before it is killed.
inline constexpr int kEditorStopSeconds = 5;

// The directory drafts are made in:
//   1. $XDG_RUNTIME_DIR, when set to a directory (the session's private
//      tmpfs, removed at logout);
//   2. else /run/user/UID, when it is a directory this user owns and no one
//      else can enter;
//   3. else /dev/shm, when it is a tmpfs (memory; the draft's own directory
//      keeps others out).
// Else kRefused, saying why and how else to write (stdin, --from FILE).
Result<std::string> draft_root();

class Draft {
 public:
  // Makes a draft named `file_name` holding `initial` in a new directory
  // under draft_root(), and arms the signal wipe.
  static Result<Draft> create(std::string_view initial, std::string_view file_name);

  Draft(Draft&& other) noexcept;
  Draft& operator=(Draft&&) = delete;
  Draft(const Draft&) = delete;
  Draft& operator=(const Draft&) = delete;
  ~Draft();

  // The file to edit, and its directory.
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

  // Leaves the draft in place for the person to save later; signals no
  // longer wipe it.
  void keep();
  // Wipes the draft now (once; later calls do nothing).
  void wipe();

  // From now until keep() or wipe(): Ctrl-C (SIGINT) keeps the draft, writes
  // `note` on stderr and ends the process with exit code 130. For the moment
  // the words are on their way to hearthd: stopping then must not lose them.
  void keep_on_interrupt(std::string_view note);

  // The editor working on the draft (0: none), for the signal wipe to stop
  // and wait for first. Call with signals SIGHUP and SIGTERM blocked around
  // the fork, so a signal never finds a child that is not yet recorded.
  void set_editor(pid_t pid);

 private:
  Draft(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
  std::string dir_;
  std::string path_;
  bool armed_ = true;  // neither kept nor wiped yet
};

// Whether `path` is a draft file made by Draft::create: a regular file of
// this user directly inside a directory named kDraftDirPrefix... that this
// user owns and no one else can enter.
bool is_hearth_draft(const std::string& path);

// Wipes (as above) the directory holding the draft file `path`; only for a
// path is_hearth_draft() accepts.
Status wipe_draft_of(const std::string& path);

}  // namespace hearth::client
