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

    # Prompts answered blind (PROTOCOL.md §2.4).
    promptAsk @10 :PromptAsk;
    promptAnswer @11 :PromptAnswer;
    answerReveal @12 :AnswerReveal;
    promptPass @13 :PromptPass;
    ynmRound @14 :YnmRound;
    answerKey @15 :AnswerKey;       # private only: never in a shared event
    needReply @16 :NeedReply;

    # Practices done together (PROTOCOL.md §2.5).
    practiceInvite @17 :PracticeInvite;
    practiceJoin @18 :PracticeJoin;
    practiceCheck @19 :PracticeCheck;
    practiceStop @20 :PracticeStop;
    practiceStage @21 :PracticeStage;
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
  contentNote @5 :Text;    # empty: none; shown to the reader before the words
  appreciation @6 :Bool;   # a short appreciation, shown as such (never counted)
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

# ---- Prompts answered blind

struct PromptAsk {
  # A question of one partner's own, for both to answer.
  promptId @0 :Text;       # "ask-" followed by 16 hex digits, chosen by its author
  text @1 :Text;
  depth @2 :UInt8;         # 1 light .. 3 deeper
}

enum Choice {
  none @0;                 # a prompt's answer (words only)
  yes @1;
  no @2;
  maybe @3;
}

struct AnswerWords {
  # The plaintext inside PromptAnswer.sealed.
  text @0 :Text;
  choice @1 :Choice;       # yes / no / maybe items; none for prompts
}

struct PromptAnswer {
  # One partner's answer, sealed so that the other's device stores it but
  # cannot read it until its author releases the key (AnswerReveal).
  promptId @0 :Text;       # a built-in id ("again-001", "ynm-007") or an asked one
  answerId @1 :Data;       # 16 random bytes
  round @2 :Data;          # yes / no / maybe: the round's 16-byte ID; else empty
  sealed @3 :Data;         # XChaCha20-Poly1305 of AnswerWords under a fresh 32-byte key,
                           # AD = "hearth/answer/v1" || answerId: nonce (24) || ct || tag (16)
}

struct AnswerReveal {
  # The key of one's own answer: honoured only from the answer's author.
  answerId @0 :Data;
  key @1 :Data;            # 32 bytes
}

struct PromptPass {
  # "Not this one": reveals nothing and releases nothing.
  promptId @0 :Text;
  round @1 :Data;          # as in PromptAnswer
}

struct YnmRound {
  # A new round of the yes / no / maybe list, dated by its event.
  roundId @0 :Data;        # 16 random bytes
}

struct AnswerKey {
  # Private to its author's device: the key of their own answer, and for a
  # yes / no / maybe item a note only they read.
  answerId @0 :Data;
  key @1 :Data;            # 32 bytes
  note @2 :Text;
}

struct NeedReply {
  # The partner answers a shared check-in's need ("I can do that tonight").
  checkInId @0 :Data;      # the other partner's check-in
  replyId @1 :Data;        # 16 random bytes
  text @2 :Text;
}

# ---- Practices done together

struct PracticeInvite {
  # One partner invites the other to a practice, to begin once both are in.
  sessionId @0 :Data;      # 16 random bytes
  practice @1 :Text;       # "breathe", "closeness", ...
  minutes @2 :UInt16;      # 1..60
  inSeconds @3 :UInt8;     # the pacer's breath in, 2..10
  outSeconds @4 :UInt8;    # and out, 2..12
  stage @5 :UInt8;         # a staged practice's stage, 1..; 0 for others
}

struct PracticeJoin {
  # The other partner joins. The pacers of both begin at startAt (the
  # joiner's clock; the inviter's device corrects it by the clock offset).
  sessionId @0 :Data;
  startAt @1 :Int64;       # ms since the Unix epoch, a few seconds ahead
}

struct PracticeCheck {
  # A capacity check before a staged practice: it begins only if neither is red.
  sessionId @0 :Data;
  capacity @1 :Capacity;
}

struct PracticeStop {
  # Either partner ends the session, at any moment; no reason is asked.
  sessionId @0 :Data;
}

struct PracticeStage {
  # Its author agrees to go on to `stage` of a staged practice; a stage is
  # open once both have.
  practice @0 :Text;
  stage @1 :UInt8;         # 2..
}
