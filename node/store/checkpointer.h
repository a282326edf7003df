// Copies the WAL back into the database file on a thread of its own, over a
// second connection, so that a writer (a long catch-up above all) never
// stops for a checkpoint. SQLite makes this safe: a passive checkpoint
// neither waits for the writer nor blocks it, and a crash in the middle of
// one loses nothing.
//
// The writer's connection tells it after each commit how large the WAL is.
// Past `background` bytes of WAL the thread checkpoints; a writer that
// outruns it, past `foreground`, checkpoints itself, so the WAL stays
// bounded.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/db.h"

namespace hearth::store {

class Checkpointer {
 public:
  struct Limits {
    int64_t background = int64_t{64} << 20;  // bytes of WAL
    int64_t foreground = int64_t{256} << 20;
  };

  // Opens a second connection to the file store `path` that `writer` has
  // open, and takes over `writer`'s checkpoints.
  static Result<std::unique_ptr<Checkpointer>> start(Db& writer, const std::string& path,
                                                     Limits limits);
  static Result<std::unique_ptr<Checkpointer>> start(Db& writer, const std::string& path) {
    return start(writer, path, Limits{});
  }
  // Stops the thread and gives the checkpoints back to `writer`.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // For tests: checkpoints run so far by the thread and by the writer, and
  // the WAL frames each found copied back when it ended (summed).
  struct Counts {
    uint64_t background_runs = 0, background_frames = 0;
    uint64_t foreground_runs = 0, foreground_frames = 0;
  };
  Counts counts() const;

 private:
  Checkpointer(Db& writer, std::unique_ptr<Db> own, int background_frames, int foreground_frames);
  void on_commit(int frames);
  void run();

  Db& writer_;
  std::unique_ptr<Db> own_;
  const int background_frames_;
  const int foreground_frames_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  Counts counts_;
  std::thread thread_;  // last: starts once the rest is set up
};

}  // namespace hearth::store
