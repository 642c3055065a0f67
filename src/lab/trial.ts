/**
 * One trial: one optimizer configuration at one learning rate on one problem instance (seed),
 * for a budget of steps. Records a sampled curve of the problem's metric, the first step at
 * which the target was reached (and the wall time to it), and divergence: a non-finite loss,
 * metric or parameter, a metric that blew up (> 1e6 × max(|metric₀|, 1)), or an exception from
 * the optimizer end the trial as `diverged`, never the run.
 */
import { ValueError, show } from '../core/errors.js';
import { checkInteger, checkOneOf, checkPositive } from '../core/validate.js';
import { getLabOptimizer } from './optimizers.js';
import type { LabSpecValue } from './optimizer-spec.js';
import type { LabProblem } from './problem.js';
import { getProblem } from './problems/registry.js';

export type TrialPhase = 'tune' | 'final' | 'default';

/** Everything that defines a trial; serializable, and the key for resuming. */
export interface TrialSpec {
  problem: string;
  /** The configuration's label (its canonical spec text). */
  optimizer: string;
  /** The lab optimizer name behind the label. */
  optimizerName: string;
  options: Record<string, LabSpecValue>;
  lr: number;
  seed: number;
  phase: TrialPhase;
  budget: number;
  /** Record the 2-D path (x, y) of the iterates. */
  recordPath?: boolean;
  /** Evaluate the metric every this many steps (default: the problem's `evalEvery`, else 1). */
  evalEvery?: number;
  /** Data problems: evaluate on this many train-eval / test examples (default: all). */
  evalExamples?: number;
}

export interface TrialRecord extends TrialSpec {
  /** [step, metric] pairs, step 0 = the start; sampled (see `curveSteps`), metric to 6 significant digits. */
  curve: Array<[number, number]>;
  /** The metric at the last step run (null when it was not finite). */
  final: number | null;
  /** Steps actually run (< budget when stopped at the target or diverged). */
  steps: number;
  /** First step with metric <= target, or null. */
  reachedTargetAt: number | null;
  /** Wall time (ms) to the target, or null. */
  wallMsToTarget: number | null;
  /** Loss/gradient evaluations to the target, or null. */
  evaluationsToTarget: number | null;
  evaluations: number;
  wallMs: number;
  diverged: boolean;
  /** Why it diverged (non-finite value, blow-up, or the optimizer's error message). */
  divergedReason?: string;
  /** The iterates (x, y) of 2-D problems, when asked for; at most ~400 points. */
  path?: Array<[number, number]>;
  /** Data problems: each of the problem's `measures` (test accuracy, ...) as [step, value] at the evaluations. */
  measures?: Record<string, Array<[number, number]>>;
}

export function trialKey(s: Pick<TrialSpec, 'problem' | 'optimizer' | 'lr' | 'seed' | 'phase' | 'budget' | 'evalEvery' | 'evalExamples'>): string {
  const evals = s.evalEvery === undefined && s.evalExamples === undefined ? '' : `|eval ${s.evalEvery ?? ''}/${s.evalExamples ?? ''}`;
  return `${s.problem}|${s.optimizer}|${s.phase}|${s.lr}|${s.seed}|${s.budget}${evals}`;
}

/**
 * The steps at which a curve is sampled: 0..10, then about 2n points spread linearly and
 * geometrically (n = 75 for final and default runs, 20 for tuning runs).
 */
export function curveSteps(budget: number, n = 75): Set<number> {
  const steps = new Set<number>();
  for (let t = 0; t <= Math.min(10, budget); t++) steps.add(t);
  for (let i = 0; i <= n; i++) {
    steps.add(Math.round((budget * i) / n));
    steps.add(Math.round(budget ** (i / n)));
  }
  return steps;
}

export interface TrialHooks {
  /** Called about 50 times per trial. */
  onStep?(step: number, budget: number): void;
}

const BLOWUP = 1e6;

export function runTrial(spec: TrialSpec, hooks: TrialHooks = {}): TrialRecord {
  const problem: LabProblem = getProblem(spec.problem);
  const entry = getLabOptimizer(spec.optimizerName);
  checkInteger(spec.budget, 'budget', 1);
  checkInteger(spec.seed, 'seed', 0);
  checkPositive(spec.lr, 'lr');
  checkOneOf(spec.phase, 'phase', ['tune', 'final', 'default'] as const);
  const evalEvery = spec.evalEvery === undefined ? problem.evalEvery ?? 1 : checkInteger(spec.evalEvery, 'evalEvery', 1);
  const instance = problem.create(spec.seed, spec.evalExamples === undefined ? {} : { evalExamples: checkInteger(spec.evalExamples, 'evalExamples', 1) });
  const startMs = performance.now();
  const sampled = curveSteps(spec.budget, spec.phase === 'tune' ? 20 : 75);
  const curve: Array<[number, number]> = [];
  const path: Array<[number, number]> | undefined = spec.recordPath && problem.dim === 2 ? [] : undefined;
  const pathEvery = Math.max(1, Math.ceil(spec.budget / 400));
  const x = instance.params[0]!.data;
  const measures: Record<string, Array<[number, number]>> | undefined = instance.measures ? {} : undefined;
  const measure = (t: number): void => {
    if (!measures) return;
    for (const [name, value] of Object.entries(instance.measures!())) (measures[name] ??= []).push([t, Number(value.toPrecision(6))]);
  };
  const m0 = instance.metric();
  curve.push([0, m0]);
  measure(0);
  path?.push([x[0]!, x[1]!]);
  const limit = BLOWUP * Math.max(Math.abs(m0), 1);
  const target = problem.target.value;
  const progressEvery = Math.max(1, Math.floor(spec.budget / 50));
  let reachedTargetAt: number | null = m0 <= target ? 0 : null;
  let wallMsToTarget: number | null = reachedTargetAt === null ? null : 0;
  let evaluationsToTarget: number | null = reachedTargetAt === null ? null : 0;
  let diverged = false;
  let divergedReason: string | undefined;
  let final = m0;
  let steps = 0;
  let stepper;
  try {
    stepper = entry.make(instance, spec.options, spec.lr);
  } catch (e) {
    throw new ValueError(`trial ${show(spec.optimizer)} on ${spec.problem}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!(problem.stopAtTarget && reachedTargetAt !== null)) {
    for (let t = 1; t <= spec.budget; t++) {
      const lr = problem.lrFactor ? spec.lr * problem.lrFactor(t) : spec.lr;
      let loss: number;
      try {
        loss = stepper.step(t, lr);
      } catch (e) {
        diverged = true;
        divergedReason = `step ${t}: ${e instanceof Error ? e.message : String(e)}`;
        steps = t;
        break;
      }
      instance.project?.();
      steps = t;
      // The metric is evaluated every `evalEvery` steps and at the last; a non-finite loss ends the run at once.
      const evaluated = evalEvery === 1 || t % evalEvery === 0 || t === spec.budget;
      if (!evaluated) {
        if (!Number.isFinite(loss)) {
          diverged = true;
          divergedReason = `step ${t}: non-finite loss`;
          final = Number.NaN;
          break;
        }
        if (hooks.onStep && t % progressEvery === 0) hooks.onStep(t, spec.budget);
        continue;
      }
      const m = instance.metric();
      final = m;
      if (!Number.isFinite(m) || !Number.isFinite(loss) || !allFinite(instance.params)) {
        diverged = true;
        divergedReason = `step ${t}: non-finite ${Number.isFinite(m) ? (Number.isFinite(loss) ? 'parameter' : 'loss') : 'metric'}`;
      } else if (m > limit) {
        diverged = true;
        divergedReason = `step ${t}: metric ${m.toExponential(3)} blew up (> ${limit.toExponential(1)})`;
      }
      if ((sampled.has(t) || diverged || evalEvery > 1) && Number.isFinite(m)) {
        curve.push([t, m]);
        if (!diverged) measure(t);
      }
      if (path && (t % pathEvery === 0 || diverged)) path.push([x[0]!, x[1]!]);
      if (diverged) break;
      if (reachedTargetAt === null && m <= target) {
        reachedTargetAt = t;
        wallMsToTarget = performance.now() - startMs;
        evaluationsToTarget = stepper.evaluations;
        if (problem.stopAtTarget) {
          if (!sampled.has(t)) curve.push([t, m]);
          if (path && t % pathEvery !== 0) path.push([x[0]!, x[1]!]);
          break;
        }
      }
      if (hooks.onStep && t % progressEvery === 0) hooks.onStep(t, spec.budget);
    }
  }
  const record: TrialRecord = {
    ...spec,
    curve: curve.map(([t, m]) => [t, Number(m.toPrecision(6))]),
    final: Number.isFinite(final) ? final : null,
    steps,
    reachedTargetAt,
    wallMsToTarget,
    evaluationsToTarget,
    evaluations: stepper.evaluations,
    wallMs: performance.now() - startMs,
    diverged,
  };
  if (divergedReason !== undefined) record.divergedReason = divergedReason;
  if (path) record.path = path.map(([a, b]) => [Number(a.toPrecision(6)), Number(b.toPrecision(6))]);
  if (measures) record.measures = measures;
  return record;
}

function allFinite(params: readonly { data: ArrayLike<number> }[]): boolean {
  for (const p of params) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return false;
  }
  return true;
}
