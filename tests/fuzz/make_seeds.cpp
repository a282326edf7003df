// Writes the fuzzers' seed corpora: realistic inputs made with Hearth's own
// encoders, in the input format of each target (see the comment at the top
// of each fuzz_*.cpp).
//
//   hearth_fuzz_seeds DIR     writes DIR/<target>/<seed> (DIR is usually
//                             tests/fuzz/corpus; remove it first to drop
//                             seeds that are no longer made)
//
// Keys, ephemerals and the random source are the fixed ones of
// fuzz_support.h, so the seeds are the same bytes on every run and still
// authenticate inside the fuzzers. Control requests are built by the
// `hearth` client's own codec and checked against a real daemon state
// (control_home.h): each must get the answer it was made for.
#include <capnp/message.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "client/control_codec.h"
#include "control_home.h"
#include "crypto/identity.h"
#include "fuzz_support.h"
#include "net/handshake.h"
#include "schema/control.capnp.h"
#include "wire/capnp_message.h"
#include "wire/payload_codec.h"

using namespace hearth;
namespace fs = std::filesystem;
namespace noise = hearth::crypto::noise;

namespace {

class SeedWriter {
 public:
  explicit SeedWriter(fs::path root) : root_(std::move(root)) {}

  void write(const std::string& target, const std::string& name, ByteView bytes) {
    const fs::path dir = root_ / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    HEARTH_ASSERT(out.good(), "cannot write a seed file");
    ++count_;
    bytes_ += bytes.size();
  }
  // A mode byte, then `bytes`.
  void write(const std::string& target, const std::string& name, uint8_t mode, ByteView bytes) {
    Bytes b{mode};
    append(b, bytes);
    write(target, name, b);
  }
  size_t count() const { return count_; }
  size_t bytes() const { return bytes_; }

 private:
  fs::path root_;
  size_t count_ = 0;
  size_t bytes_ = 0;
};

Bytes events_message(const std::vector<wire::SealedEvent>& log, size_t from, size_t count) {
  return wire::encode_peer_message(wire::EventsBatch{fuzz::to_wire(log, from, count)});
}

wire::Hello full_hello(const fuzz::Logs& logs) {
  wire::Hello hello;
  hello.heads.push_back({fuzz::fixed_identity(fuzz::kPartnerTag).public_key(), logs.partner.size(),
                         logs.partner.back().id});
  hello.heads.push_back({fuzz::fixed_identity(fuzz::kSelfTag).public_key(), 0, {}});
  hello.log_keys.push_back({1, fuzz::fixed_secret(fuzz::kPartnerLogKeyTag)});
  hello.name = "Sam";
  return hello;
}

// ---------------------------------------------------------------- per target

void peer_messages(SeedWriter& w, const fuzz::Logs& logs) {
  const std::string t = "fuzz_peer_message";
  w.write(t, "hello_empty", wire::encode_peer_message(wire::Hello{}));
  w.write(t, "hello_full", wire::encode_peer_message(full_hello(logs)));
  w.write(t, "events_partner_log", events_message(logs.partner, 0, logs.partner.size()));
  w.write(t, "events_live_one", events_message(logs.partner, 4, 1));
  wire::EventsBatch forgotten{fuzz::to_wire(logs.partner, 0, 2)};
  forgotten.events[0].body.clear();
  w.write(t, "events_forgotten_body", wire::encode_peer_message(forgotten));
  w.write(t, "ack", wire::encode_peer_message(wire::Ack{full_hello(logs).heads}));
  w.write(t, "ping", wire::encode_peer_message(wire::Ping{0x0123456789abcdef}));
  w.write(t, "pong", wire::encode_peer_message(wire::Pong{42}));
  w.write(t, "bye_normal", wire::encode_peer_message(wire::Bye{wire::ByeReason::kNormal, ""}));
  w.write(t, "bye_invalid_batch",
          wire::encode_peer_message(wire::Bye{wire::ByeReason::kInvalidBatch,
                                              "the batch's last signature does not verify"}));
  w.write(t, "bye_unsupported_version",
          wire::encode_peer_message(wire::Bye{wire::ByeReason::kUnsupportedVersion, "version 2"}));
}

void events(SeedWriter& w, const fuzz::Logs& logs) {
  const std::string t = "fuzz_event";
  for (size_t i = 0; i < logs.partner.size(); ++i) {
    const auto& e = logs.partner[i];
    w.write(t, "header_partner_" + std::to_string(i + 1), 0, e.header_bytes);
    Bytes body{static_cast<uint8_t>(e.header.seq)};
    append(body, e.body);
    w.write(t, "body_partner_" + std::to_string(i + 1), 2, body);
  }
  w.write(t, "header_fork_3", 0, logs.fork[2].header_bytes);
  w.write(t, "header_self_1", 0, logs.self[0].header_bytes);
  std::vector<model::Payload> payloads = fuzz::partner_payloads();
  payloads.push_back(model::ReflectionPut{fuzz::entity(0xE1),
                                          "An answer to yours, with feelings.",
                                          {"seen", "warm", "a bit shy"},
                                          "prompt-7",
                                          Bytes(16, 0xC1)});
  payloads.push_back(model::CheckIn{fuzz::entity(0xE2), model::Capacity::kGreen, {}, ""});
  payloads.push_back(model::Pause{1440, ""});
  for (size_t i = 0; i < payloads.size(); ++i)
    w.write(t, "payload_" + std::to_string(i + 1), 1, wire::encode_payload(payloads[i]));
}

// Structure-aware fuzz_batch input: FuzzedDataProvider takes integers from
// the end of the input, one byte each for the small ranges used here, in
// the order the target asks for them.
Bytes structured(std::vector<uint8_t> values) {
  Bytes b{0x00};
  b.insert(b.end(), values.rbegin(), values.rend());
  return b;
}

void batches(SeedWriter& w, const fuzz::Logs& logs) {
  const std::string t = "fuzz_batch";
  // {held, log (0 partner, 1 fork, 2 self, 3 stranger), from, count - 1,
  //  mutations, then per mutation: op, index, ...}
  w.write(t, "partner_whole_log", structured({0, 0, 0, 8, 0}));
  w.write(t, "partner_continues_held", structured({3, 0, 3, 2, 0}));
  w.write(t, "own_log_restored", structured({0, 2, 0, 2, 0}));
  w.write(t, "fork_refused", structured({4, 1, 0, 3, 0}));
  w.write(t, "stranger_refused", structured({0, 3, 0, 1, 0}));
  w.write(t, "resend_of_held", structured({5, 0, 1, 5, 0}));
  w.write(t, "forgotten_body", structured({2, 0, 2, 3, 1, 8, 1}));
  w.write(t, "swapped_events", structured({0, 0, 0, 4, 1, 5, 1, 2}));
  w.write(t, "dropped_event", structured({1, 0, 1, 2, 1, 6, 1}));
  w.write(t, "bad_last_signature", structured({0, 0, 0, 2, 1, 1, 2, 17, 3}));
  w.write(t, "raw_partner_log", 1, events_message(logs.partner, 0, logs.partner.size()));
  w.write(t, "raw_own_log", 1, events_message(logs.self, 0, logs.self.size()));
  w.write(t, "raw_first_event", 1, events_message(logs.partner, 0, 1));
  w.write(t, "raw_hello", 1, wire::encode_peer_message(full_hello(logs)));
}

Bytes records(const std::vector<Bytes>& items) {
  Bytes out;
  for (const Bytes& b : items) {
    put_u16_be(out, static_cast<uint16_t>(b.size()));
    append(out, b);
  }
  return out;
}

Bytes ok(Result<Bytes> r) {
  HEARTH_ASSERT(r.is_ok(), "a genuine handshake step failed");
  return std::move(r).value();
}

void noise_messages(SeedWriter& w) {
  const std::string t = "fuzz_noise_responder";
  const Key32 partner = fuzz::fixed_identity(fuzz::kPartnerTag).public_key();
  const Key32 stranger = fuzz::fixed_identity(fuzz::kStrangerTag).public_key();
  const Key32 self = fuzz::fixed_identity(fuzz::kSelfTag).public_key();

  const Bytes ik1 = ok(fuzz::session_state(true).write_message(partner));
  w.write(t, "ik_session_partner", 0, ik1);
  auto dialer = net::SessionInitiator::create(fuzz::fixed_identity(fuzz::kPartnerTag), self);
  HEARTH_ASSERT(dialer.is_ok(), "cannot create a session initiator");
  w.write(t, "ik_session_dialer", 0, ok(dialer->first_message()));
  auto stranger_dialer =
      net::SessionInitiator::create(fuzz::fixed_identity(fuzz::kStrangerTag), self);
  HEARTH_ASSERT(stranger_dialer.is_ok(), "cannot create a session initiator");
  w.write(t, "ik_session_stranger", 0, ok(stranger_dialer->first_message()));
  w.write(t, "ik_session_claims_other_key", 0,
          ok(fuzz::session_state(true).write_message(stranger)));
  w.write(t, "ik_bare_partner", 1, ik1);
  w.write(t, "ik_bare_empty_payload", 1, ok(fuzz::session_state(true).write_message({})));

  w.write(t, "xx_message1", 2, ok(fuzz::pairing_state(true).write_message({})));
  w.write(t, "xx_message1_payload", 2,
          ok(fuzz::pairing_state(true).write_message(as_bytes(std::string_view("hello")))));
  {
    noise::HandshakeState initiator = fuzz::pairing_state(true);
    noise::HandshakeState responder = fuzz::pairing_state(false);
    const Bytes m1 = ok(initiator.write_message({}));
    (void)ok(responder.read_message(m1));
    const Bytes m2 = ok(responder.write_message({}));
    (void)ok(initiator.read_message(m2));
    w.write(t, "xx_message3", 3, ok(initiator.write_message(partner)));
  }
  {
    auto session = fuzz::genuine_session();
    noise::CipherState& send = session.first.send;
    std::vector<Bytes> messages;
    for (std::string_view text : {"first", "", "a longer transport message, as chunks are"})
      messages.push_back(ok(send.encrypt_with_ad({}, as_bytes(text))));
    w.write(t, "transport_genuine", 4, records(messages));
  }
}

void cpace_shares(SeedWriter& w) {
  const std::string t = "fuzz_cpace";
  const crypto::cpace::Share peer = fuzz::cpace_share(fuzz::kCpacePeerTag);
  auto seed = [](uint8_t role, ByteView y, std::string_view ad) {
    Bytes b{role, static_cast<uint8_t>(y.size())};
    append(b, y);
    append(b, ad);
    return b;
  };
  w.write(t, "genuine_as_responder", seed(0, peer.y_public, fuzz::kCpaceAdPeer));
  w.write(t, "genuine_as_initiator", seed(1, peer.y_public, fuzz::kCpaceAdPeer));
  w.write(t, "identity", seed(0, Bytes(32, 0), "ad"));
  Bytes high = Bytes(peer.y_public.begin(), peer.y_public.end());
  high[31] |= 0x80;
  w.write(t, "high_bit_set", seed(1, high, fuzz::kCpaceAdPeer));
  w.write(t, "short_share", seed(0, ByteView(peer.y_public).first(31), ""));
  w.write(t, "not_a_point", seed(1, Bytes(32, 0xff), "x"));
}

// One application stream chunk: the 4-byte length and the message.
Bytes framed(const Bytes& message) {
  Bytes b;
  put_u32_be(b, static_cast<uint32_t>(message.size()));
  append(b, message);
  return b;
}

void app_streams(SeedWriter& w, const fuzz::Logs& logs) {
  const std::string t = "fuzz_app_stream";
  const Bytes hello = wire::encode_peer_message(full_hello(logs));
  const Bytes batch = events_message(logs.partner, 0, 3);
  const Bytes ping = wire::encode_peer_message(wire::Ping{7});
  w.write(t, "one_message", 1, records({framed(hello)}));
  Bytes stream = framed(hello);
  append(stream, framed(batch));
  append(stream, framed(ping));
  const size_t a = 3, b = hello.size() + 6;
  w.write(t, "split_anywhere", 1,
          records({Bytes(stream.begin(), stream.begin() + a),
                   Bytes(stream.begin() + a, stream.begin() + static_cast<ptrdiff_t>(b)),
                   {},
                   Bytes(stream.begin() + static_cast<ptrdiff_t>(b), stream.end())}));
  w.write(t, "over_small_limit", 0, records({framed(ping)}));
  w.write(t, "zero_length", 1, records({Bytes{0, 0, 0, 0}}));
  Bytes tampered = records({framed(ping)});
  tampered[0] |= 0x80;
  w.write(t, "tampered_chunk", 1, tampered);
  w.write(t, "round_trip", 3, records({hello, ping, batch}));
}

// ---------------------------------------------------------------- control

struct ControlSeed {
  std::string name;
  Bytes frame;     // as the client sends it, with its 4-byte length
  bool expect_ok;  // the daemon answers with something other than an error
};

Bytes rebuild_views_frame() {
  capnp::MallocMessageBuilder message;
  message.initRoot<control::Request>().setRebuildViews();
  return wire::to_frame(message);
}

std::vector<ControlSeed> control_seeds() {
  namespace rq = client::request;
  const std::string partner_id = fuzz::fixed_identity(fuzz::kPartnerTag).device_id();
  const std::string stranger_id = fuzz::fixed_identity(fuzz::kStrangerTag).device_id();
  Secret passphrase = Secret::copy_of(std::string_view("correct horse"));
  Secret unlock = rq::unlock(passphrase);
  std::vector<ControlSeed> s = {
      {"status", rq::status(), true},
      {"unlock", Bytes(unlock.view().begin(), unlock.view().end()), true},
      {"log", rq::log(20), true},
      {"watch", rq::watch(), true},
      {"reflect_add_shared_reply",
       rq::reflect_add(
           {"Reading yours made me feel close.", true, {"close", "grateful"}, "prompt-3", "C1C1"}),
       true},
      {"reflect_add_private", rq::reflect_add({"Just for me.", false, {}, "", ""}), true},
      {"reflect_add_bad_reply", rq::reflect_add({"To whom?", true, {}, "", "zz"}), false},
      {"reflect_list_all_history", rq::reflect_list(0, true), true},
      {"reflect_list_5", rq::reflect_list(5, false), true},
      {"reflect_show_own", rq::reflect_show("A1A1"), true},
      {"reflect_show_partner", rq::reflect_show("c1c1c1"), true},
      {"reflect_show_private", rq::reflect_show("A2A2"), true},
      {"reflect_edit_keep", rq::reflect_edit({"A1A1", "Edited, still shared.", true, {}}), true},
      {"reflect_edit_feelings", rq::reflect_edit({"A2A2", "Edited draft.", false, {"raw"}}), true},
      {"reflect_edit_partner", rq::reflect_edit({"C1C1", "Not mine to edit.", true, {}}), false},
      {"reflect_share", rq::reflect_share("A2A2"), true},
      {"reflect_forget_own", rq::reflect_forget("A1A1"), true},
      {"reflect_forget_private", rq::reflect_forget("A2A2"), true},
      {"reflect_forget_partner", rq::reflect_forget("C1C1"), false},
      {"boundary_propose", rq::boundary_propose("Phones away at dinner.", "time"), true},
      {"boundary_revise", rq::boundary_revise("A3A3", "Knock and wait before coming in."), true},
      {"boundary_agree_partner", rq::boundary_respond("C2C2", client::Answer::kAgree, ""), true},
      {"boundary_decline_partner",
       rq::boundary_respond("C2C2", client::Answer::kDecline, "too early for me"), true},
      {"boundary_discuss_own", rq::boundary_respond("A3A3", client::Answer::kDiscuss, "hm"), false},
      {"boundary_withdraw", rq::boundary_withdraw("C2C2", "I need to step back from this."), true},
      {"boundary_list", rq::boundary_list(0), true},
      {"check_in_shared",
       rq::check_in({client::Capacity::kYellow, {"tired", "hopeful"}, "an early night", true}),
       true},
      {"check_in_private", rq::check_in({client::Capacity::kRed, {}, "", false}), true},
      {"check_in_list", rq::check_in_list(0), true},
      {"pause", rq::pause(45, "I need some air"), true},
      {"pause_too_short", rq::pause(5, ""), false},
      {"resume", rq::resume(), true},
      {"rebuild_views", rebuild_views_frame(), true},
      {"pair_add_partner_again", rq::pair_add(partner_id, "192.168.1.20:7420"), true},
      {"pair_add_other", rq::pair_add(stranger_id, ""), false},
      {"pair_add_typo", rq::pair_add("MFRGGZD-FMZTWQ2", ""), false},
      {"peer_add", rq::peer_add("[fe80::1]:7420"), true},
      {"peer_add_hostname", rq::peer_add("alex-laptop.local:7420"), true},
      {"peer_remove_unknown", rq::peer_remove("192.168.1.20:7420"), false},
      {"peer_list", rq::peer_list(), true},
      {"sync_progress", rq::sync_progress(), true},
      {"pair_invite", rq::pair_invite(), false},
      {"pair_join", rq::pair_join("maple-river-otter", "10.0.0.2:7420"), false},
      {"unpair", rq::unpair(true), true},
      {"config_get", rq::config_get("discovery"), true},
      {"config_set", rq::config_set("discovery", "off"), true},
  };
  wipe(unlock.span());
  return s;
}

class Sink : public control::ResponseSink {
 public:
  void send(Bytes frame) override { frames.push_back(std::move(frame)); }
  void finish() override {}
  bool is_open() const override { return false; }
  std::vector<Bytes> frames;
};

// Runs the request against a fresh home; returns the first response's error
// message, or "" if it is not an error.
std::string answer(const Bytes& frame) {
  auto home = fuzz::ControlHome::create(fuzz::scratch_dir());
  auto sink = std::make_shared<Sink>();
  home->handler().handle(ByteView(frame).subspan(wire::kFrameHeaderBytes), sink);
  HEARTH_ASSERT(!sink->frames.empty(), "a seed request got no answer");
  auto reader = wire::MessageReader::parse(
      ByteView(sink->frames[0]).subspan(wire::kFrameHeaderBytes), size_t{64} << 20);
  HEARTH_ASSERT(reader.is_ok(), "a response is not a capnp message");
  auto response = reader->root<control::Response>();
  if (response.which() != control::Response::ERROR) return "";
  const std::string message = response.getError().getMessage();
  return message.empty() ? "(an error without a message)" : message;
}

bool control_requests(SeedWriter& w) {
  bool all_as_expected = true;
  for (const ControlSeed& seed : control_seeds()) {
    const std::string error = answer(seed.frame);
    if (error.empty() != seed.expect_ok) {
      std::fprintf(stderr, "seed %s: expected %s, got %s\n", seed.name.c_str(),
                   seed.expect_ok ? "success" : "an error",
                   error.empty() ? "success" : error.c_str());
      all_as_expected = false;
    }
    w.write("fuzz_control_request", seed.name,
            ByteView(seed.frame).subspan(wire::kFrameHeaderBytes));
  }
  w.write("fuzz_control_request", "not_whole_words", Bytes{0, 0, 0, 0, 1});
  // A pairJoin whose pointer is a list, not a struct: reading it throws, and
  // the request must still be answered (a usage error) and finished.
  w.write("fuzz_control_request", "malformed_pair_join",
          Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x01, 0x00, 0x01, 0x00, 0x1a, 0x00, 0xff, 0x78, 0x92, 0x00,
                0x00, 0x00, 0x6d, 0x30, 0x34, 0x32, 0x30, 0x00, 0x00, 0x00});
  return all_as_expected;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR   (e.g. tests/fuzz/corpus)\n", argv[0]);
    return 1;
  }
  fuzz::init();
  SeedWriter w{fs::path(argv[1])};
  const fuzz::Logs logs = fuzz::make_logs();
  peer_messages(w, logs);
  events(w, logs);
  batches(w, logs);
  noise_messages(w);
  cpace_shares(w);
  app_streams(w, logs);
  const bool ok = control_requests(w);
  std::printf("wrote %zu seeds, %zu bytes, under %s\n", w.count(), w.bytes(), argv[1]);
  return ok ? 0 : 1;
}
