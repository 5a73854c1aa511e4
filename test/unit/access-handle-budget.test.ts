import { describe, expect, it } from 'vitest';
import { normalizeConfig, ConfigError } from '../../src/config.ts';
import { fitAccessHandleBudget, HANDLES_PER_OBJECT, WEBKIT_ACCESS_HANDLE_CAP, WEBKIT_MAX_LIVE_OBJECTS } from '../../src/host/access-handle-budget.ts';

const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15';
const IOS_CHROME = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

describe('the access-handle budget', () => {
  it('keeps a WebKit origin under its cap: live objects × handles each stay below 252', () => {
    expect(WEBKIT_MAX_LIVE_OBJECTS * HANDLES_PER_OBJECT).toBeLessThanOrEqual(WEBKIT_ACCESS_HANDLE_CAP);
    for (const ua of [SAFARI, IOS_CHROME]) {
      expect(fitAccessHandleBudget(normalizeConfig({}), ua).maxLiveObjectsPerHost).toBe(WEBKIT_MAX_LIVE_OBJECTS);
    }
  });

  it('leaves Chromium and Firefox at the default bound', () => {
    for (const ua of [CHROME, FIREFOX]) expect(fitAccessHandleBudget(normalizeConfig({}), ua).maxLiveObjectsPerHost).toBe(64);
  });

  it('refuses, with the numbers, a bound the app chose that cannot fit on WebKit, and keeps one that fits', () => {
    expect(() => fitAccessHandleBudget(normalizeConfig({ hearth: { maxLiveObjectsPerHost: 100 } }), SAFARI)).toThrow(
      new ConfigError(
        `hearth.maxLiveObjectsPerHost is 100, but this browser (WebKit) lets an origin hold only about 252 open OPFS access handles, ` +
          `and each live object holds ${HANDLES_PER_OBJECT}: at most ${WEBKIT_MAX_LIVE_OBJECTS} live objects fit. Lower it to ${WEBKIT_MAX_LIVE_OBJECTS} or less.`,
      ),
    );
    expect(fitAccessHandleBudget(normalizeConfig({ hearth: { maxLiveObjectsPerHost: 20 } }), SAFARI).maxLiveObjectsPerHost).toBe(20);
  });
});
