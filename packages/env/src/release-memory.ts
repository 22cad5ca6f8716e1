/**
 * Hands typed arrays' memory back at once. An array that outlives a couple of young-generation collections (a file
 * read in one buffer, a hash table that doubled) is otherwise freed only by the next full collection, which a short
 * run may never reach: its bytes then add to the peak resident size. ArrayBuffer.prototype.transfer (ES2024, Node
 * 21+) detaches the buffer and moves its memory into the result, so the old bytes go as soon as nothing else holds
 * them. Only for buffers of our own: never a Buffer from Node's shared pool, whose other slices would be detached too.
 */

type Transferable = ArrayBuffer & { transfer(length?: number): ArrayBuffer };

/** Frees the memory of `view`'s buffer now; `view` (and every other view of that buffer) is empty afterwards. */
export function release(view: ArrayBufferView): void {
  (view.buffer as Transferable).transfer(0);
}

/** A copy of `a` with `n` elements (the rest zero), moving its memory rather than copying it where it can: `a` is empty afterwards. */
export function resized<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const Kind = a.constructor as new (buffer: ArrayBuffer) => T;
  return new Kind((a.buffer as Transferable).transfer(n * a.BYTES_PER_ELEMENT));
}
