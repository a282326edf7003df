#include "control/present.h"

namespace hearth::control {
namespace {

kj::ArrayPtr<const kj::byte> bytes_of(ByteView b) { return {b.data(), b.size()}; }

void set_feelings(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& f) {
  for (unsigned i = 0; i < f.size(); ++i) list.set(i, f[i]);
}

const char* response_word(std::optional<model::Response> r) {
  return r ? model::response_name(*r) : "";
}

}  // namespace

void present(const Viewer& v, const store::ReflectionItem& item, Reflection::Builder out,
             bool in_list) {
  bool mine = item.key.author == v.self;
  out.setId(bytes_of(item.key.id));
  out.setMine(mine);
  out.setShared(item.view.shared);
  out.setCreatedAt(item.view.created_ms);
  out.setUpdatedAt(item.view.updated_ms);
  out.setContentNote(item.current.content_note);
  out.setAppreciation(item.current.appreciation);
  out.setArchived(item.archived);
  const bool hidden = in_list && !mine && !item.current.content_note.empty();
  out.setWordsHidden(hidden);
  if (!hidden) out.setText(item.current.text);
  set_feelings(out.initFeelings(static_cast<unsigned>(item.current.feelings.size())),
               item.current.feelings);
  out.setPromptId(item.current.prompt_id);
  out.setReplyTo(bytes_of(item.current.reply_to));
  auto history = out.initHistory(static_cast<unsigned>(hidden ? 0 : item.history.size()));
  for (unsigned i = 0; i < history.size(); ++i) {
    const auto& h = item.history[i];
    auto b = history[i];
    b.setAt(h.wall_ms);
    b.setText(h.put.text);
    set_feelings(b.initFeelings(static_cast<unsigned>(h.put.feelings.size())), h.put.feelings);
    b.setShared(h.shared);
  }
  out.setPartnerHasIt(mine && item.view.shared && item.head_seq != 0 &&
                      item.head_seq <= v.partner_acked_seq);
}

void present(const Viewer& v, const store::BoundaryItem& item, Boundary::Builder out) {
  const auto& view = item.view;
  out.setId(bytes_of(item.id));
  out.setStatus(static_cast<BoundaryStatus>(view.status));
  out.setCreatedAt(view.created_ms);
  out.setUpdatedAt(view.updated_ms);
  out.setProposedByMe(view.owner == v.self);
  out.setKind(static_cast<hearth::schema::BoundaryKind>(view.kind));
  out.setAcknowledged(view.acknowledged);
  const bool limit = view.kind == model::BoundaryKind::kLimit;
  auto revisions = out.initRevisions(static_cast<unsigned>(item.revisions.size()));
  for (unsigned i = 0; i < item.revisions.size(); ++i) {
    const auto& rev = item.revisions[i];
    auto b = revisions[i];
    b.setNumber(i + 1);
    b.setId(bytes_of(rev.fact.id));
    b.setText(rev.words.text);
    b.setCategory(rev.words.category);
    b.setMine(rev.fact.order.author == v.self);
    b.setAt(rev.fact.wall_ms);
    // Positions and the latest note of each side on this revision.
    std::optional<model::Response> mine_pos, partner_pos;
    const model::ResponseFact* my_latest = nullptr;
    const model::ResponseFact* partner_latest = nullptr;
    for (const auto& r : item.facts.responses) {
      if (r.revision != rev.fact.id) continue;
      auto& slot = r.order.author == v.self ? my_latest : partner_latest;
      if (slot == nullptr || r.order > slot->order) slot = &r;
    }
    if (limit) {
      // A limit is answered only by acknowledging it.
      if (my_latest) mine_pos = my_latest->response;
      if (partner_latest) partner_pos = partner_latest->response;
    } else {
      mine_pos = model::position_of(item.facts, rev.fact, v.self);
      if (partner_latest) partner_pos = partner_latest->response;
      else if (rev.fact.order.author != v.self) partner_pos = model::Response::kAgree;
    }
    b.setMyResponse(response_word(mine_pos));
    b.setPartnerResponse(response_word(partner_pos));
    auto note_of = [&](const model::ResponseFact* f) -> std::string {
      if (!f) return "";
      auto it = item.notes.find(f->ref);
      return it == item.notes.end() ? "" : it->second;
    };
    b.setMyNote(note_of(my_latest));
    b.setPartnerNote(note_of(partner_latest));
    if (rev.fact.ref == view.latest) {
      out.setText(rev.words.text);
      out.setCategory(rev.words.category);
      if (view.status == model::BoundaryStatus::kDeclined) {
        for (const auto& r : item.facts.responses)
          if (r.revision == rev.fact.id && r.response == model::Response::kDecline)
            out.setAskAgainAfter(r.ask_again_after_ms);  // in order: the latest decline's
      }
    }
    if (view.in_force && rev.fact.ref == *view.in_force) out.setInForceText(rev.words.text);
  }
  // The first withdrawal that counts ended it (a limit: only its author's).
  for (const auto& w : item.facts.withdrawals) {
    if (limit && w.order.author != view.owner) continue;
    out.setWithdrawnByMe(w.order.author == v.self);
    auto it = item.notes.find(w.ref);
    if (it != item.notes.end()) out.setWithdrawNote(it->second);
    break;
  }
}

void present(const Viewer& v, const store::CheckInItem& item, CheckIn::Builder out) {
  out.setId(bytes_of(item.words.check_in_id));
  out.setMine(item.author == v.self);
  out.setShared(item.view.shared());
  out.setAt(item.view.first.wall_ms);
  out.setCapacity(static_cast<hearth::schema::Capacity>(item.words.capacity));
  set_feelings(out.initFeelings(static_cast<unsigned>(item.words.feelings.size())),
               item.words.feelings);
  out.setNeed(item.words.need);
  out.setArchived(item.archived);
  auto replies = out.initReplies(static_cast<unsigned>(item.replies.size()));
  for (unsigned i = 0; i < item.replies.size(); ++i) {
    replies[i].setMine(item.replies[i].author == v.self);
    replies[i].setAt(item.replies[i].wall_ms);
    replies[i].setText(item.replies[i].text);
  }
}

namespace {

void present_answer(const std::optional<store::AnswerView>& a, AnswerInfo::Builder out) {
  out.setGiven(a.has_value());
  if (!a) return;
  out.setAt(a->at_ms);
  out.setRevealed(a->revealed);
  out.setReadable(a->words.has_value());
  if (a->words) {
    out.setText(a->words->text);
    out.setChoice(static_cast<hearth::schema::Choice>(a->words->choice));
  }
  out.setNote(a->note);
}

}  // namespace

void present(const Viewer& v, const store::PromptItem& item, Prompt::Builder out) {
  out.setId(item.key.prompt_id);
  out.setRound(bytes_of(item.key.round));
  out.setText(item.text);
  out.setDepth(item.depth);
  out.setDeck(item.deck);
  out.setGroup(item.group);
  out.setAskedBy(!item.asked_by ? "" : *item.asked_by == v.self ? "me" : "partner");
  out.setStatus(model::prompt_status_name(item.status));
  present_answer(item.mine, out.initMine());
  present_answer(item.partner, out.initPartner());
  out.setIPassed(item.i_passed);
  out.setPartnerPassed(item.partner_passed);
  out.setUpdatedAt(item.updated_ms);
}

void present(const Viewer& v, const store::PauseItem& item, PauseInfo::Builder out) {
  const auto& p = item.view;
  const bool active = item.window.active_at(v.now_ms);
  out.setActive(active);
  out.setMine(item.author == v.self);
  if (!active) return;
  out.setStartedAt(item.window.start_ms);
  out.setUntil(item.window.end_ms);
  out.setMinutes(p.minutes);
  out.setNote(item.note);
}

}  // namespace hearth::control
