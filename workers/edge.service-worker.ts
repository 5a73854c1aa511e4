/**
 * Entry for the edge service worker, built by the `hearth()` Vite plugin
 * around the app's main module. Everything is in src/edge/.
 */
import app from 'virtual:hearth/app';
import { config, configPath, precache, scope, version } from 'virtual:hearth/config';
import { serveEdge } from '../src/edge/edge.ts';

serveEdge(globalThis as unknown as Parameters<typeof serveEdge>[0], { app, config, configPath, version, scope, precache });
