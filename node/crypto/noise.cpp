#include "crypto/noise.h"

#include <sodium.h>

#include <bit>
#include <cstring>
#include <initializer_list>
#include <utility>

#include "util/assert.h"

namespace hearth::crypto::noise {
namespace {

static_assert(crypto_scalarmult_BYTES == kKeyBytes);
static_assert(crypto_scalarmult_SCALARBYTES == kKeyBytes);
static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == kKeyBytes);
static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kTagBytes);
static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES == 12);
static_assert(crypto_generichash_BYTES_MAX == kHashBytes);

constexpr size_t kHmacBlockBytes = 128;  // BLAKE2b's block size
constexpr uint64_t kReservedNonce = UINT64_MAX;
constexpr std::string_view kSuiteSuffix = "_25519_ChaChaPoly_BLAKE2b";

// ---------------------------------------------------------------------------
// HASH, HMAC-HASH, HKDF (spec §4.3)

// BLAKE2b-512 over concatenated parts; the state is wiped when it goes.
class Blake2b {
 public:
  Blake2b() { crypto_generichash_init(&state_, nullptr, 0, kHashBytes); }
  ~Blake2b() { sodium_memzero(&state_, sizeof state_); }
  Blake2b(const Blake2b&) = delete;
  Blake2b& operator=(const Blake2b&) = delete;

  Blake2b& update(ByteView data) {
    crypto_generichash_update(&state_, data.data(), data.size());
    return *this;
  }
  void final(uint8_t* out) { crypto_generichash_final(&state_, out, kHashBytes); }

 private:
  crypto_generichash_state state_;
};

// HMAC-BLAKE2b per RFC 2104: H((K ^ opad) || H((K ^ ipad) || text)), with K
// zero-padded to the 128-byte block (hashed first if longer). Keyed BLAKE2b
// is a different function and would not match other Noise implementations.
Secret hmac(ByteView key, std::initializer_list<ByteView> text) {
  Secret block(kHmacBlockBytes);
  if (key.size() > kHmacBlockBytes) {
    Blake2b().update(key).final(block.data());
  } else if (!key.empty()) {
    std::memcpy(block.data(), key.data(), key.size());
  }
  Secret pad(kHmacBlockBytes);
  Secret inner(kHashBytes);
  for (size_t i = 0; i < kHmacBlockBytes; ++i) pad.data()[i] = block.data()[i] ^ 0x36;
  {
    Blake2b h;
    h.update(pad.view());
    for (ByteView part : text) h.update(part);
    h.final(inner.data());
  }
  for (size_t i = 0; i < kHmacBlockBytes; ++i) pad.data()[i] = block.data()[i] ^ 0x5c;
  Secret out(kHashBytes);
  Blake2b().update(pad.view()).update(inner.view()).final(out.data());
  return out;
}

struct HkdfOutput {
  Secret first;
  Secret second;
  Secret third;  // empty unless three outputs were asked for
};

// The spec's HKDF(chaining_key, input_key_material, num_outputs): outputs of
// HASHLEN bytes each.
HkdfOutput hkdf(const Secret& chaining_key, ByteView input_key_material, int num_outputs) {
  HEARTH_ASSERT(num_outputs == 2 || num_outputs == 3, "HKDF gives 2 or 3 outputs");
  const uint8_t one = 1, two = 2, three = 3;
  Secret temp_key = hmac(chaining_key.view(), {input_key_material});
  HkdfOutput out;
  out.first = hmac(temp_key.view(), {ByteView(&one, 1)});
  out.second = hmac(temp_key.view(), {out.first.view(), ByteView(&two, 1)});
  if (num_outputs == 3) out.third = hmac(temp_key.view(), {out.second.view(), ByteView(&three, 1)});
  return out;
}

// ---------------------------------------------------------------------------
// DH and the AEAD (spec §4.1, §12.3)

Result<Secret> dh(const Secret& private_key, const Key32& public_key) {
  Secret shared(kKeyBytes);
  if (crypto_scalarmult(shared.data(), private_key.data(), public_key.data()) != 0 ||
      sodium_is_zero(shared.data(), shared.size())) {
    return Status::auth_failed(
        "X25519 gave the all-zero output: the peer key is a low-order point");
  }
  return shared;
}

// 4 zero bytes || the counter, little-endian.
std::array<uint8_t, 12> aead_nonce(uint64_t n) {
  std::array<uint8_t, 12> nonce{};
  for (size_t i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(n >> (8 * i));
  return nonce;
}

Result<Bytes> aead_encrypt(const Secret& key, uint64_t n, ByteView ad, ByteView plaintext) {
  HEARTH_ASSERT(key.size() == kKeyBytes, "cipher key must be 32 bytes");
  if (n == kReservedNonce) return Status::refused("cipher nonce exhausted (2^64-1 is reserved)");
  const auto nonce = aead_nonce(n);
  Bytes out(plaintext.size() + kTagBytes);
  unsigned long long written = 0;
  if (crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &written, plaintext.data(),
                                                plaintext.size(), ad.data(), ad.size(), nullptr,
                                                nonce.data(), key.data()) != 0 ||
      written != out.size()) {
    return Status::internal("ChaCha20-Poly1305 encryption failed");
  }
  return out;
}

Result<Bytes> aead_decrypt(const Secret& key, uint64_t n, ByteView ad, ByteView ciphertext) {
  HEARTH_ASSERT(key.size() == kKeyBytes, "cipher key must be 32 bytes");
  if (n == kReservedNonce) return Status::refused("cipher nonce exhausted (2^64-1 is reserved)");
  if (ciphertext.size() < kTagBytes) return Status::corrupt("ciphertext shorter than its tag");
  const auto nonce = aead_nonce(n);
  Bytes out(ciphertext.size() - kTagBytes);
  unsigned long long written = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &written, nullptr, ciphertext.data(),
                                                ciphertext.size(), ad.data(), ad.size(),
                                                nonce.data(), key.data()) != 0) {
    return Status::auth_failed("Noise message did not verify: wrong key or altered data");
  }
  HEARTH_ASSERT(written == out.size(), "ChaCha20-Poly1305 length");
  return out;
}

// ---------------------------------------------------------------------------
// SymmetricState (spec §5.2), with its CipherState's k and n inline so that a
// copy can be taken for each handshake message.

struct SymmetricState {
  Secret ck;          // chaining key, HASHLEN
  HandshakeHash h{};  // handshake hash
  Secret k;           // cipher key: empty until the first MixKey
  uint64_t n = 0;

  static SymmetricState initialize(std::string_view protocol_name) {
    SymmetricState s;
    if (protocol_name.size() <= kHashBytes) {
      std::memcpy(s.h.data(), protocol_name.data(), protocol_name.size());  // zero-padded
    } else {
      Blake2b().update(as_bytes(protocol_name)).final(s.h.data());
    }
    s.ck = Secret::copy_of(ByteView(s.h));
    return s;
  }

  SymmetricState clone() const {
    SymmetricState c;
    c.ck = Secret::copy_of(ck.view());
    c.h = h;
    c.k = Secret::copy_of(k.view());
    c.n = n;
    return c;
  }

  bool has_key() const { return !k.empty(); }

  void initialize_key(Secret temp_k) {
    temp_k.truncate(kKeyBytes);
    k = std::move(temp_k);
    n = 0;
  }

  void mix_hash(ByteView data) { Blake2b().update(h).update(data).final(h.data()); }

  void mix_key(ByteView input_key_material) {
    HkdfOutput out = hkdf(ck, input_key_material, 2);
    ck = std::move(out.first);
    initialize_key(std::move(out.second));
  }

  void mix_key_and_hash(ByteView input_key_material) {
    HkdfOutput out = hkdf(ck, input_key_material, 3);
    ck = std::move(out.first);
    mix_hash(out.second.view());
    initialize_key(std::move(out.third));
  }

  Result<Bytes> encrypt_and_hash(ByteView plaintext) {
    Bytes ciphertext;
    if (has_key()) {
      HEARTH_ASSIGN_OR_RETURN(ciphertext, aead_encrypt(k, n, h, plaintext));
      ++n;
    } else {
      ciphertext.assign(plaintext.begin(), plaintext.end());
    }
    mix_hash(ciphertext);
    return ciphertext;
  }

  Result<Bytes> decrypt_and_hash(ByteView ciphertext) {
    Bytes plaintext;
    if (has_key()) {
      HEARTH_ASSIGN_OR_RETURN(plaintext, aead_decrypt(k, n, h, ciphertext));
      ++n;
    } else {
      plaintext.assign(ciphertext.begin(), ciphertext.end());
    }
    mix_hash(ciphertext);
    return plaintext;
  }

  // c1 (initiator to responder) and c2, as {send, recv} for the given side.
  TransportPair split(bool initiator) const {
    HkdfOutput out = hkdf(ck, {}, 2);
    out.first.truncate(kKeyBytes);
    out.second.truncate(kKeyBytes);
    CipherState c1(std::move(out.first));
    CipherState c2(std::move(out.second));
    if (initiator) return {std::move(c1), std::move(c2)};
    return {std::move(c2), std::move(c1)};
  }
};

// ---------------------------------------------------------------------------
// Patterns (spec §7.5, §9)

enum class Token : uint8_t { kE, kS, kEE, kES, kSE, kSS, kPsk };
using MessagePattern = std::vector<Token>;

struct BasePatternDef {
  std::string_view name;
  bool initiator_static_premessage;  // "-> s" before "..."
  bool responder_static_premessage;  // "<- s" before "..."
  std::vector<MessagePattern> messages;
};

constexpr BasePattern kAllBases[] = {BasePattern::kIK, BasePattern::kKK, BasePattern::kXX};

const BasePatternDef& base_def(BasePattern base) {
  using enum Token;
  // IK:  <- s  ...  -> e, es, s, ss   <- e, ee, se
  static const BasePatternDef kIKDef{"IK", false, true, {{kE, kES, kS, kSS}, {kE, kEE, kSE}}};
  // KK:  -> s  <- s  ...  -> e, es, ss   <- e, ee, se
  static const BasePatternDef kKKDef{"KK", true, true, {{kE, kES, kSS}, {kE, kEE, kSE}}};
  // XX:  -> e   <- e, ee, s, es   -> s, se
  static const BasePatternDef kXXDef{"XX", false, false, {{kE}, {kE, kEE, kS, kES}, {kS, kSE}}};
  switch (base) {
    case BasePattern::kIK:
      return kIKDef;
    case BasePattern::kKK:
      return kKKDef;
    case BasePattern::kXX:
      return kXXDef;
  }
  HEARTH_ASSERT(false, "unknown base pattern");
}

bool is_known_base(BasePattern base) {
  for (BasePattern b : kAllBases) {
    if (b == base) return true;
  }
  return false;
}

Status check_pattern(const Pattern& pattern) {
  if (!is_known_base(pattern.base)) return Status::invalid("unknown Noise base pattern");
  const size_t messages = base_def(pattern.base).messages.size();
  if ((pattern.psk_positions >> (messages + 1)) != 0) {
    return Status::invalid("a pskN modifier is past the last message of the pattern");
  }
  return Status::ok();
}

// "" or "pskA+pskB+..." with A < B < ... <= max_position, as a bit set.
std::optional<uint8_t> parse_psk_modifiers(std::string_view text, size_t max_position) {
  uint8_t positions = 0;
  int last = -1;
  while (!text.empty()) {
    if (last >= 0) {
      if (!text.starts_with('+')) return std::nullopt;
      text.remove_prefix(1);
    }
    if (text.size() < 4 || !text.starts_with("psk") || text[3] < '0' || text[3] > '9') {
      return std::nullopt;
    }
    const int position = text[3] - '0';
    if (position <= last || static_cast<size_t>(position) > max_position) return std::nullopt;
    positions = static_cast<uint8_t>(positions | (1u << position));
    last = position;
    text.remove_prefix(4);
  }
  return positions;
}

// psk0 opens the first message; pskN (N >= 1) closes message N.
std::vector<MessagePattern> messages_with_psks(const Pattern& pattern) {
  std::vector<MessagePattern> messages = base_def(pattern.base).messages;
  if (pattern.psk_positions & 1u) messages[0].insert(messages[0].begin(), Token::kPsk);
  for (size_t i = 1; i <= messages.size(); ++i) {
    if (pattern.psk_positions & (1u << i)) messages[i - 1].push_back(Token::kPsk);
  }
  return messages;
}

// ---------------------------------------------------------------------------
// HandshakeState pieces

enum class Stage : uint8_t { kWriteNext, kReadNext, kComplete, kSplit, kFailed };

Status wrong_stage(Stage stage) {
  switch (stage) {
    case Stage::kWriteNext:
      return Status::refused("it is this side's turn to write");
    case Stage::kReadNext:
      return Status::refused("it is the peer's turn to write");
    case Stage::kComplete:
      return Status::refused("the handshake is complete");
    case Stage::kSplit:
      return Status::refused("the handshake has been split into transport keys");
    case Stage::kFailed:
      return Status::refused("the handshake has failed");
  }
  return Status::internal("unknown handshake stage");
}

// Everything one handshake message may change. Each message is processed on a
// clone, which replaces the current one only once the whole message succeeded.
struct Progress {
  SymmetricState symmetric;
  std::optional<Keypair> e;  // our ephemeral
  std::optional<Key32> re;   // the peer's ephemeral
  std::optional<Key32> rs;   // the peer's static key
  size_t psks_used = 0;

  Progress clone() const {
    Progress c;
    c.symmetric = symmetric.clone();
    if (e) c.e = e->clone();
    c.re = re;
    c.rs = rs;
    c.psks_used = psks_used;
    return c;
  }
};

}  // namespace

// ---------------------------------------------------------------------------
// Pattern, Keypair, CipherState

std::string Pattern::name() const {
  std::string out(is_known_base(base) ? base_def(base).name : "?");
  bool first = true;
  for (int i = 0; i < 8; ++i) {
    if (!(psk_positions & (1u << i))) continue;
    if (!first) out += '+';
    out += "psk";
    out += static_cast<char>('0' + i);
    first = false;
  }
  return out;
}

Result<Pattern> Pattern::parse(std::string_view name) {
  for (BasePattern base : kAllBases) {
    const BasePatternDef& def = base_def(base);
    if (!name.starts_with(def.name)) continue;
    std::optional<uint8_t> psks =
        parse_psk_modifiers(name.substr(def.name.size()), def.messages.size());
    if (psks) return Pattern{base, *psks};
  }
  return Status::invalid("unsupported Noise pattern '" + std::string(name) +
                         "': Hearth implements IK, KK and XX with pskN modifiers");
}

std::string protocol_name(const Pattern& pattern) {
  return "Noise_" + pattern.name() + std::string(kSuiteSuffix);
}

Keypair Keypair::generate() {
  Result<Keypair> pair = from_private(Secret::random(kKeyBytes));
  HEARTH_ASSERT(pair.is_ok(), "X25519 key generation");
  return std::move(pair).value();
}

Result<Keypair> Keypair::from_private(Secret private_key) {
  if (private_key.size() != kKeyBytes) return Status::invalid("an X25519 private key is 32 bytes");
  Key32 public_key{};
  if (crypto_scalarmult_base(public_key.data(), private_key.data()) != 0) {
    return Status::invalid("X25519 private key gives no public key");
  }
  return Keypair(std::move(private_key), public_key);
}

Keypair Keypair::clone() const {
  return Keypair(Secret::copy_of(private_key_.view()), public_key_);
}

CipherState::CipherState(Secret key) : key_(std::move(key)) {
  HEARTH_ASSERT(key_.size() == kKeyBytes, "cipher key must be 32 bytes");
}

Result<Bytes> CipherState::encrypt_with_ad(ByteView ad, ByteView plaintext) {
  if (!has_key()) return Status::refused("cipher state has no key");
  if (plaintext.size() > kMaxMessage - kTagBytes) {
    return Status::invalid("Noise message would exceed 65535 bytes");
  }
  HEARTH_ASSIGN_OR_RETURN(Bytes ciphertext, aead_encrypt(key_, nonce_, ad, plaintext));
  ++nonce_;
  return ciphertext;
}

Result<Bytes> CipherState::decrypt_with_ad(ByteView ad, ByteView ciphertext) {
  if (!has_key()) return Status::refused("cipher state has no key");
  if (ciphertext.size() > kMaxMessage) return Status::corrupt("Noise message exceeds 65535 bytes");
  HEARTH_ASSIGN_OR_RETURN(Bytes plaintext, aead_decrypt(key_, nonce_, ad, ciphertext));
  ++nonce_;
  return plaintext;
}

// ---------------------------------------------------------------------------
// HandshakeState (spec §5.3)

struct HandshakeState::State {
  // Fixed at create().
  bool initiator = false;
  bool psk_mode = false;  // any psk modifier: "e" also runs MixKey
  std::vector<MessagePattern> messages;
  std::optional<Keypair> s;
  std::vector<Secret> psks;
  std::optional<Keypair> fixed_ephemeral;

  Stage stage = Stage::kFailed;
  size_t message_index = 0;
  Progress progress;

  // Message bytes besides the payload: the keys, and tags on the static key
  // and the payload. Whether a key exists at each token follows from the
  // pattern alone, so this is the exact size for an empty payload.
  size_t overhead(const MessagePattern& tokens) const {
    bool keyed = progress.symmetric.has_key();
    size_t size = 0;
    for (Token token : tokens) {
      switch (token) {
        case Token::kE:
          size += kKeyBytes;
          keyed = keyed || psk_mode;
          break;
        case Token::kS:
          size += kKeyBytes + (keyed ? kTagBytes : 0);
          break;
        default:  // ee, es, se, ss and psk all run MixKey
          keyed = true;
          break;
      }
    }
    return size + (keyed ? kTagBytes : 0);
  }

  // ee, es, se, ss: MixKey(DH(...)). "es" is always the initiator's e with the
  // responder's s, "se" the initiator's s with the responder's e.
  Status mix_dh(Token token, Progress& next) const {
    const bool local_e = token == Token::kEE || token == (initiator ? Token::kES : Token::kSE);
    const bool remote_e = token == Token::kEE || token == (initiator ? Token::kSE : Token::kES);
    HEARTH_ASSERT(local_e ? next.e.has_value() : s.has_value(), "pattern uses a key it lacks");
    const Secret& local = local_e ? next.e->private_key() : s->private_key();
    const std::optional<Key32>& remote = remote_e ? next.re : next.rs;
    HEARTH_ASSERT(remote.has_value(), "pattern uses a remote key before learning it");
    HEARTH_ASSIGN_OR_RETURN(Secret shared, dh(local, *remote));
    next.symmetric.mix_key(shared.view());
    return Status::ok();
  }

  Status write_token(Token token, Progress& next, Bytes& out) const {
    switch (token) {
      case Token::kE: {  // e
        next.e = fixed_ephemeral ? fixed_ephemeral->clone() : Keypair::generate();
        const Key32& e_pub = next.e->public_key();
        append(out, e_pub);
        next.symmetric.mix_hash(e_pub);
        if (psk_mode) next.symmetric.mix_key(e_pub);
        return Status::ok();
      }
      case Token::kS: {  // s
        HEARTH_ASSIGN_OR_RETURN(Bytes sealed, next.symmetric.encrypt_and_hash(s->public_key()));
        append(out, sealed);
        return Status::ok();
      }
      case Token::kPsk:  // psk
        next.symmetric.mix_key_and_hash(psks[next.psks_used++].view());
        return Status::ok();
      case Token::kEE:  // ee
      case Token::kES:  // es
      case Token::kSE:  // se
      case Token::kSS:  // ss
        return mix_dh(token, next);
    }
    return Status::internal("unknown Noise token");
  }

  // `in` has been checked to hold at least overhead() bytes.
  Status read_token(Token token, Progress& next, ByteView& in) const {
    switch (token) {
      case Token::kE: {  // e
        HEARTH_ASSERT(in.size() >= kKeyBytes, "length checked before parsing");
        next.re = to_array<kKeyBytes>(in.first(kKeyBytes));
        in = in.subspan(kKeyBytes);
        next.symmetric.mix_hash(*next.re);
        if (psk_mode) next.symmetric.mix_key(*next.re);
        return Status::ok();
      }
      case Token::kS: {  // s
        const size_t size = kKeyBytes + (next.symmetric.has_key() ? kTagBytes : 0);
        HEARTH_ASSERT(in.size() >= size, "length checked before parsing");
        HEARTH_ASSIGN_OR_RETURN(Bytes rs, next.symmetric.decrypt_and_hash(in.first(size)));
        next.rs = to_array<kKeyBytes>(rs);
        in = in.subspan(size);
        return Status::ok();
      }
      case Token::kPsk:  // psk
        next.symmetric.mix_key_and_hash(psks[next.psks_used++].view());
        return Status::ok();
      case Token::kEE:  // ee
      case Token::kES:  // es
      case Token::kSE:  // se
      case Token::kSS:  // ss
        return mix_dh(token, next);
    }
    return Status::internal("unknown Noise token");
  }

  void commit(Progress next) {
    progress = std::move(next);
    ++message_index;
    if (message_index == messages.size()) {
      stage = Stage::kComplete;
      progress.e.reset();  // no longer needed: wipe it now
      fixed_ephemeral.reset();
    } else {
      const bool initiator_writes = message_index % 2 == 0;
      stage = initiator_writes == initiator ? Stage::kWriteNext : Stage::kReadNext;
    }
  }

  // Wipes every secret and refuses everything from now on.
  Status fail(Status why) {
    stage = Stage::kFailed;
    progress = Progress{};
    s.reset();
    psks.clear();
    fixed_ephemeral.reset();
    return why;
  }
};

HandshakeState::HandshakeState(std::unique_ptr<State> state) : state_(std::move(state)) {}
HandshakeState::HandshakeState(HandshakeState&&) noexcept = default;
HandshakeState& HandshakeState::operator=(HandshakeState&&) noexcept = default;
HandshakeState::~HandshakeState() = default;

Result<HandshakeState> HandshakeState::create(HandshakeConfig config) {
  HEARTH_TRY(check_pattern(config.pattern));
  const BasePatternDef& def = base_def(config.pattern.base);
  const std::string name = protocol_name(config.pattern);
  if (!config.static_keypair) return Status::invalid(name + " needs a static key pair");
  const bool remote_known =
      config.initiator ? def.responder_static_premessage : def.initiator_static_premessage;
  if (remote_known && !config.remote_static) {
    return Status::invalid(name + " needs the peer's static public key in advance");
  }
  if (!remote_known && config.remote_static) {
    return Status::invalid(name + " sends the peer's static key; read it from remote_static()");
  }
  const size_t psk_count = static_cast<size_t>(std::popcount(config.pattern.psk_positions));
  if (config.psks.size() != psk_count) {
    return Status::invalid(name + " needs " + std::to_string(psk_count) + " PSKs");
  }
  for (const Secret& psk : config.psks) {
    if (psk.size() != kKeyBytes) return Status::invalid("a Noise PSK is 32 bytes");
  }

  auto state = std::make_unique<State>();
  state->initiator = config.initiator;
  state->psk_mode = psk_count > 0;
  state->messages = messages_with_psks(config.pattern);
  state->s = std::move(config.static_keypair);
  state->psks = std::move(config.psks);
  state->fixed_ephemeral = std::move(config.fixed_ephemeral);

  Progress& p = state->progress;
  p.symmetric = SymmetricState::initialize(name);
  p.symmetric.mix_hash(config.prologue);
  p.rs = config.remote_static;
  // Pre-messages, the initiator's first.
  const Key32& s_pub = state->s->public_key();
  if (def.initiator_static_premessage) p.symmetric.mix_hash(config.initiator ? s_pub : *p.rs);
  if (def.responder_static_premessage) p.symmetric.mix_hash(config.initiator ? *p.rs : s_pub);

  state->stage = config.initiator ? Stage::kWriteNext : Stage::kReadNext;
  return HandshakeState(std::move(state));
}

Result<Bytes> HandshakeState::write_message(ByteView payload) {
  if (!state_) return wrong_stage(Stage::kFailed);
  State& st = *state_;
  if (st.stage != Stage::kWriteNext) return wrong_stage(st.stage);
  const MessagePattern& tokens = st.messages[st.message_index];
  const size_t size = st.overhead(tokens) + payload.size();
  if (size > kMaxMessage) return Status::invalid("handshake message would exceed 65535 bytes");

  Progress next = st.progress.clone();
  Bytes out;
  out.reserve(size);
  for (Token token : tokens) {
    Status status = st.write_token(token, next, out);
    if (!status) return st.fail(status);
  }
  Result<Bytes> sealed = next.symmetric.encrypt_and_hash(payload);
  if (!sealed) return st.fail(sealed.status());
  append(out, *sealed);
  HEARTH_ASSERT(out.size() == size, "handshake message size");
  st.commit(std::move(next));
  return out;
}

Result<Bytes> HandshakeState::read_message(ByteView message) {
  if (!state_) return wrong_stage(Stage::kFailed);
  State& st = *state_;
  if (st.stage != Stage::kReadNext) return wrong_stage(st.stage);
  if (message.size() > kMaxMessage) {
    return st.fail(Status::corrupt("handshake message exceeds 65535 bytes"));
  }
  const MessagePattern& tokens = st.messages[st.message_index];
  if (message.size() < st.overhead(tokens)) {
    return st.fail(Status::corrupt("handshake message is too short"));
  }

  Progress next = st.progress.clone();
  ByteView in = message;
  for (Token token : tokens) {
    Status status = st.read_token(token, next, in);
    if (!status) return st.fail(status);
  }
  Result<Bytes> payload = next.symmetric.decrypt_and_hash(in);
  if (!payload) return st.fail(payload.status());
  st.commit(std::move(next));
  return payload;
}

bool HandshakeState::is_my_turn() const { return state_ && state_->stage == Stage::kWriteNext; }

bool HandshakeState::is_complete() const {
  return state_ && (state_->stage == Stage::kComplete || state_->stage == Stage::kSplit);
}

bool HandshakeState::has_failed() const { return !state_ || state_->stage == Stage::kFailed; }

std::optional<Key32> HandshakeState::remote_static() const {
  if (!state_) return std::nullopt;
  return state_->progress.rs;
}

HandshakeHash HandshakeState::handshake_hash() const {
  HEARTH_ASSERT(is_complete(), "handshake_hash() before the handshake is complete");
  return state_->progress.symmetric.h;
}

Result<TransportPair> HandshakeState::split() {
  if (!state_) return wrong_stage(Stage::kFailed);
  State& st = *state_;
  if (st.stage != Stage::kComplete) return wrong_stage(st.stage);
  TransportPair pair = st.progress.symmetric.split(st.initiator);
  st.stage = Stage::kSplit;
  st.progress.symmetric.ck = Secret();
  st.progress.symmetric.k = Secret();
  st.s.reset();
  st.psks.clear();
  return pair;
}

}  // namespace hearth::crypto::noise
