/**
 * Where an index keeps its typed arrays. Shared memory (SharedArrayBuffer) lets a pool of worker
 * threads search one copy of the index: a view posted to a worker is shared, not copied.
 */
export type TypedArray = Uint8Array | Int8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

interface TypedArrayConstructor<T extends TypedArray> {
  new (buffer: ArrayBuffer | SharedArrayBuffer, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

export function allocate<T extends TypedArray>(Ctor: TypedArrayConstructor<T>, length: number, shared: boolean): T {
  const bytes = length * Ctor.BYTES_PER_ELEMENT;
  return new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, length);
}

/** The array itself when it already lives in the wanted kind of memory, otherwise a copy that does. */
export function place<T extends TypedArray>(array: T, shared: boolean): T {
  if ((array.buffer instanceof SharedArrayBuffer) === shared) return array;
  const Ctor = array.constructor as TypedArrayConstructor<T>;
  const copy = allocate(Ctor, array.length, shared);
  (copy as Uint8Array).set(array as unknown as Uint8Array);
  return copy;
}

/** A copy in the wanted kind of memory (copy-on-write of the small mutable parts of a segment). */
export function copyOf<T extends TypedArray>(array: T, shared: boolean): T {
  const Ctor = array.constructor as TypedArrayConstructor<T>;
  const copy = allocate(Ctor, array.length, shared);
  (copy as Uint8Array).set(array as unknown as Uint8Array);
  return copy;
}

/** Bytes of typed-array data, each array counted once even when several segments share it. */
export function bytesOf(arrays: Iterable<TypedArray>): number {
  let total = 0;
  for (const array of new Set(arrays)) total += array.byteLength;
  return total;
}
