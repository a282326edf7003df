// Talking to `hearth ui`'s server: GET to read, POST (form fields) to change.
// The session cookie goes along by itself; nothing secret lives in script.

export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function parse(res) {
  let doc = null;
  try {
    doc = await res.json();
  } catch {
    throw new ApiError('internal', 'Hearth answered with something this page cannot read.', res.status);
  }
  if (doc && doc.error) throw new ApiError(doc.error.code, doc.error.message, res.status);
  return doc;
}

export async function get(path, params = {}) {
  const q = new URLSearchParams(params).toString();
  const res = await fetch(q ? `${path}?${q}` : path, { credentials: 'same-origin' });
  return parse(res);
}

// fields: an object; an array value sends the field once per item.
export async function post(path, fields = {}) {
  // multipart/form-data: the browser encodes it, and a long reflection fits.
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) v.forEach((x) => body.append(k, x));
    else if (v !== undefined && v !== null) body.append(k, String(v));
  }
  // An empty multipart body is not a form to httplib: send an empty one plainly.
  const empty = [...body.keys()].length === 0;
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin', body: empty ? new URLSearchParams() : body,
  });
  return parse(res);
}
