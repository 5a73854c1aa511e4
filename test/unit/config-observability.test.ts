/** The config's `observability` key and `hearth.metadata_boundary` (src/config.ts), normalised and checked. */
import { describe, expect, it } from 'vitest';
import { normalizeConfig, withHearthSettings, type WranglerConfig } from '../../src/config.ts';

const SRC = '/app/wrangler.jsonc';
function thrown(config: unknown): string {
  try {
    normalizeConfig(config as WranglerConfig, SRC);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('observability and the metadata boundary', () => {
  it('leaves both out when absent, so every log is kept and exports are unbounded', () => {
    const config = normalizeConfig({}, SRC);
    expect(config.observability).toBeUndefined();
    expect(config.metadataBoundary).toBeUndefined();
  });

  it('reads enabled and head_sampling_rate with wrangler’s defaults, and the boundary from the hearth key', () => {
    expect(normalizeConfig({ observability: {} }, SRC).observability).toEqual({ enabled: true, headSamplingRate: 1 });
    expect(normalizeConfig({ observability: { enabled: false, head_sampling_rate: 0.1, logs: { invocation_logs: false } } }, SRC).observability)
      .toEqual({ enabled: false, headSamplingRate: 0.1 });
    expect(normalizeConfig({ hearth: { metadata_boundary: 'eu' } }, SRC).metadataBoundary).toBe('eu');
    expect(withHearthSettings(normalizeConfig({ hearth: { metadata_boundary: 'eu' } }, SRC), { idleTimeoutMs: 5 }).metadataBoundary).toBe('eu');
    expect(withHearthSettings(normalizeConfig({}, SRC), { metadata_boundary: 'us' }).metadataBoundary).toBe('us');
  });

  it('refuses values of the wrong kind', () => {
    expect(thrown({ observability: { enabled: 'yes' } })).toBe(`${SRC}: Expected "observability.enabled" to be of type boolean but got "yes".`);
    expect(thrown({ observability: { head_sampling_rate: 2 } })).toBe(`${SRC}: Expected "observability.head_sampling_rate" to be a number between 0 and 1 but got 2.`);
    expect(thrown({ hearth: { metadata_boundary: 'asia' } })).toBe(`${SRC}: Expected "hearth.metadata_boundary" to be one of "global", "eu", "us" but got "asia".`);
  });
});
