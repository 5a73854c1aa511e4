// Runs before the end-to-end tests (npm's pretest:e2e): they drive a real Chromium, and Playwright's own
// browser download cannot be used here.
import { ensureBrowser } from './ensure-browser.mjs';

ensureBrowser({
  envVar: 'CHROMIUM_PATH',
  defaultPath: '/usr/bin/chromium',
  aptPackage: 'chromium',
  label: 'Chromium',
  neededBy: 'The end-to-end tests',
  otherwise: 'The end-to-end tests need a Chromium: install one and set CHROMIUM_PATH to its executable.',
});
