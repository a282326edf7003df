#include "crypto/cpace.h"

#include <doctest/doctest.h>
#include <sodium.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

using namespace hearth;
using namespace hearth::crypto;
using json = nlohmann::json;

namespace {

json load_vectors(const std::string& name) {
  std::ifstream in(std::string(HEARTH_TEST_VECTORS_DIR) + "/pake/" + name);
  REQUIRE_MESSAGE(in.good(), "missing vector file " << name);
  return json::parse(in);
}

Bytes hex(const std::string& text) {
  Bytes out;
  REQUIRE_MESSAGE(from_hex(text, out), "bad hex: " << text);
  return out;
}

// One JSON object of vectors. Remembers which keys were read, so a test can
// check that no value in the file went unchecked.
class Block {
 public:
  explicit Block(const json& object) : object_(object) { REQUIRE(object_.is_object()); }

  const json& raw(const std::string& key) {
    REQUIRE_MESSAGE(object_.contains(key), "missing key " << key);
    used_.insert(key);
    return object_.at(key);
  }
  std::string text(const std::string& key) { return raw(key).get<std::string>(); }
  Bytes bytes(const std::string& key) { return hex(text(key)); }

  std::vector<std::string> unused() const {
    std::vector<std::string> out;
    for (const auto& [key, value] : object_.items())
      if (!used_.count(key)) out.push_back(key);
    return out;
  }

 private:
  const json& object_;
  std::set<std::string> used_;
};

// Counts compared values so a test can check that none was silently skipped.
struct Tally {
  int checked = 0;
  void same(ByteView got, ByteView want, const char* what) {
    INFO(what);
    CHECK(to_hex(got) == to_hex(want));
    ++checked;
  }
  void refused(const Status& status, Code code, const char* what) {
    INFO(what);
    CHECK_FALSE(status.is_ok());
    CHECK(status.code() == code);
    ++checked;
  }
};

// Values compared per B.3 file: 5 in calculate_generator, 11 in the protocol run,
// 4 in scalar_mult_vfy (valid twice, two invalid points) and 4 protocol aborts on
// the invalid points (each point in the IR and the symmetric setting).
constexpr int kValuesPerB3File = 5 + 11 + 4 + 4;

int check_b3_file(const std::string& name) {
  const json doc = load_vectors(name);
  Tally tally;
  Block top(doc);
  top.text("source");

  // B.3.1: calculate_generator.
  Block gen(top.raw("B.3.1.1_calculate_generator"));
  CHECK(gen.text("H") == "SHA-512");
  CHECK(gen.raw("H.s_in_bytes").get<size_t>() == cpace::kHashBlockBytes);
  const Bytes prs = gen.bytes("PRS");
  const Bytes ci = gen.bytes("CI");
  const Bytes sid = gen.bytes("sid");
  {
    INFO("ZPAD length");
    CHECK(cpace::zero_pad_length(prs.size()) == gen.raw("ZPAD length").get<size_t>());
    ++tally.checked;
  }
  tally.same(as_bytes(cpace::kDsi), gen.bytes("DSI"), "DSI");
  Secret gen_str = cpace::generator_string(prs, ci, sid);
  tally.same(gen_str.view(), gen.bytes("generator_string(G.DSI,PRS,CI,sid,H.s_in_bytes)"),
             "generator_string");
  std::array<uint8_t, crypto_hash_sha512_BYTES> gen_hash{};
  REQUIRE(crypto_hash_sha512(gen_hash.data(), gen_str.data(), gen_str.size()) == 0);
  tally.same(gen_hash, gen.bytes("hash result"), "hash of generator_string");
  auto g = cpace::calculate_generator(prs, ci, sid);
  REQUIRE(g.is_ok());
  tally.same(g->view(), gen.bytes("encoded generator g"), "encoded generator g");

  // B.3.2 to B.3.7: one protocol run.
  Block run(top.raw("B.3.9_protocol"));
  CHECK(run.bytes("PRS") == prs);
  CHECK(run.bytes("CI") == ci);
  CHECK(run.bytes("sid") == sid);
  tally.same(g->view(), run.bytes("g"), "g");
  const Bytes ad_a = run.bytes("ADa");
  const Bytes ad_b = run.bytes("ADb");
  auto a = cpace::start_with_scalar(prs, ci, sid, run.bytes("ya"));
  auto b = cpace::start_with_scalar(prs, ci, sid, run.bytes("yb"));
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  const Bytes ya_public = run.bytes("Ya");
  const Bytes yb_public = run.bytes("Yb");
  tally.same(a->y_public, ya_public, "Ya");
  tally.same(b->y_public, yb_public, "Yb");

  const Bytes k = run.bytes("K");
  auto k_a = cpace::scalar_mult_vfy(a->scalar, yb_public);
  auto k_b = cpace::scalar_mult_vfy(b->scalar, ya_public);
  REQUIRE(k_a.is_ok());
  REQUIRE(k_b.is_ok());
  tally.same(k_a->view(), k, "K = scalar_mult_vfy(ya, Yb)");
  tally.same(k_b->view(), k, "K = scalar_mult_vfy(yb, Ya)");

  const Bytes isk_ir = run.bytes("ISK_IR");
  auto isk_ir_a =
      cpace::isk_initiator_responder(*a, cpace::Role::kInitiator, ad_a, yb_public, ad_b, sid);
  auto isk_ir_b =
      cpace::isk_initiator_responder(*b, cpace::Role::kResponder, ad_b, ya_public, ad_a, sid);
  REQUIRE(isk_ir_a.is_ok());
  REQUIRE(isk_ir_b.is_ok());
  tally.same(isk_ir_a->view(), isk_ir, "ISK_IR (initiator)");
  tally.same(isk_ir_b->view(), isk_ir, "ISK_IR (responder)");

  const Bytes isk_sy = run.bytes("ISK_SY");
  auto isk_sy_a = cpace::isk_symmetric(*a, ad_a, yb_public, ad_b, sid);
  auto isk_sy_b = cpace::isk_symmetric(*b, ad_b, ya_public, ad_a, sid);
  REQUIRE(isk_sy_a.is_ok());
  REQUIRE(isk_sy_b.is_ok());
  tally.same(isk_sy_a->view(), isk_sy, "ISK_SY (A)");
  tally.same(isk_sy_b->view(), isk_sy, "ISK_SY (B)");

  tally.same(cpace::sid_output_ir(ya_public, ad_a, yb_public, ad_b), run.bytes("sid_output_ir"),
             "sid_output_ir");
  tally.same(cpace::sid_output_oc(ya_public, ad_a, yb_public, ad_b), run.bytes("sid_output_oc"),
             "sid_output_oc");

  // B.3.10 and B.3.11: scalar_mult_vfy on valid and invalid points.
  Block vfy(top.raw("B.3.11.1_scalar_mult_vfy"));
  Block valid(vfy.raw("Valid"));
  const Secret s = Secret::copy_of(valid.bytes("s"));
  auto product = cpace::scalar_mult_vfy(s, valid.bytes("X"));
  REQUIRE(product.is_ok());
  tally.same(product->view(), valid.bytes("G.scalar_mult(s,decode(X))"), "scalar_mult");
  tally.same(product->view(), valid.bytes("G.scalar_mult_vfy(s,X)"), "scalar_mult_vfy");
  for (const char* key : {"Invalid Y1", "Invalid Y2"}) {
    INFO(key);
    const Bytes bad = vfy.bytes(key);
    tally.refused(cpace::scalar_mult_vfy(s, bad).status(), Code::kAuthFailed, key);
    tally.refused(
        cpace::isk_initiator_responder(*a, cpace::Role::kInitiator, ad_a, bad, ad_b, sid).status(),
        Code::kAuthFailed, key);
    tally.refused(cpace::isk_symmetric(*b, ad_b, bad, ad_a, sid).status(), Code::kAuthFailed, key);
  }

  for (Block* block : {&top, &gen, &run, &vfy, &valid}) CHECK(block->unused().empty());
  return tally.checked;
}

// Parses one argument of an Appendix A key: b'ASCII' or bytes(range(N)).
Bytes parse_arg(const std::string& arg) {
  if (arg.rfind("b'", 0) == 0) {
    REQUIRE(arg.size() >= 3);
    REQUIRE(arg.back() == '\'');
    const std::string body = arg.substr(2, arg.size() - 3);
    REQUIRE(body.find('\\') == std::string::npos);
    return Bytes(body.begin(), body.end());
  }
  const std::string prefix = "bytes(range(";
  REQUIRE_MESSAGE(arg.rfind(prefix, 0) == 0, "unknown argument " << arg);
  const size_t n = std::stoul(arg.substr(prefix.size()));
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i);
  return out;
}

// Splits "name(a,b,...)" into name and parsed arguments (no argument holds a comma).
std::pair<std::string, std::vector<Bytes>> parse_call(const std::string& key) {
  const size_t open = key.find('(');
  REQUIRE(open != std::string::npos);
  REQUIRE(key.back() == ')');
  const std::string inner = key.substr(open + 1, key.size() - open - 2);
  std::vector<Bytes> args;
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    if (comma == std::string::npos) comma = inner.size();
    args.push_back(parse_arg(inner.substr(start, comma - start)));
    start = comma + 1;
  }
  return {key.substr(0, open), args};
}

Bytes evaluate(const std::string& name, const std::vector<Bytes>& a) {
  if (name == "prepend_len") {
    REQUIRE(a.size() == 1);
    return cpace::prepend_len(a[0]);
  }
  if (name == "lv_cat") {
    REQUIRE(a.size() == 4);
    return cpace::lv_cat({a[0], a[1], a[2], a[3]});
  }
  if (name == "o_cat") {
    REQUIRE(a.size() == 2);
    return cpace::o_cat(a[0], a[1]);
  }
  if (name == "transcript_ir") {
    REQUIRE(a.size() == 4);
    return cpace::transcript_ir(a[0], a[1], a[2], a[3]);
  }
  if (name == "transcript_oc") {
    REQUIRE(a.size() == 4);
    return cpace::transcript_oc(a[0], a[1], a[2], a[3]);
  }
  FAIL("unknown helper " << name);
  return {};
}

}  // namespace

TEST_CASE("CPace reproduces every draft-21 ristretto255/SHA-512 vector of Appendix B.3") {
  CHECK(check_b3_file("cpace-draft21-ristretto255-sha512.json") == kValuesPerB3File);
}

TEST_CASE("CPace reproduces every draft-18 ristretto255/SHA-512 vector (other CI)") {
  CHECK(check_b3_file("cpace-draft18-ristretto255-sha512.json") == kValuesPerB3File);
}

TEST_CASE("CPace string helpers reproduce every Appendix A vector") {
  const json doc = load_vectors("cpace-draft21-appendixA-helpers.json");
  std::map<std::string, int> per_function;
  int literals = 0;
  int blocks = 0;
  for (const auto& [title, block] : doc.items()) {
    if (title == "source") continue;
    ++blocks;
    for (const auto& [key, value] : block.items()) {
      INFO(key);
      const Bytes want = hex(value.get<std::string>());
      if (key.rfind("b'", 0) == 0) {  // an input, listed with its hex: check the pair
        CHECK(parse_arg(key) == want);
        ++literals;
        continue;
      }
      auto [name, args] = parse_call(key);
      CHECK(to_hex(evaluate(name, args)) == to_hex(want));
      ++per_function[name];
    }
  }
  CHECK(blocks == 5);
  CHECK(literals == 19);
  CHECK(per_function["prepend_len"] == 4);
  CHECK(per_function["lv_cat"] == 1);
  CHECK(per_function["o_cat"] == 2);
  CHECK(per_function["transcript_ir"] == 2);
  CHECK(per_function["transcript_oc"] == 2);
  int total = 0;
  for (const auto& [name, n] : per_function) total += n;
  CHECK(total == 11);
}

TEST_CASE("prepend_len uses a multi-byte LEB128 length from 128 bytes on") {
  CHECK(cpace::prepend_len(Bytes(127)).front() == 0x7f);
  const Bytes p128 = cpace::prepend_len(Bytes(128));
  CHECK(p128.size() == 130);
  CHECK(p128[0] == 0x80);
  CHECK(p128[1] == 0x01);
  const Bytes p300 = cpace::prepend_len(Bytes(300, 0xaa));
  CHECK(p300.size() == 302);
  CHECK(p300[0] == 0xac);  // 300 = 0b10_0101100
  CHECK(p300[1] == 0x02);
  const Bytes p16384 = cpace::prepend_len(Bytes(16384));
  CHECK(p16384[0] == 0x80);
  CHECK(p16384[1] == 0x80);
  CHECK(p16384[2] == 0x01);
}

TEST_CASE("the generator string's zero padding fills the first hash block for short PRS") {
  const Bytes ci = {1, 2};
  const Bytes sid = {3};
  for (size_t prs_size : {0u, 1u, 8u, 100u, 108u, 109u, 127u, 128u, 200u}) {
    INFO("PRS size " << prs_size);
    const Bytes prs(prs_size, 'p');
    const size_t zpad = cpace::zero_pad_length(prs_size);
    const Secret gen_str = cpace::generator_string(prs, ci, sid);
    // lv(DSI) + lv(PRS) + the zpad's length byte + zpad reaches the block size, or zpad is 0.
    const size_t head = cpace::prepend_len(as_bytes(cpace::kDsi)).size() +
                        cpace::prepend_len(prs).size() + 1 + zpad;
    if (zpad > 0) CHECK(head == cpace::kHashBlockBytes);
    CHECK(gen_str.size() == head + 3 + 2);
    CHECK(cpace::calculate_generator(prs, ci, sid).is_ok());
  }
  CHECK(cpace::zero_pad_length(8) == 100);
  CHECK(cpace::zero_pad_length(200) == 0);
}

TEST_CASE("two parties with the same password derive the same ISK") {
  const Bytes ci = {'c', 'i'};
  const Bytes sid = {9, 8, 7, 6};
  const Bytes ad_a = {'A'};
  const Bytes ad_b = {'B'};
  const Secret password = Secret::copy_of(std::string_view("maple-river-otter"));
  auto a = cpace::start(password.view(), ci, sid);
  auto b = cpace::start(password.view(), ci, sid);
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  CHECK(a->y_public != b->y_public);

  SUBCASE("initiator and responder") {
    auto isk_a =
        cpace::isk_initiator_responder(*a, cpace::Role::kInitiator, ad_a, b->y_public, ad_b, sid);
    auto isk_b =
        cpace::isk_initiator_responder(*b, cpace::Role::kResponder, ad_b, a->y_public, ad_a, sid);
    REQUIRE(isk_a.is_ok());
    REQUIRE(isk_b.is_ok());
    CHECK(isk_a->size() == cpace::kIskBytes);
    CHECK(isk_a->equals(*isk_b));
    // Both claiming the initiator role gives different transcripts, hence keys.
    auto both_init =
        cpace::isk_initiator_responder(*b, cpace::Role::kInitiator, ad_b, a->y_public, ad_a, sid);
    REQUIRE(both_init.is_ok());
    CHECK_FALSE(isk_a->equals(*both_init));
  }
  SUBCASE("symmetric") {
    auto isk_a = cpace::isk_symmetric(*a, ad_a, b->y_public, ad_b, sid);
    auto isk_b = cpace::isk_symmetric(*b, ad_b, a->y_public, ad_a, sid);
    REQUIRE(isk_a.is_ok());
    REQUIRE(isk_b.is_ok());
    CHECK(isk_a->equals(*isk_b));
  }
}

TEST_CASE("different passwords, CIs, sids or ADs give different ISKs") {
  const Bytes ci = {'c', 'i'};
  const Bytes sid = {1, 2, 3};
  const Bytes ad_a = {'A'};
  const Bytes ad_b = {'B'};
  auto run = [&](ByteView prs_a, ByteView prs_b, ByteView ci_b, ByteView sid_b,
                 ByteView ad_a_seen_by_b) {
    auto a = cpace::start(prs_a, ci, sid);
    auto b = cpace::start(prs_b, ci_b, sid_b);
    REQUIRE(a.is_ok());
    REQUIRE(b.is_ok());
    auto isk_a =
        cpace::isk_initiator_responder(*a, cpace::Role::kInitiator, ad_a, b->y_public, ad_b, sid);
    auto isk_b = cpace::isk_initiator_responder(*b, cpace::Role::kResponder, ad_b, a->y_public,
                                                ad_a_seen_by_b, sid_b);
    REQUIRE(isk_a.is_ok());
    REQUIRE(isk_b.is_ok());
    return isk_a->equals(*isk_b);
  };
  const ByteView right = as_bytes("maple-river-otter");
  const ByteView wrong = as_bytes("maple-river-otters");
  CHECK(run(right, right, ci, sid, ad_a));
  CHECK_FALSE(run(right, wrong, ci, sid, ad_a));
  CHECK_FALSE(run(right, right, Bytes{'c', 'j'}, sid, ad_a));
  CHECK_FALSE(run(right, right, ci, Bytes{1, 2, 4}, ad_a));
  CHECK_FALSE(run(right, right, ci, sid, Bytes{'X'}));
}

TEST_CASE("the identity point, an invalid encoding and a wrong-size share are refused") {
  const Bytes sid = {1};
  auto a = cpace::start(as_bytes("code"), {}, sid);
  REQUIRE(a.is_ok());
  const Bytes identity(cpace::kPointBytes, 0);
  Bytes high_bit(a->y_public.begin(), a->y_public.end());
  high_bit[31] |= 0x80;  // s >= 2^255 > p: not canonical (libsodium 1.0.18 accepts it)
  const Bytes invalid = high_bit;
  const Bytes all_ones(cpace::kPointBytes, 0xff);

  for (const Bytes* bad : {&identity, &invalid, &all_ones}) {
    auto ir = cpace::isk_initiator_responder(*a, cpace::Role::kResponder, {}, *bad, {}, sid);
    auto sy = cpace::isk_symmetric(*a, {}, *bad, {}, sid);
    CHECK(ir.status().code() == Code::kAuthFailed);
    CHECK(sy.status().code() == Code::kAuthFailed);
  }
  auto short_share = cpace::isk_symmetric(*a, {}, ByteView(a->y_public).first(31), {}, sid);
  CHECK(short_share.status().code() == Code::kCorrupt);
}

TEST_CASE("a scalar that is zero modulo the group order is refused") {
  const Bytes zero(cpace::kScalarBytes, 0);
  auto share = cpace::start_with_scalar(as_bytes("code"), {}, {}, zero);
  CHECK(share.status().code() == Code::kInvalidArgument);
  CHECK(cpace::start_with_scalar(as_bytes("code"), {}, {}, Bytes(31, 1)).status().code() ==
        Code::kInvalidArgument);
}

namespace {

// The Appendix B.3 text of the draft, as published: each value is a label
// line, "(length: N bytes)" on it or on the next line, then lines of hex.
class AppendixText {
 public:
  explicit AppendixText(const std::string& name) {
    std::ifstream in(std::string(HEARTH_TEST_VECTORS_DIR) + "/pake/" + name);
    REQUIRE_MESSAGE(in.good(), "missing vector file " << name);
    for (std::string line; std::getline(in, line);) lines_.push_back(line);
  }

  // The value after the `occurrence`-th line (from 1) that contains `label`.
  Bytes value(const std::string& label, int occurrence = 1) {
    size_t i = find(label, occurrence);
    size_t length = 0;
    for (size_t j = i; j < lines_.size() && j <= i + 1; ++j) {
      const size_t at = lines_[j].find("(length: ");
      if (at != std::string::npos) length = std::stoul(lines_[j].substr(at + 9));
    }
    REQUIRE_MESSAGE(length > 0, "no length after " << label);
    std::string hex_text;
    for (size_t j = i + 1; j < lines_.size(); ++j) {
      const std::string t = trimmed(lines_[j]);
      if (t.rfind("(length:", 0) == 0) continue;
      if (t.empty() || t.find_first_not_of("0123456789abcdef") != std::string::npos) break;
      hex_text += t;
    }
    Bytes out = hex(hex_text);
    REQUIRE_MESSAGE(out.size() == length, label << ": " << out.size() << " bytes, not " << length);
    ++read_;
    return out;
  }
  // The hex after "name = " on the line that contains it ("sid = 7e4b...").
  Bytes inline_value(const std::string& name, int occurrence = 1) {
    const std::string& line = lines_[find(name + " = ", occurrence)];
    ++read_;
    return hex(trimmed(line.substr(line.find(name + " = ") + name.size() + 3)));
  }
  int read() const { return read_; }

 private:
  static std::string trimmed(const std::string& s) {
    const size_t a = s.find_first_not_of(' ');
    if (a == std::string::npos) return {};
    return s.substr(a, s.find_last_not_of(' ') - a + 1);
  }
  size_t find(const std::string& label, int occurrence) {
    for (size_t i = 0; i < lines_.size(); ++i)
      if (lines_[i].find(label) != std::string::npos && --occurrence == 0) return i;
    FAIL("no line with " << label);
    return 0;
  }
  std::vector<std::string> lines_;
  int read_ = 0;
};

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

TEST_CASE("CPace reproduces every intermediate value of the draft-21 Appendix B.3 text") {
  AppendixText t("cpace-draft21-appendixB3-ristretto255-sha512.txt");
  const std::string pw = "Password", ad_a = "ADa", ad_b = "ADb";
  const Bytes prs(pw.begin(), pw.end());
  const Bytes ada(ad_a.begin(), ad_a.end()), adb(ad_b.begin(), ad_b.end());
  const Bytes ci = t.inline_value("CI", 2);  // the first CI line is Python bytes
  const Bytes sid = t.inline_value("sid");
  CHECK(ci == cpace::lv_cat({as_bytes("A_initiator"), as_bytes("B_responder")}));

  // B.3.1: the generator.
  Secret gen = cpace::generator_string(prs, ci, sid);
  CHECK(to_hex(gen.view()) == to_hex(t.value("generator_string(G.DSI,PRS,CI,sid,H.s_in_bytes):")));
  std::array<uint8_t, crypto_hash_sha512_BYTES> gen_hash{};
  REQUIRE(crypto_hash_sha512(gen_hash.data(), gen.data(), gen.size()) == 0);
  CHECK(to_hex(gen_hash) == to_hex(t.value("hash result:")));
  auto g = cpace::calculate_generator(prs, ci, sid);
  REQUIRE(g.is_ok());
  CHECK(to_hex(g->view()) == to_hex(t.value("encoded generator g:")));

  // B.3.2 to B.3.4: the two shares and K.
  auto a = cpace::start_with_scalar(prs, ci, sid, t.value("ya (little endian):"));
  auto b = cpace::start_with_scalar(prs, ci, sid, t.value("yb (little endian):"));
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  const Bytes ya = t.value("Ya:"), yb = t.value("Yb:");
  CHECK(to_hex(a->y_public) == to_hex(ya));
  CHECK(to_hex(b->y_public) == to_hex(yb));
  auto k = cpace::scalar_mult_vfy(a->scalar, yb);
  REQUIRE(k.is_ok());
  CHECK(to_hex(k->view()) == to_hex(t.value("scalar_mult_vfy(ya,Yb):")));
  auto k2 = cpace::scalar_mult_vfy(b->scalar, ya);
  REQUIRE(k2.is_ok());
  CHECK(to_hex(k2->view()) == to_hex(t.value("scalar_mult_vfy(yb,Ya):")));

  // B.3.5 and B.3.6: transcripts, DSI_ISK, the ISK hash inputs and the ISKs.
  const Bytes prefix = cpace::lv_cat({as_bytes(cpace::kDsiIsk), sid, k->view()});
  const Bytes tr_ir = cpace::transcript_ir(ya, ada, yb, adb);
  const Bytes tr_oc = cpace::transcript_oc(ya, ada, yb, adb);
  CHECK(to_hex(tr_ir) == to_hex(t.value("transcript_ir(Ya,ADa,Yb,ADb):")));
  CHECK(to_hex(tr_oc) == to_hex(t.value("transcript_oc(Ya,ADa,Yb,ADb):")));
  for (int i = 1; i <= 2; ++i)
    CHECK(to_hex(as_bytes(cpace::kDsiIsk)) == to_hex(t.value("DSI = G.DSI_ISK", i)));
  const Bytes in_ir = concat(prefix, tr_ir), in_oc = concat(prefix, tr_oc);
  CHECK(to_hex(in_ir) == to_hex(t.value("lv_cat(DSI,sid,K)||transcript_ir(Ya,ADa,Yb,ADb):")));
  CHECK(to_hex(in_oc) == to_hex(t.value("lv_cat(DSI,sid,K)||transcript_oc(Ya,ADa,Yb,ADb):")));
  const Bytes isk_ir = t.value("ISK result:", 1), isk_oc = t.value("ISK result:", 2);
  std::array<uint8_t, crypto_hash_sha512_BYTES> h{};
  REQUIRE(crypto_hash_sha512(h.data(), in_ir.data(), in_ir.size()) == 0);
  CHECK(to_hex(h) == to_hex(isk_ir));
  REQUIRE(crypto_hash_sha512(h.data(), in_oc.data(), in_oc.size()) == 0);
  CHECK(to_hex(h) == to_hex(isk_oc));
  auto ours_ir = cpace::isk_initiator_responder(*a, cpace::Role::kInitiator, ada, yb, adb, sid);
  auto ours_oc = cpace::isk_symmetric(*b, adb, ya, ada, sid);
  REQUIRE(ours_ir.is_ok());
  REQUIRE(ours_oc.is_ok());
  CHECK(to_hex(ours_ir->view()) == to_hex(isk_ir));
  CHECK(to_hex(ours_oc->view()) == to_hex(isk_oc));

  // B.3.7: the session id outputs.
  CHECK(to_hex(cpace::sid_output_ir(ya, ada, yb, adb)) ==
        to_hex(t.value("H.hash(b\"CPaceSidOutput\" + transcript_ir")));
  CHECK(to_hex(cpace::sid_output_oc(ya, ada, yb, adb)) ==
        to_hex(t.value("H.hash(b\"CPaceSidOutput\" + transcript_oc")));

  // B.3.10 and B.3.11: scalar_mult_vfy, valid and invalid.
  const Secret s = Secret::copy_of(t.value("s:", 1));
  CHECK(to_hex(t.value("s:", 2)) == to_hex(s.view()));
  auto product = cpace::scalar_mult_vfy(s, t.value("X:"));
  REQUIRE(product.is_ok());
  CHECK(to_hex(product->view()) == to_hex(t.value("G.scalar_mult(s,decode(X)):")));
  CHECK(to_hex(product->view()) == to_hex(t.value("G.scalar_mult_vfy(s,X):")));
  for (const char* label : {"Y_i1:", "Y_i2 == G.I:"}) {
    INFO(label);
    const Bytes bad = t.value(label);
    CHECK(cpace::scalar_mult_vfy(s, bad).status().code() == Code::kAuthFailed);
    CHECK(cpace::isk_initiator_responder(*a, cpace::Role::kInitiator, ada, bad, adb, sid)
              .status()
              .code() == Code::kAuthFailed);
  }
  CHECK(t.read() == 28);  // every value of the text above was read and compared
}
