// model::Payload <-> Cap'n Proto bytes (schema/event.capnp Payload).
//
// decode_payload treats its input as hostile: size limit before parsing,
// traversal limits, exact field sizes, and model::validate() on the result.
#pragma once

#include "model/payload.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::wire {

Bytes encode_payload(const model::Payload& payload);
Result<model::Payload> decode_payload(ByteView bytes);

}  // namespace hearth::wire
