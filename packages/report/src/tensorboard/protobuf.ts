/**
 * The few protobuf messages of a TensorBoard event file, encoded by hand (wire format: varint keys
 * (field << 3 | type); 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32):
 *   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; SessionLog session_log = 7; }
 *   Summary { repeated Value value = 1; }  Value { string tag = 1; float simple_value = 2; }
 *   SessionLog { SessionStatus status = 1; }  (START = 1: TensorBoard drops the events of later steps, as after a resume)
 */
class Writer {
  private readonly parts: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (v !== 0n);
    return this;
  }

  key(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  double(field: number, value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.key(field, 1).parts.push(...bytes);
    return this;
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.key(field, 5).parts.push(...bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2).varint(value.length).parts.push(...value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface ScalarValue {
  readonly tag: string;
  readonly value: number;
}

export type EventBody = { readonly fileVersion: string } | { readonly scalars: readonly ScalarValue[] } | { readonly sessionStart: true };

/** One Event message: wall time in seconds, the step, and what it holds. */
export function encodeEvent(wallTime: number, step: number, body: EventBody): Uint8Array {
  const event = new Writer().double(1, wallTime).key(2, 0).varint(step);
  if ('fileVersion' in body) event.string(3, body.fileVersion);
  else if ('scalars' in body) {
    const summary = new Writer();
    for (const { tag, value } of body.scalars) summary.bytes(1, new Writer().string(1, tag).float(2, value).finish());
    event.bytes(5, summary.finish());
  } else event.bytes(7, new Writer().key(1, 0).varint(1).finish());
  return event.finish();
}
