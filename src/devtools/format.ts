/** Small display helpers shared by the panels. */
export function time(at: number | undefined): string {
  if (!at) return '—';
  const d = new Date(at);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function shortId(id: string | undefined): string {
  return id ? `${id.slice(0, 8)}…` : '—';
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
