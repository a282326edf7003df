# Peer <-> peer sync messages, carried inside the Noise session.
# See PROTOCOL.md for framing, order and limits.
@0xba554ea8eeeb78fc;

$import "/capnp/c++.capnp".namespace("hearth::peer");

using Event = import "event.capnp";

struct Head {
  author @0 :Data;     # 32-byte device key
  seq @1 :UInt64;      # highest contiguous seq held; 0: none
  headHash @2 :Data;   # event ID at seq; empty when seq = 0
}

struct Hello {
  version @0 :UInt32;
  heads @1 :List(Head);
  logKey @2 :Data;     # the sender's current log key, 32 bytes
  name @3 :Text;
}

struct Events {
  events @0 :List(Event.SignedEvent);
}

struct Ack {
  heads @0 :List(Head);
}

struct Ping { nonce @0 :UInt64; }

enum ByeReason {
  normal @0;
  protocolError @1;
  invalidBatch @2;
  fork @3;
  unpaired @4;
  shuttingDown @5;
  duplicateConnection @6;
  timeout @7;
}

struct Bye {
  reason @0 :ByeReason;
  detail @1 :Text;
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
