/**
 * Task names are typed on command lines and in Makefiles: a letter or digit first, then letters, digits, `-_.:`.
 * Its own module so the CLI can check a typed name without loading the model (and zod) on the `--list` path.
 */
export const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
