/** Helpers for the alarm tests: drive the test app's `Alarmist` (test/app/worker.ts) from a page. */
import type { Page } from '@playwright/test';

export interface AlarmRun {
  retryCount: number;
  isRetry: boolean;
  scheduledTime: number;
  startedAt: number;
  getAlarm: number | null;
  memoryRuns: number;
}

/** Evaluate `code` (a function source taking `(storage, ctx, self)`) inside the Alarmist named `name`. */
export function inAlarmist<T = any>(page: Page, name: string, code: string): Promise<T> {
  return page.evaluate(async ([name, code]) => await (window.hearth.stub('ALARMIST', name) as any).run(code), [name, code] as const);
}

/**
 * Every logged run of the Alarmist's `alarm()`. A read in flight when the object's host tab dies fails with
 * the retryable `Network connection lost.` (it may have run, so Hearth does not re-send it): a read can retry.
 */
export function alarmRuns(page: Page, name: string): Promise<AlarmRun[]> {
  return page.evaluate(async (name) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await (window.hearth.stub('ALARMIST', name) as any).runs();
      } catch (error) {
        if (!(error as { retryable?: boolean })?.retryable || attempt >= 5) throw error;
      }
    }
  }, name);
}

/** The coordinator's schedule entry for the Alarmist named `name`, if any. */
export async function scheduled(page: Page, name: string) {
  const inspection = await page.evaluate(() => window.hearth.runtime.inspect());
  return inspection.alarms.find((a) => a.name === name);
}
