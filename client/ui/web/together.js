// The screens for the two of you: questions answered blind, the yes / no /
// maybe list, practices with the breathing pacer, and pairing.
import { get, post } from './api.js';
import { h, clear, field, checkbox, radios, when, localDate } from './dom.js';
import { title, form, action } from './screens.js';

// ---------------------------------------------------------------- prompts

function answerText(a) {
  return [a.choice ? h('p', {}, a.choice) : null, a.text ? h('p', { class: 'words' }, a.text) : null];
}

function promptCard(app, p) {
  const name = app.partnerName();
  const parts = [h('p', { class: 'words question' }, p.text)];
  if (p.asked_by === 'partner') parts.push(h('p', { class: 'meta' }, `Asked by ${name}`));
  const round = p.round || '';
  if (p.status === 'both_answered') {
    parts.push(h('h3', {}, 'You'), answerText(p.mine || {}));
    if (p.partner && (p.partner.text || p.partner.choice)) parts.push(h('h3', {}, name), answerText(p.partner));
    else parts.push(h('p', {}, `${name} answered; their words show here once their computer sends its key.`));
  } else if (p.status === 'waiting_for_partner') {
    parts.push(h('h3', {}, 'You'), answerText(p.mine || {}),
      h('p', {}, `Your answer waits, sealed, until ${name} answers too. Then you both see both.`));
  } else if (p.i_passed) {
    parts.push(h('p', {}, 'You set this one aside. That is fine.'));
  } else {
    if (p.status === 'waiting_for_you') {
      parts.push(h('p', {}, `${name} has answered. You will see it once you answer too; there is no hurry.`));
    }
    const text = h('textarea', { rows: 5, id: `answer-${p.id}` });
    parts.push(form(app, async () => {
      await post('/api/prompt/answer', { id: p.id, round, text: text.value });
      await refreshCurrent(app);
      return `Sealed. ${name} cannot read it before answering, and you cannot change it now.`;
    }, field('Your answer', text, `Sealed until ${name} answers too. Nobody can read it before, and it cannot be changed after.`),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Seal my answer'),
      action(app, 'Pass on this one', async () => { await post('/api/prompt/pass', { id: p.id, round }); return 'Set aside. Passing is always fine.'; }, { class: 'quiet' }))));
  }
  return h('div', { class: 'card prompt', 'data-prompt': p.id }, parts);
}

async function refreshCurrent(app) {
  if (app.current && app.current.refresh) await app.current.refresh();
}

export async function promptsScreen(main, app) {
  const name = app.partnerName();
  const todayBox = h('div', { id: 'prompt-today' });
  const pastBox = h('div', { id: 'prompt-past' });
  const ynmBox = h('div', { id: 'ynm' });
  const ask = h('input', { type: 'text', id: 'ask-text' });
  clear(main, title('Questions'),
    h('p', { class: 'lead' }, `Each of you answers privately. You see ${name}'s answer once you have both answered. Passing is always fine.`),
    h('section', {}, h('h2', {}, "Today's question"), todayBox),
    pastBox,
    h('section', {}, h('h2', {}, 'Yes, no, maybe'), ynmBox),
    h('section', {}, h('h2', {}, 'Ask a question of your own'),
      form(app, async () => {
        await post('/api/prompt/ask', { text: ask.value, depth: 1 });
        ask.value = '';
        return `Asked. ${name} sees it too.`;
      }, field('Your question', ask), h('button', { type: 'submit' }, 'Ask'))));

  async function refresh() {
    const { prompt } = await get('/api/prompt/today', { date: localDate() });
    clear(todayBox, prompt ? promptCard(app, prompt) : h('p', {}, 'No question today.'));
    const { prompts } = await get('/api/prompts');
    const past = prompts.filter((p) => p.depth > 0 && (!prompt || p.id !== prompt.id)
      && (p.status !== 'open' || p.asked_by)).slice(0, 10);
    clear(pastBox, past.length ? h('section', {}, h('h2', {}, 'Earlier questions'), past.map((p) => promptCard(app, p))) : null);
    const { ynm } = await get('/api/ynm');
    if (!ynm.round || !ynm.round.id) {
      clear(ynmBox, h('p', {}, 'A list of things you might enjoy together, each answered yes, no or maybe, blind like the questions.'),
        action(app, 'Start the list', async () => { await post('/api/ynm/start'); return 'Started.'; }));
      return;
    }
    const bothYes = [];
    const maybes = [];
    const notNow = [];
    const open = [];
    for (const item of ynm.items) {
      if (item.status === 'both_answered' && item.mine && item.partner && item.partner.choice) {
        const a = item.mine.choice;
        const b = item.partner.choice;
        if (a === 'yes' && b === 'yes') bothYes.push(item);
        else if (a !== 'no' && b !== 'no') maybes.push(item);
        else notNow.push(item);
      } else if (!(item.mine && item.mine.choice) && !item.i_passed) {
        open.push(item);
      }
    }
    const list = (items) => h('ul', {}, items.map((i) => h('li', {}, i.text)));
    clear(ynmBox,
      bothYes.length ? [h('h3', {}, 'You both said yes'), list(bothYes)] : null,
      maybes.length ? [h('h3', {}, 'Maybe, for one or both of you'), list(maybes)] : null,
      notNow.length ? [h('h3', {}, 'Not now for one of you'), list(notNow)] : null,
      open.length ? h('h3', {}, 'Still to answer') : h('p', {}, 'You have answered every item of this round.'),
      open.slice(0, 5).map((item) => {
        const f = form(app, async () => {
          const chosen = f.querySelector(`input[name="ynm-${item.id}"]:checked`);
          if (!chosen) return 'Choose yes, no or maybe first.';
          await post('/api/prompt/answer', { id: item.id, round: ynm.round.id, choice: chosen.value });
          await refresh();
          return 'Sealed.';
        }, radios(item.text, `ynm-${item.id}`, [['yes', 'Yes'], ['no', 'No'], ['maybe', 'Maybe']]),
        h('button', { type: 'submit' }, 'Seal'));
        return h('div', { class: 'card' }, f);
      }));
  }
  await refresh();
  return { refresh };
}

// ---------------------------------------------------------------- practices

export async function practicesScreen(main, app) {
  const name = app.partnerName();
  const session = h('div', { id: 'practice-session' });
  const { practices } = await get('/api/practices');
  let pacer = null;
  const minutes = h('select', { id: 'breathe-minutes' }, [2, 3, 5, 10].map((m) => h('option', { value: m, selected: m === 5 }, `${m} minutes`)));
  clear(main, title('Practices'),
    h('p', { class: 'lead' }, 'You can stop at any moment, for any reason or none.'),
    session,
    h('section', { id: 'breathe-invite' }, h('h2', {}, 'Breathe together'),
      h('p', {}, `Breathe in and out in step with ${name}: both screens start at the same moment.`),
      app.paired() ? form(app, async () => {
        await post('/api/practice/invite', { practice: 'breathe', minutes: minutes.value });
        await refresh();
        return `${name} is invited. It starts once they join.`;
      }, field('How long', minutes), h('button', { type: 'submit', id: 'invite-breathe' }, `Invite ${name}`))
        : h('p', {}, h('a', { href: '#/partner' }, 'Pair with your partner'), ' to breathe together.')),
    h('section', {}, h('h2', {}, 'All practices'),
      h('ul', { class: 'plain' }, practices.map((p) => h('li', { class: 'card' },
        h('h3', {}, p.title), h('p', {}, p.purpose), h('p', { class: 'meta' }, `About ${p.minutes} minutes`),
        h('details', {}, h('summary', {}, 'Steps'), h('ol', {}, p.steps.map((s) => h('li', {}, s)))))))));

  async function refresh() {
    const { practice: p } = await get('/api/practice');
    // One practice at a time: the invitation form waits while one is on.
    const invite = main.querySelector('#breathe-invite');
    if (invite) invite.hidden = !!(p && p.id && !p.over);
    if (!p || !p.id || p.over) {
      if (pacer) pacer.stop();
      pacer = null;
      clear(session, p && p.id && p.stopped
        ? h('p', { class: 'card' }, 'The last practice has ended.') : null);
      return;
    }
    if (!p.joined) {
      clear(session, h('section', { class: 'card' },
        p.invited_by === 'me'
          ? [h('h2', {}, `Waiting for ${name}`), h('p', {}, 'It starts once they join. Nothing is needed from them.')]
          : [h('h2', {}, `${name} invites you to breathe together`), h('p', {}, 'Join if you like. Saying nothing is fine too.'),
            action(app, 'Join', async () => { await post('/api/practice/join'); return 'Joined. It starts in a few seconds.'; }, { id: 'join-practice' })],
        action(app, 'Stop', async () => { await post('/api/practice/stop'); return 'Stopped.'; }, { class: 'quiet' })));
      return;
    }
    if (!pacer || pacer.id !== p.id) {
      if (pacer) pacer.stop();
      pacer = breathingPacer(p);
      clear(session, h('section', { class: 'card' }, h('h2', {}, 'Breathing together'), pacer.el,
        action(app, 'Stop', async () => { await post('/api/practice/stop'); return 'Stopped. That is always fine.'; }, { id: 'stop-practice', class: 'quiet' })));
    }
  }
  await refresh();
  return { refresh };
}

// The pacer: in for in_seconds, out for out_seconds, from start_at on this
// computer's clock (hearthd corrected it for the partner's), so both screens
// breathe together. With reduced motion, the words change and nothing moves.
function breathingPacer(p) {
  const inMs = p.in_seconds * 1000;
  const outMs = p.out_seconds * 1000;
  const start = typeof p.start_at_ms === "number" ? p.start_at_ms : Date.parse(p.start_at);
  const end = start + p.minutes * 60000;
  const circle = h('div', { class: 'pacer-circle', 'aria-hidden': 'true' });
  const phase = h('p', { class: 'pacer-phase', id: 'pacer-phase', 'aria-live': 'polite' }, '');
  const left = h('p', { class: 'meta', id: 'pacer-left' }, '');
  const el = h('div', { class: 'pacer', 'data-start': start }, h('div', { class: 'pacer-stage' }, circle), phase, left);
  let timer = null;
  let shown = '';
  function tick() {
    const now = Date.now();
    let word;
    let cls;
    if (now < start) {
      word = `Starting in ${Math.ceil((start - now) / 1000)}…`;
      cls = 'waiting';
    } else if (now >= end) {
      word = 'Done. Take a moment before you go on.';
      cls = 'done';
    } else {
      const t = (now - start) % (inMs + outMs);
      const breathingIn = t < inMs;
      word = breathingIn ? 'Breathe in' : 'Breathe out';
      cls = breathingIn ? 'in' : 'out';
      const mins = Math.ceil((end - now) / 60000);
      left.textContent = `${mins} minute${mins === 1 ? '' : 's'} left. Stopping is always fine.`;
    }
    if (word !== shown) {
      shown = word;
      phase.textContent = word;
      circle.style.transitionDuration = `${(cls === 'in' ? inMs : outMs) / 1000}s`;
      circle.className = `pacer-circle ${cls}`;
      el.dataset.phase = cls;
    }
    if (cls !== 'done') timer = setTimeout(tick, 100);
  }
  tick();
  return { id: p.id, el, stop: () => clearTimeout(timer) };
}

// ---------------------------------------------------------------- partner

export async function partnerScreen(main, app) {
  const body = h('div');
  clear(main, title('Partner'), body);
  let waiting = null;  // the invite's code box while it waits

  function confirmation(doc) {
    const p = doc.paired;
    return h('section', { class: 'card paired', id: 'paired' },
      h('h2', {}, `Paired with ${p.name || 'your partner'}`),
      p.confirmation ? [h('p', {}, 'Read these words to each other. They must be the same on both screens:'),
        h('p', { class: 'confirm-words', id: 'confirm-words' }, p.confirmation),
        h('p', {}, 'If they differ, someone else may have answered: unpair below on both computers and start again.')] : null);
  }

  async function draw() {
    await app.reloadState();
    const s = app.state;
    const name = app.partnerName();
    if (s.partner.paired) {
      const conn = { connected: 'connected now', connecting: 'connecting', offline: 'not connected just now' }[s.partner.connection] || s.partner.connection;
      const erase = checkbox('Also erase every shared entry from this computer, mine and theirs (my private entries stay)', 'erase');
      clear(body,
        h('section', { class: 'card' }, h('h2', {}, `You are paired with ${name}`),
          h('p', {}, `${name}'s computer is ${conn}.`),
          h('p', {}, s.sync.my_shared_events
            ? `${name}'s device has ${s.sync.partner_has_mine} of your ${s.sync.my_shared_events} shared entries.`
            : 'Nothing of yours is shared yet.')),
        h('section', {}, h('h2', {}, 'Unpair'),
          h('p', {}, 'You can end the pairing alone, at any time. At once, on this computer:'),
          h('ul', {},
            h('li', {}, 'syncing stops and ', name, "'s computer is no longer trusted;"),
            h('li', {}, 'what you write from now on is sealed with a new key it does not have;'),
            h('li', {}, 'nothing is sent to ', name, "'s computer: it simply cannot connect any more.")),
          h('p', {}, `What it cannot do: everything you shared until now stays on ${name}'s computer. Hearth cannot reach it.`),
          form(app, async (f) => {
            if (!window.confirm(`Unpair from ${name}? This cannot be undone; you could pair again later with a new code.`)) return '';
            const r = await post('/api/unpair', { confirm: 1, erase_shared: f.erase.checked ? 1 : 0 });
            await draw();
            return `Unpaired. ${r.unpaired && r.unpaired.partner_still_holds ? r.unpaired.partner_still_holds : ''}`;
          }, erase, h('button', { type: 'submit', id: 'unpair', class: 'quiet' }, 'Unpair'))));
      return;
    }
    const earlier = s.shared_while_unpaired
      ? checkbox(`Also send the ${s.shared_while_unpaired} entries I shared while not paired`, 'send_earlier') : null;
    const code = h('input', { type: 'text', id: 'join-code', autocomplete: 'off', spellcheck: 'false' });
    const address = h('input', { type: 'text', id: 'join-address', autocomplete: 'off', spellcheck: 'false' });
    waiting = h('div', { id: 'invite-box' });
    clear(body,
      h('p', { class: 'lead' }, 'Pair once, with a short code one of you reads to the other, in person or on the phone.'),
      h('section', {}, h('h2', {}, 'Invite your partner'),
        h('p', {}, 'Hearth shows a code of three words. It works for 10 minutes, for 3 tries.'),
        earlier,
        action(app, 'Show a code', async () => {
          const r = await post('/api/pair/invite', { send_earlier: earlier && earlier.querySelector('input').checked ? 1 : 0 });
          clear(waiting, h('p', {}, 'Tell your partner this code:'),
            h('p', { class: 'code', id: 'invite-code' }, r.invite.code),
            h('p', {}, `And this computer's address: ${s.listening || '(hearthd is not listening on the network; see the README)'}`),
            h('p', { class: 'meta', id: 'invite-state' }, 'Waiting for your partner to type it…'),
            action(app, 'Stop inviting', async () => { await post('/api/pair/cancel'); clear(waiting); return 'The invite ended.'; }, { class: 'quiet' }));
          return '';
        }, { id: 'invite' }),
        waiting),
      h('section', {}, h('h2', {}, 'Join with the code'),
        form(app, async (f) => {
          const r = await post('/api/pair/join', { code: code.value, address: address.value,
            send_earlier: f.send_earlier && f.send_earlier.checked ? 1 : 0 });
          code.value = '';
          await app.reloadState();
          clear(body, confirmation(r), h('p', {}, h('a', { href: '#/today' }, 'Go to today')));
          return `Paired with ${r.paired.name || 'your partner'}.`;
        }, field('The code your partner sees', code, 'Three words. Upper or lower case, spaces or dashes: all fine.'),
        field("Your partner's computer", address, 'Its address and port, for example alex-laptop.local:7420.'),
        earlier ? checkbox(`Also send the ${s.shared_while_unpaired} entries I shared while not paired`, 'send_earlier') : null,
        h('button', { type: 'submit', id: 'join' }, 'Join'))));
  }

  function onPairing(doc) {
    if (doc.paired) {
      app.reloadState().then(() => {
        clear(body, confirmation(doc), h('p', {}, h('a', { href: '#/today' }, 'Go to today')));
        app.notice(`Paired with ${doc.paired.name || 'your partner'}.`);
      });
    } else if (doc.invite && waiting) {
      const state = waiting.querySelector('#invite-state');
      if (state) state.textContent = `That try did not match. ${doc.invite.attempts_left || 0} tries left.`;
    } else if (doc.error && waiting) {
      clear(waiting, h('p', {}, doc.error.message));
    }
  }

  await draw();
  return { onPairing };
}
