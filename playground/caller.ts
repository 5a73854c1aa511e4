/**
 * Making calls from the playground page to its objects, the way app code
 * does: RPC through a stub, `stub.fetch`, and a WebSocket upgraded through
 * `stub.fetch`. Each outcome becomes a `CallRecord`. Many calls at once are
 * started together (not one after another), so they really are concurrent
 * at the object — which is what the input-gate lesson needs.
 */
import { CallLog, TAB_ID, describeError, jsonSafe, type CallRecord } from './call-log.ts';
import type { Deployer } from './deployer.ts';

export interface Target {
  binding: string;
  name: string;
}

let nextId = 0;
const newId = () => `${crypto.randomUUID().slice(0, 8)}-${++nextId}`;

export class Caller {
  readonly #sockets = new Map<string, any>();

  constructor(
    private readonly deployer: Deployer,
    private readonly log: CallLog,
  ) {}

  #stub(runtime: { env: Record<string, any> }, target: Target) {
    const namespace = runtime.env[target.binding];
    if (!namespace) throw new Error(`No binding env.${target.binding}: Deploy a config that declares it.`);
    return namespace.getByName(target.name);
  }

  #base(target: Target, kind: CallRecord['kind'], batch: string, batchSize: number) {
    return { id: newId(), tab: TAB_ID, kind, ...target, batch, batchSize, started: Date.now() };
  }

  /** `stub.method(...args)`, `times` of them at once. Resolves when all have settled. */
  async rpc(target: Target, method: string, args: unknown[], times = 1): Promise<CallRecord[]> {
    const batch = newId();
    return Promise.all(
      Array.from({ length: times }, async () => {
        const base = this.#base(target, 'rpc', batch, times);
        let record: CallRecord;
        try {
          const value = await this.deployer.tracked((r) => this.#stub(r, target)[method](...args));
          record = { ...base, method, args, ok: true, value: jsonSafe(value), ended: Date.now() };
        } catch (error) {
          record = { ...base, method, args, ok: false, error: describeError(error), ended: Date.now() };
        }
        this.log.add(record);
        return record;
      }),
    );
  }

  /** `stub.fetch(url)`, `times` of them at once; the value is `status text`. */
  async fetch(target: Target, path: string, times = 1): Promise<CallRecord[]> {
    const batch = newId();
    return Promise.all(
      Array.from({ length: times }, async () => {
        const base = this.#base(target, 'fetch', batch, times);
        let record: CallRecord;
        try {
          const response: Response = await this.deployer.tracked((r) => this.#stub(r, target).fetch(new URL(path, 'https://object/').href));
          record = { ...base, method: path, ok: true, value: `${response.status} ${await response.text()}`, ended: Date.now() };
        } catch (error) {
          record = { ...base, method: path, ok: false, error: describeError(error), ended: Date.now() };
        }
        this.log.add(record);
        return record;
      }),
    );
  }

  /** Open a WebSocket to the object (`stub.fetch` with `Upgrade: websocket`); its frames are logged. */
  async openSocket(target: Target, path = '/'): Promise<CallRecord> {
    const key = `${target.binding}/${target.name}`;
    this.#sockets.get(key)?.close(1000, 'reopened');
    const base = this.#base(target, 'ws-open', newId(), 1);
    try {
      const response: Response = await this.deployer.tracked((r) =>
        this.#stub(r, target).fetch(new URL(path, 'https://object/').href, { headers: { Upgrade: 'websocket' } }),
      );
      const socket = (response as unknown as { webSocket?: any }).webSocket;
      if (!socket) throw new Error(`the object answered ${response.status}, not a WebSocket`);
      const frame = (kind: 'ws-message' | 'ws-close', fields: Partial<CallRecord>) =>
        this.log.add({ ...this.#base(target, kind, newId(), 1), ok: true, ended: Date.now(), ...fields });
      socket.addEventListener('message', (event: MessageEvent) => frame('ws-message', { value: jsonSafe(event.data) }));
      socket.addEventListener('close', (event: CloseEvent) => {
        if (this.#sockets.get(key) === socket) this.#sockets.delete(key);
        frame('ws-close', { value: `${event.code} ${event.reason}` });
      });
      socket.accept();
      this.#sockets.set(key, socket);
      const record = { ...base, ok: true, value: 'open', ended: Date.now() };
      this.log.add(record);
      return record;
    } catch (error) {
      const record = { ...base, ok: false, error: describeError(error), ended: Date.now() };
      this.log.add(record);
      return record;
    }
  }

  sendSocket(target: Target, text: string): CallRecord {
    const socket = this.#sockets.get(`${target.binding}/${target.name}`);
    const base = this.#base(target, 'ws-send', newId(), 1);
    let record: CallRecord;
    try {
      if (!socket) throw new Error('Open the WebSocket first.');
      socket.send(text);
      record = { ...base, ok: true, value: text, ended: Date.now() };
    } catch (error) {
      record = { ...base, ok: false, error: describeError(error), ended: Date.now() };
    }
    this.log.add(record);
    return record;
  }

  closeSockets(): void {
    for (const socket of this.#sockets.values()) socket.close(1000, 'closed by the playground');
    this.#sockets.clear();
  }
}
