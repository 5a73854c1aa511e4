// Runs before the Firefox subset (npm's pretest:firefox): it drives Debian's Firefox ESR (153 or later: 140 has no
// module service workers) through puppeteer-core. Finds it, installs it where it can (root + apt), or says
// exactly what to run — instead of failing later with a launch error.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
if (existsSync(path)) process.exit(0);

const apt = existsSync('/usr/bin/apt-get');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.env.FIREFOX_PATH || !apt || !root) {
  console.error(
    process.env.FIREFOX_PATH
      ? `FIREFOX_PATH is ${path}, and there is no file there.`
      : apt
        ? 'The Firefox tests need Firefox ESR at /usr/bin/firefox-esr. Run: sudo apt-get update && sudo apt-get install -y firefox-esr'
        : 'The Firefox tests need Firefox 147 or later: install one and set FIREFOX_PATH to its executable.',
  );
  process.exit(1);
}

console.log('Firefox ESR is missing: installing Debian\'s (apt-get install firefox-esr)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'firefox-esr'], { stdio: 'inherit', env });
