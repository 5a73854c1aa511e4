import { test, expect } from './fixtures.ts';
import { relaunchingBrowser } from './relaunching-browser.ts';

test('storage survives closing and relaunching the browser with the same profile', async ({ baseURL, launchOptions }) => {
  const browser = relaunchingBrowser(launchOptions, baseURL!);
  try {
    const written = await browser.session((page) =>
      page.evaluate(async () => {
        for (let i = 0; i < 7; i++) await window.hearth.fetch('COUNTER', 'durable', '/increment');
        return (await window.hearth.fetch('COUNTER', 'durable', '/')).text;
      }),
    );
    expect(written).toBe('7');
    const reread = await browser.session((page) => page.evaluate(async () => (await window.hearth.fetch('COUNTER', 'durable', '/')).text));
    expect(reread).toBe('7');
  } finally {
    browser.remove();
  }
});
