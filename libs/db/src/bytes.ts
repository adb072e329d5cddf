/** A view Prisma accepts for a Bytes column (it wants an ArrayBuffer-backed Uint8Array, not a shared one). */
export function toBytes(view: ArrayBufferView): Uint8Array<ArrayBuffer> {
  if (view.buffer instanceof ArrayBuffer) return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return new Uint8Array(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
}
