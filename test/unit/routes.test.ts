import { describe, expect, it } from 'vitest';
import { compileRoutes, routePatternProblem } from '../../src/routes.ts';

describe('compileRoutes', () => {
  it('a /prefix/* pattern matches the prefix itself and everything under it, not a longer name', () => {
    const matches = compileRoutes(['/api/*']);
    for (const path of ['/api', '/api/', '/api/x', '/api/x/y']) expect(matches(path), path).toBe(true);
    for (const path of ['/apix', '/ap', '/', '/other/api', '/API']) expect(matches(path), path).toBe(false);
  });

  it('an exact pattern matches only that path', () => {
    const matches = compileRoutes(['/health']);
    expect(matches('/health')).toBe(true);
    for (const path of ['/health/', '/healthz', '/health/x', '/']) expect(matches(path), path).toBe(false);
  });

  it('/* matches every path', () => {
    const matches = compileRoutes(['/*']);
    for (const path of ['/', '/a', '/a/b/c']) expect(matches(path), path).toBe(true);
  });

  it('several patterns match their union; none matches nothing', () => {
    const matches = compileRoutes(['/health', '/api/*', '/v1/rooms/*']);
    for (const path of ['/health', '/api/a', '/v1/rooms', '/v1/rooms/7']) expect(matches(path), path).toBe(true);
    for (const path of ['/v1', '/v1/roomsx', '/index.html']) expect(matches(path), path).toBe(false);
    expect(compileRoutes([])('/')).toBe(false);
  });

  it('a nested prefix works: /a/b/* does not match /a', () => {
    const matches = compileRoutes(['/a/b/*']);
    expect(matches('/a/b')).toBe(true);
    expect(matches('/a/b/c')).toBe(true);
    expect(matches('/a')).toBe(false);
  });

  it('refuses a bad pattern, naming hearth.routes[i]', () => {
    expect(() => compileRoutes(['/ok', 'api/*'])).toThrowError('"hearth.routes[1]" must start with "/" but got "api/*"');
  });
});

describe('routePatternProblem', () => {
  it('accepts the three forms', () => {
    for (const p of ['/', '/*', '/api/*', '/health', '/a/b/c']) expect(routePatternProblem(p), p).toBeUndefined();
  });

  it('explains each bad pattern', () => {
    expect(routePatternProblem('api')).toBe('must start with "/" but got "api"');
    expect(routePatternProblem('')).toBe('must start with "/" but got ""');
    expect(routePatternProblem('/api*')).toBe('may use "*" only as its whole last segment ("/api/*") but got "/api*"');
    expect(routePatternProblem('/*/x')).toBe('may use "*" only as its whole last segment ("/api/*") but got "/*/x"');
    expect(routePatternProblem('/a/*/*')).toBe('may use "*" only as its whole last segment ("/api/*") but got "/a/*/*"');
    expect(routePatternProblem('*')).toBe('must start with "/" but got "*"');
    expect(routePatternProblem(3)).toBe('must be a string but got 3');
  });
});
