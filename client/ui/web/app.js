// Hearth in the browser: signing in with the address's secret, the screens,
// the pause one click away, and hearthd's changes as they happen.
import { get, post, ApiError } from './api.js';
import { h, clear, until } from './dom.js';
import { screens } from './screens.js';

export const app = {
  state: null,       // hearthd's status (GET /api/state), or null
  daemon: 'unknown', // 'running' | 'locked' | 'not_running'
  current: null,     // the screen shown: { name, refresh? }
  partnerName() {
    const n = this.state && this.state.partner && this.state.partner.name;
    return n || 'your partner';
  },
  paired() {
    return !!(this.state && this.state.partner && this.state.partner.paired);
  },
  notice(text) {
    const el = document.getElementById('notice');
    clear(el, text ? h('p', {}, text) : null);
  },
  // Shows an error in words; locked or stopped daemons get their own screen.
  failed(err) {
    if (err instanceof ApiError && (err.code === 'locked' || err.code === 'not_running')) {
      this.daemon = err.code;
      show();
      return;
    }
    this.notice(err.message || String(err));
  },
  async reloadState() {
    try {
      this.state = await get('/api/state');
      this.daemon = this.state.locked ? 'locked' : 'running';
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_running') this.daemon = 'not_running';
      else throw err;
    }
    drawPause();
  },
};

// ---- signing in: the address's fragment holds a secret that works once

async function signIn() {
  const m = /^#k=([0-9a-f]{64})$/.exec(location.hash);
  if (!m) return;
  history.replaceState(null, '', '#/today');
  try {
    await post('/api/session', { k: m[1] });
  } catch (err) {
    // Already signed in (a reload) is fine; anything else shows below.
  }
}

// ---- the pause, on every screen

const PAUSE_LENGTHS = [[20, '20 minutes'], [30, '30 minutes'], [60, 'an hour'], [120, 'two hours'],
  [240, 'four hours'], [1440, 'a day']];

function drawPause() {
  const bar = document.getElementById('pausebar');
  const banner = document.getElementById('partnerpause');
  const s = app.state;
  if (!s || s.locked) {
    clear(bar);
    clear(banner);
    return;
  }
  const name = app.partnerName();
  const pp = s.partner_pause;
  clear(banner, pp && pp.active
    ? h('p', {}, `${name} is pausing ${until(pp.until)}`, pp.note ? ` (“${pp.note}”)` : '',
      '. What you share waits for them until then. Nothing is needed from you.')
    : null);
  const mine = s.my_pause;
  if (mine && mine.active) {
    clear(bar,
      h('p', { class: 'mypause' }, `You are pausing ${until(mine.until)}.`,
        s.waiting ? ` ${s.waiting === 1 ? 'One entry waits' : `${s.waiting} entries wait`} until your pause ends.` : ''),
      h('button', { type: 'button', id: 'resume', onclick: () => act('/api/resume', {}, 'Your pause has ended. Welcome back.') }, 'End my pause'));
  } else {
    const minutes = h('select', { id: 'pause-minutes', 'aria-label': 'How long to pause' },
      PAUSE_LENGTHS.map(([m, label]) => h('option', { value: m, selected: m === 30 }, label)));
    clear(bar,
      h('button', { type: 'button', id: 'pause', class: 'quiet',
        onclick: () => act('/api/pause', { minutes: minutes.value },
          `You are pausing. ${app.paired() ? `${name} sees it now.` : ''} Take the time you need.`) },
      'Pause'),
      h('span', { class: 'for' }, 'for'), minutes);
  }
}

async function act(path, fields, done) {
  try {
    await post(path, fields);
    await app.reloadState();
    app.notice(done);
    if (app.current && app.current.refresh) app.current.refresh();
  } catch (err) {
    app.failed(err);
  }
}

// ---- screens

function route() {
  const m = /^#\/([a-z]+)/.exec(location.hash);
  return m && screens[m[1]] ? m[1] : 'today';
}

function markNav(name) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function show(focus = false) {
  const main = document.getElementById('main');
  const name = app.daemon === 'locked' ? 'unlock' : app.daemon === 'not_running' ? 'stopped' : route();
  markNav(name);
  if (app.current && app.current.leave && app.current.name !== name) app.current.leave();
  app.current = { name };
  try {
    const screen = await screens[name](main, app);
    app.current = { name, ...(screen || {}) };
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'locked' || err.code === 'not_running')) {
      app.daemon = err.code;
      return show(focus);
    }
    clear(main, h('h1', { tabindex: '-1' }, 'Something went wrong'), h('p', {}, err.message));
  }
  document.title = `${(main.querySelector('h1') || {}).textContent || 'Hearth'} · Hearth`;
  if (focus) (main.querySelector('h1') || main).focus();
}
app.show = show;

// ---- live: hearthd's changes, a partner's pause first

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    await app.reloadState().catch(() => {});
    if (app.current && app.current.refresh) app.current.refresh();
  }, 150);
}

function listen() {
  const events = new EventSource('/api/events');
  events.addEventListener('daemon', async (e) => {
    const { state } = JSON.parse(e.data);
    if (state === app.daemon) return;
    await app.reloadState().catch(() => {});
    show();
  });
  events.addEventListener('update', (e) => {
    const doc = JSON.parse(e.data);
    const pause = doc.pause || doc.resume;
    if (pause && app.state && pause.set_by === 'partner') {
      // The partner's pause, or its end, is drawn before anything is fetched.
      app.state.partner_pause = pause;
      drawPause();
    }
    if (app.current && app.current.onUpdate) app.current.onUpdate(doc);
    refreshSoon();
  });
  events.addEventListener('pairing', (e) => {
    const doc = JSON.parse(e.data);
    if (app.current && app.current.onPairing) app.current.onPairing(doc);
    refreshSoon();
  });
}

async function start() {
  await signIn();
  try {
    await app.reloadState();
  } catch (err) {
    const main = document.getElementById('main');
    clear(main, h('h1', { tabindex: '-1' }, 'This page is not signed in'),
      h('p', {}, err.message),
      h('p', {}, 'For your privacy, each address from `hearth ui` opens Hearth once. ',
        'Run `hearth ui` again, or use the Hearth entry in your applications menu.'));
    return;
  }
  window.addEventListener('hashchange', () => { app.notice(''); show(true); });
  document.getElementById('main').addEventListener('click', (e) => {
    // Links inside a screen move focus to the new screen's heading too.
    if (e.target.closest('a[href^="#/"]')) app.notice('');
  });
  listen();
  show();
}

start();
