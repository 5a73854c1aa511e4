/**
 * The benchmark's loops, written once and run by both callers: the Hearth
 * page (with `runtime.env`) and the Worker in workerd (with its `env`), so
 * both sides make exactly the same calls in the same order. Plain JavaScript,
 * valid in both runtimes.
 *
 * Every op returns raw samples in ms; bench/run.mjs does the statistics.
 *   samples    one entry per timed unit (a call, or a whole batch)
 *   perSample  operations each sample covers
 *   totalMs    wall time of the timed loop
 *   check      what the objects answered, so a wrong answer fails the run
 *
 * Clocks: the page passes `performance.now()` (0.1 ms steps, it is not
 * cross-origin isolated); workerd's clock only moves when I/O completes and
 * is coarser, which is why bench/run.mjs also times the whole request from
 * Node and reports the loop's throughput from `totalMs`.
 */

/**
 * Sequential calls of `call(i)`, after `warmup` untimed ones. Every one-at-a-time loop of the bench uses it:
 * the ops here, the page's floors (main.ts), miniflare's edge (peer-miniflare.mjs) and the page on
 * miniflare's origin (run.mjs injects its source there).
 */
export async function sequential(now, n, warmup, call) {
  for (let i = 0; i < warmup; i++) await call(-1 - i);
  const samples = new Array(n);
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const t = now();
    await call(i);
    samples[i] = now() - t;
  }
  return { samples, perSample: 1, totalMs: now() - t0 };
}

/** `inFlight` loops sharing `n` calls, so `inFlight` calls are outstanding at any time. */
async function concurrent(now, n, warmup, inFlight, call) {
  await Promise.all(Array.from({ length: inFlight }, async (_, lane) => {
    for (let i = lane; i < warmup; i += inFlight) await call(-1 - i);
  }));
  const samples = [];
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < n) {
      const i = next++;
      const t = now();
      await call(i);
      samples.push(now() - t);
    }
  }));
  return { samples, perSample: 1, totalMs: now() - t0 };
}

/** One call timed as a whole, covering `ops` operations. */
async function once(now, ops, call) {
  const t0 = now();
  const check = await call();
  const ms = now() - t0;
  return { samples: [ms], perSample: ops, totalMs: ms, check };
}

async function fetchText(stub) {
  const response = await stub.fetch('https://bench.test/increment');
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}`);
  return text;
}

/** Upgrade to a Room through its stub and accept the client end (workerd's and Hearth's caller API alike). */
async function openSocket(stub) {
  const response = await stub.fetch('https://bench.test/socket', { headers: { Upgrade: 'websocket' } });
  const ws = response.webSocket;
  if (!ws) throw new Error(`upgrade answered ${response.status}`);
  ws.accept();
  return ws;
}

export const OPS = {
  /** One message over a socket to a Room and its echo back, one at a time (Hibernation API handlers). */
  wsRtt: async (env, p, now) => {
    const ws = await openSocket(env.ROOM.getByName(p.name));
    let pending;
    ws.addEventListener('message', () => pending());
    const result = await sequential(now, p.n, p.warmup, () => new Promise((resolve) => {
      pending = resolve;
      ws.send('echo');
    }));
    ws.close(1000);
    return result;
  },
  /** `sockets` sockets in one Room; one message fanned out to all of them, timed until every socket has it. */
  wsFanout: async (env, p, now) => {
    const stub = env.ROOM.getByName(p.name);
    const sockets = [];
    for (let i = 0; i < p.sockets; i++) sockets.push(await openSocket(stub));
    let remaining = 0;
    let done;
    for (const ws of sockets) ws.addEventListener('message', () => {
      if (--remaining === 0) done();
    });
    const result = await sequential(now, p.n, p.warmup, () => new Promise((resolve) => {
      remaining = sockets.length;
      done = resolve;
      sockets[0].send('all');
    }));
    for (const ws of sockets) ws.close(1000);
    return result;
  },

  /** Warm RPC that writes once (`increment`: get + put), one call at a time. */
  rpcSeq: (env, p, now) => {
    const stub = env.COUNTER.getByName(p.name);
    return sequential(now, p.n, p.warmup, () => stub.increment());
  },
  /** The same RPC with `inFlight` calls outstanding on one object. */
  rpcPar: (env, p, now) => {
    const stub = env.COUNTER.getByName(p.name);
    return concurrent(now, p.n, p.warmup, p.inFlight, () => stub.increment());
  },
  /** RPC to an object that touches no storage: the call path alone. */
  rpcNoop: (env, p, now) => {
    const stub = env.NOOP.getByName(p.name);
    return sequential(now, p.n, p.warmup, () => stub.ping());
  },
  /** Warm `stub.fetch` increment (get + put), body read. */
  fetchWarm: (env, p, now) => {
    const stub = env.COUNTER.getByName(p.name);
    return sequential(now, p.n, p.warmup, () => fetchText(stub));
  },
  /**
   * The page's own `fetch('/edge/increment')`, answered by the Worker (worker.js's
   * default fetch) in the edge service worker, which calls the object. Page only:
   * the workerd peer times the same Worker from outside (bench/peer-miniflare.mjs).
   */
  edgeFetch: (env, p, now) =>
    sequential(now, p.n, p.warmup, async () => {
      const response = await fetch(`/edge/increment?name=${encodeURIComponent(p.name)}`);
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}`);
    }),
  /** Sequential calls that each await one put of a new key: durable writes per second. */
  durable: (env, p, now) => {
    const stub = env.COUNTER.getByName(p.name);
    return sequential(now, p.n, p.warmup, (i) => stub.write(`w${i}`, i));
  },
  /** `n` un-awaited puts in one call, then awaited; one sample per call. */
  burst: async (env, p, now) => {
    const stub = env.COUNTER.getByName(p.name);
    await stub.read(); // make sure the object is live: this row is not a cold start
    const result = await once(now, p.n, () => stub.burst(p.prefix, p.n));
    if (result.check !== p.n) throw new Error(`burst answered ${result.check}, expected ${p.n}`);
    return result;
  },
  /** `n` SQL inserts in one transactionSync; one sample per call. */
  sqlBulk: async (env, p, now) => {
    const stub = env.COUNTER.getByName(p.name);
    await stub.read();
    return once(now, p.n, () => stub.sqlBulk(p.n));
  },
  /**
   * The first request to each of `n` never-used objects, one after another,
   * `gapMs` apart (untimed): as new objects come along in an app, not all at
   * once. `gapMs: 0` is back to back.
   */
  cold: async (env, p, now) => {
    const samples = new Array(p.n);
    let totalMs = 0;
    for (let i = 0; i < p.n; i++) {
      if (p.gapMs) await new Promise((resolve) => setTimeout(resolve, p.gapMs));
      const t = now();
      const text = await fetchText(env.COUNTER.getByName(`${p.prefix}-${i}`));
      samples[i] = now() - t;
      totalMs += samples[i];
      if (text !== '1') throw new Error(`object ${p.prefix}-${i} was not new (answered ${text})`);
    }
    return { samples, perSample: 1, totalMs };
  },
  /** The same, as its own row (run with `gapMs: 0`). */
  coldBackToBack: (env, p, now) => OPS.cold(env, p, now),
  /** Touch `n` distinct objects in turn (one increment each), named `<prefix>-<from + i>`. */
  touch: (env, p, now) =>
    sequential(now, p.n, 0, async (i) => {
      const name = `${p.prefix}-${(p.from ?? 0) + i}`;
      const value = await env.COUNTER.getByName(name).increment();
      if (value !== 1) throw new Error(`object ${name} was not new (answered ${value})`);
    }),
  /**
   * Read back what `touch` wrote: `check` is how many objects lost their
   * value. Not a timed row, so it runs `inFlight` reads at a time.
   */
  verify: async (env, p, now) => {
    let lost = 0;
    const result = await concurrent(now, p.n, 0, p.inFlight ?? 1, async (i) => {
      if ((await env.COUNTER.getByName(`${p.prefix}-${(p.from ?? 0) + i}`).read()) !== 1) lost++;
    });
    return { ...result, check: lost };
  },
};

/**
 * Alarm lateness: arm `n` objects' alarms `delayMs` from now, `spacingMs`
 * apart, with nobody calling them afterwards, and collect each handler's
 * start minus its scheduled time (both read with `Date.now()` inside the
 * object, so the samples are whole ms on both sides).
 */
OPS.alarmLateness = async (env, p, now) => {
  const stubs = Array.from({ length: p.n }, (_, i) => env.ALARM.getByName(`${p.prefix}-${i}`));
  const t0 = now();
  await Promise.all(stubs.map((stub, i) => stub.arm(p.delayMs + i * p.spacingMs)));
  const samples = [];
  const deadline = Date.now() + p.delayMs + p.n * p.spacingMs + 30_000;
  for (const stub of stubs) {
    let late;
    while ((late = await stub.lateness()) === null) {
      if (Date.now() > deadline) throw new Error('an alarm did not fire within 30 s of its time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    samples.push(late);
  }
  return { samples, perSample: 1, totalMs: now() - t0 };
};

export function drive(op, env, params, now) {
  const run = OPS[op];
  if (!run) throw new Error(`unknown bench op ${op}`);
  return run(env, params, now);
}
