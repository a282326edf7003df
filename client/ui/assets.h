// The front end of `hearth ui` (client/ui/web/), compiled into the binary by
// embed_web.cmake: nothing is read from disk or fetched at run time.
#pragma once

#include <span>
#include <string_view>

namespace hearth::client::ui {

struct Asset {
  std::string_view path;  // "/app.js"; "/" is index.html
  std::string_view type;  // its Content-Type
  std::string_view body;
};

std::span<const Asset> assets();
// The asset served at `path`, or null.
const Asset* find_asset(std::string_view path);

}  // namespace hearth::client::ui
