# hearth (CLI) <-> hearthd over $HEARTH_HOME/control.sock.
#
# Framing: each message is a 4-byte big-endian length followed by that many
# bytes of an unpacked Cap'n Proto message (segment table included). The
# client sends one Request and reads one Response, except for `watch`, after
# which the daemon keeps sending Responses (each a `update`) until either side
# closes. Limits: a request is at most 1 MiB; see schema/PROTOCOL.md §7.
#
# Times are milliseconds since the Unix epoch (UTC). IDs are raw bytes; the
# CLI shows them in hex (entry IDs by their last 8 characters) and the
# `*Prefix` fields take 4 to 32 hex characters that match a unique start OR
# end of an ID, or the start of its last 8 characters (case-insensitive).
@0xd356827d98a9c3ac;

$import "/capnp/c++.capnp".namespace("hearth::control");

using Event = import "event.capnp";

struct Request {
  union {
    status @0 :Void;
    unlock @1 :Unlock;
    log @2 :Query;
    watch @3 :Void;

    reflectAdd @4 :ReflectAdd;
    reflectList @5 :Query;
    reflectShow @6 :Target;
    reflectEdit @7 :ReflectEdit;
    reflectShare @8 :Target;
    reflectForget @9 :Target;

    boundaryPropose @10 :BoundaryPropose;
    boundaryRevise @11 :BoundaryRevise;
    boundaryRespond @12 :BoundaryRespond;
    boundaryWithdraw @13 :BoundaryWithdraw;
    boundaryList @14 :Query;

    checkIn @15 :CheckInAdd;
    checkInList @16 :Query;

    pause @17 :PauseSet;
    resume @18 :Void;

    # Partner and network (sync).
    pairAdd @19 :PairAdd;
    peerAdd @20 :Address;
    peerRemove @21 :Address;
    peerList @22 :Void;
    syncProgress @23 :Void;
    unpair @24 :Unpair;
    pairInvite @25 :PairInvite;
    pairJoin @26 :PairJoin;
    configGet @27 :ConfigKey;
    configSet @28 :ConfigSet;
    rebuildViews @29 :Void;
    syncNow @30 :Void;         # syncProgress, after dialing the partner at once if not connected

    # Locking and the passphrase (PROTOCOL.md §7). Each may wait for Argon2id
    # and for a backoff after wrong passphrases: clients wait up to 180 s.
    lock @31 :Void;            # wipe the keys from memory: answers `status` (locked) once done
    changePassphrase @32 :ChangePassphrase;  # re-seal the key file: answers `ok`

    # Cheap and constant-time: both pauses, the partner's name and what waits.
    # Clients ask it before a list, to show a partner's pause first.
    overview @33 :Void;
    boundarySet @34 :BoundaryPropose;  # a limit: this partner's own, in force at once
    boundaryDrop @35 :Target;          # take back my revision the partner has not agreed to
    checkInShare @36 :Target;
    checkInForget @37 :Target;

    # Prompts answered blind, yes / no / maybe, turning toward each other.
    promptToday @38 :PromptToday;
    promptDecks @39 :Void;
    promptList @40 :Query;
    promptShow @41 :PromptRef;
    promptAnswer @42 :PromptAnswer;
    promptPass @43 :PromptRef;
    promptAsk @44 :PromptAsk;
    promptReveal @45 :PromptRef;       # show my answer now, without waiting
    ynmShow @46 :YnmShow;
    ynmStart @47 :Void;                # a new round of the yes / no / maybe list
    appreciate @48 :Appreciate;
    needReply @49 :NeedReply;
    archive @50 :Archive;

    # Practices done together, the day's page, care.
    practiceInvite @51 :PracticeInvite;
    practiceJoin @52 :PracticeJoin;
    practiceCurrent @53 :Void;       # the newest session, over or not (PracticeInfo.over)
    practiceStop @54 :Void;          # ends it, at once; no reason asked
    practiceStage @55 :PracticeStage;
    today @56 :Today;
    careLine @57 :Void;              # whether to offer `hearth help crisis` now (see CareInfo)

    # Drafts: words being written in `hearth ui`, kept by the daemon sealed
    # with the local key until saved or discarded (PROTOCOL.md §7). Private to
    # this device; never an event, never sent.
    draftPut @58 :DraftPut;          # keep (replace) a draft: answers `ok`
    draftGet @59 :DraftRef;          # answers `draft` (empty text, updatedAt 0: none kept)
    draftDiscard @60 :DraftRef;      # wipe it: answers `ok`, also when there was none

    # Unlocking with the desktop session's keyring (PROTOCOL.md §7).
    unlockWithKey @61 :UnlockKey;    # as unlock, with the key from the desktop keyring
  }
}

struct DraftPut {
  name @0 :Text;             # which draft: 1..32 of [a-z0-9-], e.g. "reflection"
  text @1 :Text;             # at most 64 KiB, as a reflection
}

struct DraftRef { name @0 :Text; }

# The unlock key: Argon2id(passphrase, the key file's salt), 32 bytes
# (crypto/keyfile.h derive_unlock_key). Answers `status` as unlock does; a key
# that does not open the keys is wrongPassphrase.
struct UnlockKey { key @0 :Data; }

struct PracticeInvite {
  practice @0 :Text;
  minutes @1 :UInt16;
  inSeconds @2 :UInt8;
  outSeconds @3 :UInt8;
  stage @4 :UInt8;           # a staged practice's stage; 0 for others
  check @5 :Bool;            # a staged practice: my capacity check comes with it
  capacity @6 :Event.Capacity;
}

struct PracticeJoin {
  check @0 :Bool;            # as in PracticeInvite
  capacity @1 :Event.Capacity;
}

struct PracticeStage {
  practice @0 :Text;
  stage @1 :UInt8;           # I agree to go on to this stage
}

struct Today {
  date @0 :Text;             # the client's local date, YYYY-MM-DD
  mark @1 :Bool;             # remember now as "last looked" (a local fact, never sent)
}

struct PromptToday {
  date @0 :Text;             # the client's local date, YYYY-MM-DD
  maxDepth @1 :UInt8;        # 1..3; 0: the `prompt-depth` setting
}

struct PromptRef {
  promptId @0 :Text;         # "again-001", "ask-…", "ynm-007"
  round @1 :Data;            # a yes / no / maybe item: the round's ID; else empty
}

struct PromptAnswer {
  promptId @0 :Text;
  round @1 :Data;
  text @2 :Text;
  choice @3 :Event.Choice;   # yes / no / maybe items; none for prompts
  note @4 :Text;             # yes / no / maybe: a note only I read
}

struct PromptAsk {
  text @0 :Text;
  depth @1 :UInt8;           # 1..3
}

struct YnmShow { roundIdPrefix @0 :Text; }   # empty: the newest round

struct Appreciate { text @0 :Text; }

struct NeedReply {
  idPrefix @0 :Text;         # the partner's check-in
  text @1 :Text;
}

struct Archive {
  kind @0 :Text;             # "reflection" | "checkin"
  idPrefix @1 :Text;
  archived @2 :Bool;         # false: take it out of the archive
}


# Checked against the key file even when the daemon is already unlocked.
struct Unlock { passphrase @0 :Data; }

struct ChangePassphrase {
  action @0 :PassphraseAction;
  current @1 :Data;          # change, remove: the passphrase that opens the key file now
  replacement @2 :Data;      # set, change: the new passphrase (not empty)
}

enum PassphraseAction {
  set @0;                    # seal a key file that has no passphrase
  change @1;                 # re-seal under a new passphrase
  remove @2;                 # store the keys unsealed (0600)
}

struct Query {
  limit @0 :UInt32;          # 0: all
  withHistory @1 :Bool;      # reflectList: include every version (export)
  archived @2 :Bool;         # reflectList, checkInList: the archived ones instead
  # reflectList: one page of an export instead of a list. Archived or not,
  # with history, oldest first by (createdAt, id, mine); at most `limit`
  # (0: exportPageSize, at most 1,000) after the cursor. A page shorter than asked is
  # the last. Each page takes the daemon a few milliseconds.
  page @3 :ExportPage;
}

# The reflections of an export page when the request's limit is 0.
const exportPageSize :UInt32 = 256;

# Where an export's next page of reflections starts: after the reflection
# with these values (the last of the page before); `started` false: from the
# oldest.
struct ExportPage {
  started @0 :Bool;
  afterCreatedAt @1 :Int64;
  afterId @2 :Data;
  afterMine @3 :Bool;
}

struct Target { idPrefix @0 :Text; }  # hex: see the top of this file

struct ReflectAdd {
  text @0 :Text;
  share @1 :Bool;
  feelings @2 :List(Text);
  promptId @3 :Text;
  replyToPrefix @4 :Text;    # a partner's reflection this answers; empty: none
  contentNote @5 :Text;      # shown to the partner before the words; empty: none
}

struct ReflectEdit {
  idPrefix @0 :Text;
  text @1 :Text;
  feelings @2 :List(Text);
  keepFeelings @3 :Bool;     # true: keep the current feelings, ignore `feelings`
}

struct BoundaryPropose {
  text @0 :Text;
  category @1 :Text;
}

struct BoundaryRevise {
  idPrefix @0 :Text;
  text @1 :Text;
}

struct BoundaryRespond {
  idPrefix @0 :Text;
  response @1 :Event.Response;   # acknowledge: a limit; the others: an agreement
  note @2 :Text;
  askAgainAfter @3 :Int64;       # decline: "ask me again after" (ms); 0: none
}

struct BoundaryWithdraw {
  idPrefix @0 :Text;
  note @1 :Text;
}

struct CheckInAdd {
  capacity @0 :Event.Capacity;
  feelings @1 :List(Text);
  need @2 :Text;
  share @3 :Bool;
}

struct PauseSet {
  minutes @0 :UInt16;        # 20..1440
  note @1 :Text;
}

struct PairAdd {
  deviceId @0 :Text;         # as printed by `hearth id`
  address @1 :Text;          # HOST:PORT, empty: none
  sendEarlier @2 :Bool;      # also send what was shared while unpaired (see Overview)
}

struct PairInvite {
  sendEarlier @0 :Bool;
}

struct Address { address @0 :Text; }

struct Unpair { eraseShared @0 :Bool; }

struct PairJoin {
  code @0 :Text;
  address @1 :Text;
  sendEarlier @2 :Bool;
}

struct ConfigKey { key @0 :Text; }
struct ConfigSet { key @0 :Text; value @1 :Text; }

# ---------------------------------------------------------------- responses

struct Response {
  union {
    error @0 :Error;
    ok @1 :Void;
    status @2 :StatusInfo;
    log @3 :List(LogEntry);
    reflection @4 :Reflection;
    reflections @5 :List(Reflection);
    boundary @6 :Boundary;
    boundaries @7 :List(Boundary);
    checkIn @8 :CheckIn;
    checkIns @9 :List(CheckIn);
    pause @10 :PauseInfo;
    update @11 :Update;
    peers @12 :List(PeerInfo);
    sync @13 :SyncInfo;
    paired @14 :PairedInfo;
    invite @15 :InviteInfo;
    config @16 :ConfigEntry;
    unpaired @17 :UnpairInfo;
    overview @18 :Overview;
    prompt @19 :Prompt;
    prompts @20 :List(Prompt);
    decks @21 :List(DeckInfo);
    ynm @22 :YnmInfo;
    practice @23 :PracticeInfo;
    today @24 :TodayInfo;
    care @25 :CareInfo;
    draft @26 :DraftInfo;
  }
}

struct DraftInfo {
  name @0 :Text;
  text @1 :Text;
  updatedAt @2 :Int64;       # 0: no draft of that name is kept
}

struct PracticeInfo {
  id @0 :Data;               # empty: no session
  practice @1 :Text;
  minutes @2 :UInt16;
  inSeconds @3 :UInt8;
  outSeconds @4 :UInt8;
  stage @5 :UInt8;
  invitedByMe @6 :Bool;
  invitedAt @7 :Int64;       # this device's clock
  joined @8 :Bool;
  startAt @9 :Int64;         # this device's clock: when both pacers begin
  stopped @10 :Bool;
  stoppedByMe @11 :Bool;
  myCheck @12 :Text;         # "" | "green" | "yellow" | "red"
  partnerCheck @13 :Text;
  stageOpen @14 :Bool;       # the stage is open: both agreed to go on to it
  over @15 :Bool;            # stopped, its minutes run out, or never joined in time
}

struct TodayInfo {
  # The day's page (docs/DESIGN.md §5.8), each part skippable, nothing counted.
  overview @0 :Overview;
  since @1 :Int64;                   # when I last looked; 0: never
  newReflections @2 :List(Reflection);  # the partner's, since then
  revealed @3 :List(Prompt);         # answers both of us can read now, since then
  boundariesWaiting @4 :List(Boundary);  # agreements waiting for my answer
  partnerCheckIn @5 :CheckIn;        # the partner's latest shared check-in
  hasPartnerCheckIn @6 :Bool;
  checkedInToday @7 :Bool;           # I checked in on this date
  prompt @8 :Prompt;                 # today's prompt
  hasPrompt @9 :Bool;
  practice @10 :PracticeInfo;        # an invitation waiting for me, if any
  careLine @11 :Bool;                # see CareInfo
}

struct CareInfo {
  # After three red check-ins of mine within seven days, at most once a week,
  # a gentle line offers `hearth help crisis`. Shown to me alone; nothing of
  # it is sent.
  show @0 :Bool;
}

struct AnswerInfo {
  given @0 :Bool;            # this side answered
  at @1 :Int64;
  revealed @2 :Bool;         # its author released the key
  readable @3 :Bool;         # the words can be shown here (mine, or revealed and opened)
  text @4 :Text;
  choice @5 :Event.Choice;
  note @6 :Text;             # mine only: a yes / no / maybe note
}

struct Prompt {
  id @0 :Text;
  round @1 :Data;
  text @2 :Text;
  depth @3 :UInt8;           # 0: a yes / no / maybe item
  deck @4 :Text;             # "" for an asked prompt
  group @5 :Text;            # yes / no / maybe items
  askedBy @6 :Text;          # "me" | "partner" | "" (a deck's)
  status @7 :Text;           # "open" | "waiting_for_you" | "waiting_for_partner" | "both_answered"
  mine @8 :AnswerInfo;
  partner @9 :AnswerInfo;
  iPassed @10 :Bool;
  partnerPassed @11 :Bool;
  updatedAt @12 :Int64;
}

struct DeckInfo {
  id @0 :Text;
  version @1 :UInt32;
  title @2 :Text;
  about @3 :Text;
  prompts @4 :UInt32;        # how many it holds (a size, not a score)
  depths @5 :List(UInt32);   # how many of depth 1, 2, 3
}

struct RoundInfo {
  id @0 :Data;
  startedAt @1 :Int64;
  startedByMe @2 :Bool;
}

struct YnmInfo {
  rounds @0 :List(RoundInfo);  # newest first; empty: none started
  round @1 :RoundInfo;         # the one shown
  items @2 :List(Prompt);      # every item of the list, with this round's answers
}

struct Error {
  code @0 :ErrorCode;
  message @1 :Text;          # one or two calm sentences; says what to do next
}

enum ErrorCode {
  usage @0;      # exit 1: the request is malformed or out of range
  locked @1;     # exit 2: the daemon is locked (`hearth unlock`)
  refused @2;    # exit 3: valid, but not allowed (not the author, not paired…)
  notFound @3;   # exit 3
  internal @4;   # exit 4
  wrongPassphrase @5;  # exit 3: the passphrase does not open this device's keys
}

struct StatusInfo {
  deviceId @0 :Text;
  name @1 :Text;
  locked @2 :Bool;
  obsoletePause @3 :PauseInfo;  # one shared pause; see myPause and partnerPause
  partner @4 :PartnerInfo;   # partner.paired false: no partner yet
  reflections @5 :UInt32;    # counts visible on this device
  boundaries @6 :UInt32;
  checkIns @7 :UInt32;
  listening @8 :Text;        # HOST:PORT or empty
  sync @9 :SyncInfo;
  myPause @10 :PauseInfo;
  partnerPause @11 :PauseInfo;  # inactive when not paired
  waiting @12 :UInt32;          # the partner's entries held until my pause ends
  sharedWhileUnpaired @13 :UInt32;
  # Entries I shared while not paired: sent to the next partner only if I say
  # so when pairing (sendEarlier); 0 while paired.
}

struct Overview {
  paired @0 :Bool;
  partnerName @1 :Text;
  myPause @2 :PauseInfo;
  partnerPause @3 :PauseInfo;
  waiting @4 :UInt32;
  sharedWhileUnpaired @5 :UInt32;
}

struct PartnerInfo {
  paired @0 :Bool;
  deviceId @1 :Text;
  name @2 :Text;
  obsoleteConnection @3 :Text;  # the same as `connection`, as a word
  pairedAt @4 :Int64;
  connection @5 :ConnectionState;
}

# The link with the partner's device, as a number: the client words it.
enum ConnectionState {
  unknown @0;                # not given (a status's SyncInfo: see PartnerInfo)
  offline @1;
  connecting @2;
  connected @3;
}

struct SyncInfo {
  # Shown to the author for their own entries only (docs/DESIGN.md §1.3).
  mySharedEvents @0 :UInt64;     # events in my log
  partnerHasMine @1 :UInt64;     # how many of them the partner acknowledged
  partnerEventsKnown @2 :UInt64; # partner events stored here
  partnerEventsOffered @3 :UInt64; # partner's head seq as last announced
  caughtUp @4 :Bool;
  obsoleteConnection @5 :Text;   # the same as `connection`, as a word
  connection @6 :ConnectionState;  # syncProgress; unknown in a status (see PartnerInfo)
}

struct PauseInfo {
  # One author's pause, on this device's clock: a partner's pause is placed
  # with the clock offset measured when it arrived, and never lasts longer
  # than its minutes from its arrival (docs/DESIGN.md §5.5, PROTOCOL.md §4.5).
  active @0 :Bool;
  mine @1 :Bool;             # I set it (false: my partner did)
  startedAt @2 :Int64;
  until @3 :Int64;
  minutes @4 :UInt16;
  note @5 :Text;
  obsoleteEndedBy @6 :Text;  # pauses are personal: only their author ends them
}

struct Version {
  at @0 :Int64;
  text @1 :Text;
  feelings @2 :List(Text);
  shared @3 :Bool;
}

struct Reflection {
  id @0 :Data;
  mine @1 :Bool;
  shared @2 :Bool;
  createdAt @3 :Int64;
  updatedAt @4 :Int64;
  text @5 :Text;
  feelings @6 :List(Text);
  promptId @7 :Text;
  replyTo @8 :Data;
  history @9 :List(Version);  # oldest first; filled by reflectShow / withHistory
  partnerHasIt @10 :Bool;     # mine and shared: my partner's device acknowledged it
  contentNote @11 :Text;      # the author's note on what it holds; empty: none
  wordsHidden @12 :Bool;      # a partner's with a content note, in a list: `text` is empty
  appreciation @13 :Bool;
  archived @14 :Bool;         # archived here (never told to the author)
}

enum BoundaryStatus {
  proposed @0;
  agreed @1;
  renegotiating @2;
  declined @3;
  discussing @4;
  withdrawn @5;              # an agreement one partner left
  inForce @6;                # a limit
  retired @7;                # a limit its author retired
}

struct Revision {
  number @0 :UInt32;         # 1, 2, 3… in (lamport, author) order
  id @1 :Data;               # event ID of the proposal
  text @2 :Text;
  category @3 :Text;
  mine @4 :Bool;             # I proposed it
  at @5 :Int64;
  myResponse @6 :Text;       # "agree" | "decline" | "discuss" | "acknowledge" | "" (none)
  partnerResponse @7 :Text;
  myNote @8 :Text;
  partnerNote @9 :Text;
}

struct Boundary {
  id @0 :Data;
  status @1 :BoundaryStatus;  # a limit: inForce or retired; an agreement: the others
  text @2 :Text;             # latest revision
  category @3 :Text;
  inForceText @4 :Text;      # the agreed revision in force (agreed, renegotiating)
  createdAt @5 :Int64;
  updatedAt @6 :Int64;
  proposedByMe @7 :Bool;     # first proposal
  revisions @8 :List(Revision);
  withdrawnByMe @9 :Bool;    # an agreement I left; a limit I retired
  withdrawNote @10 :Text;
  kind @11 :Event.BoundaryKind;
  acknowledged @12 :Bool;    # a limit: its wording in force acknowledged by the partner
  askAgainAfter @13 :Int64;  # a declined agreement: "ask me again after" (ms); 0: none
}

struct CheckIn {
  id @0 :Data;
  mine @1 :Bool;
  shared @2 :Bool;
  at @3 :Int64;
  capacity @4 :Event.Capacity;
  feelings @5 :List(Text);
  need @6 :Text;
  replies @7 :List(NeedReplyInfo);  # the other partner's answers to the need, oldest first
  archived @8 :Bool;
}

struct NeedReplyInfo {
  mine @0 :Bool;
  at @1 :Int64;
  text @2 :Text;
}

struct LogEntry {
  at @0 :Int64;
  level @1 :Text;            # "info" | "warn" | "error"
  message @2 :Text;          # never contains user-written text
}

struct Update {
  # Streamed by `watch`: the partner's changes as they arrive.
  union {
    pause @0 :PauseInfo;
    resume @1 :PauseInfo;
    reflection @2 :Reflection;
    boundary @3 :Boundary;
    checkIn @4 :CheckIn;
    forgotten @5 :Data;      # a reflection id the partner forgot
    obsoleteConnection @6 :Text;  # see `linked`
    prompt @7 :Prompt;       # the partner asked, answered, passed or revealed
    practice @8 :PracticeInfo;  # the partner invited, joined, checked in or stopped
    linked @9 :Bool;         # the partner's device connected (true) or disconnected
  }
}

struct PeerInfo {
  address @0 :Text;
  source @1 :Text;           # "manual" | "pairing" | "discovery"
  state @2 :Text;            # "connected" | "connecting" | "idle"
  lastError @3 :Text;
}

struct PairedInfo {
  deviceId @0 :Text;
  name @1 :Text;
  confirmation @2 :Text;     # short phrase both sides print (code pairing)
}

struct InviteInfo {
  # `pairInvite` streams this first, again after each failed attempt while
  # the invite goes on, then `paired` or an error. In between, one with a
  # notice for each attempt that starts and each joiner turned away.
  code @0 :Text;
  expiresAt @1 :Int64;
  attemptsLeft @2 :UInt8;    # attempts the invite still allows
  notice @3 :Text;           # non-empty: what just happened, in Hearth's words (with the address)
}

struct ConfigEntry { key @0 :Text; value @1 :Text; }

struct UnpairInfo {
  formerPartner @0 :Text;
  erasedShared @1 :UInt64;   # entries erased here with --erase-shared
  obsoletePartnerStillHolds @2 :Text;  # the client words it from the two below
  formerName @3 :Text;       # the former partner's name, if known
  partnerHolds @4 :UInt64;   # entries of mine its device acknowledged: it keeps them
}
