/** The lessons, in the order they are taught. */
import { oneInstance } from './one-instance.ts';
import { inputGate } from './input-gate.ts';
import { outputGate } from './output-gate.ts';
import { eviction } from './eviction.ts';
import { alarmRetries } from './alarm-retries.ts';
import { hibernation } from './hibernation.ts';
import type { Lesson } from './lesson.ts';

export const LESSONS: readonly Lesson[] = [oneInstance, inputGate, outputGate, eviction, alarmRetries, hibernation];

export function lessonById(id: string | undefined): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
