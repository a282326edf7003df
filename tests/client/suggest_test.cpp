#include "client/suggest.h"

#include <doctest/doctest.h>

using namespace hearth::client;

TEST_CASE("edit_distance counts insertions, deletions, substitutions and swaps") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("reflect", "reflect") == 0);
  CHECK(edit_distance("", "add") == 3);
  CHECK(edit_distance("add", "") == 3);
  CHECK(edit_distance("reflct", "reflect") == 1);    // a letter left out
  CHECK(edit_distance("reflectt", "reflect") == 1);  // one too many
  CHECK(edit_distance("reflekt", "reflect") == 1);   // one changed
  CHECK(edit_distance("relfect", "reflect") == 1);   // two swapped
  CHECK(edit_distance("--capcity", "--capacity") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("REFLECT", "reflect") == 0);  // case does not count
  CHECK(edit_distance("status", "pause") == 4);
}

TEST_CASE("closest_words names the nearest commands, closest first") {
  const std::vector<std::string> commands = {"init",    "id",       "status",  "unlock", "log",
                                             "watch",   "sync",     "pair",    "unpair", "peer",
                                             "reflect", "boundary", "checkin", "pause",  "resume",
                                             "export",  "config",   "rebuild", "help"};
  CHECK(closest_words("reflct", commands) == std::vector<std::string>{"reflect"});
  CHECK(closest_words("stauts", commands) == std::vector<std::string>{"status"});
  CHECK(closest_words("ref", commands) == std::vector<std::string>{"reflect"});  // a start
  CHECK(closest_words("pai", commands) == std::vector<std::string>{"pair"});
  CHECK(closest_words("paer", commands) == std::vector<std::string>{"pair", "peer"});
  CHECK(closest_words("journal", commands).empty());
  CHECK(closest_words("reflect", commands).empty());  // not a typo
  CHECK(closest_words("i", commands) == std::vector<std::string>{"id"});
  CHECK(closest_words("pa", commands, 1) == std::vector<std::string>{"pair"});
}

TEST_CASE("closest_words finds a mistyped option") {
  const std::vector<std::string> options = {"--capacity", "--feeling", "--need", "--share",
                                            "--home",     "--json",    "--help"};
  CHECK(closest_words("--capcity", options) == std::vector<std::string>{"--capacity"});
  CHECK(closest_words("--feelings", options) == std::vector<std::string>{"--feeling"});
  CHECK(closest_words("--shared", options) == std::vector<std::string>{"--share"});
  CHECK(closest_words("--jsn", options) == std::vector<std::string>{"--json"});
  CHECK(closest_words("--colour", options).empty());
}

TEST_CASE("quoted_choices lists words as a sentence would") {
  CHECK(quoted_choices({}) == "");
  CHECK(quoted_choices({"add"}) == "`add`");
  CHECK(quoted_choices({"add", "edit"}) == "`add` or `edit`");
  CHECK(quoted_choices({"add", "edit", "list"}) == "`add`, `edit` or `list`");
}
