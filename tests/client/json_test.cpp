#include "client/json.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using hearth::client::json_quote;
using hearth::client::JsonWriter;

TEST_CASE("json_quote escapes quotes, backslash and control characters") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(json_quote("a\\b") == "\"a\\\\b\"");
  CHECK(json_quote("line\nnext\ttab\rcr") == "\"line\\nnext\\ttab\\rcr\"");
  CHECK(json_quote(std::string("\b\f", 2)) == "\"\\b\\f\"");
  CHECK(json_quote(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
  CHECK(json_quote(std::string("nul\0in", 6)) == "\"nul\\u0000in\"");
  CHECK(json_quote("\x1b[31mred") == "\"\\u001b[31mred\"");
}

TEST_CASE("json_quote passes UTF-8 through and replaces invalid bytes") {
  CHECK(json_quote("gefühlt — ♥ 🌱") == "\"gefühlt — ♥ 🌱\"");
  CHECK(json_quote("bad \xff byte") == "\"bad \xEF\xBF\xBD byte\"");
  CHECK(json_quote("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong
  CHECK(json_quote("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  CHECK(json_quote("cut \xE2\x99") == "\"cut \xEF\xBF\xBD\xEF\xBF\xBD\"");
  // Whatever the input, the output parses.
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  auto parsed = nlohmann::json::parse(json_quote(all));
  CHECK(parsed.is_string());
}

TEST_CASE("JsonWriter writes nested documents that parse back") {
  JsonWriter w;
  w.begin_object();
  w.key("text").value("quote \" and \\ and \n");
  w.key("count").value(uint64_t{18446744073709551615u});
  w.key("negative").value(int64_t{-5});
  w.key("yes").value(true);
  w.key("nothing").null();
  w.key("empty_list").begin_array().end_array();
  w.key("empty_object").begin_object().end_object();
  w.key("list").begin_array().value(1).value("two").begin_object().key("k").value(false);
  w.end_object().end_array();
  w.key("maybe").string_or_null("");
  w.key("feelings").strings({"calm", "tired"});
  w.end_object();
  const std::string doc = w.finish();
  CHECK(doc.back() == '\n');
  auto j = nlohmann::json::parse(doc);
  CHECK(j["text"] == "quote \" and \\ and \n");
  CHECK(j["count"].get<uint64_t>() == 18446744073709551615u);
  CHECK(j["negative"] == -5);
  CHECK(j["yes"] == true);
  CHECK(j["nothing"].is_null());
  CHECK(j["empty_list"].empty());
  CHECK(j["empty_object"].is_object());
  CHECK(j["list"][1] == "two");
  CHECK(j["list"][2]["k"] == false);
  CHECK(j["maybe"].is_null());
  CHECK(j["feelings"] == nlohmann::json({"calm", "tired"}));
}

TEST_CASE("JsonWriter with indent 0 writes the document on one line") {
  JsonWriter w(0);
  w.begin_object().key("a").begin_array().value(1).value(2).end_array().end_object();
  CHECK(w.finish() == "{\"a\":[1,2]}\n");
}
