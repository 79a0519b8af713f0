/** What every checker returns: the violations it found, each naming the operations involved. */
export interface Violation {
  readonly checker: string;
  readonly message: string;
  /** Indexes into the history of the operations that show it. */
  readonly ops: readonly number[];
}

export interface CheckResult {
  readonly violations: readonly Violation[];
  /** One line on what was checked, for the report. */
  readonly summary: string;
  /** True when the checker could not decide (a bounded search gave up). */
  readonly inconclusive?: boolean;
}
