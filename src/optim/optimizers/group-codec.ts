/**
 * Group options in state dicts when some are schedules. Functions are not serializable, so
 * `stateDict()` records each one (an option, or an entry of an array option such as
 * `betas`) as the marker `{ schedule: true }`. `loadStateDict()` keeps the live functions of
 * the optimizer it loads into: where that optimizer has a function, the function stays,
 * whatever was saved; a saved marker requires a function there (a run that had a schedule does
 * not silently continue with a constant).
 */
import { DataError, show } from '../../core/errors.js';

export interface ScheduleMarker {
  schedule: true;
}

export function isScheduleMarker(v: unknown): v is ScheduleMarker {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { schedule?: unknown }).schedule === true && Object.keys(v).length === 1;
}

/** A group option as a state dict stores it: functions become markers, arrays are copied. */
export function encodeOption(v: unknown): unknown {
  if (typeof v === 'function') return { schedule: true };
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'function' ? { schedule: true } : x));
  return v;
}

/**
 * The value option `key` of group `gi` takes on load: `saved` (copied), except where the
 * current value (or array entry) is a function, which is kept. Throws on a marker where the
 * current value is not a function.
 */
export function mergeOption(current: unknown, saved: unknown, key: string, gi: number, where: string): unknown {
  if (typeof current === 'function') return current;
  if (isScheduleMarker(saved)) throw missingSchedule(where, gi, key, current);
  if (!Array.isArray(saved)) return saved;
  const cur = Array.isArray(current) ? current : [];
  return saved.map((x, i) => {
    if (typeof cur[i] === 'function') return cur[i];
    if (isScheduleMarker(x)) throw missingSchedule(where, gi, `${key}[${i}]`, cur[i]);
    return x;
  });
}

function missingSchedule(where: string, gi: number, label: string, current: unknown): DataError {
  return new DataError(
    `${where}: group ${gi} ${label} was a schedule when saved ({schedule: true}) but is ${show(current)} here, ` +
    'expected a schedule function (schedules are not saved: give the optimizer the same one before loading)',
  );
}
