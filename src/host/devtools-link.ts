/**
 * A host tab's side of the devtools (src/devtools/): on the BroadcastChannel
 * `DEVTOOLS_CHANNEL` it reports the gate records and console output of the
 * objects it hosts, but only while a devtools page is open.
 *
 * - Silent by default: until a devtools page says `devtools-here`, objects
 *   are not observed (the gate observer costs nothing) and only logs are
 *   kept, in a bounded ring (`MAX_LOGS`), so a devtools page opened later
 *   still sees what happened.
 * - A devtools page repeats `devtools-here` every `HEARTBEAT_MS`; after
 *   `SILENCE_MS` without one (it was closed, or crashed) the host stops
 *   observing. A BroadcastChannel only reaches the same origin.
 */
import type { DevtoolsBroadcast, DevtoolsSocket, GateEvent, LogLevel } from '../protocol.ts';
import { DEVTOOLS_CHANNEL } from '../names.ts';
import type { MetadataBoundary } from '../config-record.ts';

export const HEARTBEAT_MS = 1000;
const SILENCE_MS = 4000;
const MAX_LOGS = 1000;

interface LogRecord {
  key: string;
  level: LogLevel;
  text: string;
  at: number;
  jurisdiction?: string;
}

export interface DevtoolsLink {
  log(key: string, level: LogLevel, text: string, at: number, jurisdiction?: string): void;
  /** The sockets this tab keeps changed: tell an open devtools page. */
  socketsChanged(): void;
  close(): void;
}

/** The host's hibernatable sockets (host/socket-keeper.ts), for the devtools to list and close. */
export interface HostSockets {
  list(): DevtoolsSocket[];
  close(key: string, sid: string): boolean;
}

export function linkDevtools(
  hostId: string,
  observe: (listener: (record: { key: string; event: GateEvent }) => void) => () => void,
  sockets?: HostSockets,
  boundary?: MetadataBoundary,
): DevtoolsLink {
  const logs: LogRecord[] = [];
  let lastHeard = 0;
  let stopObserving: (() => void) | undefined;
  let silenceTimer: ReturnType<typeof setInterval> | undefined;
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(DEVTOOLS_CHANNEL);
  const post = (message: DevtoolsBroadcast) => channel?.postMessage(message);

  const listening = () => stopObserving !== undefined;

  function start(): void {
    stopObserving = observe(({ key, event }) => post({ type: 'host-gate', hostId, key, event }));
    post({ type: 'host-logs', hostId, logs: [...logs], ...(boundary ? { boundary } : {}) });
    if (sockets) post({ type: 'host-sockets', hostId, sockets: sockets.list() });
    silenceTimer = setInterval(() => {
      if (Date.now() - lastHeard > SILENCE_MS) stop();
    }, HEARTBEAT_MS);
  }

  function stop(): void {
    stopObserving?.();
    stopObserving = undefined;
    clearInterval(silenceTimer);
  }

  if (channel) {
    channel.onmessage = (event: MessageEvent<DevtoolsBroadcast>) => {
      // A BroadcastChannel joins one origin only; closing sockets on another's word is checked all the same.
      if (event.origin && event.origin !== location.origin) return;
      const message = event.data;
      if (message?.type === 'close-socket') {
        // Only the tab that keeps the socket answers.
        if (sockets?.close(message.key, message.sid)) post({ type: 'socket-closed', clientId: message.clientId, rid: message.rid, hostId });
        return;
      }
      if (message?.type !== 'devtools-here') return;
      lastHeard = Date.now();
      if (!listening()) start();
    };
  }

  return {
    log(key, level, text, at, jurisdiction) {
      const record: LogRecord = { key, level, text, at, ...(jurisdiction ? { jurisdiction } : {}) };
      logs.push(record);
      if (logs.length > MAX_LOGS) logs.splice(0, logs.length - MAX_LOGS);
      if (listening()) post({ type: 'host-log', hostId, ...record });
    },
    socketsChanged() {
      if (listening() && sockets) post({ type: 'host-sockets', hostId, sockets: sockets.list() });
    },
    close() {
      stop();
      channel?.close();
    },
  };
}
