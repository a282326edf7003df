// Fuzzes the daemon's control request handler (control::Handler, with the
// partner and network requests of control::NetworkRequests) with a
// real unlocked daemon state (control_home.h). The input is the bytes of one
// request as the control server hands them over (the frame without its
// 4-byte length, schema/PROTOCOL.md §7).
//
// Checked for every request: every frame is a whole, well-formed control
// Response (frame_length, MessageReader::parse, a union member the schema
// knows, a traversable message); nothing is sent after finish() and finish()
// comes at most once; a finished request got at least one frame, and one
// that is not finished (a stream such as `watch`) is still held by whoever
// will answer it, else its client would wait forever. A watcher gets a
// connection update while its client is there and is dropped once the
// client left.
//
// Requests that write grow the store; the home is made afresh every
// HEARTH_FUZZ_CONTROL_RESET inputs (default 1000), and at exit.
#include <capnp/message.h>
#include <capnp/schema.h>
#include <kj/exception.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "control/handler.h"
#include "control_home.h"
#include "fuzz_support.h"
#include "schema/control.capnp.h"
#include "wire/capnp_message.h"

using namespace hearth;

namespace {

// Far above any response the fixture's store can produce.
constexpr size_t kMaxResponseBytes = size_t{64} << 20;

class CollectingSink : public control::ResponseSink {
 public:
  void send(Bytes frame) override {
    HEARTH_ASSERT(finishes_ == 0, "a response frame was sent after finish()");
    frames_.push_back(std::move(frame));
  }
  void finish() override {
    ++finishes_;
    HEARTH_ASSERT(finishes_ == 1, "finish() was called twice");
  }
  bool is_open() const override { return client_here_ && finishes_ == 0; }

  void client_leaves() { client_here_ = false; }
  std::vector<Bytes>& frames() { return frames_; }
  int finishes() const { return finishes_; }

 private:
  std::vector<Bytes> frames_;
  int finishes_ = 0;
  bool client_here_ = true;
};

void check_frame(const Bytes& frame) {
  HEARTH_ASSERT(frame.size() >= wire::kFrameHeaderBytes, "a response frame without a length");
  auto n = wire::frame_length(frame.data(), kMaxResponseBytes);
  HEARTH_ASSERT(n.is_ok(), "a response frame with a bad length");
  HEARTH_ASSERT(*n == frame.size() - wire::kFrameHeaderBytes,
                "a response frame whose length is not its size");
  auto reader = wire::MessageReader::parse(ByteView(frame).subspan(wire::kFrameHeaderBytes),
                                           kMaxResponseBytes);
  HEARTH_ASSERT(reader.is_ok(), "a response frame that is not a capnp message");
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
    auto response = reader->root<control::Response>();
    static const size_t kKinds = capnp::Schema::from<control::Response>().getUnionFields().size();
    HEARTH_ASSERT(static_cast<size_t>(response.which()) < kKinds, "a response of an unknown kind");
    (void)response.totalSize();
  });
  HEARTH_ASSERT(failure == nullptr, "a response that does not traverse");
}

struct Harness {
  std::unique_ptr<fuzz::ControlHome> home;
  size_t inputs = 0;
  size_t reset_every = 1000;

  void renew() {
    home.reset();
    home = fuzz::ControlHome::create(fuzz::scratch_dir());
    inputs = 0;
  }
};

Harness& harness() {
  static Harness h;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  Harness& h = harness();
  if (const char* every = std::getenv("HEARTH_FUZZ_CONTROL_RESET")) {
    h.reset_every = static_cast<size_t>(std::strtoull(every, nullptr, 10));
    if (h.reset_every == 0) h.reset_every = 1;
  }
  h.renew();
  // The temporary home goes away with the process (libFuzzer exits normally
  // at the end of a run; a crash leaves it for inspection).
  std::atexit([] { harness().home.reset(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Harness& h = harness();
  if (h.inputs++ >= h.reset_every) {
    h.renew();
    h.inputs = 1;
  }
  const ByteView request(data, size);
  auto sink = std::make_shared<CollectingSink>();
  h.home->handler().handle(request, sink);

  if (sink->finishes() == 1) {
    HEARTH_ASSERT(!sink->frames().empty(), "a request was finished without a response");
  } else {
    HEARTH_ASSERT(sink.use_count() > 1, "a request was left unanswered, and no one holds its sink");
  }
  for (const Bytes& frame : sink->frames()) check_frame(frame);

  sync::UpdateHub& updates = h.home->state().updates();
  if (updates.subscriber_count() > 0) {
    const size_t before = sink->frames().size();
    updates.publish(sync::ConnectionChange{true});
    for (size_t i = before; i < sink->frames().size(); ++i) check_frame(sink->frames()[i]);
  }
  sink->client_leaves();
  updates.publish(sync::ConnectionChange{false});
  HEARTH_ASSERT(updates.subscriber_count() == 0, "a watcher outlived its client");
  return 0;
}
