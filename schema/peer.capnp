# Peer <-> peer sync messages, carried inside the Noise session.
# schema/PROTOCOL.md describes the framing (§3.4), the order of messages (§4)
# and the limits (§8).
#
# Ordinals are never reused; a retired field is renamed obsoleteX.
@0xba554ea8eeeb78fc;

$import "/capnp/c++.capnp".namespace("hearth::peer");

using Event = import "event.capnp";

struct Head {
  # How much of one author's log a device holds.
  author @0 :Data;     # 32-byte Ed25519 device key
  seq @1 :UInt64;      # highest contiguous seq held; 0: none
  headHash @2 :Data;   # event ID at seq; empty when seq = 0
}

struct LogKey {
  # A log key of the sender: it opens the sender's bodies from firstSeq on,
  # up to the next key's firstSeq.
  firstSeq @0 :UInt64;
  key @1 :Data;        # 32 bytes
}

struct Hello {
  # First message of each side, sent at once after the handshake.
  version @0 :UInt32;          # 1
  heads @1 :List(Head);        # every log the sender holds (its own first)
  logKeys @2 :List(LogKey);    # the sender's log keys this partner may read
  name @3 :Text;               # the sender's display name; may be empty
  wallClock @4 :Int64;
  # The sender's clock when it sent this Hello, ms since the Unix epoch; 0:
  # not given. The receiver keeps (its clock - wallClock) as the partner's
  # clock offset, so a partner's pause runs on the receiver's clock.
}

struct Events {
  # Consecutive events of one author, in seq order, starting right after
  # what the receiver holds. Only the last event's signature is checked:
  # the hash chain binds every earlier header to it.
  events @0 :List(Event.SignedEvent);
}

struct Ack {
  # Sent after a batch is committed: what the sender now holds.
  heads @0 :List(Head);
}

struct Ping { nonce @0 :UInt64; }

enum ByeReason {
  normal @0;
  protocolError @1;    # a message out of order, malformed or over a limit
  invalidBatch @2;     # a batch failed validation; nothing of it was stored
  fork @3;             # two different events claim one (author, seq)
  unpaired @4;         # the sender no longer syncs with the receiver
  shuttingDown @5;
  duplicateConnection @6;  # the other connection between the two is kept
  timeout @7;          # nothing received for too long
  unsupportedVersion @8;
}

struct Bye {
  reason @0 :ByeReason;
  detail @1 :Text;     # for the log; never contains user-written text
}

struct Message {
  union {
    hello @0 :Hello;
    events @1 :Events;
    ack @2 :Ack;
    ping @3 :Ping;
    pong @4 :Ping;
    bye @5 :Bye;
  }
}
