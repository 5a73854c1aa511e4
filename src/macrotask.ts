/**
 * Run `fn` in a fresh macrotask: after the current task and all its
 * microtasks. Far cheaper than `setTimeout(0)`, which browsers clamp to 4 ms
 * once nested.
 *
 * One `MessageChannel` serves every call (creating a channel per call cost a
 * measurable share of each request: see docs/performance.md). Promises kept:
 *  - each message runs exactly one callback, so every `fn` still gets a task
 *    of its own, and one that throws leaves the rest queued and running;
 *  - callbacks run in the order they were scheduled (one port, FIFO).
 */
const queue: (() => void)[] = [];
let port: MessagePort | undefined;

function channel(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => queue.shift()!();
  // In Node (unit tests) a listening port keeps the process alive; a browser has no unref.
  (port1 as { unref?: () => void }).unref?.();
  return port2;
}

export function macrotask(fn: () => void): void {
  queue.push(fn);
  (port ??= channel()).postMessage(null);
}
