/**
 * Per-solve state (apk `apk_solver_name_state` / `apk_solver_package_state`, solver.md §2), kept
 * in typed arrays indexed by name id and package id so the universe itself is never mutated.
 */

import type { DisqualifyReason } from './types.js';
import type { SolverUniverse, UniverseName } from './universe.js';
import type { WorldDependency } from './world-dependency.js';

/**
 * An intrusive doubly linked list of name ids, as apk's `list_head` queues: O(1) membership,
 * insertion at either end and removal from the middle.
 */
export class NameList {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;

  constructor(capacity: number) {
    this.next = new Int32Array(capacity + 1).fill(-1);
    this.prev = new Int32Array(capacity + 1).fill(-1);
    this.head = capacity;
    this.next[this.head] = this.head;
    this.prev[this.head] = this.head;
  }

  has(id: number): boolean {
    return this.next[id] !== -1;
  }

  isEmpty(): boolean {
    return this.next[this.head] === this.head;
  }

  /** `list_add`: insert at the head. */
  addHead(id: number): void {
    this.link(id, this.head, this.next[this.head]!);
  }

  /** `list_add_tail`. */
  addTail(id: number): void {
    this.link(id, this.prev[this.head]!, this.head);
  }

  remove(id: number): void {
    const p = this.prev[id]!;
    const n = this.next[id]!;
    this.next[p] = n;
    this.prev[n] = p;
    this.next[id] = -1;
    this.prev[id] = -1;
  }

  popHead(): number {
    const id = this.next[this.head]!;
    this.remove(id);
    return id;
  }

  /**
   * The first id, or -1 when empty; walk on with {@link after}. No iterator: the main loop walks
   * this list once per decision, and a generator allocated a result object per step.
   */
  first(): number {
    return this.after(this.head);
  }

  /** The id after `id` (a member), or -1 at the end. */
  after(id: number): number {
    const n = this.next[id]!;
    return n === this.head ? -1 : n;
  }

  private link(id: number, p: number, n: number): void {
    this.next[id] = n;
    this.prev[id] = p;
    this.next[p] = id;
    this.prev[n] = id;
  }
}

/**
 * Why a package was first disqualified, kept raw and formatted only when explaining a failure:
 * the constraint and its requirer (-1 = world, -2 = none), or the names of a transitivity rule.
 */
export interface Disqualification {
  readonly reason: DisqualifyReason;
  readonly by: number;
  readonly dep?: WorldDependency;
  /** For "provides transitivity": [name every candidate provides, name being reconsidered]. */
  readonly names?: readonly [number, number];
}

export interface SolveState {
  readonly u: SolverUniverse;
  /** Universe names plus the world names no repository mentions. */
  readonly names: readonly UniverseName[];
  // name state
  readonly seen: Uint8Array;
  readonly orderId: Int32Array;
  readonly requirers: Int32Array;
  readonly locked: Uint8Array;
  /** Chosen provider: package id, or -1 for "nothing". */
  readonly chosenPkg: Int32Array;
  readonly chosenVersion: Array<string | undefined>;
  readonly reevaluateDeps: Uint8Array;
  readonly reevaluateIif: Uint8Array;
  readonly hasOptions: Uint8Array;
  readonly hasAutoSelectable: Uint8Array;
  readonly hasIif: Uint8Array;
  readonly noIif: Uint8Array;
  readonly reverseDepsDone: Uint8Array;
  readonly mergeDepends: Int32Array;
  readonly mergeProvides: Int32Array;
  readonly hasVirtualProvides: Uint8Array;
  readonly flagsSet: Uint8Array;
  readonly dirty: NameList;
  readonly unresolved: NameList;
  // package state
  readonly pkgSeen: Uint8Array;
  readonly pinningAllowed: Int32Array;
  readonly pinningPreferred: Int32Array;
  readonly selectable: Uint8Array;
  readonly iifTriggered: Uint8Array;
  readonly iifFailed: Uint8Array;
  readonly tagOk: Uint8Array;
  readonly tagPreferred: Uint8Array;
  readonly conflicts: Int32Array;
  readonly depsMerged: Uint8Array;
  readonly depsUsed: Uint8Array;
  readonly error: Uint8Array;
  readonly disqualified: Array<Disqualification | undefined>;
  /** Built on first use once discovery is over (seen-edges.ts). */
  seenRdepends: Array<readonly number[] | undefined> | undefined;
  // run state
  errors: number;
  orderCounter: number;
  /** apk `ss->pinning_inherit`: BIT(tag) while the world is applied, then 0. */
  pinningInherit: number;
  defaultRepos: number;
}

export function newState(u: SolverUniverse, names: readonly UniverseName[]): SolveState {
  const n = names.length;
  const p = u.packages.length;
  return {
    u,
    names,
    seen: new Uint8Array(n),
    orderId: new Int32Array(n),
    requirers: new Int32Array(n),
    locked: new Uint8Array(n),
    chosenPkg: new Int32Array(n).fill(-1),
    chosenVersion: new Array<string | undefined>(n),
    reevaluateDeps: new Uint8Array(n),
    reevaluateIif: new Uint8Array(n),
    hasOptions: new Uint8Array(n),
    hasAutoSelectable: new Uint8Array(n),
    hasIif: new Uint8Array(n),
    noIif: new Uint8Array(n),
    reverseDepsDone: new Uint8Array(n),
    mergeDepends: new Int32Array(n),
    mergeProvides: new Int32Array(n),
    hasVirtualProvides: new Uint8Array(n),
    flagsSet: new Uint8Array(n),
    dirty: new NameList(n),
    unresolved: new NameList(n),
    pkgSeen: new Uint8Array(p),
    pinningAllowed: new Int32Array(p),
    pinningPreferred: new Int32Array(p),
    selectable: new Uint8Array(p),
    iifTriggered: new Uint8Array(p),
    iifFailed: new Uint8Array(p),
    tagOk: new Uint8Array(p),
    tagPreferred: new Uint8Array(p),
    conflicts: new Int32Array(p),
    depsMerged: new Uint8Array(p),
    depsUsed: new Uint8Array(p),
    error: new Uint8Array(p),
    disqualified: new Array<Disqualification | undefined>(p),
    seenRdepends: undefined,
    errors: 0,
    orderCounter: 0,
    pinningInherit: 0,
    defaultRepos: 0,
  };
}

/** apk `mark_error`: counted once per package. */
export function markError(s: SolveState, pkg: number): void {
  if (pkg < 0 || s.error[pkg]) return;
  s.error[pkg] = 1;
  s.errors++;
}
