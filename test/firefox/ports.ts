/**
 * Ports of the Firefox run, derived from the same base as Playwright's
 * (`HEARTH_TEST_PORT`), above the ports the Chromium run uses, so both can run
 * at once: base+5 serves the repository (test/app, test/differential), base+6
 * the edge app under `vite`, base+7 the edge app's build under `vite preview`.
 */
const BASE = Number(process.env.HEARTH_TEST_PORT ?? 5199);
export const ROOT_PORT = BASE + 5;
export const EDGE_PORT = BASE + 6;
export const PREVIEW_PORT = BASE + 7;
export const ROOT = `http://localhost:${ROOT_PORT}`;
export const EDGE = `http://localhost:${EDGE_PORT}`;
