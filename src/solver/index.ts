/**
 * The dependency solver: apk-tools 2.14's greedy solver reproduced decision for decision
 * (docs: solver.md). Pure: world constraints + repositories → install set, apk's install
 * order, or explained problems.
 */
export { fromIndexRecord, fromIndexRecords } from './adapt.js';
export { type RenderOptions, renderProblems } from './render.js';
export { compareNamesForDisplay, solve } from './solve.js';
export type {
  CandidateVerdict,
  DisqualifyReason,
  SolveOptions,
  SolveResult,
  SolverCandidate,
  SolverConflict,
  SolverPackage,
  SolverPackageRef,
  SolverProblem,
  SolverRepository,
  SolverRequirer,
} from './types.js';
export { type BuildUniverseOptions, buildUniverse, type EdgeOrder, type SolverUniverse } from './universe.js';
export {
  type FuzzyRangeDependency,
  parseWorldDependency,
  type WorldDependency,
  worldDependencyText,
} from './world-dependency.js';
