// Runs before the end-to-end tests (npm's pretest:e2e): they drive a real Chromium, and Playwright's own
// browser download cannot be used here. Finds one, installs Debian's where it can (root + apt), or says
// exactly what to run — instead of failing later with a launch error.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const apt = existsSync('/usr/bin/apt-get');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.env.CHROMIUM_PATH || !apt || !root) {
  console.error(
    process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH is ${path}, and there is no file there.`
      : apt
        ? 'The end-to-end tests need Chromium at /usr/bin/chromium. Run: sudo apt-get update && sudo apt-get install -y chromium'
        : 'The end-to-end tests need a Chromium: install one and set CHROMIUM_PATH to its executable.',
  );
  process.exit(1);
}

console.log('Chromium is missing: installing Debian\'s (apt-get install chromium)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
