# hearth (CLI) <-> hearthd over $HEARTH_HOME/control.sock.
#
# Framing: each message is a 4-byte big-endian length followed by that many
# bytes of an unpacked Cap'n Proto message (segment table included). The
# client sends one Request and reads one Response, except for `watch`, after
# which the daemon keeps sending Responses (each a `update`) until either side
# closes. Limits: a request is at most 1 MiB; see PROTOCOL.md §Control.
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
    pairInvite @25 :Void;
    pairJoin @26 :PairJoin;
    configGet @27 :ConfigKey;
    configSet @28 :ConfigSet;
    rebuildViews @29 :Void;
    syncNow @30 :Void;         # syncProgress, after dialing the partner at once if not connected
  }
}

struct Unlock { passphrase @0 :Data; }

struct Query {
  limit @0 :UInt32;          # 0: all
  withHistory @1 :Bool;      # reflectList: include every version (export)
}

struct Target { idPrefix @0 :Text; }  # hex: see the top of this file

struct ReflectAdd {
  text @0 :Text;
  share @1 :Bool;
  feelings @2 :List(Text);
  promptId @3 :Text;
  replyToPrefix @4 :Text;    # a partner's reflection this answers; empty: none
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
  response @1 :Event.Response;
  note @2 :Text;
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
}

struct Address { address @0 :Text; }

struct Unpair { eraseShared @0 :Bool; }

struct PairJoin {
  code @0 :Text;
  address @1 :Text;
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
  }
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
}

struct StatusInfo {
  deviceId @0 :Text;
  name @1 :Text;
  locked @2 :Bool;
  pause @3 :PauseInfo;
  partner @4 :PartnerInfo;   # partner.paired false: no partner yet
  reflections @5 :UInt32;    # counts visible on this device
  boundaries @6 :UInt32;
  checkIns @7 :UInt32;
  listening @8 :Text;        # HOST:PORT or empty
  sync @9 :SyncInfo;
}

struct PartnerInfo {
  paired @0 :Bool;
  deviceId @1 :Text;
  name @2 :Text;
  connection @3 :Text;       # "connected" | "connecting" | "offline"
  pairedAt @4 :Int64;
}

struct SyncInfo {
  # Shown to the author for their own entries only (DESIGN.md §1.3).
  mySharedEvents @0 :UInt64;     # events in my log
  partnerHasMine @1 :UInt64;     # how many of them the partner acknowledged
  partnerEventsKnown @2 :UInt64; # partner events stored here
  partnerEventsOffered @3 :UInt64; # partner's head seq as last announced
  caughtUp @4 :Bool;
  connection @5 :Text;           # "connected" | "connecting" | "offline"
}

struct PauseInfo {
  active @0 :Bool;
  mine @1 :Bool;             # I set it (false: my partner did)
  startedAt @2 :Int64;
  until @3 :Int64;
  minutes @4 :UInt16;
  note @5 :Text;
  endedBy @6 :Text;          # when inactive after a resume: "me" | "partner" | ""
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
}

enum BoundaryStatus {
  proposed @0;
  agreed @1;
  renegotiating @2;
  declined @3;
  discussing @4;
  withdrawn @5;
}

struct Revision {
  number @0 :UInt32;         # 1, 2, 3… in (lamport, author) order
  id @1 :Data;               # event ID of the proposal
  text @2 :Text;
  category @3 :Text;
  mine @4 :Bool;             # I proposed it
  at @5 :Int64;
  myResponse @6 :Text;       # "agree" | "decline" | "discuss" | "" (none)
  partnerResponse @7 :Text;
  myNote @8 :Text;
  partnerNote @9 :Text;
}

struct Boundary {
  id @0 :Data;
  status @1 :BoundaryStatus;
  text @2 :Text;             # latest revision
  category @3 :Text;
  inForceText @4 :Text;      # the agreed revision in force (agreed, renegotiating)
  createdAt @5 :Int64;
  updatedAt @6 :Int64;
  proposedByMe @7 :Bool;     # first proposal
  revisions @8 :List(Revision);
  withdrawnByMe @9 :Bool;
  withdrawNote @10 :Text;
}

struct CheckIn {
  id @0 :Data;
  mine @1 :Bool;
  shared @2 :Bool;
  at @3 :Int64;
  capacity @4 :Event.Capacity;
  feelings @5 :List(Text);
  need @6 :Text;
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
    connection @6 :Text;     # "connected" | "disconnected"
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
  partnerStillHolds @2 :Text;  # plain statement of what their device keeps
}
