# Shows that crypto/embed_words.cmake compiles in the real word list and
# refuses every kind of list that is not one (ctest `crypto.embed_words`,
# label unit):
#
#   cmake -DSCRIPT=node/crypto/embed_words.cmake -DWORDS=schema/pairing-words.txt
#         -DWORK=<scratch directory> -P tests/crypto/embed_words_test.cmake
#
# Each altered list is written to WORK and must stop the script with the
# message given; the real list must pass.
cmake_policy(VERSION 3.25)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(READ "${WORDS}" good)
string(REGEX REPLACE "\n$" "" body "${good}")
string(REPLACE "\n" ";" words "${body}")
list(GET words 0 first)
list(GET words 1 second)
list(GET words 2000 far)

set(failures 0)
# Runs the script on `text`; `expect` is a regex its error must match, or
# empty when it must succeed.
function(run name text expect)
  set(list_file "${WORK}/${name}.txt")
  file(WRITE "${list_file}" "${text}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -DWORDS=${list_file} -DCOUNT=2048 -DOUT=${WORK}/${name}.cpp
            -P ${SCRIPT}
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  string(REGEX REPLACE "[ \n]+" " " err "${err}")
  if(expect STREQUAL "")
    if(NOT rc EQUAL 0)
      message(SEND_ERROR "${name}: refused: ${err}")
      math(EXPR failures "${failures} + 1")
    endif()
  elseif(rc EQUAL 0)
    message(SEND_ERROR "${name}: accepted")
    math(EXPR failures "${failures} + 1")
  elseif(NOT err MATCHES "${expect}")
    message(SEND_ERROR "${name}: refused, but not with '${expect}': ${err}")
    math(EXPR failures "${failures} + 1")
  endif()
  set(failures ${failures} PARENT_SCOPE)
endfunction()

run(real "${good}" "")

string(REGEX REPLACE "[a-z]+\n$" "" short_list "${good}")
run(missing "${short_list}" "has 2047 words: the pairing word list has exactly 2048")
run(extra "${good}zzzz\n" "has 2049 words")
string(REPLACE "${first}\n${second}\n" "${first}\n${first}\n" repeated "${good}")
run(duplicate_adjacent "${repeated}" "'${first}' appears more than once")
string(REPLACE "\n${second}\n" "\n${far}\n" repeated "${good}")
run(duplicate_far "${repeated}" "'${far}' appears more than once")
string(REPLACE "${first}\n${second}\n" "${second}\n${first}\n" swapped "${good}")
run(order "${swapped}" ":2: '${first}' comes after '${second}'")
string(REPLACE "\n${second}\n" "\nAbacus\n" upper "${good}")
run(upper_case "${upper}" ":2: a pairing word has only the letters a-z")
string(REPLACE "\n${second}\n" "\naba;cus\n" semicolon "${good}")
run(semicolon "${semicolon}" ":2: a pairing word has only the letters a-z")
string(REPLACE "\n${second}\n" "\nab\n" two "${good}")
run(too_short "${two}" ":2: 'ab': a pairing word has 3 to 8 letters")
string(REPLACE "\n${second}\n" "\nabacuses\n" nine "${good}")
run(eight_letters "${nine}" "")
string(REPLACE "\n${second}\n" "\nabacusess\n" nine "${good}")
run(too_long "${nine}" ":2: 'abacusess': a pairing word has 3 to 8 letters")
string(REPLACE "\n${second}\n" "\n\n" blank "${good}")
run(empty_line "${blank}" ":2: '': a pairing word has 3 to 8 letters")
string(REPLACE "\n" "\r\n" crlf "${good}")
run(carriage_returns "${crlf}" "a carriage return")
run(no_final_newline "${body}" "does not end in a newline")
run(empty "" "is empty")

if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of the word list checks failed")
endif()
