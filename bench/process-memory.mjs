/**
 * Resident memory of the processes this Node process started, read from
 * /proc (Linux only; elsewhere every figure is null).
 *
 * Why /proc and not an in-page API: `performance.measureUserAgentSpecificMemory`
 * needs a cross-origin-isolated page, which a Hearth app page is not; and the
 * DevTools protocol's `SystemInfo.getProcessInfo` is not reachable from a
 * persistent Playwright context. Chromium runs dedicated workers as threads of
 * the page's renderer process, so the renderer's VmRSS grows by what each
 * object worker costs (its V8 isolate, SQLite's wasm memory, its pool's open
 * files). Only our own descendants are read: other agents' browsers on the
 * same machine are not ours to count.
 */
import { readdirSync, readFileSync } from 'node:fs';

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** pid → { ppid, cmdline } for every process we can read. */
function processTable() {
  const table = new Map();
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, 'stat');
    if (!stat) continue;
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    table.set(Number(entry), { ppid, cmdline: (readProc(entry, 'cmdline') ?? '').replace(/\0/g, ' ') });
  }
  return table;
}

function descendants(root, table) {
  const out = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift();
    for (const [pid, info] of table) {
      if (info.ppid === parent) {
        out.push({ pid, ...info });
        queue.push(pid);
      }
    }
  }
  return out;
}

function rssKb(pid) {
  const status = readProc(pid, 'status');
  const match = status && /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) : 0;
}

/** Summed VmRSS (MB) of our descendant processes whose command line matches `pattern`, or null off Linux. */
export function descendantRssMb(pattern) {
  const table = processTable();
  if (table.size === 0) return null;
  const matching = descendants(process.pid, table).filter((p) => pattern.test(p.cmdline));
  return matching.reduce((sum, p) => sum + rssKb(p.pid), 0) / 1024;
}

/** Chromium renderer processes (pages and their dedicated workers). */
export const rendererRssMb = () => descendantRssMb(/--type=renderer/);
/** The workerd process miniflare started. */
export const workerdRssMb = () => descendantRssMb(/workerd/);

/** The renderers' RSS once it has stopped moving (two readings 0.5 s apart within 0.5 MB; at most 10 s). */
export async function settledRssMb(page) {
  let last = rendererRssMb();
  if (last === null) return null;
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(500);
    const now = rendererRssMb();
    if (Math.abs(now - last) < 0.5) return now;
    last = now;
  }
  return last;
}
