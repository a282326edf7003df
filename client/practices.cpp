#include "client/practices.h"

namespace hearth::client {

std::span<const PracticeText> practices() {
  static const std::vector<PracticeText> all = {
      {"breathe",
       "Breathing together",
       "Slow, even breaths, side by side or apart, for a few minutes.",
       5,
       true,
       true,
       {"Sit or lie somewhere that feels all right.",
        "Breathe in while the line fills, and out while it empties.",
        "If the pace does not suit you, breathe your own way; the line is only company.",
        "When your mind wanders, that is fine. Come back to the next breath."},
       {}},
      {"grounding",
       "Five things, four, three, two, one",
       "Come back to the room you are in, through your senses, one at a time.",
       3,
       false,
       false,
       {"Look around and name five things you can see. Say them aloud if you like.",
        "Notice four things you can feel: your feet on the floor, your back on the chair, the "
        "air on your skin.",
        "Listen for three things you can hear, near or far.",
        "Find two things you can smell, or two smells you like.",
        "Notice one thing you can taste, or one kind thing you could say to yourself.",
        "Take one slow breath. You are here, now."},
       {}},
      {"closeness",
       "Touch that asks for nothing",
       "Gentle, unhurried touch in small steps you both choose, with nothing expected after.",
       15,
       false,
       true,
       {"Agree on how long, and who begins. Clothes stay on.",
        "The one touching does it for their own curiosity, slowly; the one touched only "
        "notices, and says if anything should change.",
        "Swap halfway. Either of you can pause or stop at any moment, with the stop word or "
        "without it.",
        "Afterwards, if you like, write a few words for yourself about how it was."},
       {{"Hands",
         {"Sit side by side. One rests a hand in the other's.",
          "Trace the back of the hand, the palm, the fingers, slowly.",
          "Notice warmth, texture, pressure. Nothing else is asked for."}},
        {"Shoulders and back",
         {"One sits, the other behind, over clothes.",
          "Rest both hands on the shoulders for a few breaths before moving.",
          "Slow, light strokes across the shoulders and down the back."}},
        {"Lying close",
         {"Lie near each other, clothed, in a way that feels safe to you both.",
          "A hand on a back, an arm around a shoulder: touch that stays still or moves little.",
          "Rest there. Nothing needs to happen."}}}},
  };
  return all;
}

const PracticeText* find_practice(std::string_view name) {
  for (const PracticeText& p : practices())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace hearth::client
