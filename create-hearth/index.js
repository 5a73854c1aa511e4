#!/usr/bin/env node
/**
 * `npm create hearth@latest my-app`: copies template/ into ./my-app and names
 * the app after the directory. No dependencies, no prompts: the template is
 * the whole starter, and its README says what to do next.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = fileURLToPath(new URL('./template', import.meta.url));

function fail(message) {
  console.error(`create-hearth: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('Usage: npm create hearth@latest <directory>');
  process.exit(0);
}
const target = path.resolve(args.find((a) => !a.startsWith('-')) ?? 'hearth-app');
if (existsSync(target) && readdirSync(target).length > 0) fail(`${target} exists and is not empty.`);

cpSync(TEMPLATE, target, { recursive: true });
// npm leaves .gitignore files out of packages, so the template carries it under another name.
renameSync(path.join(target, '_gitignore'), path.join(target, '.gitignore'));

// The directory names the app: in package.json, in its README and as the Worker's name on Cloudflare.
const name = path.basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'hearth-app';
for (const file of ['package.json', 'wrangler.jsonc', 'README.md']) {
  const full = path.join(target, file);
  writeFileSync(full, readFileSync(full, 'utf8').replaceAll('hearth-starter', name));
}

const shown = path.relative(process.cwd(), target) || '.';
console.log(`Made a Hearth app in ${shown}. Next:

  cd ${shown}
  npm install
  npm run dev        # open the page in two tabs: one object, shared by both

  npm run deploy     # the same Worker and Durable Object, on Cloudflare
`);
