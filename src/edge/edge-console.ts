/**
 * The edge's console for the devtools' Logs panel: what the app's Worker (and
 * Hearth's edge itself) writes to `console` in the service worker is kept in
 * a bounded ring and told to devtools pages on the same BroadcastChannel the
 * host tabs use (`DEVTOOLS_CHANNEL`), filed under `EDGE_LOG_KEY`.
 *
 * - The original console still prints (DevTools shows the service worker's
 *   output), so nothing is lost when no Hearth devtools page is open.
 * - `observability` applies as in the tabs (telemetry.ts `logKept`).
 * - The ring goes to each devtools page when it first says `devtools-here`;
 *   after that, lines go out as they are written, while one said so within
 *   `SILENCE_MS`. A stopped service worker hears nothing: a restarted one
 *   starts an empty ring and sends it at the next heartbeat.
 * - A BroadcastChannel reaches only its own origin; messages from another
 *   origin are ignored anyway.
 */
import type { DevtoolsBroadcast, LogLevel } from '../protocol.ts';
import type { NormalizedConfig } from '../config-record.ts';
import { DEVTOOLS_CHANNEL } from '../names.ts';
import { formatLogLine } from '../console-format.ts';
import { logKept } from '../telemetry.ts';

const LEVELS: LogLevel[] = ['debug', 'log', 'info', 'warn', 'error'];
/** Lines kept for a devtools page opened later (a service worker is stopped when idle: it keeps few for long). */
const MAX_LINES = 500;
/** A devtools page repeats `devtools-here` every second (devtools/host-channel.ts); this long without one, it is gone. */
const SILENCE_MS = 4000;

type Line = { level: LogLevel; text: string; at: number };

export function captureEdgeConsole(origin: string, config: NormalizedConfig): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(DEVTOOLS_CHANNEL);
  const lines: Line[] = [];
  const pages = new Set<string>();
  let lastHeard = 0;
  const post = (message: DevtoolsBroadcast) => channel.postMessage(message);

  channel.onmessage = (event: MessageEvent<DevtoolsBroadcast>) => {
    if (event.origin && event.origin !== origin) return;
    const message = event.data;
    if (message?.type !== 'devtools-here' || typeof message.clientId !== 'string') return;
    lastHeard = Date.now();
    if (pages.has(message.clientId)) return;
    pages.add(message.clientId);
    post({ type: 'edge-logs', logs: [...lines] });
  };

  const target = console as unknown as Record<LogLevel, (...args: unknown[]) => void>;
  for (const level of LEVELS) {
    const original = target[level].bind(console);
    target[level] = (...args: unknown[]) => {
      original(...args);
      if (!logKept(config.observability)) return;
      const line: Line = { level, text: formatLogLine(args), at: Date.now() };
      lines.push(line);
      if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
      if (Date.now() - lastHeard <= SILENCE_MS) post({ type: 'edge-logs', logs: [line] });
    };
  }
}
