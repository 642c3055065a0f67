/**
 * The lab: problems, optimizer configurations, the comparison protocol, and its reports.
 * Re-exported at the top level of 'descent', so every name here says it belongs to the lab.
 */
export type { BatchMode, ProblemKind, LabTarget, LabPlane, LabProblem, LabProblemInstance, LabProblemOptions, LabMeasureTarget } from './problem.js';
export { problemRegistry, problemNames, getProblem } from './problems/registry.js';
export { analyticProblem, sumOfSquares2D } from './problems/analytic.js';
export type { AnalyticFunction, AnalyticProblemSpec, Residual2D } from './problems/analytic.js';
export { quadraticProblem, quadraticDeepProblem } from './problems/quadratic.js';
export type { QuadraticProblemSpec } from './problems/quadratic.js';
export { dataProblem, DATA_MEASURES } from './problems/data.js';
export type { DataProblemSpec, DataProblemParts } from './problems/data.js';
export { sparseLogregProblem } from './problems/sparse-logreg.js';
export { spiralNetProblem, moonsNetProblem } from './problems/classification-2d.js';
export { fashionProblems, FASHION_MISSING } from './problems/fashion.js';
export { reddiOnlineProblem, reddiStochasticProblem, reddiOnlineGradient } from './problems/reddi.js';
export { parseLabOptimizerSpec, parseLabOptimizerList } from './optimizer-spec.js';
export type { LabOptimizerSpec, LabSpecValue } from './optimizer-spec.js';
export { labOptimizerRegistry, labOptimizerNames, getLabOptimizer, parseLabOptimizers, parseLabOptimizer, checkLabOptimizerSpec, DEFAULT_LAB_OPTIMIZERS } from './optimizers.js';
export type { LabOptimizerEntry, LabStepper } from './optimizers.js';
export { resolveCompareConfig, lrGrid as learningRateGrid, suites as labSuites, SUITE_NAMES as LAB_SUITE_NAMES } from './config.js';
export type { ProblemSettings as LabProblemSettings, CompareConfig, CompareInput, LrGrid as LabLrGrid, Suite as LabSuite, SuiteName as LabSuiteName } from './config.js';
export { runTrial as runLabTrial, trialKey as labTrialKey } from './trial.js';
export type { TrialSpec as LabTrialSpec, TrialRecord as LabTrialRecord, TrialPhase as LabTrialPhase, TrialHooks as LabTrialHooks } from './trial.js';
export { selectLearningRate } from './protocol.js';
export type { Selection as LearningRateSelection } from './protocol.js';
export { performanceProfile, spreadOf as seedSpread } from './stats.js';
export type { PerformanceProfile, Spread as SeedSpread } from './stats.js';
export type { ComparisonRow, ComparisonSummary } from './summary.js';
export { runComparison, sharedKey as labSharedTrialKey, RESULTS_SCHEMA as COMPARE_RESULTS_SCHEMA } from './run-comparison.js';
export type { ComparisonResults, ComparisonOutcome, CompareHooks, ProblemInfo as CompareProblemInfo, OptimizerInfo as CompareOptimizerInfo } from './run-comparison.js';
export { renderTerminalTable as renderComparisonTable } from './report/table.js';
