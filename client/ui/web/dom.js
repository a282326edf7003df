// Small helpers to build the page from data without ever parsing data as
// HTML: every word from hearthd (and so from the partner) becomes a text node.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let fieldCount = 0;
// A labelled field: label, then the control, then an optional hint.
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const parts = [h('label', { for: id }, label)];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    parts.push(h('p', { class: 'hint', id: hid }, hint));
  }
  parts.push(control);
  return h('div', { class: 'field' }, parts);
}

export function checkbox(label, name, checked = false) {
  const id = `c${++fieldCount}`;
  return h('div', { class: 'check' },
    h('input', { type: 'checkbox', id, name, checked }),
    h('label', { for: id }, label));
}

// Radio buttons in a fieldset with a legend.
export function radios(legend, name, options, chosen) {
  return h('fieldset', { class: 'radios' }, h('legend', {}, legend),
    options.map(([value, label]) => {
      const id = `r${++fieldCount}`;
      return h('div', { class: 'radio' },
        h('input', { type: 'radio', id, name, value, checked: value === chosen }),
        h('label', { for: id }, label));
    }));
}

// ---- time, in the person's own words and clock

export function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function dayStart(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function localDate(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// "today 16:32", "yesterday 09:10", "3 days ago", "Tue 24 Nov".
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const days = Math.round((dayStart(new Date()) - dayStart(d)) / 86400000);
  if (days <= 0) return `today ${clock(iso)}`;
  if (days === 1) return `yesterday ${clock(iso)}`;
  if (days < 7) return `${days} days ago`;
  return d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
}

// "until 16:20", or "until tomorrow 09:00".
export function until(iso) {
  const d = new Date(iso);
  const tomorrow = dayStart(d) > dayStart(new Date());
  return `until ${tomorrow ? 'tomorrow ' : ''}${clock(iso)}`;
}

export function short(id) {
  return String(id || '').slice(-8);
}
