"""A TCP proxy for tests that injects network faults between two daemons.

Each accepted connection is forwarded to the target and takes the next fault
from the plan (or none once the plan is used up):

  ("cut", n)          close both sides after n bytes have passed (either way)
  ("stall", n, secs)  after n bytes, forward nothing for secs, then carry on
  ("delay", ms)       hold every chunk ms milliseconds
  ("flip", n, dir)    flip one bit of the byte at offset n of direction dir
                      ("up": dialer -> listener, "down": the other way)

A fault takes effect at most once. A connection that ends before its fault
took effect (it carried fewer bytes than the offset) puts the fault back at
the front of the plan, so every planned fault meets some connection: the
test sees `unfired` reach 0.

Runs in its own thread with its own asyncio loop.
"""
import asyncio
import random
import threading


class FaultProxy:
    def __init__(self, target_port, plan=(), seed=0):
        self.target_port = target_port
        self.plan = list(plan)
        self.rng = random.Random(seed)
        self.port = None
        self.connections = 0
        self.faults_injected = 0   # faults that took effect, each counted once
        self.planned = len(self.plan)
        self.flipped = 0
        # For each flipped bit: seconds from the flip to the end of its connection.
        self.flip_to_close = []
        self._closing = False
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    @property
    def unfired(self):
        """Planned faults that have not taken effect yet (in the plan or held by
        an open connection)."""
        return self.planned - self.faults_injected

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def set_plan(self, plan):
        plan = list(plan)

        def install():
            self.plan = plan
            self.planned = self.faults_injected + len(plan)
        done = threading.Event()
        self._loop.call_soon_threadsafe(lambda: (install(), done.set()))
        done.wait(10)

    def close(self):
        async def shutdown():
            self._closing = True
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()
        asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        self._thread.join(10)
        self._loop.close()

    async def _handle(self, down_reader, down_writer):
        try:
            await self._forward(down_reader, down_writer)
        except asyncio.CancelledError:
            pass  # the proxy is closing

    async def _forward(self, down_reader, down_writer):
        self.connections += 1
        fault = self.plan.pop(0) if self.plan else None
        state = {"passed": 0, "cut": asyncio.Event(), "flipped_at": None, "fired": False}
        try:
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            except OSError:
                down_writer.transport.abort()
                return
            tasks = [asyncio.ensure_future(self._pump(down_reader, up_writer, "up", fault, state)),
                     asyncio.ensure_future(self._pump(up_reader, down_writer, "down", fault, state))]
            cut = asyncio.ensure_future(state["cut"].wait())
            try:
                await asyncio.wait(tasks + [cut], return_when=asyncio.FIRST_COMPLETED)
            finally:
                for t in tasks + [cut]:
                    t.cancel()
            if state["flipped_at"] is not None:
                self.flip_to_close.append(self._loop.time() - state["flipped_at"])
            for w in (up_writer, down_writer):
                try:
                    w.transport.abort()  # RST: like a cable pulled mid-stream
                except Exception:
                    pass
        finally:
            if fault is not None and not state["fired"] and not self._closing:
                self.plan.insert(0, fault)

    def _fire(self, state):
        """Counts the connection's fault once, when it takes effect."""
        if not state["fired"]:
            state["fired"] = True
            self.faults_injected += 1

    async def _pump(self, reader, writer, direction, fault, state):
        offset = 0
        kind = fault[0] if fault else None
        while True:
            data = await reader.read(4096)
            if not data:
                writer.close()
                return
            if state["cut"].is_set():
                return
            data = bytearray(data)
            if kind == "cut":
                room = fault[1] - state["passed"]
                if room <= len(data):
                    self._fire(state)
                    state["cut"].set()
                    writer.write(bytes(data[:max(room, 0)]))
                    await writer.drain()
                    return
            elif kind == "stall" and not state["fired"] and state["passed"] + len(data) >= fault[1]:
                self._fire(state)  # the whole connection stalls once
                await asyncio.sleep(fault[2])
            elif kind == "delay":
                if direction == "up":
                    self._fire(state)
                await asyncio.sleep(fault[1] / 1000)
            elif kind == "flip" and fault[2] == direction and offset <= fault[1] < offset + len(data):
                data[fault[1] - offset] ^= 1 << self.rng.randrange(8)
                self.flipped += 1
                self._fire(state)
                state["flipped_at"] = self._loop.time()
            offset += len(data)
            state["passed"] += len(data)
            writer.write(bytes(data))
            await writer.drain()
