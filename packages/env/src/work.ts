/**
 * Steps the reader's loops take (characters scanned, hash-table probes), counted so that tests can check that the
 * work grows linearly with the input, which wall-clock timing on a shared machine cannot show reliably.
 */
export const work = { steps: 0 };
