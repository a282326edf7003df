"""A stand-in desktop notification service, for tests/integration/test_notify.py.

Run inside a private D-Bus session (dbus-run-session). It owns
org.freedesktop.Notifications, records every Notify call as one JSON line
in RECORD, then runs COMMAND (`hearth notify`) and lives as long as it does:

  dbus-run-session -- python3 notification_stub.py RECORD STATE -- COMMAND...

STATE is a JSON file written once the name is owned and COMMAND started
({"pid": N}), and again when COMMAND has ended ({"pid": N, "exit": CODE};
a negative CODE is the signal that ended it).
"""
import json
import os
import signal
import subprocess
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def write_json(path, doc):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f)
    os.replace(tmp, path)


class Notifications(dbus.service.Object):
    def __init__(self, bus, record):
        super().__init__(bus, PATH)
        self.record = record
        self.next_id = 1

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, timeout):
        nid = self.next_id
        self.next_id += 1
        entry = {"id": nid, "app_name": str(app_name), "replaces_id": int(replaces_id),
                 "app_icon": str(app_icon), "summary": str(summary), "body": str(body),
                 "actions": [str(a) for a in actions],
                 "hints": {str(k): str(v) for k, v in hints.items()},
                 "timeout": int(timeout)}
        with open(self.record, "a") as f:
            f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return dbus.UInt32(nid)

    @dbus.service.method(IFACE, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body"]

    @dbus.service.method(IFACE, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("hearth-test-stub", "Hearth", "1", "1.2")

    @dbus.service.method(IFACE, in_signature="u", out_signature="")
    def CloseNotification(self, nid):
        pass


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    record, state, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(IFACE, bus, do_not_queue=True)  # noqa: F841 (kept alive)
    Notifications(bus, record)
    open(record, "a").close()

    child = subprocess.Popen(command)
    write_json(state, {"pid": child.pid})
    loop = GLib.MainLoop()

    def ended(pid, status):
        code = os.waitstatus_to_exitcode(status)
        write_json(state, {"pid": pid, "exit": code})
        loop.quit()

    GLib.child_watch_add(GLib.PRIORITY_DEFAULT, child.pid, ended)
    # Asked to stop: the command is asked too, and its end ends this.
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig,
                             lambda s=sig: (child.send_signal(s), True)[1])
    loop.run()
    with open(state) as f:
        state_doc = json.load(f)
    code = state_doc.get("exit", 1)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
