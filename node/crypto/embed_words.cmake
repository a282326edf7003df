# Writes OUT: the C++ array of pairing_words() (crypto/pairing_words.h), from
# WORDS, the pairing word list (schema/pairing-words.txt, schema/PROTOCOL.md
# §5.2). COUNT is the number of words the list must hold (2048: 11 bits each).
#
# Refuses, naming the line, a list that is not exactly what the protocol
# says: not COUNT lines; a line that is not 3 to 8 letters a-z; a word that
# appears twice; words out of ascending byte order (pairing_word_index()
# looks words up by binary search); a last line without its newline. A list
# that passes gives the same array, word for word and in the same order.
cmake_policy(VERSION 3.25)
file(READ "${WORDS}" text)
# file(READ) drops carriage returns and stops at a NUL: the file's size
# tells those apart.
file(SIZE "${WORDS}" file_size)
string(LENGTH "${text}" text_length)
if(NOT file_size EQUAL text_length)
  message(FATAL_ERROR "${WORDS}: the list holds a carriage return or a NUL; "
                      "its lines are letters a-z, each ending in a newline")
endif()
if(text STREQUAL "")
  message(FATAL_ERROR "${WORDS}: the pairing word list is empty")
endif()
if(NOT text MATCHES "\n$")
  message(FATAL_ERROR "${WORDS}: the last line does not end in a newline")
endif()

# Anything but a-z and newlines, reported with its line before the text is
# split (a ';' or a bracket would otherwise change how CMake splits it).
string(REGEX MATCH "^[a-z\n]*" clean "${text}")
string(LENGTH "${clean}" clean_length)
if(NOT clean_length EQUAL text_length)
  string(REGEX MATCHALL "\n" breaks "${clean}")
  list(LENGTH breaks line)
  math(EXPR line "${line} + 1")
  message(FATAL_ERROR "${WORDS}:${line}: a pairing word has only the letters a-z")
endif()

string(REGEX REPLACE "\n$" "" text "${text}")
string(REPLACE "\n" ";" words "${text}")
set(line 0)
foreach(word IN LISTS words)
  math(EXPR line "${line} + 1")
  string(LENGTH "${word}" length)
  if(length LESS 3 OR length GREATER 8)
    message(FATAL_ERROR "${WORDS}:${line}: '${word}': a pairing word has 3 to 8 letters")
  endif()
endforeach()

list(LENGTH words count)
if(NOT count EQUAL COUNT)
  message(FATAL_ERROR "${WORDS} has ${count} words: the pairing word list has exactly ${COUNT}")
endif()

# Duplicates, wherever they are, before the order: a word repeated next to
# itself is named as what it is.
set(sorted ${words})
list(SORT sorted)
set(previous "")
foreach(word IN LISTS sorted)
  if(word STREQUAL previous)
    message(FATAL_ERROR "${WORDS}: '${word}' appears more than once")
  endif()
  set(previous "${word}")
endforeach()

set(body "")
set(previous "")
set(line 0)
foreach(word IN LISTS words)
  math(EXPR line "${line} + 1")
  if(line GREATER 1 AND NOT previous STRLESS word)
    message(FATAL_ERROR "${WORDS}:${line}: '${word}' comes after '${previous}': "
                        "the list is in ascending order")
  endif()
  set(previous "${word}")
  string(APPEND body "    \"${word}\",\n")
endforeach()

file(WRITE "${OUT}" "// Generated from schema/pairing-words.txt by crypto/embed_words.cmake. Do not edit.
#include \"crypto/pairing_words.h\"

namespace hearth::crypto {

static_assert(${COUNT} == kPairingWordCount, \"the list holds kPairingWordCount words\");

const std::array<std::string_view, kPairingWordCount>& pairing_words() {
  static constexpr std::array<std::string_view, kPairingWordCount> kWords = {
${body}  };
  return kWords;
}

}  // namespace hearth::crypto
")
