// export: everything on this device (or what --since and --mine keep) as one
// plaintext document: markdown, JSON or a self-contained HTML page.
#include <algorithm>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>

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
#include "util/assert.h"
#include "util/files.h"

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

// Everything but the reflections, which come a page at a time (ReflectionPages).
Result<ExportData> fetch(Context& ctx) {
  ExportData data;
  HEARTH_ASSIGN_OR_RETURN(data.status, ask_for<StatusInfo>(ctx, request::status()));
  if (data.status.locked)
    return Status::locked("hearthd is locked; run `hearth unlock` first, then export");
  // Everything on this device: archived entries and past boundaries too.
  for (bool archived : {false, true}) {
    HEARTH_ASSIGN_OR_RETURN(auto check_ins, ask_for<std::vector<CheckIn>>(
                                                ctx, request::check_in_list(0, archived)));
    data.check_ins.insert(data.check_ins.end(), check_ins.begin(), check_ins.end());
  }
  HEARTH_ASSIGN_OR_RETURN(data.boundaries,
                          ask_for<std::vector<Boundary>>(ctx, request::boundary_list(0, true)));
  return data;
}

// Every reflection on this device (archived too), oldest first, a page per
// request: neither the daemon nor this process holds more than a page.
class DaemonPages {
 public:
  explicit DaemonPages(Context& ctx) : ctx_(ctx) {}
  Result<bool> next(std::vector<Reflection>& page) {
    page.clear();
    if (done_) return false;
    HEARTH_ASSIGN_OR_RETURN(page, ask_for<std::vector<Reflection>>(
                                      ctx_, request::reflect_page(started_ ? &last_ : nullptr)));
    done_ = page.size() < request::kExportPageSize;
    if (!page.empty()) {
      last_ = page.back();
      started_ = true;
    }
    return !page.empty();
  }

 private:
  Context& ctx_;
  Reflection last_;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace


Result<size_t> write_export_json(const ExportData& data, int64_t now, const ReflectionPages& pages,
                                 const ExportSink& sink) {
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
  HEARTH_ASSIGN_OR_RETURN(
      size_t written,
      each_in_scope(
          data.scope, pages, [&w](const Reflection& r) { write_reflection(w, r); },
          [&](size_t count) { return sink(w.take(), count); }));
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
  HEARTH_TRY(sink(w.finish(), written));
  return written;
}

Result<size_t> write_export_markdown(const ExportData& data, int64_t now,
                                     const ReflectionPages& pages, const ExportSink& sink) {
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
  HEARTH_ASSIGN_OR_RETURN(
      size_t written,
      each_in_scope(
          data.scope, pages, [&out](const Reflection& r) { md_reflection(out, r); },
          [&](size_t count) { return sink(std::exchange(out, std::string()), count); }));
  if (written == 0) out += "None.\n\n";

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
  HEARTH_TRY(sink(std::move(out), written));
  return written;
}

namespace {

// A whole export in memory, from the writer that streams it.
template <typename Writer>
std::string in_memory(Writer write, const ExportData& data, int64_t now) {
  std::string doc;
  auto written = write(data, now, pages_of(data), [&doc](std::string chunk, size_t) {
    doc += chunk;
    return Status::ok();
  });
  HEARTH_ASSERT(written.is_ok(), "an export in memory cannot fail");
  return doc;
}

}  // namespace

std::string export_json(const ExportData& data, int64_t now) {
  return in_memory(write_export_json, data, now);
}

std::string export_markdown(const ExportData& data, int64_t now) {
  return in_memory(write_export_markdown, data, now);
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
  apply_scope(*data);  // boundaries and check-ins; reflections page by page

  ctx.err << "Note: the export is plaintext. Anyone who can read it can read your entries;\n"
             "keep it somewhere safe and delete it when you no longer need it.\n"
          << std::flush;
  std::optional<AtomicFile> file;
  if (!o.out.empty()) {
    auto created = AtomicFile::create(o.out, 0600, o.force);
    if (!created) return fail(ctx, created.status());
    file.emplace(std::move(*created));
  }
  // Progress on a terminal, when the document goes to a file.
  const bool progress = file && ctx.term.stderr_tty && !ctx.json();
  const uint64_t total = data->status.reflections;
  ExportSink sink = [&](std::string chunk, size_t written) -> Status {
    if (file) {
      HEARTH_TRY(file->write(as_bytes(chunk)));
    } else {
      ctx.out << chunk;
      if (!ctx.out) return Status::io("cannot write the export to standard output");
    }
    if (progress)
      ctx.err << "\rExporting: " << written << " of about " << total << " reflections" << std::flush;
    return Status::ok();
  };
  DaemonPages daemon_pages(ctx);
  ReflectionPages pages = [&daemon_pages](std::vector<Reflection>& page) {
    return daemon_pages.next(page);
  };
  Result<size_t> reflections = size_t{0};
  if (format == "html") {
    reflections = write_export_html(*data, ctx.now, pages, sink);
  } else if (format == "json") {
    reflections = write_export_json(*data, ctx.now, pages, sink);
  } else {
    reflections = write_export_markdown(*data, ctx.now, pages, sink);
  }
  if (progress) ctx.err << "\r\033[K" << std::flush;
  if (!reflections) return fail(ctx, reflections.status());
  if (!file) {
    ctx.out << std::flush;
    return kExitOk;
  }
  Status written = file->commit();
  if (!written.is_ok()) return fail(ctx, written);
  if (ctx.json()) {
    JsonWriter w;
    w.begin_object().key("exported").begin_object();
    w.key("path").value(o.out);
    w.key("format").value(format);
    w.key("reflections").value(static_cast<uint64_t>(*reflections));
    w.key("boundaries").value(static_cast<uint64_t>(data->boundaries.size()));
    w.key("checkins").value(static_cast<uint64_t>(data->check_ins.size()));
    w.end_object().end_object();
    ctx.out << w.finish() << std::flush;
  } else {
    ctx.out << "Wrote " << count_of(*reflections, "reflection", "reflections") << ", "
            << count_of(data->boundaries.size(), "boundary", "boundaries") << " and "
            << count_of(data->check_ins.size(), "check-in", "check-ins") << " to " << o.out
            << " (readable only by you).\n"
            << std::flush;
  }
  return kExitOk;
}

}  // namespace hearth::client
