/**
 * Alarm scenarios of the differential test (DO-API §7): only what does not
 * depend on timing is compared — values of getAlarm, the retryCount/isRetry
 * sequence, that retries wait at least 2 s then 4 s more (counted from the
 * scheduled time), that a new alarm set by a
 * throwing handler replaces the retry, that deleteAlarm() in it prevents one,
 * and the errors. Exact times go under `info` (shown, never compared).
 *
 * They wait for alarms to run (seconds each), so the spec starts them all at
 * once, beside the others (`slow`).
 */
import { attempt } from './describe.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll the object until `done(state)` or `budgetMs` passes; returns the last state. */
async function waitFor(stub, done, budgetMs) {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const state = await stub.state();
    if (done(state) || Date.now() > deadline) return state;
    await sleep(100);
  }
}

/** The run log without the times (those go to `info`). */
function runsOf(state, scheduled) {
  return state.runs.map((r) => ({
    keys: r.keys,
    retryCount: r.retryCount,
    isRetry: r.isRetry,
    scheduledTimeIsTheSetOne: r.scheduledTime === scheduled,
    getAlarm: r.getAlarm,
    memory: r.memory,
  }));
}

const gaps = (runs) => runs.slice(1).map((r, i) => r.startedAt - runs[i].startedAt);

function retriesWithBackoff(binding) {
  return async ({ env, name }) => {
    const stub = env[binding].getByName(name('alarm'));
    const scheduled = await stub.start({ fail: 2 }, 300);
    const state = await waitFor(stub, (s) => s.runs.length >= 3, 25_000);
    // A little longer: a successful run leaves nothing to retry.
    await sleep(500);
    const final = await stub.state();
    const between = gaps(state.runs);
    return {
      runs: runsOf(final, scheduled),
      firstRunNotEarly: state.runs[0]?.startedAt >= scheduled,
      // Measured from the scheduled time, not run to run: under load workerd's clock (it moves only on I/O)
      // and its late first runs make run-to-run gaps noisy, while both runtimes keep these minimums.
      firstRetryAtLeast2sAfterTheScheduledTime: state.runs[1]?.startedAt - scheduled >= 2000,
      secondRetryAtLeast6sAfterTheScheduledTime: state.runs[2]?.startedAt - scheduled >= 6000,
      alarmAfter: final.alarm,
      info: { gaps: between, lateness: state.runs[0] && state.runs[0].startedAt - scheduled },
    };
  };
}

/** In a Runner, which has no `alarm()` handler. */
async function withoutHandler({ storage }) {
  return {
    set: await attempt(() => storage.setAlarm(Date.now() + 3_600_000)),
    alarm: await attempt(() => storage.getAlarm()),
    deleted: await attempt(() => storage.deleteAlarm()),
  };
}

export const ALARM_IN_OBJECT = {
  'alarm.set-without-a-handler': withoutHandler,
  'alarm.set-without-a-handler@kv': withoutHandler,
};

export const ALARM_AT_CALLER = {
  'alarm.values-and-errors': async ({ env, name }) => attempt(() => env.ALARMS.getByName(name('alarm')).values()),
  'alarm.values-and-errors@kv': async ({ env, name }) => attempt(() => env.KV_ALARMS.getByName(name('alarm')).values()),
  'alarm.retries-with-backoff': retriesWithBackoff('ALARMS'),
  'alarm.retries-with-backoff@kv': retriesWithBackoff('KV_ALARMS'),
  'alarm.set-in-throwing-handler-replaces-the-retry': async ({ env, name }) => {
    const stub = env.ALARMS.getByName(name('alarm'));
    const scheduled = await stub.start({ fail: 1, replaceOnRun: 0, replaceIn: 600 }, 200);
    await waitFor(stub, (s) => s.runs.length >= 2, 15_000);
    // Long enough for a retry (≥ 2 s after the first run) to have shown up, had there been one.
    await sleep(2500);
    const state = await stub.state();
    return {
      runs: runsOf(state, scheduled),
      secondRunIsTheNewAlarm: state.runs[1] !== undefined && state.runs[1].scheduledTime !== scheduled,
      alarmAfter: state.alarm,
      info: { gaps: gaps(state.runs) },
    };
  },
  'alarm.without-a-handler-runs-nothing-and-is-not-retried': async ({ env, name }) => {
    const prepared = await attempt(() => env.NO_ALARM_HANDLER.getByName(name('alarm')).prepare(300));
    // The reset broke that stub: a new one reaches the next instance, whose constructor sets the alarm.
    const stub = env.NO_ALARM_HANDLER.getByName(name('alarm'));
    const constructed = await stub.state();
    await sleep(3500);
    return { prepared: prepared.ok, constructed, afterItWasDue: await stub.state() };
  },
  'alarm.delete-in-throwing-handler-prevents-the-retry': async ({ env, name }) => {
    const stub = env.ALARMS.getByName(name('alarm'));
    const scheduled = await stub.start({ fail: 1, deleteOnRun: 0 }, 200);
    await waitFor(stub, (s) => s.runs.length >= 1, 10_000);
    await sleep(3000);
    const state = await stub.state();
    return { runs: runsOf(state, scheduled), alarmAfter: state.alarm };
  },
};

/** Ids of the scenarios above that wait for alarms to run. */
export const SLOW_ALARM_SCENARIOS = new Set([
  'alarm.retries-with-backoff',
  'alarm.retries-with-backoff@kv',
  'alarm.set-in-throwing-handler-replaces-the-retry',
  'alarm.delete-in-throwing-handler-prevents-the-retry',
  'alarm.without-a-handler-runs-nothing-and-is-not-retried',
]);
