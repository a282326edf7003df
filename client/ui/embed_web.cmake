# Writes OUT: a C++ table of the files in WEB_DIR (client/ui/web), served by
# `hearth ui` from memory. Only the kinds below are embedded; any other file
# there stops the build, so nothing is served with a guessed type.
file(GLOB files RELATIVE ${WEB_DIR} "${WEB_DIR}/*")
list(SORT files)
set(arrays "")
set(table "")
set(i 0)
foreach(name ${files})
  if(name MATCHES "\\.html$")
    set(type "text/html; charset=utf-8")
  elseif(name MATCHES "\\.js$")
    set(type "text/javascript; charset=utf-8")
  elseif(name MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(name MATCHES "\\.svg$")
    set(type "image/svg+xml")
  elseif(name MATCHES "\\.png$")
    set(type "image/png")
  else()
    message(FATAL_ERROR "client/ui/web/${name}: only .html, .js, .css, .svg and .png are served")
  endif()
  file(READ ${WEB_DIR}/${name} hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND arrays "const unsigned char kFile${i}[] = {${bytes}0};\n")
  set(path "/${name}")
  if(name STREQUAL "index.html")
    set(path "/")
  endif()
  string(APPEND table "    {\"${path}\", \"${type}\", std::string_view(reinterpret_cast<const char*>(kFile${i}), ${size})},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT} "// Generated from client/ui/web by client/ui/embed_web.cmake. Do not edit.
#include \"client/ui/assets.h\"

namespace hearth::client::ui {
namespace {
${arrays}
const Asset kAssets[] = {
${table}};
}  // namespace

std::span<const Asset> assets() { return kAssets; }

const Asset* find_asset(std::string_view path) {
  for (const Asset& a : kAssets)
    if (a.path == path) return &a;
  return nullptr;
}

}  // namespace hearth::client::ui
")
