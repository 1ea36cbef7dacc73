import { ByteBuffer } from 'flatbuffers';

/**
 * Read access to one FlatBuffers table by field id, for schemas we have no generated code
 * for. Field `id` lives at vtable offset 4 + 2 * id (the FlatBuffers binary format).
 */
export class FlatbufferTable {
  constructor(
    private readonly bb: ByteBuffer,
    private readonly pos: number,
  ) {}

  /** The root table of a buffer, after checking its 4-byte file identifier when given. */
  static root(bytes: Uint8Array, fileIdentifier?: string): FlatbufferTable {
    if (bytes.byteLength < 8) {
      throw new RangeError(`flatbuffer too small: ${bytes.byteLength} bytes`);
    }
    const bb = new ByteBuffer(bytes);
    if (fileIdentifier !== undefined && !bb.__has_identifier(fileIdentifier)) {
      const found = new TextDecoder('latin1').decode(bytes.subarray(4, 8));
      throw new RangeError(`expected file identifier "${fileIdentifier}", found "${found}"`);
    }
    return new FlatbufferTable(bb, bb.readInt32(bb.position()) + bb.position());
  }

  has(id: number): boolean {
    return this.offset(id) !== 0;
  }

  int8(id: number, fallback = 0): number {
    const o = this.offset(id);
    return o === 0 ? fallback : this.bb.readInt8(this.pos + o);
  }

  uint8(id: number, fallback = 0): number {
    const o = this.offset(id);
    return o === 0 ? fallback : this.bb.readUint8(this.pos + o);
  }

  int32(id: number, fallback = 0): number {
    const o = this.offset(id);
    return o === 0 ? fallback : this.bb.readInt32(this.pos + o);
  }

  bool(id: number, fallback = false): boolean {
    const o = this.offset(id);
    return o === 0 ? fallback : this.bb.readInt8(this.pos + o) !== 0;
  }

  string(id: number): string | undefined {
    const o = this.offset(id);
    return o === 0 ? undefined : (this.bb.__string(this.pos + o) as string);
  }

  table(id: number): FlatbufferTable | undefined {
    const o = this.offset(id);
    return o === 0 ? undefined : new FlatbufferTable(this.bb, this.bb.__indirect(this.pos + o));
  }

  tables(id: number): FlatbufferTable[] {
    const { start, length } = this.vector(id);
    const result: FlatbufferTable[] = [];
    for (let i = 0; i < length; i++) {
      result.push(new FlatbufferTable(this.bb, this.bb.__indirect(start + 4 * i)));
    }
    return result;
  }

  int32s(id: number): number[] {
    const { start, length } = this.vector(id);
    return Array.from({ length }, (_, i) => this.bb.readInt32(start + 4 * i));
  }

  float32s(id: number): number[] {
    const { start, length } = this.vector(id);
    return Array.from({ length }, (_, i) => this.bb.readFloat32(start + 4 * i));
  }

  int64s(id: number): bigint[] {
    const { start, length } = this.vector(id);
    return Array.from({ length }, (_, i) => this.bb.readInt64(start + 8 * i));
  }

  /** A ubyte vector as a view into the underlying bytes (no copy). */
  bytes(id: number): Uint8Array | undefined {
    if (!this.has(id)) return undefined;
    const { start, length } = this.vector(id);
    return this.bb.bytes().subarray(start, start + length);
  }

  private vector(id: number): { start: number; length: number } {
    const o = this.offset(id);
    if (o === 0) return { start: 0, length: 0 };
    return { start: this.bb.__vector(this.pos + o), length: this.bb.__vector_len(this.pos + o) };
  }

  private offset(id: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * id);
  }
}
