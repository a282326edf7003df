#include "store/checkpointer.h"

#include <algorithm>

#include "util/log.h"

namespace hearth::store {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(Db& writer, const std::string& path,
                                                          Limits limits) {
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Db> own, Db::open(path));
  HEARTH_ASSIGN_OR_RETURN(int64_t page, writer.page_size());
  auto frames_of = [page](int64_t bytes) {
    return static_cast<int>(std::clamp<int64_t>(bytes / page, 1, 1 << 30));
  };
  std::unique_ptr<Checkpointer> c(new Checkpointer(writer, std::move(own),
                                                   frames_of(limits.background),
                                                   frames_of(limits.foreground)));
  writer.set_wal_listener([p = c.get()](int frames) { p->on_commit(frames); });
  return c;
}

Checkpointer::Checkpointer(Db& writer, std::unique_ptr<Db> own, int background_frames,
                           int foreground_frames)
    : writer_(writer),
      own_(std::move(own)),
      background_frames_(background_frames),
      foreground_frames_(foreground_frames),
      thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  writer_.set_wal_listener(nullptr);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::on_commit(int frames) {
  if (frames >= foreground_frames_) {
    Result<int> copied = writer_.checkpoint();
    if (!copied) log::warn("checkpoint failed: ", copied.status().to_string());
    std::lock_guard lock(mu_);
    ++counts_.foreground_runs;
    counts_.foreground_frames += copied ? static_cast<uint64_t>(*copied) : 0;
    return;
  }
  if (frames < background_frames_) return;
  {
    std::lock_guard lock(mu_);
    wanted_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    Result<int> copied = own_->checkpoint();
    if (!copied) log::warn("background checkpoint failed: ", copied.status().to_string());
    lock.lock();
    ++counts_.background_runs;
    counts_.background_frames += copied ? static_cast<uint64_t>(*copied) : 0;
  }
}

Checkpointer::Counts Checkpointer::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace hearth::store
