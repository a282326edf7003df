// Man pages and shell completions made from a CLI11 command table, so that
// they say what `--help` says and cannot drift from it (docs/DESIGN.md
// §11.4). Each binary gets hidden options that print them; the build runs
// those and installs the output:
//
//   --help-man                 the man page (roff, man(7) macros)
//   --help-completion SHELL    bash, zsh or fish
//
// Header-only, for the one translation unit of each binary that includes
// CLI11 (it is slow to compile). Hidden commands and options (group "")
// are left out of both.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0"
#endif

#include "wire/peer_codec.h"

namespace hearth::cli {

// "hearth 0.1.0 (sync protocol 1)".
inline std::string version_text(const std::string& program) {
  return program + " " + HEARTH_VERSION + " (sync protocol " +
         std::to_string(wire::kPeerProtocolVersion) + ")";
}

// What a man page says beyond the command table.
struct ManExtras {
  std::string summary;  // NAME line: "hearth \- <summary>"
  std::vector<std::pair<std::string, std::string>> sections;  // title, roff body
};

// For completions: the kind of entry whose ID a command's `id` argument
// takes, by its top-level command ("reflect" -> "reflection"); with it the
// scripts call `PROGRAM --complete-ids KIND`.
using IdKinds = std::map<std::string, std::string>;

struct DocRequest {
  bool man = false;
  std::string completion;  // "", "bash", "zsh" or "fish"
};

inline DocRequest& doc_request() {
  static DocRequest request;
  return request;
}

inline void add_doc_options(CLI::App& app) {
  app.add_flag("--help-man", doc_request().man, "Print the man page")->group("");
  app.add_option("--help-completion", doc_request().completion, "Print a completion script")
      ->check(CLI::IsMember({"bash", "zsh", "fish"}))
      ->group("");
}

namespace detail {

inline bool visible(const CLI::Option* o) { return !o->get_group().empty(); }
inline bool visible(const CLI::App* a) { return !a->get_group().empty(); }

inline std::vector<const CLI::App*> subcommands(const CLI::App* app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub : app->get_subcommands({}))
    if (visible(sub)) out.push_back(sub);
  return out;
}

inline std::vector<const CLI::Option*> options(const CLI::App* app) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* o : app->get_options())
    if (visible(o) && o->get_name() != "--help") out.push_back(o);
  return out;
}

inline std::string path_of(const CLI::App* app) {
  std::string path;
  for (const CLI::App* p = app; p && p->get_parent(); p = p->get_parent())
    path = p->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

// Text for roff: backslashes escaped, dashes literal, no line starting with
// a control character.
inline std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

inline std::string option_names(const CLI::Option* o) {
  std::string names;
  for (const std::string& s : o->get_snames()) names += (names.empty() ? "-" : ", -") + s;
  for (const std::string& l : o->get_lnames()) names += (names.empty() ? "--" : ", --") + l;
  return names;
}

inline bool takes_value(const CLI::Option* o) { return o->get_items_expected_max() > 0; }

inline std::string value_name(const CLI::Option* o) {
  std::string t = o->get_type_name();
  t = t.substr(0, t.find(':'));
  if (t.empty() || t == "TEXT" || t == "[TEXT]" || t == "TEXT ...") t = "VALUE";
  const std::string n = o->get_lnames().empty() ? o->get_name() : o->get_lnames().front();
  if (n.find("file") != std::string::npos || n == "out" || n == "from") return "FILE";
  if (n == "home") return "DIR";
  if (t == "INT" || t == "UINT") return "N";
  return t;
}

inline std::string synopsis(const CLI::App* app, const std::string& program) {
  std::string out = "\\fB" + roff(program + (path_of(app).empty() ? "" : " " + path_of(app))) +
                    "\\fR";
  for (const CLI::Option* o : options(app)) {
    if (o->get_group() == "Global options") continue;
    if (!o->nonpositional()) {
      std::string name = o->get_name();
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const bool many = o->get_items_expected_max() > 1;
      out += o->get_required() ? " \\fI" + roff(name) + "\\fR" + (many ? "..." : "")
                               : " [\\fI" + roff(name) + "\\fR" + (many ? "..." : "") + "]";
      continue;
    }
    std::string names = o->get_lnames().empty() ? "-" + o->get_snames().front()
                                                : "--" + o->get_lnames().front();
    std::string one = "\\fB" + roff(names) + "\\fR";
    if (takes_value(o)) one += " \\fI" + roff(value_name(o)) + "\\fR";
    out += o->get_required() ? " " + one : " [" + one + "]";
  }
  if (!subcommands(app).empty()) out += " \\fICOMMAND\\fR";
  return out;
}

inline void man_options(std::ostream& out, const CLI::App* app, bool globals) {
  for (const CLI::Option* o : options(app)) {
    if ((o->get_group() == "Global options") != globals) continue;
    out << ".TP\n";
    if (o->nonpositional()) {
      out << "\\fB" << roff(option_names(o)) << "\\fR";
      if (takes_value(o)) out << " \\fI" << roff(value_name(o)) << "\\fR";
    } else {
      std::string name = o->get_name();
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out << "\\fI" << roff(name) << "\\fR";
    }
    out << "\n" << roff(o->get_description()) << "\n";
  }
}

inline void man_commands(std::ostream& out, const CLI::App* app, const std::string& program) {
  for (const CLI::App* sub : subcommands(app)) {
    out << ".SS \"" << roff(program + " " + path_of(sub)) << "\"\n";
    out << synopsis(sub, program) << "\n.PP\n" << roff(sub->get_description()) << "\n";
    man_options(out, sub, false);
    man_commands(out, sub, program);
  }
}

// Every visible command path ("" for the program itself).
inline void walk(const CLI::App* app, const std::function<void(const CLI::App*)>& visit) {
  visit(app);
  for (const CLI::App* sub : subcommands(app)) walk(sub, visit);
}

inline std::string first_sentence(const std::string& text, size_t max = 90) {
  std::string s = text.substr(0, text.find(". ") == std::string::npos ? text.size()
                                                                      : text.find(". ") + 1);
  for (char& c : s)
    if (c == '\n') c = ' ';
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

inline std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::string fish_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

inline std::string words_of_subs(const CLI::App* app) {
  std::string out;
  for (const CLI::App* sub : subcommands(app)) out += (out.empty() ? "" : " ") + sub->get_name();
  return out;
}

inline std::string words_of_options(const CLI::App* app) {
  std::string out;
  for (const CLI::Option* o : options(app)) {
    if (!o->nonpositional()) continue;
    for (const std::string& l : o->get_lnames()) out += (out.empty() ? "--" : " --") + l;
    for (const std::string& s : o->get_snames()) out += (out.empty() ? "-" : " -") + s;
  }
  return out;
}

inline std::string id_kind_of(const CLI::App* app, const IdKinds& kinds) {
  bool has_id = false;
  for (const CLI::Option* o : options(app))
    if (!o->nonpositional() && o->get_name() == "id") has_id = true;
  if (!has_id) return {};
  const std::string path = path_of(app);
  auto it = kinds.find(path.substr(0, path.find(' ')));
  return it == kinds.end() ? std::string() : it->second;
}

}  // namespace detail

inline std::string man_page(const CLI::App& app, const std::string& program,
                            const ManExtras& extras) {
  using namespace detail;
  std::ostringstream out;
  std::string upper = program;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << ".\\\" Generated by `" << program
      << " --help-man` from the same table as --help; do not edit.\n";
  out << ".TH " << upper << " 1 \"\" \"" << roff(version_text(program)) << "\" \"Hearth\"\n";
  out << ".SH NAME\n" << roff(program) << " \\- " << roff(extras.summary) << "\n";
  out << ".SH SYNOPSIS\n" << synopsis(&app, program) << "\n";
  out << ".SH DESCRIPTION\n" << roff(app.get_description()) << "\n";
  if (!app.get_footer().empty()) out << ".PP\n" << roff(app.get_footer()) << "\n";
  if (!subcommands(&app).empty()) {
    out << ".SH COMMANDS\n";
    man_commands(out, &app, program);
  }
  std::ostringstream opts;
  man_options(opts, &app, false);
  man_options(opts, &app, true);
  if (!opts.str().empty()) out << ".SH OPTIONS\n" << opts.str();
  for (const auto& [title, body] : extras.sections) out << ".SH " << title << "\n" << body << "\n";
  return out.str();
}

inline std::string bash_completion(const CLI::App& app, const std::string& program,
                                   const IdKinds& kinds) {
  using namespace detail;
  std::ostringstream out;
  const std::string fn = "_" + program + "_complete";
  out << "# bash completion for " << program << ": generated by `" << program
      << " --help-completion bash`; do not edit.\n";
  out << fn << "() {\n  local -A subs opts ids\n  local valued=''\n";
  std::set<std::string> valued;
  walk(&app, [&](const CLI::App* a) {
    const std::string path = path_of(a);
    out << "  subs[" << single_quoted("_" + path) << "]=" << single_quoted(words_of_subs(a)) << "\n";
    out << "  opts[" << single_quoted("_" + path) << "]=" << single_quoted(words_of_options(a)) << "\n";
    const std::string kind = id_kind_of(a, kinds);
    if (!kind.empty()) out << "  ids[" << single_quoted("_" + path) << "]=" << kind << "\n";
    for (const CLI::Option* o : options(a))
      if (o->nonpositional() && takes_value(o))
        for (const std::string& l : o->get_lnames()) valued.insert("--" + l);
  });
  std::string v;
  for (const std::string& s : valued) v += " " + s;
  out << "  valued=" << single_quoted(v + " ") << "\n";
  out << R"(  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local path='' home=() i w skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $w == --home ]]; then home=(--home "${COMP_WORDS[i+1]}"); fi
    if [[ $w == -* ]]; then [[ $w != *=* && $valued == *" $w "* ]] && skip=1; continue; fi
    if [[ " ${subs[_$path]} " == *" $w "* ]]; then path=${path:+$path }$w; fi
  done
  if [[ $valued == *" $prev "* ]]; then
    case $prev in
      --home) COMPREPLY=($(compgen -d -- "$cur")) ;;
      *file|--out|--from) COMPREPLY=($(compgen -f -- "$cur")) ;;
      *) COMPREPLY=() ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "${opts[_$path]}" -- "$cur"))
    return 0
  fi
  local words=${subs[_$path]}
  if [[ -n ${ids[_$path]} ]]; then
)";
  out << "    words+=\" $(" << program
      << " \"${home[@]}\" --complete-ids \"${ids[_$path]}\" 2>/dev/null)\"\n";
  out << R"(  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  return 0
}
)";
  out << "complete -F " << fn << " " << program << "\n";
  return out.str();
}

inline std::string zsh_completion(const CLI::App& app, const std::string& program,
                                  const IdKinds& kinds) {
  using namespace detail;
  std::ostringstream out;
  out << "#compdef " << program << "\n# zsh completion for " << program
      << ": generated by `" << program << " --help-completion zsh`; do not edit.\n";
  out << "_" << program << "() {\n  local -A subs opts ids\n  local -a described\n";
  walk(&app, [&](const CLI::App* a) {
    const std::string path = path_of(a);
    std::string described;
    for (const CLI::App* sub : subcommands(a)) {
      std::string d = first_sentence(sub->get_description());
      std::string escaped;
      for (char c : d) escaped += c == ':' ? std::string("\\:") : std::string(1, c);
      described += (described.empty() ? "" : "\n") + sub->get_name() + ":" + escaped;
    }
    out << "  subs[" << single_quoted("_" + path) << "]=" << single_quoted(described) << "\n";
    out << "  opts[" << single_quoted("_" + path) << "]=" << single_quoted(words_of_options(a)) << "\n";
    const std::string kind = id_kind_of(a, kinds);
    if (!kind.empty()) out << "  ids[" << single_quoted("_" + path) << "]=" << kind << "\n";
  });
  out << R"(  local path='' i w line
  for ((i = 2; i < CURRENT; i++)); do
    w=${words[i]}
    [[ $w == -* ]] && continue
    for line in ${(f)subs[_$path]}; do
      if [[ ${line%%:*} == $w ]]; then path=${path:+$path }$w; break; fi
    done
  done
  if [[ ${words[CURRENT]} == -* ]]; then
    compadd -- ${=opts[_$path]}
    return
  fi
  described=(${(f)subs[_$path]})
  (( ${#described} )) && _describe -t commands 'command' described
  if [[ -n ${ids[_$path]} ]]; then
)";
  out << "    compadd -- ${(f)\"$(" << program
      << " --complete-ids ${ids[_$path]} 2>/dev/null)\"}\n";
  out << "  fi\n}\n_" << program << " \"$@\"\n";
  return out.str();
}

inline std::string fish_completion(const CLI::App& app, const std::string& program,
                                   const IdKinds& kinds) {
  using namespace detail;
  std::ostringstream out;
  out << "# fish completion for " << program << ": generated by `" << program
      << " --help-completion fish`; do not edit.\n";
  std::string paths;
  walk(&app, [&](const CLI::App* a) {
    if (a->get_parent()) paths += " " + single_quoted(path_of(a));
  });
  const std::string helper = "__fish_" + program + "_path";
  out << "set -g " << helper << "s" << paths << "\n";
  out << "function " << helper << "\n  set -l path ''\n"
      << "  for w in (commandline -opc)[2..-1]\n"
      << "    string match -q -- '-*' $w; and continue\n"
      << "    set -l next (string trim -- \"$path $w\")\n"
      << "    contains -- $next $" << helper << "s; and set path $next\n"
      << "  end\n  echo $path\nend\n";
  out << "complete -c " << program << " -f\n";
  walk(&app, [&](const CLI::App* a) {
    const std::string cond = "-n " + fish_quoted("test \"$(" + helper + ")\" = \"" +
                                                 path_of(a) + "\"");
    for (const CLI::App* sub : subcommands(a))
      out << "complete -c " << program << " " << cond << " -a " << sub->get_name() << " -d "
          << fish_quoted(first_sentence(sub->get_description(), 60)) << "\n";
    for (const CLI::Option* o : options(a)) {
      if (!o->nonpositional()) continue;
      out << "complete -c " << program << " " << cond;
      for (const std::string& l : o->get_lnames()) out << " -l " << l;
      for (const std::string& s : o->get_snames()) out << " -s " << s;
      if (takes_value(o)) out << " -r";
      out << " -d " << fish_quoted(first_sentence(o->get_description(), 60)) << "\n";
    }
    const std::string kind = id_kind_of(a, kinds);
    if (!kind.empty())
      out << "complete -c " << program << " " << cond << " -a " << fish_quoted("(" + program +
                                                                              " --complete-ids " +
                                                                              kind + " 2>/dev/null)")
          << "\n";
  });
  return out.str();
}

// After parsing: prints what --help-man or --help-completion asked for and
// returns true, or returns false when neither was given.
inline bool print_doc_if_asked(const CLI::App& app, const std::string& program,
                               const ManExtras& extras = {}, const IdKinds& kinds = {}) {
  const DocRequest& r = doc_request();
  if (r.man) {
    std::cout << man_page(app, program, extras) << std::flush;
    return true;
  }
  if (r.completion == "bash") std::cout << bash_completion(app, program, kinds) << std::flush;
  if (r.completion == "zsh") std::cout << zsh_completion(app, program, kinds) << std::flush;
  if (r.completion == "fish") std::cout << fish_completion(app, program, kinds) << std::flush;
  return !r.completion.empty();
}

}  // namespace hearth::cli
