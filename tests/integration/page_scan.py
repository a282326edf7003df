"""Everything a stolen disk gives someone who also has a home's key file.

Reads every page image in every file under a home: the database's pages,
every frame of its WAL (older images of a page included) and every page of
a rollback journal if one is there. In each image it looks for SQLite table
cells at every offset, not only where the page's cell pointers point (so a
deleted cell that was not zeroed is found too), and opens every sealed blob
of Hearth's tables with the device's own keys (PROTOCOL.md §6): event bodies
with the log keys (the key file's and every one the log_keys table yields,
in any image), private entries, log keys, names and activity entries with
the local key. Records too long for their page (continued on overflow
pages) are not put together again.

Needs an unsealed key file (`hearth init --no-passphrase`). libsodium through
ctypes does the decryption.
"""
import ctypes
import ctypes.util
import os
import stat

_sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
_sodium.sodium_init()

KEY_FILE_BYTES = 202
WAL_MAGIC = (0x377F0682, 0x377F0683)
JOURNAL_MAGIC = bytes([0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7])


def open_sealed(key, sealed, ad):
    """XChaCha20-Poly1305: nonce (24) || ciphertext || tag (16); None if it
    does not open."""
    if len(sealed) < 40:
        return None
    nonce, ct = bytes(sealed[:24]), bytes(sealed[24:])
    out = ctypes.create_string_buffer(len(ct) - 16 or 1)
    out_len = ctypes.c_ulonglong()
    rc = _sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        out, ctypes.byref(out_len), None, ct, ctypes.c_ulonglong(len(ct)), ad,
        ctypes.c_ulonglong(len(ad)), nonce, key)
    return out.raw[:out_len.value] if rc == 0 else None


def read_keys(home):
    with open(os.path.join(home, "keys"), "rb") as f:
        data = f.read()
    if len(data) != KEY_FILE_BYTES or data[9] != 0:
        raise ValueError("page_scan needs an unsealed key file")
    return {"device": data[10:42], "log": data[74 + 64:74 + 96], "local": data[74 + 96:74 + 128]}


# ---- SQLite's formats

def varint(buf, i, end):
    """(value, next offset), or None past `end`."""
    v = 0
    for k in range(9):
        if i + k >= end:
            return None
        b = buf[i + k]
        if k == 8:
            return (v << 8) | b, i + 9
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            return v, i + k + 1
    return None


def value_size(serial):
    if serial in (0, 8, 9):
        return 0
    if 1 <= serial <= 4:
        return serial
    if serial == 5:
        return 6
    if serial in (6, 7):
        return 8
    if serial >= 12:
        return (serial - 12) // 2
    return None  # 10, 11: reserved


def decode_value(buf, i, serial):
    n = value_size(serial)
    raw = bytes(buf[i:i + n])
    if serial == 0:
        return None
    if serial == 8:
        return 0
    if serial == 9:
        return 1
    if 1 <= serial <= 6:
        return int.from_bytes(raw, "big", signed=True)
    if serial == 7:
        return raw  # a float: Hearth stores none
    return raw  # blob (even) or text (odd)


def cells(page):
    """Every (rowid, [values]) a table leaf cell could start anywhere in the
    page: payload size, rowid, then a record whose header and values fill
    the payload exactly."""
    end = len(page)
    for i in range(end - 3):
        pv = varint(page, i, end)
        if pv is None:
            continue
        payload, j = pv
        if payload < 2 or payload > end - j:
            continue
        rv = varint(page, j, end)
        if rv is None:
            continue
        rowid, k = rv
        if k + payload > end:
            continue
        hv = varint(page, k, k + payload)
        if hv is None:
            continue
        header, h = hv
        if header < 2 or header > payload or header > 64:
            continue
        serials = []
        body_size = 0
        p = h
        ok = True
        while p < k + header:
            sv = varint(page, p, k + header)
            if sv is None:
                ok = False
                break
            s, p = sv
            size = value_size(s)
            if size is None:
                ok = False
                break
            serials.append(s)
            body_size += size
        if not ok or p != k + header or header + body_size != payload or len(serials) > 16:
            continue
        values = []
        q = k + header
        for s in serials:
            values.append(decode_value(page, q, s))
            q += value_size(s)
        yield rowid, values


def page_images(path):
    """Every page image in the file at `path`: (page number, bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"SQLite format 3\0"):
        size = int.from_bytes(data[16:18], "big")
        size = 65536 if size == 1 else size
        for n in range(len(data) // size):
            yield n + 1, memoryview(data)[n * size:(n + 1) * size]
    elif len(data) >= 32 and int.from_bytes(data[0:4], "big") in WAL_MAGIC:
        size = int.from_bytes(data[8:12], "big")
        i = 32
        while i + 24 + size <= len(data):
            yield int.from_bytes(data[i:i + 4], "big"), memoryview(data)[i + 24:i + 24 + size]
            i += 24 + size
    elif data.startswith(JOURNAL_MAGIC):
        sector = int.from_bytes(data[20:24], "big") or 512
        size = int.from_bytes(data[24:28], "big")
        i = sector
        while size and i + 4 + size <= len(data):
            yield int.from_bytes(data[i:i + 4], "big"), memoryview(data)[i + 4:i + 4 + size]
            i += 4 + size + 4


# ---- Hearth's tables, by the shape of their rows (node/store/sql)

def is_blob(v, n=None):
    return isinstance(v, bytes) and (n is None or len(v) == n)


def be64(n):
    return (n & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")


def scan_home(home):
    """Opens what can be opened under `home`. Returns a dict:
      "plaintexts": [(what, file, bytes)] of every sealed blob that opened;
      "log_keys":   {(author, first_seq): key} of every log key that opened;
      "images":     how many page images were read."""
    keys = read_keys(home)
    rows = []  # (file, rowid, values)
    images = 0
    for dirpath, _, files in os.walk(home):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                for _, page in page_images(path):
                    images += 1
                    for rowid, values in cells(page):
                        rows.append((name, rowid, values))
            except FileNotFoundError:
                continue
    out = {"plaintexts": [], "log_keys": {}, "images": images}
    local = keys["local"]
    # Log keys first: they open event bodies.
    for name, _, v in rows:
        if len(v) == 3 and is_blob(v[0], 32) and isinstance(v[1], int) and is_blob(v[2], 72):
            key = open_sealed(local, v[2], b"hearth/logkey/v1" + v[0] + be64(v[1]))
            if key is not None:
                out["log_keys"][(v[0], v[1])] = key
                out["plaintexts"].append(("log key", name, key))
    log_keys = {keys["log"]} | set(out["log_keys"].values())
    # authors: id, key. Events name their author by that id; any key known
    # from any row is tried too, so an event found without its authors row
    # still opens.
    authors = {rowid: v[1] for _, rowid, v in rows
               if len(v) == 2 and v[0] is None and is_blob(v[1], 32)}
    author_keys = {keys["device"]} | set(authors.values()) | {a for a, _ in out["log_keys"]}

    def open_body(name, author_candidates, seq, body):
        for author in author_candidates:
            ad = b"hearth/body/v1" + author + be64(seq)
            for key in log_keys:
                plain = open_sealed(key, body, ad)
                if plain is not None:
                    out["plaintexts"].append(("event body", name, plain))
                    return

    for name, rowid, v in rows:
        # events: row_id, author (authors.id), seq, lamport, header, signature, body,
        # checked, header_whole
        if len(v) == 9 and v[0] is None and isinstance(v[1], int) and isinstance(v[2], int) \
                and isinstance(v[3], int) and is_blob(v[4]) and is_blob(v[5], 64) \
                and is_blob(v[6]):
            first = [authors[v[1]]] if v[1] in authors else []
            open_body(name, first + [a for a in author_keys if a not in first], v[2], v[6])
        # events before schema 11: row_id, author, seq, event_id, lamport, header,
        # signature, body[, checked]
        elif len(v) in (8, 9) and is_blob(v[1], 32) and isinstance(v[2], int) \
                and is_blob(v[6], 64) and is_blob(v[7]):
            open_body(name, [v[1]], v[2], v[7])
        # private_entries: row_id, entry_id, lamport, wall_ms, body
        elif len(v) == 5 and is_blob(v[1], 16) and is_blob(v[4]):
            plain = open_sealed(local, v[4], b"hearth/private/v1" + v[1])
            if plain is not None:
                out["plaintexts"].append(("private entry", name, plain))
        # devices: device_key, role, name_sealed, ...
        elif len(v) >= 6 and is_blob(v[0], 32) and isinstance(v[1], bytes) and is_blob(v[2]):
            plain = open_sealed(local, v[2], b"hearth/name/v1" + v[0])
            if plain is not None:
                out["plaintexts"].append(("device name", name, plain))
        # activity_log: id, bucket, sealed
        elif len(v) == 3 and v[0] is None and isinstance(v[1], int) and is_blob(v[2]):
            plain = open_sealed(local, v[2], b"hearth/activity/v1" + be64(rowid))
            if plain is not None:
                out["plaintexts"].append(("activity entry", name, plain))
    return out


def found(scan, markers):
    """Every (marker, what, file) where an opened plaintext holds a marker, in
    any letter case."""
    hits = []
    for what, name, plain in scan["plaintexts"]:
        low = plain.lower()
        for m in markers:
            if m.lower().encode() in low:
                hits.append((m, what, name))
    return hits
