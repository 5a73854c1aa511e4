/**
 * Starts Hearth the way an app does — no options: the plugin supplies config and code.
 * `?hearth=<json>` passes `start({ hearth })` overrides instead (the override tests).
 */
import { patchGlobalWebSocket, start } from '../../src/index.ts';
import { reportReady } from '../page-ready.ts';

const overrides = new URLSearchParams(location.search).get('hearth');

reportReady(
  start(overrides ? { hearth: JSON.parse(overrides) } : undefined).then((runtime) => {
    Object.assign(window, { runtime, patchGlobalWebSocket });
  }),
);
