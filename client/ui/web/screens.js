// The screens of the journal: today, writing, reflections, limits and
// agreements, check-ins, activity, settings, unlocking. Each draws itself
// into <main> and returns { refresh } to redraw what hearthd may change.
import { get, post } from './api.js';
import { h, clear, field, checkbox, radios, when, localDate, short } from './dom.js';
import { promptsScreen, practicesScreen, partnerScreen } from './together.js';

// A heading that takes focus when a screen opens.
export function title(text) {
  return h('h1', { tabindex: '-1' }, text);
}

// A form whose submit runs `action(form)` and shows what happened.
export function form(app, action, ...children) {
  const f = h('form', {}, children);
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = f.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      const said = await action(f);
      if (said) app.notice(said);
    } catch (err) {
      app.failed(err);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return f;
}

// A button that does one thing and then redraws.
export function action(app, label, run, attrs = {}) {
  return h('button', {
    type: 'button', ...attrs,
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        const said = await run();
        if (said) app.notice(said);
        await app.reloadState();
        if (app.current && app.current.refresh) await app.current.refresh();
      } catch (err) {
        app.failed(err);
      } finally {
        e.target.disabled = false;
      }
    },
  }, label);
}

function feelingsOf(text) {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function paragraphs(text) {
  return String(text || '').split(/\n{2,}/).map((p) => h('p', { class: 'words' }, p));
}

// ---------------------------------------------------------------- today

async function today(main, app) {
  const name = app.partnerName();
  const body = h('div');
  clear(main, title('Today'), h('p', { class: 'lead' },
    'Everything here can wait or be skipped. Nothing is counted.'), body);
  async function refresh() {
    // Read without marking: what is new stays new while this screen is open,
    // and is remembered as seen when the person leaves it.
    const { today: t } = await get('/api/today', { date: localDate() });
    const parts = [];
    // A partner's pause is shown above every screen, this one too, first.
    if (t.my_pause && t.my_pause.active && t.waiting) {
      parts.push(h('p', {}, 'Some of what your partner shared waits until your pause ends.'));
    }
    if (t.new_reflections.length) {
      parts.push(h('section', { class: 'card' }, h('h2', {}, `New from ${name}`),
        h('ul', { class: 'plain' }, t.new_reflections.map((r) => h('li', {},
          r.words_hidden ? h('p', {}, `A reflection with a note: “${r.content_note}”. `,
            h('a', { href: '#/reflections' }, 'Open it in Reflections when you are ready'))
            : paragraphs(r.text),
          h('p', { class: 'meta' }, when(r.created_at)))))));
    }
    if (t.boundaries_waiting.length) {
      parts.push(h('section', { class: 'card' }, h('h2', {}, 'Waiting for your answer'),
        h('ul', { class: 'plain' }, t.boundaries_waiting.map((b) => h('li', {}, h('p', {}, b.text)))),
        h('p', {}, h('a', { href: '#/boundaries' }, 'Answer in Limits and agreements'), ', when you are ready.')));
    }
    if (t.revealed.length) {
      parts.push(h('section', { class: 'card' }, h('h2', {}, 'Answers you can both read now'),
        h('p', {}, h('a', { href: '#/prompts' }, 'Read them in Questions'))));
    }
    if (t.partner_checkin) {
      const c = t.partner_checkin;
      parts.push(h('section', { class: 'card' }, h('h2', {}, `${name}'s latest check-in`),
        h('p', {}, h('span', { class: `cap cap-${c.capacity}` }, capacityWord(c.capacity)),
          ` · ${when(c.created_at)}`),
        c.need ? h('p', {}, `Needs: ${c.need}`) : null));
    }
    if (t.practice && t.practice.id && !t.practice.over && t.practice.invited_by === 'partner' && !t.practice.joined) {
      parts.push(h('section', { class: 'card' }, h('h2', {}, `${name} invites you to breathe together`),
        h('p', {}, h('a', { href: '#/practices' }, 'Join in Practices'), ' if you like. Saying nothing is fine too.')));
    }
    parts.push(h('section', { class: 'card' }, h('h2', {}, 'How are you today?'),
      t.checked_in_today ? h('p', {}, 'You checked in today.')
        : h('p', {}, h('a', { href: '#/checkins' }, 'Check in'), ' if you want to: green, yellow or red.')));
    if (t.prompt) {
      parts.push(h('section', { class: 'card' }, h('h2', {}, 'A question for you both'),
        h('p', { class: 'words' }, t.prompt.text),
        h('p', {}, h('a', { href: '#/prompts' }, 'Answer it'), ', or leave it for another day.')));
    }
    if (t.care_line) {
      parts.push(h('section', { class: 'card' }, h('h2', {}, 'If things are heavy'),
        h('p', {}, 'Your last days have been hard. If it would help to talk to someone, ',
          '`hearth help crisis` lists people you can reach. This is only for you.')));
    }
    clear(body, parts);
  }
  await refresh();
  const leave = () => get('/api/today', { date: localDate(), mark: 1 }).catch(() => {});
  window.addEventListener('pagehide', leave, { once: true });
  return { refresh, leave };
}

export function capacityWord(c) {
  return { green: 'Green: I have room', yellow: 'Yellow: a little stretched', red: 'Red: no room right now' }[c] || c;
}

// ---------------------------------------------------------------- write

async function write(main, app) {
  const name = app.partnerName();
  const text = h('textarea', { name: 'text', rows: 14, id: 'reflection-text' });
  const status = h('p', { class: 'hint', id: 'draft-status' }, '');
  const note = h('input', { type: 'text', name: 'content_note', id: 'content-note', maxlength: 200 });
  const feelings = h('input', { type: 'text', name: 'feelings', id: 'feelings' });
  const share = checkbox(app.paired() ? `Share with ${name}` : 'Share with my partner', 'share');
  const { draft } = await get('/api/draft', { name: 'reflection' });
  text.value = draft.text || '';
  if (draft.updated_at) status.textContent = `Your draft from ${when(draft.updated_at)} is back.`;

  // Every pause in typing keeps the words, sealed by hearthd.
  let timer = null;
  let kept = text.value;
  async function keep() {
    if (text.value === kept) return;
    const words = text.value;
    try {
      await post('/api/draft/put', { name: 'reflection', text: words });
      kept = words;
      status.textContent = words ? 'Kept as a draft on this computer.' : '';
    } catch (err) {
      status.textContent = 'Your words are still here on the page, but could not be kept as a draft just now.';
    }
  }
  text.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(keep, 600); });
  window.addEventListener('pagehide', keep, { once: true });

  const f = form(app, async () => {
    clearTimeout(timer);
    const r = await post('/api/reflect/add', {
      text: text.value, content_note: note.value, feeling: feelingsOf(feelings.value),
      share: f.share.checked ? 1 : 0, draft: 'reflection',
    });
    kept = '';
    text.value = '';
    note.value = '';
    feelings.value = '';
    status.textContent = '';
    const shared = r.reflection && r.reflection.shared;
    return shared ? `Saved and shared${app.paired() ? ` with ${name}` : ''}.` : 'Saved. It stays on this computer unless you share it.';
  },
  field('What would you like to write?', text,
    'There is no right way. Your words are kept as a draft while you write, so nothing is lost if you close this page.'),
  status,
  field('Feelings (optional)', feelings, 'A few words, separated by commas.'),
  field('A note shown before your words (optional)', note,
    `For example “mentions the accident”. ${name} sees the note first and opens the words when ready.`),
  share,
  h('p', { class: 'hint' }, 'Private unless you tick the box. You can share it later too.'),
  h('div', { class: 'buttons' },
    h('button', { type: 'submit', id: 'save-reflection' }, 'Save'),
    h('button', { type: 'button', class: 'quiet', id: 'discard-draft', onclick: async () => {
      clearTimeout(timer);
      await post('/api/draft/discard', { name: 'reflection' });
      text.value = '';
      kept = '';
      status.textContent = '';
      app.notice('The draft is gone.');
    } }, 'Discard the draft')));
  clear(main, title('Write'), f);
  return {};
}

// ---------------------------------------------------------------- reflections

async function reflections(main, app) {
  const name = app.partnerName();
  const list = h('div', { id: 'reflection-list' });
  clear(main, title('Reflections'),
    h('p', {}, h('a', { href: '#/write' }, 'Write a reflection')), list);
  async function refresh() {
    const { reflections: items } = await get('/api/reflections');
    if (!items.length) {
      clear(list, h('p', {}, 'No reflections yet. Whenever you want, ', h('a', { href: '#/write' }, 'write one'), '.'));
      return;
    }
    clear(list, h('ul', { class: 'plain' }, items.map((r) => reflectionItem(app, r, name))));
  }
  await refresh();
  return { refresh };
}

function reflectionItem(app, r, name) {
  const mine = r.author === 'me';
  const who = mine ? 'You' : name;
  const body = h('div');
  if (r.words_hidden) {
    body.append(h('p', {}, `${name} added a note: “${r.content_note}”.`),
      h('button', { type: 'button', onclick: async () => {
        const { reflection } = await get('/api/reflection', { id: r.id });
        clear(body, paragraphs(reflection.text));
      } }, 'Open the words'));
  } else {
    if (r.content_note) body.append(h('p', { class: 'meta' }, `Note: ${r.content_note}`));
    body.append(...paragraphs(r.text));
  }
  const meta = [who, when(r.created_at)];
  if (mine) meta.push(r.shared ? (r.partner_has_it ? `shared; ${name}'s device has it` : 'shared') : 'private');
  if (r.feelings && r.feelings.length) meta.push(r.feelings.join(', '));
  const history = h('details', {}, h('summary', {}, 'Earlier versions'), h('div', {}, 'Opening…'));
  history.addEventListener('toggle', async () => {
    if (!history.open) return;
    const { reflection } = await get('/api/reflection', { id: r.id });
    const versions = reflection.history || [];
    clear(history.lastChild, versions.length > 1
      ? h('ol', {}, versions.map((v) => h('li', {}, h('p', { class: 'meta' }, when(v.at)), paragraphs(v.text))))
      : h('p', {}, 'No earlier versions.'));
  });
  const buttons = [];
  if (mine && !r.shared) buttons.push(action(app, 'Share it', async () => { await post('/api/reflect/share', { id: r.id }); return 'Shared.'; }));
  if (mine) {
    buttons.push(action(app, 'Forget it', async () => {
      if (!window.confirm('Forget this reflection? It is erased here, and your partner\'s Hearth erases its copy too. This cannot be undone.')) return '';
      await post('/api/reflect/forget', { id: r.id });
      return 'Forgotten.';
    }, { class: 'quiet' }));
  } else {
    buttons.push(action(app, 'Archive', async () => { await post('/api/archive', { kind: 'reflection', id: r.id }); return `Archived on this computer only. ${name} is not told.`; }, { class: 'quiet' }));
  }
  return h('li', { class: 'card' }, h('p', { class: 'meta' }, meta.join(' · ')), body,
    h('div', { class: 'buttons' }, buttons), history);
}

// ---------------------------------------------------------------- boundaries

async function boundaries(main, app) {
  const name = app.partnerName();
  const list = h('div', { id: 'boundary-list' });
  const limitText = h('input', { type: 'text', name: 'text', id: 'limit-text' });
  const agreeText = h('input', { type: 'text', name: 'text', id: 'agreement-text' });
  clear(main, title('Limits and agreements'),
    h('p', { class: 'lead' }, 'A limit is yours: in force the moment you write it, and only you change it. ',
      `An agreement is for both of you: in force once ${name} agrees. Either of you can leave an agreement at any time.`),
    list,
    h('section', {}, h('h2', {}, 'Set a limit of yours'),
      form(app, async () => {
        await post('/api/boundary/set', { text: limitText.value });
        limitText.value = '';
        await refresh();
        return 'Your limit is in force now.';
      }, field('Your limit', limitText, 'For example: “Say my name before you touch me.”'),
      h('button', { type: 'submit' }, 'Set this limit'))),
    h('section', {}, h('h2', {}, 'Suggest an agreement'),
      form(app, async () => {
        await post('/api/boundary/propose', { text: agreeText.value });
        agreeText.value = '';
        await refresh();
        return `Suggested. ${name} can agree, decline or ask to talk.`;
      }, field('The agreement', agreeText, 'For example: “No phones at dinner.”'),
      h('button', { type: 'submit' }, 'Suggest it'))));

  function item(b) {
    const limit = b.kind === 'limit';
    const mine = b.author === 'me';
    const last = b.revisions[b.revisions.length - 1] || {};
    const lines = [];
    if (b.status === 'renegotiating') {
      lines.push(h('p', {}, `In force: ${b.in_force_text}`), h('p', {}, `Suggested change: ${b.text}`));
    } else {
      lines.push(h('p', { class: 'words' }, b.text));
    }
    let where;
    if (limit) where = `${mine ? 'Your limit' : `${name}'s limit`} · ${b.status === 'retired' ? 'retired' : 'in force'}`;
    else where = `Agreement · ${{ proposed: 'waiting for an answer', agreed: 'in force', renegotiating: 'in force; a change is suggested', declined: 'declined', discussing: 'to talk about', withdrawn: 'left' }[b.status] || b.status}`;
    const buttons = [];
    const id = b.id;
    if (limit && b.status === 'in_force') {
      if (mine) {
        if (b.acknowledged) lines.push(h('p', { class: 'meta' }, `${name} has read it.`));
        buttons.push(action(app, 'Retire it', async () => { await post('/api/boundary/withdraw', { id }); return 'Retired. It is no longer in force.'; }, { class: 'quiet' }));
      } else if (last.my_response === 'acknowledge') {
        lines.push(h('p', { class: 'meta' }, `You have let ${name} know you read it.`));
      } else {
        buttons.push(action(app, "I've read it", async () => { await post('/api/boundary/respond', { id, answer: 'acknowledge' }); return `${name} will see that you read it.`; }));
      }
    }
    if (!limit && !['withdrawn', 'declined'].includes(b.status)) {
      if (b.status !== 'agreed' && !last.my_response) {
        buttons.push(action(app, 'Agree', async () => { await post('/api/boundary/respond', { id, answer: 'agree' }); return 'You agreed.'; }));
        buttons.push(action(app, 'Decline', async () => { await post('/api/boundary/respond', { id, answer: 'decline' }); return 'Declined. No reason is needed.'; }, { class: 'quiet' }));
        buttons.push(action(app, 'Talk about it first', async () => { await post('/api/boundary/respond', { id, answer: 'discuss' }); return `${name} will see you would like to talk about it.`; }, { class: 'quiet' }));
      } else if (b.status !== 'agreed' && !last.partner_response) {
        lines.push(h('p', { class: 'meta' }, `Waiting for ${name}'s answer.`));
        if (last.author === 'me' && b.revisions.length > 1) buttons.push(action(app, 'Take this wording back', async () => { await post('/api/boundary/drop', { id }); return 'Taken back.'; }, { class: 'quiet' }));
      }
      if (b.status === 'agreed' || b.status === 'renegotiating') {
        buttons.push(action(app, 'Leave this agreement', async () => {
          if (!window.confirm(`Leave this agreement? It stops being in force for both of you at once, and ${name} is told plainly, without blame.`)) return '';
          await post('/api/boundary/withdraw', { id });
          return 'You left the agreement. It is no longer in force.';
        }, { class: 'quiet' }));
      }
    }
    return h('li', { class: 'card' }, h('p', { class: 'meta' }, where, ' · ', when(b.created_at)), lines,
      buttons.length ? h('div', { class: 'buttons' }, buttons) : null);
  }

  async function refresh() {
    const { boundaries: all } = await get('/api/boundaries');
    const groups = [
      ['Your limits', all.filter((b) => b.kind === 'limit' && b.author === 'me')],
      [`${name}'s limits`, all.filter((b) => b.kind === 'limit' && b.author !== 'me')],
      ['Agreements in force', all.filter((b) => b.kind === 'agreement' && ['agreed', 'renegotiating'].includes(b.status))],
      ['Waiting for an answer', all.filter((b) => b.kind === 'agreement' && ['proposed', 'discussing'].includes(b.status))],
    ].filter(([, items]) => items.length);
    clear(list, groups.length ? groups.map(([label, items]) => h('section', {}, h('h2', {}, label),
      h('ul', { class: 'plain' }, items.map(item)))) : h('p', {}, 'No limits or agreements yet.'));
  }
  await refresh();
  return { refresh };
}

// ---------------------------------------------------------------- check-ins

const CAPACITIES = [['green', 'Green: I have room'], ['yellow', 'Yellow: a little stretched'], ['red', 'Red: no room right now']];

async function checkins(main, app) {
  const name = app.partnerName();
  const calendar = h('div', { id: 'calendar' });
  const list = h('div', { id: 'checkin-list' });
  const need = h('input', { type: 'text', name: 'need', id: 'need' });
  const feelings = h('input', { type: 'text', name: 'feelings', id: 'checkin-feelings' });
  const f = form(app, async () => {
    const chosen = f.querySelector('input[name=capacity]:checked');
    if (!chosen) return 'Choose green, yellow or red first.';
    await post('/api/checkin', { capacity: chosen.value, need: need.value,
      feeling: feelingsOf(feelings.value), share: f.share.checked ? 1 : 0 });
    need.value = '';
    feelings.value = '';
    chosen.checked = false;
    await refresh();
    return 'Thank you for checking in.';
  }, radios('How much can you carry today?', 'capacity', CAPACITIES),
  field('Feelings (optional)', feelings, 'A few words, separated by commas.'),
  field('Something you need (optional)', need, 'For example: “a quiet evening”.'),
  checkbox(app.paired() ? `Share with ${name}` : 'Share with my partner', 'share'),
  h('button', { type: 'submit' }, 'Check in'));
  clear(main, title('Check-ins'), h('section', {}, h('h2', {}, 'Check in'), f),
    h('section', {}, h('h2', {}, 'The last four weeks'), calendar),
    h('section', {}, h('h2', {}, 'Your check-ins and the ones shared with you'), list));

  async function refresh() {
    const { checkins: items } = await get('/api/checkins');
    drawCalendar(calendar, items, name, app.paired());
    clear(list, items.length ? h('ul', { class: 'plain' }, items.slice(0, 20).map((c) => {
      const mine = c.author === 'me';
      const buttons = [];
      if (mine && !c.shared) buttons.push(action(app, 'Share it', async () => { await post('/api/checkin/share', { id: c.id }); return 'Shared.'; }));
      if (mine) buttons.push(action(app, 'Forget it', async () => { await post('/api/checkin/forget', { id: c.id }); return 'Forgotten.'; }, { class: 'quiet' }));
      if (!mine && c.need) {
        buttons.push(action(app, 'I can do that tonight', async () => { await post('/api/checkin/reply', { id: c.id, text: 'I can do that tonight.' }); return `${name} will see your answer.`; }));
        buttons.push(action(app, 'Not today, but tomorrow', async () => { await post('/api/checkin/reply', { id: c.id, text: 'Not today, but tomorrow.' }); return `${name} will see your answer.`; }, { class: 'quiet' }));
      }
      return h('li', { class: 'card' },
        h('p', {}, h('span', { class: `cap cap-${c.capacity}` }, capacityWord(c.capacity)),
          ` · ${mine ? 'you' : name} · ${when(c.created_at)}${mine ? (c.shared ? ' · shared' : ' · private') : ''}`),
        c.feelings && c.feelings.length ? h('p', {}, c.feelings.join(', ')) : null,
        c.need ? h('p', {}, `Needs: ${c.need}`) : null,
        (c.replies || []).map((r) => h('p', { class: 'meta' }, `${r.author === 'me' ? 'You' : name}: ${r.text}`)),
        buttons.length ? h('div', { class: 'buttons' }, buttons) : null);
    })) : h('p', {}, 'No check-ins yet.'));
  }
  await refresh();
  return { refresh };
}

// Capacity by day as a table: a row for each of you, a cell per day; a day
// with several check-ins shows the lowest, so a hard moment is not averaged away.
function drawCalendar(el, items, name, paired) {
  const rank = { green: 0, yellow: 1, red: 2 };
  const days = [];
  const now = new Date();
  for (let i = 27; i >= 0; i--) days.push(new Date(now.getFullYear(), now.getMonth(), now.getDate() - i));
  const lowest = (author) => {
    const by = {};
    for (const c of items) {
      if (c.author !== author) continue;
      const key = localDate(new Date(c.created_at));
      if (!(key in by) || rank[c.capacity] > rank[by[key]]) by[key] = c.capacity;
    }
    return by;
  };
  const rows = [['You', lowest('me')]];
  if (paired) rows.push([name, lowest('partner')]);
  const fmt = (d) => d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
  clear(el, h('div', { class: 'calendar-wrap', tabindex: '0', role: 'region', 'aria-label': 'Capacity calendar' }, h('table', { class: 'calendar' },
    h('caption', {}, 'Capacity by day, oldest on the left. Each cell says its colour.'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Who'),
      days.map((d, i) => h('th', { scope: 'col', class: i === days.length - 1 ? 'day today' : 'day' },
        h('abbr', { title: i === days.length - 1 ? `today, ${fmt(d)}` : fmt(d) }, String(d.getDate())))))),
    h('tbody', {}, rows.map(([who, by]) => h('tr', {}, h('th', { scope: 'row' }, who),
      days.map((d) => {
        const c = by[localDate(d)];
        return h('td', { class: c ? `cap-${c}` : 'cap-none' },
          h('span', { class: 'sr' }, `${fmt(d)}: `), c ? c[0].toUpperCase() : '·',
          h('span', { class: 'sr' }, c ? ` ${c}` : ' no check-in'));
      })))))),
  paired ? h('p', { class: 'hint' }, `${name}'s row shows only the check-ins ${name} shared. Nothing counts red days.`) : null);
  // Today, on the right, in view.
  const wrap = el.querySelector('.calendar-wrap');
  wrap.scrollLeft = wrap.scrollWidth;
}

// ---------------------------------------------------------------- activity

async function activity(main) {
  const list = h('div');
  clear(main, title('Activity'), h('p', { class: 'lead' },
    'Every network action Hearth took on this computer. It never holds what you wrote.'), list);
  async function refresh() {
    const { log } = await get('/api/log');
    clear(list, log.length ? h('ul', { class: 'log' }, log.map((e) => h('li', {},
      h('span', { class: 'meta' }, when(e.at)), ' ', e.message))) : h('p', {}, 'Nothing yet.'));
  }
  await refresh();
  return { refresh };
}

// ---------------------------------------------------------------- settings

async function settings(main, app) {
  const value = async (key) => (await get('/api/config', { key })).config.value;
  const [discovery, autoLock, quiet] = await Promise.all([
    value('discovery').catch(() => 'on'), value('auto-lock').catch(() => 'off'), value('quiet-hours').catch(() => 'off')]);
  const set = (key, v, said) => post('/api/config/set', { key, value: v }).then(() => said);
  const disc = h('select', { id: 'discovery' }, [['on', 'On'], ['off', 'Off']].map(([v, l]) => h('option', { value: v, selected: v === discovery }, l)));
  const lock = h('select', { id: 'auto-lock' }, [['off', 'Never'], ['15m', 'After 15 minutes'], ['30m', 'After 30 minutes'], ['1h', 'After an hour'], ['4h', 'After four hours']]
    .map(([v, l]) => h('option', { value: v, selected: v === autoLock }, l)));
  const quietHours = h('input', { type: 'text', id: 'quiet-hours', value: quiet });
  const current = h('input', { type: 'password', id: 'pass-current', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', id: 'pass-new', autocomplete: 'new-password' });
  const again = h('input', { type: 'password', id: 'pass-again', autocomplete: 'new-password' });
  const sealed = app.state && app.state.locked === false;
  clear(main, title('Settings'),
    h('section', {}, h('h2', {}, 'Finding each other at home'),
      form(app, () => set('discovery', disc.value, 'Saved.'),
        field('Small broadcasts on your home network', disc, 'Only your partner\'s Hearth can recognise them. Addresses you typed work either way.'),
        h('button', { type: 'submit' }, 'Save'))),
    h('section', {}, h('h2', {}, 'Locking'),
      form(app, () => set('auto-lock', lock.value, 'Saved.'),
        field('Lock by itself', lock, 'After this long without anything done in Hearth. Needs a passphrase.'),
        h('button', { type: 'submit' }, 'Save')),
      h('p', {}, action(app, 'Lock now', async () => { await post('/api/lock'); return 'Locked.'; }, { class: 'quiet' }))),
    h('section', {}, h('h2', {}, 'Quiet hours'),
      form(app, () => set('quiet-hours', quietHours.value.trim() || 'off', 'Saved.'),
        field('No notifications during', quietHours, 'For example 22:00-08:00, or off.'),
        h('button', { type: 'submit' }, 'Save'))),
    h('section', {}, h('h2', {}, 'Passphrase'),
      h('p', {}, 'The passphrase seals your keys on this computer. It cannot be recovered if forgotten.'),
      form(app, async (f) => {
        if (next.value !== again.value) return 'The two new passphrases differ. Type them again.';
        const choice = f.querySelector('input[name=action]:checked');
        if (!choice) return 'Choose what to do first.';
        await post('/api/passphrase', { action: choice.value, current: current.value, new: next.value });
        current.value = next.value = again.value = '';
        return 'Done. Your keys are the same; only their seal changed.';
      }, radios('What to do', 'action', [['set', 'Add a passphrase'], ['change', 'Change it'], ['remove', 'Remove it']]),
      field('Current passphrase (to change or remove)', current),
      field('New passphrase', next, 'A few words together are stronger than one.'),
      field('New passphrase again', again),
      h('button', { type: 'submit' }, 'Save'))));
  void sealed;
  return {};
}

// ---------------------------------------------------------------- locked, stopped

async function unlock(main, app) {
  const pass = h('input', { type: 'password', id: 'passphrase', autocomplete: 'current-password' });
  clear(main, title('Hearth is locked'),
    h('p', {}, 'Your entries are sealed until you unlock. Nothing is read, written or synced meanwhile.'),
    form(app, async () => {
      try {
        await post('/api/unlock', { passphrase: pass.value });
      } catch (err) {
        if (err.code !== 'wrong_passphrase') throw err;
        pass.value = '';
        pass.focus();
        return 'That passphrase did not open Hearth. Take your time and try again.';
      }
      pass.value = '';
      await app.reloadState();
      app.show(true);
      return 'Unlocked.';
    }, field('Passphrase', pass), h('button', { type: 'submit' }, 'Unlock')));
  pass.focus();
  return {};
}

async function stopped(main) {
  clear(main, title('Hearth is not running'),
    h('p', {}, 'The part of Hearth that keeps your entries (hearthd) is not running on this computer.'),
    h('p', {}, 'Start it with ', h('code', {}, 'systemctl --user start hearthd'), ' or ', h('code', {}, 'hearthd &'),
      '. This page notices by itself once it runs.'));
  return {};
}

export const screens = {
  today, write, reflections, boundaries, checkins, activity, settings, unlock, stopped,
  prompts: promptsScreen, practices: practicesScreen, partner: partnerScreen,
};
