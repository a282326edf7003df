// The one translation unit that includes libnotify and GLib
// (client/desktop_notifier.h).
#include "client/desktop_notifier.h"

#include <libnotify/notify.h>

#include <string>

namespace hearth::client {
namespace {

constexpr const char* kAppName = "Hearth";

// Whether the notification service reads markup in bodies: then `<` and
// `&` must be escaped, or a name holding them would be taken for a tag.
bool server_reads_markup() {
  bool markup = false;
  GList* caps = notify_get_server_caps();
  for (GList* c = caps; c != nullptr; c = c->next)
    if (std::string(static_cast<const char*>(c->data)) == "body-markup") markup = true;
  g_list_free_full(caps, g_free);
  return markup;
}

std::string escaped(const std::string& text) {
  gchar* e = g_markup_escape_text(text.c_str(), static_cast<gssize>(text.size()));
  std::string out(e);
  g_free(e);
  return out;
}

class DesktopNotifier final : public Notifier {
 public:
  ~DesktopNotifier() override {
    if (notify_is_initted()) notify_uninit();
  }

  Status post(const Notice& notice) override {
    const std::string body = server_reads_markup() ? escaped(notice.body) : notice.body;
    NotifyNotification* n = notify_notification_new(notice.summary.c_str(),
                                                    body.empty() ? nullptr : body.c_str(), nullptr);
    // Never critical: nothing from Hearth should demand attention.
    notify_notification_set_urgency(n, NOTIFY_URGENCY_NORMAL);
    GError* error = nullptr;
    const gboolean shown = notify_notification_show(n, &error);
    g_object_unref(n);
    if (!shown) {
      std::string why = error != nullptr ? error->message : "no answer";
      if (error != nullptr) g_error_free(error);
      return Status::unavailable("the desktop's notification service did not take it (" + why +
                                 ")");
    }
    return Status::ok();
  }
};

}  // namespace

Result<std::unique_ptr<Notifier>> desktop_notifier() {
  if (!notify_is_initted() && !notify_init(kAppName))
    return Status::unavailable("cannot set up desktop notifications (libnotify)");
  return std::unique_ptr<Notifier>(std::make_unique<DesktopNotifier>());
}

}  // namespace hearth::client
