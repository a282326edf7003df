#include "client/calendar.h"

namespace hearth::client {

DayNumber local_day_number(int64_t) { return 0; }
std::string iso_date(DayNumber) { return {}; }
int weekday(DayNumber) { return 0; }
std::string weekday_name(DayNumber) { return {}; }
std::string day_and_month(DayNumber) { return {}; }
std::string long_date(DayNumber) { return {}; }
std::string short_date(DayNumber, DayNumber) { return {}; }
const char* capacity_name(DayCapacity) { return ""; }
char capacity_letter(DayCapacity) { return '.'; }
bool Calendar::empty() const { return true; }
Calendar build_calendar(const std::vector<CheckIn>&, int64_t, int, bool) { return {}; }
int weeks_spanned(DayNumber, DayNumber) { return 0; }
std::string calendar_text(const Calendar&, const std::string&, bool) { return {}; }
void write_calendar(JsonWriter&, const Calendar&, const std::string&) {}

}  // namespace hearth::client
