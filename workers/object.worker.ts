/**
 * Entry for an object worker: one live Durable Object per dedicated worker.
 * Wires the host's messages to `ObjectRuntime`; everything else is in src/object/.
 */
import { ConnectionPool } from '../src/caller/connection-pool.ts';
import { createEnv } from '../src/caller/env.ts';
import { deserializeError, serializeError } from '../src/errors.ts';
import { captureConsole } from '../src/object/console-capture.ts';
import { HostResolver } from '../src/object/host-resolver.ts';
import { ObjectRuntime, type CallEndpoint } from '../src/object/object-runtime.ts';
import { loadSqlite } from '../src/storage/sqlite-open.ts';
import { isToObject, type HostToObject, type ObjectToHost, type ToObject } from '../src/protocol.ts';

interface DedicatedScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  close(): void;
}
const scope = globalThis as unknown as DedicatedScope;
const toHost = (message: ObjectToHost, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
/** The hosting page's own calls arrive on the worker itself. */
const hostEndpoint: CallEndpoint = { postMessage: (message, transfer = []) => scope.postMessage(message, transfer) };

let runtime: ObjectRuntime | undefined;
const resolver = new HostResolver(toHost);
let pool: ConnectionPool | undefined;

scope.onmessage = (event: MessageEvent<HostToObject | ToObject>) => {
  const message = event.data;
  if (isToObject(message)) {
    runtime?.onMessage(hostEndpoint, message);
    return;
  }
  switch (message.type) {
    case 'init': {
      const { className, name, id } = message.init.address;
      captureConsole(toHost, `[${className} ${name ?? id.slice(0, 8)}]`);
      // Calls to other objects are output: they wait for this object's output gate.
      pool = new ConnectionPool(resolver, () => runtime?.outputGate() ?? Promise.resolve());
      runtime = new ObjectRuntime(message.init, toHost, createEnv(message.init.config, pool));
      runtime.start().then(
        () => toHost({ type: 'ready' }),
        (error: unknown) => toHost({ type: 'init-failed', error: serializeError(error) }),
      );
      return;
    }
    case 'warm':
      // A spare: instantiate SQLite ahead; `init` reuses it (a failure here surfaces again at init).
      loadSqlite(message.wasmModule).catch(() => {});
      return;
    case 'connect':
      runtime?.servePort(message.port);
      return;
    case 'stop':
      void runtime?.stop(message.reason);
      return;
    case 'exit':
      scope.close();
      return;
    case 'observe':
      runtime?.observe(message.on);
      return;
    case 'resolved':
      resolver.resolved(message.rid, message.epoch, message.port);
      return;
    case 'resolve-failed':
      resolver.failed(message.rid, message.error);
      return;
    case 'lost':
      pool?.lost(message.key, message.epoch, message.error && deserializeError(message.error));
      return;
    case 'ws-event':
      runtime?.onSocketEvent(message.sid, message.event);
      return;
    case 'ws-auto-ts':
      runtime?.onAutoResponse(message.sid, message.at);
      return;
    case 'alarm-recorded':
      runtime?.alarmRecorded(message.seq);
      return;
  }
};
