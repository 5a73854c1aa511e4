/** Lesson 5: alarms — a failing alarm() is retried, with growing waits. */
import { gatesOf, oneClassProject, result, type Lesson } from './lesson.ts';

const REMINDER = `import { DurableObject } from 'cloudflare:workers';

export class Reminder extends DurableObject {
  runs: { retryCount: number; at: string }[] = [];

  async remindIn(ms: number) {
    await this.ctx.storage.setAlarm(Date.now() + ms);
    return new Date((await this.ctx.storage.getAlarm())!).toLocaleTimeString();
  }

  async alarm(info: AlarmInvocationInfo) {
    this.runs.push({ retryCount: info.retryCount, at: new Date().toLocaleTimeString() });
    // Fail twice: Cloudflare retries a failed alarm, waiting longer each time (2 s, 4 s, …).
    if (info.retryCount < 2) throw new Error('alarm failed on purpose, retryCount ' + info.retryCount);
  }

  history() {
    return this.runs;
  }
}
`;

export const alarmRetries: Lesson = {
  id: 'alarm-retries',
  title: '5. Alarms: retries and backoff',
  summary:
    'An alarm wakes the object at a time it chose, with nobody calling. If alarm() throws, it is retried — at least once, with exponential backoff — and info.retryCount says which attempt this is.',
  project: oneClassProject({ binding: 'REMINDER', className: 'Reminder', file: 'reminder.ts', source: REMINDER }),
  call: { binding: 'REMINDER', name: 'reminder', method: 'remindIn', args: '500', times: 1 },
  steps: [
    'Call remindIn(500): the alarm is set half a second from now.',
    'Watch it run and fail, then be retried about 2 s later, and again about 4 s after that — the third run succeeds.',
    'Call history() to see each run with its retryCount.',
  ],
  watch: 'The Timeline shows "alarm", "alarm retry 1" and "alarm retry 2" bars with growing gaps; the Objects panel shows the alarm until it has run.',
  docs: [
    { label: 'Alarms API', url: 'https://developers.cloudflare.com/durable-objects/api/alarms/' },
  ],
  check(input) {
    const arrivals = gatesOf(input, 'REMINDER', 'reminder')
      .map((g) => g.event)
      .filter((e) => e.kind === 'arrived' && /^alarm( retry \d+)?$/.test(e.label));
    const at = (label: string) => arrivals.find((e) => e.kind === 'arrived' && e.label === label)?.at;
    const first = at('alarm');
    const retry1 = at('alarm retry 1');
    const retry2 = at('alarm retry 2');
    const backoff = first !== undefined && retry1 !== undefined && retry2 !== undefined && retry2 - retry1 > retry1 - first;
    return result([
      { text: 'the alarm ran', done: first !== undefined },
      { text: 'it failed and was retried (retryCount 1)', done: retry1 !== undefined },
      { text: 'retried again, after a longer wait (backoff)', done: backoff },
    ]);
  },
};
