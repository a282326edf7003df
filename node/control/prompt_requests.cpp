#include "control/prompt_requests.h"

#include <cctype>

#include "control/journal_requests.h"
#include "control/responses.h"
#include "prompts/deck.h"
#include "store/config.h"

namespace hearth::control {
namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }
Bytes bytes_of(capnp::Data::Reader d) { return Bytes(d.begin(), d.end()); }

}  // namespace

model::DeviceKey partner_key(runtime::Unlocked& u) {
  auto p = u.devices.partner();
  return p ? p->key : model::DeviceKey{};
}

uint8_t prompt_depth_setting(runtime::Unlocked& u) {
  auto value = u.store->config().get("prompt-depth");
  if (value && value->has_value()) {
    const std::string& v = **value;
    if (v.size() == 1 && v[0] >= '1' && v[0] <= '3') return static_cast<uint8_t>(v[0] - '0');
  }
  return 2;
}

namespace {

bool is_local_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

model::PromptKey key_of(PromptRef::Reader r) {
  return {text_of(r.getPromptId()), bytes_of(r.getRound())};
}

Bytes item_frame(runtime::Unlocked& u, const model::PromptKey& key) {
  auto item = u.prompts.item(key, partner_key(u));
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initPrompt()); });
}

}  // namespace

Bytes prompt_today(runtime::Unlocked& u, PromptToday::Reader r) {
  const std::string date = text_of(r.getDate());
  if (!is_local_date(date)) return error_frame(Status::invalid("the date is YYYY-MM-DD"));
  uint8_t depth = r.getMaxDepth();
  if (depth > 3) return error_frame(Status::invalid("a depth is 1, 2 or 3"));
  if (depth == 0) depth = prompt_depth_setting(u);
  auto id = u.prompts.today(partner_key(u), date, depth);
  if (!id) return error_frame(id.status());
  if (!*id) {
    return error_frame(Status::not_found(
        "every prompt of this depth has been answered by you both or set aside. Deeper ones "
        "wait with --depth 3, and `hearth prompt ask` asks one of your own"));
  }
  return item_frame(u, {**id, {}});
}

Bytes prompt_decks() {
  auto decks = prompts::builtin_decks();
  return response_frame([&](Response::Builder r) {
    auto list = r.initDecks(static_cast<unsigned>(decks.size()));
    for (unsigned i = 0; i < decks.size(); ++i) {
      const prompts::Deck& d = decks[i];
      list[i].setId(d.id);
      list[i].setVersion(static_cast<uint32_t>(d.version));
      list[i].setTitle(d.title);
      list[i].setAbout(d.about);
      list[i].setPrompts(static_cast<uint32_t>(d.prompts.size()));
      auto depths = list[i].initDepths(3);
      for (const auto& p : d.prompts)
        if (p.depth >= 1 && p.depth <= 3) depths.set(p.depth - 1u, depths[p.depth - 1u] + 1);
    }
  });
}

Bytes prompt_list(runtime::Unlocked& u, Query::Reader q) {
  auto items = u.prompts.active(partner_key(u));
  if (!items) return error_frame(items.status());
  if (q.getLimit() != 0 && items->size() > q.getLimit()) items->resize(q.getLimit());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initPrompts(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i]);
  });
}

Bytes prompt_show(runtime::Unlocked& u, PromptRef::Reader r) { return item_frame(u, key_of(r)); }

Bytes prompt_answer(runtime::Unlocked& u, PromptAnswer::Reader r) {
  const model::PromptKey key{text_of(r.getPromptId()), bytes_of(r.getRound())};
  auto choice = static_cast<uint16_t>(r.getChoice());
  if (choice > 3) return error_frame(Status::invalid("unknown choice"));
  const std::string note = text_of(r.getNote());
  if (note.size() > model::kMaxNote) return error_frame(Status::invalid("the note is at most 2 KiB"));
  auto answered = u.prompts.answer(
      key, wire::AnswerWords{text_of(r.getText()), static_cast<model::Choice>(choice)}, note,
      partner_key(u));
  if (!answered) return error_frame(answered.status());
  return item_frame(u, key);
}

Bytes prompt_pass(runtime::Unlocked& u, PromptRef::Reader r) {
  const model::PromptKey key = key_of(r);
  if (auto item = u.prompts.item(key, partner_key(u)); !item) return error_frame(item.status());
  if (Status st = u.prompts.pass(key); !st.is_ok()) return error_frame(st);
  return item_frame(u, key);
}

Bytes prompt_ask(runtime::Unlocked& u, PromptAsk::Reader r) {
  const uint8_t depth = r.getDepth() == 0 ? 1 : r.getDepth();
  auto id = u.prompts.ask(text_of(r.getText()), depth);
  if (!id) return error_frame(id.status());
  return item_frame(u, {*id, {}});
}

Bytes prompt_reveal(runtime::Unlocked& u, PromptRef::Reader r) {
  const model::PromptKey key = key_of(r);
  if (Status st = u.prompts.reveal_now(key); !st.is_ok()) return error_frame(st);
  return item_frame(u, key);
}

Bytes ynm_show(runtime::Unlocked& u, YnmShow::Reader r) {
  auto rounds = u.prompts.rounds();
  if (!rounds) return error_frame(rounds.status());
  const std::string prefix = text_of(r.getRoundIdPrefix());
  const store::Round* shown = rounds->empty() ? nullptr : &rounds->front();
  if (!prefix.empty()) {
    auto normal = store::normalize_id_prefix(prefix);
    if (!normal) return error_frame(normal.status());
    shown = nullptr;
    for (const auto& round : *rounds) {
      std::string hex = to_hex(ByteView(round.id));
      for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (hex.starts_with(*normal) || hex.ends_with(*normal)) shown = &round;
    }
    if (shown == nullptr) return error_frame(Status::not_found("no round matches the ID " + prefix));
  }
  const prompts::Deck* ynm = nullptr;
  for (const auto& d : prompts::builtin_decks())
    if (d.is_ynm()) ynm = &d;
  std::vector<store::PromptItem> items;
  if (ynm != nullptr) {
    const Bytes round = shown ? Bytes(shown->id.begin(), shown->id.end()) : Bytes{};
    for (const auto& p : ynm->prompts) {
      auto item = u.prompts.item({p.id, round}, partner_key(u));
      if (!item) return error_frame(item.status());
      items.push_back(std::move(*item));
    }
  }
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder resp) {
    auto info = resp.initYnm();
    auto list = info.initRounds(static_cast<unsigned>(rounds->size()));
    auto fill = [&](RoundInfo::Builder b, const store::Round& round) {
      b.setId(kj::arrayPtr(round.id.data(), round.id.size()));
      b.setStartedAt(round.started_ms);
      b.setStartedByMe(round.started_by == v.self);
    };
    for (unsigned i = 0; i < rounds->size(); ++i) fill(list[i], (*rounds)[i]);
    if (shown) fill(info.initRound(), *shown);
    auto out = info.initItems(static_cast<unsigned>(items.size()));
    for (unsigned i = 0; i < items.size(); ++i) present(v, items[i], out[i]);
  });
}

Bytes ynm_start(runtime::Unlocked& u) {
  auto id = u.prompts.start_round();
  if (!id) return error_frame(id.status());
  capnp::MallocMessageBuilder message;
  auto show = message.initRoot<YnmShow>();
  show.setRoundIdPrefix(to_hex(ByteView(*id)));
  return ynm_show(u, show.asReader());
}

}  // namespace hearth::control
