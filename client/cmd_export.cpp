// export: everything on this device (or what --since and --mine keep) as one
// plaintext document: markdown, JSON or a self-contained HTML page.
#include <algorithm>
#include <ostream>

#include "client/calendar.h"

#include "client/command_util.h"
#include "client/commands.h"
#include "client/export.h"
#include "client/export_html.h"
#include "client/export_scope.h"
#include "client/json.h"
#include "client/render_json.h"
#include "client/render_text.h"
#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

// "2026-11-24 16:32", local time.
std::string when(int64_t ms) { return local_timestamp(ms).substr(0, 16); }

template <typename T, typename Key>
std::vector<T> oldest_first(std::vector<T> items, Key key) {
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return key(a) < key(b); });
  return items;
}

std::string md_text(std::string_view s) { return terminal_safe(trim(s)); }

std::string md_line(std::string_view s) { return terminal_safe(trim(s), false); }

void md_reflection(std::string& out, const Reflection& r) {
  out += "### " + when(r.created_at) + " · " + who(r.mine) + " · " +
         (r.shared ? "shared" : "private") + "\n\n";
  out += md_text(r.text) + "\n\n";
  if (!r.feelings.empty()) {
    std::vector<std::string> f;
    for (const auto& x : r.feelings) f.push_back(md_line(x));
    out += "Feelings: " + join(f, ", ") + "\n\n";
  }
  if (!r.reply_to.empty()) out += "In reply to " + short_id(r.reply_to) + ".\n\n";
  if (!r.prompt_id.empty()) out += "Prompt: " + md_line(r.prompt_id) + "\n\n";
  if (r.history.size() > 1) {
    out += "Versions, oldest first:\n\n";
    for (const auto& v : r.history) {
      out += "- " + when(v.at) + (v.shared ? " (shared)" : " (private)") + "\n\n";
      out += indent_lines(trim(v.text), "  > ") + "\n";
    }
  }
  out += "Id: `" + to_hex(r.id) + "`\n\n";
}

void md_boundary(std::string& out, const Boundary& b) {
  out += "### " + md_line(b.status) + " · proposed by " + who(b.proposed_by_me) + " · " +
         when(b.created_at) + "\n\n";
  out += md_text(b.text) + "\n\n";
  if (b.status == "renegotiating" && !b.in_force_text.empty())
    out += "In force meanwhile: " + md_line(b.in_force_text) + "\n\n";
  if (!b.category.empty()) out += "Category: " + md_line(b.category) + "\n\n";
  if (b.status == "withdrawn") {
    out += "Withdrawn by " + std::string(who(b.withdrawn_by_me));
    if (!b.withdraw_note.empty()) out += " — '" + md_line(b.withdraw_note) + "'";
    out += ".\n\n";
  }
  if (!b.revisions.empty()) {
    out += "Revisions:\n\n";
    // Each side's answer to a revision, with the note of their latest response.
    auto answer = [](std::string_view response, std::string_view note) {
      std::string words = response_words(response);
      if (!note.empty()) words += " ('" + md_line(note) + "')";
      return words;
    };
    for (const auto& r : b.revisions) {
      out += std::to_string(r.number) + ". " + who(r.mine) + ", " + when(r.at) + ": " +
             md_line(r.text) + " — you: " + answer(r.my_response, r.my_note) +
             "; your partner: " + answer(r.partner_response, r.partner_note) + "\n";
    }
    out += "\n";
  }
  out += "Id: `" + to_hex(b.id) + "`\n\n";
}

void md_check_in(std::string& out, const CheckIn& c) {
  out += "### " + when(c.at) + " · " + who(c.mine) + " · " + (c.shared ? "shared" : "private") +
         "\n\n";
  out += "- Capacity: " + md_line(c.capacity) + "\n";
  if (!c.feelings.empty()) {
    std::vector<std::string> f;
    for (const auto& x : c.feelings) f.push_back(md_line(x));
    out += "- Feelings: " + join(f, ", ") + "\n";
  }
  if (!c.need.empty()) out += "- Need: " + md_line(c.need) + "\n";
  out += "\n";
}

Result<ExportData> fetch(Context& ctx) {
  ExportData data;
  HEARTH_ASSIGN_OR_RETURN(data.status, ask_for<StatusInfo>(ctx, request::status()));
  if (data.status.locked)
    return Status::locked("hearthd is locked; run `hearth unlock` first, then export");
  // Everything on this device: archived entries and past boundaries too.
  for (bool archived : {false, true}) {
    HEARTH_ASSIGN_OR_RETURN(auto reflections, ask_for<std::vector<Reflection>>(
                                                  ctx, request::reflect_list(0, true, archived)));
    data.reflections.insert(data.reflections.end(), reflections.begin(), reflections.end());
    HEARTH_ASSIGN_OR_RETURN(auto check_ins, ask_for<std::vector<CheckIn>>(
                                                ctx, request::check_in_list(0, archived)));
    data.check_ins.insert(data.check_ins.end(), check_ins.begin(), check_ins.end());
  }
  HEARTH_ASSIGN_OR_RETURN(data.boundaries,
                          ask_for<std::vector<Boundary>>(ctx, request::boundary_list(0, true)));
  return data;
}

}  // namespace

std::string export_json(const ExportData& data, int64_t now) {
  JsonWriter w;
  w.begin_object();
  w.key("hearth_export").value(1);
  w.key("exported_at").value(rfc3339_utc(now));
  w.key("device_id").value(data.status.device_id);
  w.key("name").string_or_null(data.status.name);
  w.key("partner");
  write_partner(w, data.status.partner);
  w.key("since").string_or_null(data.scope.since != 0 ? data.scope.since_day : std::string());
  w.key("only_mine").value(data.scope.only_mine);
  w.key("reflections").begin_array();
  for (const auto& r :
       oldest_first(data.reflections, [](const Reflection& r) { return r.created_at; }))
    write_reflection(w, r);
  w.end_array();
  w.key("boundaries").begin_array();
  for (const auto& b :
       oldest_first(data.boundaries, [](const Boundary& b) { return b.created_at; }))
    write_boundary(w, b);
  w.end_array();
  w.key("checkins").begin_array();
  for (const auto& c : oldest_first(data.check_ins, [](const CheckIn& c) { return c.at; }))
    write_check_in(w, c);
  w.end_array();
  w.end_object();
  return w.finish();
}

std::string export_markdown(const ExportData& data, int64_t now) {
  std::string out = "# Hearth export\n\n";
  out += "Exported " + when(now) + " from device " + md_line(data.status.device_id);
  if (!data.status.name.empty()) out += " (" + md_line(data.status.name) + ")";
  out += ".\n";
  if (data.status.partner.paired) {
    out += "Partner: ";
    if (!data.status.partner.name.empty()) out += md_line(data.status.partner.name) + ", ";
    out += md_line(data.status.partner.device_id) + ".\n";
  }
  out += "\nThis file is plaintext: anyone who can read it can read every entry in it.\n\n";
  if (data.scope.since != 0) {
    out +=
        "Only entries written on or after " + long_date(local_day_number(data.scope.since)) + ".\n";
  }
  if (data.scope.only_mine) out += "Only your own entries.\n";
  if (data.scope.since != 0 || data.scope.only_mine) out += "\n";

  out += "## Reflections\n\n";
  if (data.reflections.empty()) out += "None.\n\n";
  for (const auto& r :
       oldest_first(data.reflections, [](const Reflection& r) { return r.created_at; }))
    md_reflection(out, r);

  out += "## Boundaries\n\n";
  if (data.boundaries.empty()) out += "None.\n\n";
  for (const auto& b :
       oldest_first(data.boundaries, [](const Boundary& b) { return b.created_at; }))
    md_boundary(out, b);

  out += "## Check-ins\n\n";
  if (data.check_ins.empty()) out += "None.\n\n";
  for (const auto& c : oldest_first(data.check_ins, [](const CheckIn& c) { return c.at; }))
    md_check_in(out, c);
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

int run_export(Context& ctx, const ExportOptions& o) {
  std::string format = o.format.empty() ? (ctx.json() ? "json" : "markdown") : o.format;
  if (format != "markdown" && format != "json" && format != "html")
    return fail(ctx, Status::invalid("the export format is markdown, json or html"));
  if (ctx.json() && format != "json" && o.out.empty())
    return fail(ctx,
                Status::invalid("--json prints JSON on stdout: use --format json, or write the " +
                                format + " to a file with --out FILE"));
  ExportScope scope;
  scope.only_mine = o.mine;
  if (!o.since.empty()) {
    const std::optional<int64_t> since = local_day_start(o.since);
    if (!since)
      return fail(ctx, Status::invalid("--since takes a day as YYYY-MM-DD, such as 2026-11-01"));
    scope.since = *since;
    scope.since_day = o.since;
  }
  if (!o.out.empty() && !o.force && path_exists(o.out))
    return fail(ctx, Status::refused(o.out + " already exists; choose another name, or add "
                                             "--force to replace it"));

  Result<ExportData> data = fetch(ctx);
  if (!data) return fail(ctx, data.status());
  data->scope = scope;
  apply_scope(*data);
  const std::string document = format == "json"   ? export_json(*data, ctx.now)
                               : format == "html" ? export_html(*data, ctx.now)
                                                  : export_markdown(*data, ctx.now);

  ctx.err << "Note: the export is plaintext. Anyone who can read it can read your entries;\n"
             "keep it somewhere safe and delete it when you no longer need it.\n"
          << std::flush;
  if (o.out.empty()) {
    ctx.out << document << std::flush;
    return kExitOk;
  }
  Status written = write_file_atomically(o.out, as_bytes(document), 0600, o.force);
  if (!written.is_ok()) return fail(ctx, written);
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object().key("exported").begin_object();
    w.key("path").value(o.out);
    w.key("format").value(format);
    w.key("reflections").value(static_cast<uint64_t>(data->reflections.size()));
    w.key("boundaries").value(static_cast<uint64_t>(data->boundaries.size()));
    w.key("checkins").value(static_cast<uint64_t>(data->check_ins.size()));
    w.end_object().end_object();
    ctx.out << w.finish() << std::flush;
  } else {
    ctx.out << "Wrote " << count_of(data->reflections.size(), "reflection", "reflections") << ", "
            << count_of(data->boundaries.size(), "boundary", "boundaries") << " and "
            << count_of(data->check_ins.size(), "check-in", "check-ins") << " to " << o.out
            << " (readable only by you).\n"
            << std::flush;
  }
  return kExitOk;
}

}  // namespace hearth::client
