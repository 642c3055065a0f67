/** Grad mode: whether ops record themselves on the tape. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with taping disabled (like `torch.no_grad()`); restores the previous mode after. */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs `fn` with taping enabled, even inside noGrad (like `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Sets the mode and returns the previous one (for the engine; prefer noGrad/enableGrad). */
export function setGradEnabled(value: boolean): boolean {
  const prev = enabled;
  enabled = value;
  return prev;
}
