// Runs before the Firefox subset (npm's pretest:firefox): it drives Debian's Firefox ESR (153 or later: 140 has no
// module service workers) through puppeteer-core.
import { ensureBrowser } from './ensure-browser.mjs';

ensureBrowser({
  envVar: 'FIREFOX_PATH',
  defaultPath: '/usr/bin/firefox-esr',
  aptPackage: 'firefox-esr',
  label: 'Firefox ESR',
  neededBy: 'The Firefox tests',
  otherwise: 'The Firefox tests need Firefox 147 or later: install one and set FIREFOX_PATH to its executable.',
});
