/**
 * Starts Hearth the way an app does — no options: the plugin supplies config and code.
 * `?hearth=<json>` passes `start({ hearth })` overrides instead (the override tests).
 */
import { patchGlobalWebSocket, start } from '../../src/index.ts';

const overrides = new URLSearchParams(location.search).get('hearth');

start(overrides ? { hearth: JSON.parse(overrides) } : undefined).then(
  (runtime) => {
    Object.assign(window, { runtime, patchGlobalWebSocket });
    document.querySelector('#status')!.textContent = 'ready';
    document.body.dataset.ready = 'true';
  },
  (error: Error) => {
    document.querySelector('#status')!.textContent = `${error.name}: ${error.message}`;
    document.body.dataset.ready = 'error';
    console.error(error);
  },
);
