/**
 * A host with fake object workers, for unit tests of `ObjectHost`: the fakes
 * record what the host posts and answer like the real worker when told to.
 */
import { ObjectHost } from '../../src/host/object-host.ts';
import { normalizeConfig } from '../../src/config.ts';
import type { HostToObject, ObjectAddress } from '../../src/protocol.ts';

export class FakeWorker {
  readonly name: string;
  posted: HostToObject[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly #listeners: ((event: MessageEvent) => void)[] = [];
  constructor(name: string) {
    this.name = name;
  }
  postMessage(message: HostToObject) {
    this.posted.push(message);
    // A graceful stop for close() is answered as the real worker answers it.
    if (message.type === 'stop' && message.reason === 'close') queueMicrotask(() => this.say({ type: 'stopped', reason: 'close' }));
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent) => void) {
    this.#listeners.push(listener);
  }
  terminate() {
    this.terminated = true;
  }
  /** The worker posts `data` to the host. */
  say(data: unknown) {
    const event = { data } as MessageEvent;
    this.onmessage?.(event);
    for (const listener of this.#listeners) listener(event);
  }
  /** The object answers a call the hosting page made (its first answer lets the host replace the spare it used). */
  answer() {
    this.say({ t: 'ok', cid: 1, value: null });
  }
  /** The worker's module graph failed to load. */
  fail() {
    this.onerror?.({ message: 'module failed to load', type: 'error' } as ErrorEvent);
  }
}

export const address = (name: string): ObjectAddress => ({ namespaceKey: 'app-C', className: 'C', id: name.padEnd(64, '0'), name });
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export function hostWithFakeWorkers(maxLiveObjectsPerHost = 64) {
  const workers: FakeWorker[] = [];
  const config = normalizeConfig({
    name: 'app',
    durable_objects: { bindings: [{ name: 'C', class_name: 'C' }] },
    hearth: { maxLiveObjectsPerHost },
  });
  const host = new ObjectHost({
    config,
    app: { kind: 'url', url: 'https://app.test/worker.js' },
    wasmModule: Promise.resolve({} as WebAssembly.Module),
    stopped: () => {},
    workerResolve: () => {},
    hostId: 'host-test',
    wake: async () => false,
    createWorker: (name) => {
      const worker = new FakeWorker(name);
      workers.push(worker);
      return worker as unknown as Worker;
    },
  });
  /** Place an object and let its worker say `ready`. */
  const place = async (name: string) => {
    const placed = host.place(address(name), 1);
    await tick();
    const worker = workers.find((w) => w.posted.some((m) => m.type === 'init' && m.init.address.name === name))!;
    worker.say({ type: 'ready' });
    await placed;
    return worker;
  };
  return { host, workers, place };
}
