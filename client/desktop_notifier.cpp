// The one translation unit that includes libnotify and GLib
// (client/desktop_notifier.h). libnotify is loaded when `hearth notify`
// first posts, not linked (client/desktop_library.h).
#include "client/desktop_notifier.h"

#include <libnotify/notify.h>

#include <string>

#include "client/desktop_library.h"

namespace hearth::client {
namespace {

constexpr const char* kAppName = "Hearth";

// The functions of libnotify and GLib this file calls.
struct Notify {
  decltype(&notify_init) init = nullptr;
  decltype(&notify_is_initted) is_initted = nullptr;
  decltype(&notify_uninit) uninit = nullptr;
  decltype(&notify_get_server_caps) get_server_caps = nullptr;
  decltype(&notify_notification_new) notification_new = nullptr;
  decltype(&notify_notification_set_urgency) set_urgency = nullptr;
  decltype(&notify_notification_show) show = nullptr;
  decltype(&g_list_free_full) list_free_full = nullptr;
  decltype(&g_free) free = nullptr;
  decltype(&g_markup_escape_text) markup_escape_text = nullptr;
  decltype(&g_object_unref) object_unref = nullptr;
  decltype(&g_error_free) error_free = nullptr;

  static Result<Notify> load() {
    HEARTH_ASSIGN_OR_RETURN(
        DesktopLibrary lib,
        DesktopLibrary::open("libnotify.so.4", "libnotify4", "Desktop notifications"));
    Notify n;
    HEARTH_TRY(lib.find(n.init, "notify_init"));
    HEARTH_TRY(lib.find(n.is_initted, "notify_is_initted"));
    HEARTH_TRY(lib.find(n.uninit, "notify_uninit"));
    HEARTH_TRY(lib.find(n.get_server_caps, "notify_get_server_caps"));
    HEARTH_TRY(lib.find(n.notification_new, "notify_notification_new"));
    HEARTH_TRY(lib.find(n.set_urgency, "notify_notification_set_urgency"));
    HEARTH_TRY(lib.find(n.show, "notify_notification_show"));
    HEARTH_TRY(lib.find(n.list_free_full, "g_list_free_full"));
    HEARTH_TRY(lib.find(n.free, "g_free"));
    HEARTH_TRY(lib.find(n.markup_escape_text, "g_markup_escape_text"));
    HEARTH_TRY(lib.find(n.object_unref, "g_object_unref"));
    HEARTH_TRY(lib.find(n.error_free, "g_error_free"));
    return n;
  }
};

// Whether the notification service reads markup in bodies: then `<` and
// `&` must be escaped, or a name holding them would be taken for a tag.
bool server_reads_markup(const Notify& api) {
  bool markup = false;
  GList* caps = api.get_server_caps();
  for (GList* c = caps; c != nullptr; c = c->next)
    if (std::string(static_cast<const char*>(c->data)) == "body-markup") markup = true;
  api.list_free_full(caps, api.free);
  return markup;
}

std::string escaped(const Notify& api, const std::string& text) {
  gchar* e = api.markup_escape_text(text.c_str(), static_cast<gssize>(text.size()));
  std::string out(e);
  api.free(e);
  return out;
}

class DesktopNotifier final : public Notifier {
 public:
  explicit DesktopNotifier(const Notify& api) : api_(api) {}
  ~DesktopNotifier() override {
    if (api_.is_initted()) api_.uninit();
  }

  Status post(const Notice& notice) override {
    const std::string body = server_reads_markup(api_) ? escaped(api_, notice.body) : notice.body;
    NotifyNotification* n = api_.notification_new(notice.summary.c_str(),
                                                  body.empty() ? nullptr : body.c_str(), nullptr);
    // Never critical: nothing from Hearth should demand attention.
    api_.set_urgency(n, NOTIFY_URGENCY_NORMAL);
    GError* error = nullptr;
    const gboolean shown = api_.show(n, &error);
    api_.object_unref(n);
    if (!shown) {
      std::string why = error != nullptr ? error->message : "no answer";
      if (error != nullptr) api_.error_free(error);
      return Status::unavailable("the desktop's notification service did not take it (" + why +
                                 ")");
    }
    return Status::ok();
  }

 private:
  const Notify& api_;
};

}  // namespace

Result<std::unique_ptr<Notifier>> desktop_notifier() {
  static const Result<Notify> api = Notify::load();  // once per process
  if (!api) return api.status();
  if (!api->is_initted() && !api->init(kAppName))
    return Status::unavailable("cannot set up desktop notifications (libnotify)");
  return std::unique_ptr<Notifier>(std::make_unique<DesktopNotifier>(*api));
}

}  // namespace hearth::client
