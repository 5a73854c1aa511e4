// What test/ensure-chromium.mjs and test/ensure-firefox.mjs share: run before a suite that drives a real browser
// (Playwright's and puppeteer's own browser downloads cannot be used here), find it, install Debian's package where
// it can (root + apt), or say exactly what to run — instead of failing later with a launch error.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/**
 * @param {object} browser
 * @param {string} browser.envVar the variable that names the executable (CHROMIUM_PATH)
 * @param {string} browser.defaultPath where Debian's package puts it
 * @param {string} browser.aptPackage Debian's package
 * @param {string} browser.label the browser, for messages ("Chromium")
 * @param {string} browser.neededBy who needs it, for messages ("The end-to-end tests")
 * @param {string} browser.otherwise what to do without apt ("The end-to-end tests need a Chromium: …")
 */
export function ensureBrowser({ envVar, defaultPath, aptPackage, label, neededBy, otherwise }) {
  const path = process.env[envVar] ?? defaultPath;
  if (existsSync(path)) return;

  const apt = existsSync('/usr/bin/apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env[envVar] || !apt || !root) {
    console.error(
      process.env[envVar]
        ? `${envVar} is ${path}, and there is no file there.`
        : apt
          ? `${neededBy} need ${label} at ${defaultPath}. Run: sudo apt-get update && sudo apt-get install -y ${aptPackage}`
          : otherwise,
    );
    process.exit(1);
  }

  console.log(`${label} is missing: installing Debian's (apt-get install ${aptPackage})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', aptPackage], { stdio: 'inherit', env });
}
