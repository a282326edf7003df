// The JSON API of `hearth ui` (docs/DESIGN.md §10): one function per route,
// each turning a browser's request into control requests to hearthd through
// the Daemon interface (client/control_client.h) and its Response into JSON
// (client/render_json.h). No HTTP library here: the server (server.cpp)
// hands in the method, path and decoded form fields, so routing and limits
// are tested against a fake Daemon.
//
// Every field is untrusted: each is at most kMaxFieldBytes, checked before it
// is used; a missing or malformed one is a 400 with a sentence. Replies are
// {"...": ...} documents as `hearth --json` prints them, or
// {"error": {"code", "message"}} with an HTTP status for the code:
//   usage 400, not_found 404, refused 409, locked 423, not_running 503,
//   wrong_passphrase 403, internal/io 500.
// The daemon's numbers and enums travel as they are; the page writes the
// sentences.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "client/control_client.h"

namespace hearth::client::ui {

using Params = std::multimap<std::string, std::string>;

struct ApiRequest {
  std::string method;  // "GET" | "POST"
  std::string path;    // "/api/today"
  Params params;       // query and form fields, decoded
};

struct ApiResponse {
  int status = 200;
  std::string body;  // one JSON document
};

// Where the API tells open pages of something that happened outside any
// request (a pairing invite answered): an event name and a JSON document.
using Publish = std::function<void(std::string_view event, std::string json)>;

class Api {
 public:
  Api(Daemon& daemon, Publish publish);
  ~Api();  // ends a pairing invite under way
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  ApiResponse handle(const ApiRequest& request);

  // The name of the route `method path` serves, or "" when none: the
  // server asks before reading anything else.
  static bool has_route(std::string_view method, std::string_view path);

  // Ends a pairing invite under way (its control stream closes, which ends
  // the invite in hearthd).
  void cancel_invite();

 private:
  ApiResponse pair_invite(const ApiRequest& request);

  Daemon& daemon_;
  Publish publish_;
  std::mutex invite_mu_;
  std::shared_ptr<std::atomic<bool>> invite_cancel_;
  std::thread invite_thread_;
};

// An error document and its HTTP status, for the server's own refusals.
ApiResponse error_response(int http_status, std::string_view code, std::string_view message);

}  // namespace hearth::client::ui
