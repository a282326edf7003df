#include "model/checkin.h"

namespace hearth::model {
namespace {

bool same_meta(const EntryMeta& a, const EntryMeta& b) {
  return a.order == b.order && a.wall_ms == b.wall_ms && a.ref == b.ref;
}

}  // namespace

bool CheckInView::operator==(const CheckInView& o) const {
  return forgotten == o.forgotten && same_meta(first, o.first) && same_meta(head, o.head);
}

CheckInView apply_check_in(CheckInView view, const EntryMeta& meta) {
  if (view.forgotten) return view;
  if (view.first.order.lamport == 0 || meta.order < view.first.order) view.first = meta;
  if (view.head.order.lamport == 0 || view.head.order < meta.order) view.head = meta;
  return view;
}

CheckInView apply_check_in_forget(const CheckInView&) {
  CheckInView out;
  out.forgotten = true;
  return out;
}

}  // namespace hearth::model
