/**
 * Console capture: what an object's code writes to `console` is also sent to
 * its host tab (`log` messages), which keeps the recent ones for the devtools'
 * Logs panel. The original console still prints (Chromium shows worker
 * output in the page's console), so nothing is lost when no devtools is open.
 *
 * Arguments become one line of text here, in the worker (console-format.ts).
 */
import type { LogLevel, ObjectToHost } from '../protocol.ts';
import { formatLogLine } from '../console-format.ts';

const LEVELS: LogLevel[] = ['debug', 'log', 'info', 'warn', 'error'];

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
      toHost({ type: 'log', level, text: formatLogLine(args), at: performance.timeOrigin + performance.now() });
    };
  }
}
