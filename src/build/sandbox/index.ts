/** The `Sandbox` seam and its bubblewrap runners (over a package root, or the host's toolchain). */
export { type BubblewrapRunnerOptions, createBubblewrapRunner } from './bubblewrap-runner.js';
export { type BwrapPlan, bwrapArgs, type GuestRootOps, type HostMount } from './bwrap-args.js';
export { diagnoseSandbox, type ProbeFacts } from './diagnose.js';
export { HOST_TOOLCHAIN_PATHS, hostMounts } from './host-mounts.js';
export { LineSplitter } from './line-splitter.js';
export { type PackageRootOptions, preparePackageRoot } from './package-root.js';
export { findBwrap, probeSandbox } from './probe.js';
export {
  GUEST_CACHE_DIR,
  GUEST_WORKSPACE,
  type GuestContents,
  type PrepareOptions,
  type RunStepOptions,
  type Sandbox,
  type SandboxRunner,
  type SandboxStep,
  type StepLine,
  type StepResult,
} from './sandbox.js';
export { checkStepEnv, guestWorkdir, shellQuote, stepShellScript } from './step-script.js';
