/**
 * Console capture: what an object's code writes to `console` is also sent to
 * its host tab (`log` messages), which keeps the recent ones for the devtools'
 * Logs panel. The original console still prints (Chromium shows worker
 * output in the page's console), so nothing is lost when no devtools is open.
 *
 * Arguments become one line of text here, in the worker: values that cannot
 * be cloned (functions, class instances with private state) must never break
 * a `console.log`, and the devtools store only text.
 */
import type { LogLevel, ObjectToHost } from '../protocol.ts';

const LEVELS: LogLevel[] = ['debug', 'log', 'info', 'warn', 'error'];
/** Longer lines are cut: a log line is for reading, and the host keeps many. */
const MAX_TEXT = 4000;

export function formatLogArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (value instanceof Map) return `Map(${value.size}) ${formatLogArgument(Object.fromEntries(value))}`;
  if (value instanceof Set) return `Set(${value.size}) ${formatLogArgument([...value])}`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * `prefixOf()` (`[Counter main]`, once the object is known) goes before what the page's console prints, so
 * lines of many objects can be told apart there; a leading format string
 * keeps working (the prefix joins it).
 */
export function captureConsole(toHost: (message: ObjectToHost) => void, prefixOf: () => string | undefined = () => undefined): void {
  const target = console as unknown as Record<LogLevel, (...args: unknown[]) => void>;
  for (const level of LEVELS) {
    const original = target[level].bind(console);
    target[level] = (...args: unknown[]) => {
      const prefix = prefixOf();
      if (!prefix) original(...args);
      else if (typeof args[0] === 'string') original(`${prefix} ${args[0]}`, ...args.slice(1));
      else original(prefix, ...args);
      let text = args.map(formatLogArgument).join(' ');
      if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}…`;
      toHost({ type: 'log', level, text, at: performance.timeOrigin + performance.now() });
    };
  }
}
