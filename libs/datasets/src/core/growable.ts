/** A typed array that doubles when full, for labels, which are held until the end of the upload. */
export class GrowableFloat32 {
  private data = new Float32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  /** A copy holding exactly the values pushed. */
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }

  private grow(): void {
    const next = new Float32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
}

/** Int32 counterpart of GrowableFloat32 (class codes). */
export class GrowableInt32 {
  private data = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i]!;
  }
}
