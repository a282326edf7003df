#include "client/suggest.h"

#include <algorithm>
#include <cctype>

namespace hearth::client {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

size_t allowed_distance(size_t typed_length) {
  if (typed_length <= 4) return 1;
  if (typed_length <= 8) return 2;
  return 3;
}

bool starts_with_ignoring_case(std::string_view word, std::string_view prefix) {
  if (prefix.size() > word.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(word[i]) != lower(prefix[i])) return false;
  return true;
}

// "hearth help reflect" for "hearth reflect".
std::string help_for(std::string_view command) {
  std::string_view rest = command;
  if (rest.rfind("hearth", 0) == 0) rest.remove_prefix(6);
  return "hearth help" + std::string(rest);
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += separator;
    out += words[i];
  }
  return out;
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: i-2, i-1 and i.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> closest_words(std::string_view typed,
                                       const std::vector<std::string>& candidates, size_t limit) {
  struct Scored {
    size_t distance;
    size_t index;
  };
  std::vector<Scored> close;
  const size_t allowed = allowed_distance(typed.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const size_t d = edit_distance(typed, candidates[i]);
    if (d == 0) continue;
    if (d <= allowed || (typed.size() >= 2 && starts_with_ignoring_case(candidates[i], typed)))
      close.push_back({d, i});
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const Scored& x, const Scored& y) { return x.distance < y.distance; });
  std::vector<std::string> out;
  for (const Scored& s : close) {
    if (out.size() == limit) break;
    if (std::find(out.begin(), out.end(), candidates[s.index]) == out.end())
      out.push_back(candidates[s.index]);
  }
  return out;
}

std::string quoted_choices(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += "`" + words[i] + "`";
  }
  return out;
}

std::string unknown_command_message(std::string_view typed, std::string_view command,
                                    const std::vector<std::string>& commands) {
  std::string out = "`" + std::string(typed) + "` is not a command";
  if (command != "hearth") out += " of `" + std::string(command) + "`";
  const std::vector<std::string> close = closest_words(typed, commands);
  if (!close.empty()) {
    out += ". Did you mean " + quoted_choices(close) + "?\n";
  } else {
    out += ". The commands are: " + joined(commands, ", ") + ".\n";
  }
  return out + "`" + help_for(command) + "` says what each one does.";
}

std::string unknown_option_message(std::string_view typed, std::string_view command,
                                   const std::vector<std::string>& options) {
  std::string out =
      "`" + std::string(typed) + "` is not an option of `" + std::string(command) + "`";
  const std::vector<std::string> close = closest_words(typed, options);
  out += close.empty() ? ".\n" : ". Did you mean " + quoted_choices(close) + "?\n";
  return out + "`" + help_for(command) + "` shows its options.";
}

std::string missing_command_message(std::string_view command,
                                    const std::vector<std::string>& commands) {
  return "`" + std::string(command) + "` needs one more word: " + joined(commands, ", ") + ".\n`" +
         help_for(command) + "` says what each one does.";
}

std::string unexpected_words_message(std::string_view command,
                                     const std::vector<std::string>& words) {
  return "Not expected after `" + std::string(command) + "`: " + joined(words, " ") + "\n`" +
         help_for(command) + "` shows what it takes.";
}

}  // namespace hearth::client
