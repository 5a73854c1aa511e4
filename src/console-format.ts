/**
 * One `console` call as one line of text, in the context that made it (an
 * object worker, the edge): values that cannot be cloned (functions, class
 * instances with private state) must never break a `console.log`, and the
 * devtools store only text. Pure.
 */

/** Longer lines are cut: a log line is for reading, and many are kept. */
export const MAX_LOG_TEXT = 4000;

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

/** The arguments of one `console` call as one line, cut at `MAX_LOG_TEXT`. */
export function formatLogLine(args: readonly unknown[]): string {
  const text = args.map(formatLogArgument).join(' ');
  return text.length > MAX_LOG_TEXT ? `${text.slice(0, MAX_LOG_TEXT)}…` : text;
}
