#include "model/pause.h"

#include <algorithm>

namespace hearth::model {

PauseView apply_pause(PauseView view, const EntryMeta& meta, const Pause& pause) {
  if (meta.order <= view.order) return view;
  return PauseView{meta.order, true, meta.wall_ms, pause.minutes, meta.ref};
}

PauseView apply_resume(PauseView view, const EntryMeta& meta) {
  if (meta.order <= view.order) return view;
  return PauseView{meta.order, false, meta.wall_ms, 0, meta.ref};
}

PauseWindow window_of(const PauseView& view, const PauseClock& clock) {
  int64_t start = view.started_ms + clock.offset_ms;
  if (clock.arrived_ms) start = std::min(start, *clock.arrived_ms);
  if (!view.paused) return {start, start};
  return {start, start + int64_t{view.minutes} * 60'000};
}

}  // namespace hearth::model
