/**
 * `hearth.routes`: which request paths the edge (service worker) hands to the
 * Worker's `fetch`. Three forms, the useful subset of Cloudflare route
 * patterns without the host part:
 *   - `"/*"`      every path;
 *   - `"/api/*"`  `/api`, `/api/` and everything under it, but not `/apix`;
 *   - `"/health"` exactly that path.
 * Pure and dependency-free: the service worker imports it.
 */

/** Why `pattern` is not a route pattern, or `undefined` when it is one. */
export function routePatternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return `must be a string but got ${JSON.stringify(pattern) ?? 'undefined'}`;
  if (!pattern.startsWith('/')) return `must start with "/" but got "${pattern}"`;
  const star = pattern.indexOf('*');
  if (star !== -1 && (star !== pattern.length - 1 || !pattern.endsWith('/*'))) {
    return `may use "*" only as its whole last segment ("/api/*") but got "${pattern}"`;
  }
  return undefined;
}

/**
 * One matcher for all patterns; called for every request the service worker
 * sees, so it does a Set lookup and a few `startsWith`, nothing more.
 * Throws a TypeError naming `hearth.routes[i]` for a bad pattern
 * (`normalizeConfig` reports the same problem as a ConfigError first).
 */
export function compileRoutes(patterns: readonly string[]): (pathname: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let everything = false;
  for (const [i, pattern] of patterns.entries()) {
    const problem = routePatternProblem(pattern);
    if (problem) throw new TypeError(`"hearth.routes[${i}]" ${problem}`);
    if (pattern === '/*') everything = true;
    else if (pattern.endsWith('/*')) {
      const base = pattern.slice(0, -2); // "/api"
      exact.add(base);
      prefixes.push(`${base}/`);
    } else exact.add(pattern);
  }
  if (everything) return () => true;
  return (pathname) => exact.has(pathname) || prefixes.some((p) => pathname.startsWith(p));
}
