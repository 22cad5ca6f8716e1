/**
 * Typed outputs: how one step hands a value to a later one without shared mutable variables. A plan declares
 * `const built = output<CmdOutcome>('build')`; the step that produces it names it (`cmd(argv, { output: built })`,
 * or an action whose return value is stored); a later step lists it in `reads` and gets it with `rt.get(built)`.
 * The planner checks that every output read is produced earlier; --dry-run prints the flow (`# -> build`).
 * Outputs are compared by identity, so two plans' outputs never mix even when their names are equal.
 */
export interface Output<T> {
  readonly name: string;
  /** Type marker only; never set. */
  readonly __type?: T;
}

export function output<T>(name: string): Output<T> {
  return Object.freeze({ name });
}

/** Where the executor keeps the outputs produced during a run. */
export class OutputStore {
  private readonly values = new Map<Output<unknown>, unknown>();

  set<T>(key: Output<T>, value: T): void {
    this.values.set(key as Output<unknown>, value);
  }

  has(key: Output<unknown>): boolean {
    return this.values.has(key);
  }

  get<T>(key: Output<T>): T | undefined {
    return this.values.get(key as Output<unknown>) as T | undefined;
  }
}

/**
 * A command-line argument known only at run time: the value of an earlier step's output (a backup id, a
 * container id). --dry-run shows `shown` in its place (`<backup-id>` by default); the step reads the output.
 */
export interface OutputArg {
  readonly kind: 'output-arg';
  readonly from: Output<unknown>;
  readonly render: (value: unknown) => string;
  readonly shown: string;
}

export function fromOutput<T>(from: Output<T>, render: (value: T) => string = String, shown = `<${from.name}>`): OutputArg {
  return Object.freeze({ kind: 'output-arg', from: from as Output<unknown>, render: render as (value: unknown) => string, shown });
}
