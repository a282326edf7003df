#include "client/export_html.h"

namespace hearth::client {

std::string html_escape(std::string_view s) { return std::string(s); }
std::string export_html(const ExportData&, int64_t) { return {}; }

}  // namespace hearth::client
