# Hearth event log: the signed envelope of every shared change, and the
# payloads carried (encrypted) in event bodies. See schema/PROTOCOL.md §2.
#
# Ordinals are never reused; a retired field is renamed obsoleteX.
@0x9d74754444e61453;

$import "/capnp/c++.capnp".namespace("hearth::schema");

struct EventHeader {
  # Signed with the author's Ed25519 device key over
  # "hearth/event/v1" || canonical(EventHeader). The event ID is
  # BLAKE2b-256(canonical(EventHeader)).

  author @0 :Data;
  # The author's Ed25519 device public key, 32 bytes.

  seq @1 :UInt64;
  # Position in the author's log: 1, 2, 3… with no gaps.

  prev @2 :Data;
  # Event ID of the author's event seq-1; 32 zero bytes for seq 1.

  lamport @3 :UInt64;
  # Lamport clock: greater than every lamport the author had seen (own or
  # partner's) when writing. (lamport, author) orders all events totally.

  wallTime @4 :Int64;
  # Author's clock, milliseconds since the Unix epoch. For display only,
  # and for when a pause ends.

  bodyHash @5 :Data;
  # BLAKE2b-256 of the body as stored and sent (nonce || ciphertext || tag).
}

struct SignedEvent {
  # How an event travels inside peer.capnp Events batches.

  header @0 :Data;
  # canonical(EventHeader), exactly the bytes that were signed.

  signature @1 :Data;
  # 64-byte Ed25519 signature.

  body @2 :Data;
  # XChaCha20-Poly1305(log key of the author, nonce, Payload,
  # AD = "hearth/body/v1" || author || seq as 8 bytes big-endian), laid out as
  # nonce (24) || ciphertext || tag (16). Empty when the author forgot the
  # entry: the header still chains, the words are gone.
}

# ---- Payloads: the plaintext of a body (and of a private entry) ----

enum Capacity {
  green @0;
  yellow @1;
  red @2;
}

enum Response {
  agree @0;
  decline @1;
  discuss @2;
  acknowledge @3;      # a limit: "I have read this"; changes nothing about its force
}

enum BoundaryKind {
  agreement @0;        # needs both; either can leave it
  limit @1;            # one partner's own; in force at once; only its author changes it
}

struct Payload {
  union {
    reflectionPut @0 :ReflectionPut;
    reflectionForget @1 :ReflectionForget;
    boundaryPropose @2 :BoundaryPropose;
    boundaryRespond @3 :BoundaryRespond;
    boundaryWithdraw @4 :BoundaryWithdraw;
    checkIn @5 :CheckIn;
    pause @6 :Pause;
    resume @7 :Void;
    # Ends the author's own pause. Honoured only for the author's pause:
    # pauses are kept per author, so nobody can end the other's.
    checkInForget @8 :CheckInForget;
    boundaryDrop @9 :BoundaryDrop;
  }
}

struct ReflectionPut {
  # Creates a reflection or edits it. A reflection is identified by
  # (author, reflectionId); the latest put by lamport is its current text,
  # older puts remain as its history.
  reflectionId @0 :Data;   # 16 random bytes chosen by the author
  text @1 :Text;
  feelings @2 :List(Text);
  promptId @3 :Text;       # empty: none
  replyTo @4 :Data;        # empty: none; else the partner's reflectionId answered
}

struct ReflectionForget {
  # Honoured only for the author's own reflection: every body of it is dropped.
  reflectionId @0 :Data;
}

struct BoundaryPropose {
  # The first statement of a boundary, or a revision of it. Its event ID
  # names the revision; the proposer agrees to their own revision.
  boundaryId @0 :Data;     # 16 random bytes chosen by the first proposer
  text @1 :Text;
  category @2 :Text;       # empty: none
  kind @3 :BoundaryKind;   # read from the first revision only; later ones keep it
}

struct BoundaryRespond {
  boundaryId @0 :Data;
  revision @1 :Data;       # event ID of the BoundaryPropose answered
  response @2 :Response;
  note @3 :Text;
  askAgainAfter @4 :Int64; # a decline: "ask me again after" (ms since the epoch); 0: none
}

struct BoundaryWithdraw {
  # An agreement: either partner leaves it, at any time; terminal.
  # A limit: its author retires it; from anyone else it is ignored.
  boundaryId @0 :Data;
  note @1 :Text;
}

struct BoundaryDrop {
  # An agreement's proposer takes back a revision the partner has not agreed
  # to; the wording agreed before stays in force. Ignored from anyone else,
  # for the first proposal, and for a revision both agreed to.
  boundaryId @0 :Data;
  revision @1 :Data;       # event ID of the BoundaryPropose dropped
}

struct CheckIn {
  # A check-in never changes its words. Sharing a private one later writes
  # the same check-in (same ID and words) again as a shared event.
  checkInId @0 :Data;      # 16 random bytes
  capacity @1 :Capacity;
  feelings @2 :List(Text);
  need @3 :Text;
}

struct CheckInForget {
  # Honoured only for the author's own check-in: every body of it is dropped.
  checkInId @0 :Data;
}

struct Pause {
  # The author's own pause; a later one by the same author replaces it. It
  # runs `minutes` from when it began, on each reader's clock
  # (docs/DESIGN.md §5.5).
  minutes @0 :UInt16;      # 20..1440
  note @1 :Text;
}
