#include "model/checkin.h"

namespace hearth::model {

CheckInView apply_check_in(CheckInView view, const EntryMeta& meta) {
  if (view.meta.order.lamport == 0 || meta.order < view.meta.order) view.meta = meta;
  return view;
}

PauseView apply_pause(PauseView view, const EntryMeta& meta, const Pause& pause) {
  if (meta.order <= view.order) return view;
  return PauseView{meta.order, true, meta.wall_ms, pause.minutes, meta.ref};
}

PauseView apply_resume(PauseView view, const EntryMeta& meta) {
  if (meta.order <= view.order) return view;
  return PauseView{meta.order, false, meta.wall_ms, 0, meta.ref};
}

}  // namespace hearth::model
