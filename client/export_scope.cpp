#include "client/export_scope.h"

namespace hearth::client {

void apply_scope(ExportData&) {}

}  // namespace hearth::client
