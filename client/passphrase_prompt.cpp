#include "client/passphrase_prompt.h"

#include <iostream>

#include "client/terminal.h"
#include "util/utf8.h"

namespace hearth::client {
namespace {

constexpr std::string_view kEmpty = "The passphrase cannot be empty.";
constexpr std::string_view kDiffer = "The two passphrases differ.";
constexpr std::string_view kWrong = "That passphrase does not open this device's keys.";
constexpr std::string_view kAgain = " Please try again.";

}  // namespace

PassphraseIo terminal_passphrase_io() {
  return PassphraseIo{
      [](std::string_view prompt) { return prompt_passphrase(prompt); },
      [](std::string_view line) { std::cerr << line << "\n"
                                            << std::flush; },
  };
}

size_t passphrase_characters(const Secret& passphrase) {
  const auto bytes = passphrase.view();
  return utf8_code_points(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void warn_if_short(const Secret& passphrase, const std::function<void(std::string_view)>& say) {
  if (passphrase_characters(passphrase) >= kShortPassphrase) return;
  say("That passphrase is short (fewer than 8 characters), so it is easier to guess. It will "
      "work; a few words together are stronger.");
}

Result<Secret> ask_new_passphrase(const PassphraseIo& io, std::string_view first_prompt) {
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt == kPassphraseTries;
    HEARTH_ASSIGN_OR_RETURN(Secret first, io.ask(first_prompt));
    if (first.empty()) {
      if (last) return Status::invalid("no passphrase was chosen; nothing was changed");
      io.say(std::string(kEmpty) + std::string(kAgain));
      continue;
    }
    warn_if_short(first, io.say);
    HEARTH_ASSIGN_OR_RETURN(Secret second, io.ask("Same passphrase again: "));
    if (first.equals(second)) return first;
    if (last) return Status::invalid("the two passphrases differed each time; nothing was changed");
    io.say(std::string(kDiffer) + std::string(kAgain));
  }
}

Status ask_until_accepted(const PassphraseIo& io, std::string_view prompt,
                          const std::function<Status(const Secret&)>& check) {
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt == kPassphraseTries;
    HEARTH_ASSIGN_OR_RETURN(Secret passphrase, io.ask(prompt));
    if (passphrase.empty()) {
      if (last) return Status::invalid("no passphrase was given; nothing was changed");
      io.say(std::string(kEmpty) + std::string(kAgain));
      continue;
    }
    Status st = check(passphrase);
    if (st.code() != Code::kAuthFailed) return st;
    if (last) {
      return Status::auth_failed(
          "that passphrase does not open this device's keys; nothing was changed. You can run "
          "the command again whenever you are ready");
    }
    io.say(std::string(kWrong) + std::string(kAgain));
  }
}

}  // namespace hearth::client
