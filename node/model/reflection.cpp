#include "model/reflection.h"

namespace hearth::model {

ReflectionView apply_put(ReflectionView view, const EntryMeta& meta) {
  if (view.forgotten) return view;
  const uint64_t lamport = meta.order.lamport;
  if (view.first_lamport == 0 || lamport < view.first_lamport) {
    view.first_lamport = lamport;
    view.created_ms = meta.wall_ms;
  }
  if (lamport > view.head_lamport) {
    view.head_lamport = lamport;
    view.updated_ms = meta.wall_ms;
    view.head = meta.ref;
  }
  if (!meta.is_private()) view.shared = true;
  return view;
}

ReflectionView apply_forget(const ReflectionView&) {
  ReflectionView tombstone;
  tombstone.forgotten = true;
  return tombstone;
}

}  // namespace hearth::model
