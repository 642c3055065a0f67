/**
 * A schedule is a plain function of the step count (0-based: the value used at the first
 * update is `schedule(0)`). Anywhere a hyperparameter is accepted, a number or a schedule is.
 */
export type Schedule = (step: number) => number;
export type ScalarOrSchedule = number | Schedule;

export function valueAt(value: ScalarOrSchedule, step: number): number {
  return typeof value === 'function' ? value(step) : value;
}
