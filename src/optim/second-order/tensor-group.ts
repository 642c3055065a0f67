/**
 * The torch-shaped surface shared by the loss-driven second-order optimizers (`NewtonOptimizer`,
 * `HessianFreeOptimizer`): one parameter group of Tensors, flat float64 copies of the
 * parameters, `zeroGrad`, and the refusal of `step(closure)`.
 */
import { ValueError, show } from '../../core/errors.js';
import { Tensor } from '../../tensor/tensor.js';

/** Splits `params` (Tensors, or one group `{params, ...options}`) into the tensors and the merged options. */
export function resolveTensorGroup(params: unknown, options: unknown, where: string): { tensors: Tensor[]; options: Record<string, unknown> } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValueError(`${where}: invalid options ${show(options)}, expected an object`);
  if (!Array.isArray(params) || params.length === 0) throw new ValueError(`${where}: invalid params ${show(params)}, expected a non-empty array of Tensors or of one parameter group`);
  let tensors: unknown[] = params;
  let merged: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  const first = params[0] as { params?: unknown } | null;
  if (first !== null && typeof first === 'object' && Array.isArray(first.params)) {
    if (params.length !== 1) throw new ValueError(`${where} doesn't support per-parameter options (parameter groups): got ${params.length} groups, expected 1`);
    const { params: inner, ...groupOptions } = first as { params: unknown[] } & Record<string, unknown>;
    tensors = inner;
    merged = { ...merged, ...groupOptions };
  }
  if (tensors.length === 0) throw new ValueError(`${where}: the parameter group is empty, expected at least one Tensor`);
  tensors.forEach((p, i) => {
    if (!(p instanceof Tensor)) {
      throw new ValueError(`${where}: parameter ${i} is ${p !== null && typeof p === 'object' ? `an object with keys [${Object.keys(p).join(', ')}]` : show(p)}, expected a Tensor: this optimizer differentiates the loss tensor twice, so it needs the model's parameter Tensors`);
    }
    if (!p.requiresGrad) throw new ValueError(`${where}: parameter ${i} (shape ${show(p.shape)}) does not require grad, expected requiresGrad = true`);
  });
  return { tensors: tensors as Tensor[], options: merged };
}

/** Copies the parameters into the flat `out`. */
export function gatherParams(params: readonly Tensor[], out: Float64Array): Float64Array {
  let offset = 0;
  for (const p of params) {
    out.set(p.data, offset);
    offset += p.data.length;
  }
  return out;
}

/** Copies the flat `x` into the parameters (rounding to float32 for float32 parameters). */
export function scatterParams(x: Float64Array, params: readonly Tensor[]): void {
  let offset = 0;
  for (const p of params) {
    p.data.set(x.subarray(offset, offset + p.data.length));
    offset += p.data.length;
  }
}

/** Zeroes every gradient that exists. */
export function zeroGrads(params: readonly Tensor[]): void {
  for (const p of params) {
    if (p.grad !== null) {
      p.grad.fill(0);
      p.gradZeroed = true;
    }
  }
}

/** The error `step(closure)` throws: these methods need the loss as a tensor. */
export function closureRefused(where: string): ValueError {
  return new ValueError(`${where}.step(closure) is not supported: it takes Hessian-vector products, which need the loss as a tensor, not a number from a closure; call stepWithLoss(lossFn) with lossFn returning the scalar loss Tensor (the trainer, \`descent train\` and the lab do this)`);
}

/** Throws unless `state` is an object with a `state` object and one param group, as `stateDict()` writes. */
export function checkStateDict(state: unknown, where: string): { state: Record<string, unknown>; paramGroups: Array<Record<string, unknown>> } {
  const s = state as { state?: unknown; paramGroups?: unknown } | null;
  if (s === null || typeof s !== 'object' || s.state === null || typeof s.state !== 'object' || !Array.isArray(s.paramGroups) || s.paramGroups.length !== 1) {
    throw new ValueError(`${where}.loadStateDict: invalid state ${show(s === null || typeof s !== 'object' ? s : Object.keys(s))}, expected {state: {...}, paramGroups: [one group]} as stateDict() writes it`);
  }
  return s as { state: Record<string, unknown>; paramGroups: Array<Record<string, unknown>> };
}
