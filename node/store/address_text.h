// An address of the partner's device inside a sentence of the activity log
// (store/activity.h), and how unpairing takes it out.
#pragma once

#include <string>
#include <string_view>

namespace hearth::store {

// `text` saying "(a former partner's address)" wherever it names `address`
// (or its host with any port): what Activity::forget_partner_addresses
// writes, for a message about a device that is no longer the partner's.
std::string without_address(std::string text, std::string_view address);

}  // namespace hearth::store
