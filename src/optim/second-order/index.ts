/** Second-order methods: L-BFGS (torch 1.13's), Newton (dense or CG, saddle-free), Hessian-free. */
export { LBFGS } from './lbfgs.js';
export type { LBFGSOptions, LBFGSParamGroup, LBFGSState, LBFGSStateDict, LBFGSLineSearch, LossClosure } from './lbfgs.js';
export { strongWolfe, cubicInterpolate } from './strong-wolfe.js';
export type { StrongWolfeOptions, StrongWolfeResult, DirectionalEvaluate } from './strong-wolfe.js';
export { Newton } from './newton.js';
export type { NewtonOptions, NewtonStepInfo, NewtonSolver } from './newton.js';
export { objectives, denseHessian } from './objective.js';
export type { Objective } from './objective.js';
export { conjugateGradient } from './cg.js';
export type { ConjugateGradientOptions, ConjugateGradientResult, LinearOperator } from './cg.js';
export { cholesky, choleskySolve, luSolve, symmetricEigen } from './dense.js';
export { HessianFree } from './hessian-free.js';
export type { HessianFreeObjective, HessianFreeOptions, HessianFreeStepInfo, HessianFreeCurvature } from './hessian-free.js';
export { objectiveFromLoss } from './from-loss.js';
