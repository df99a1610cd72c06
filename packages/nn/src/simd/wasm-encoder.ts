/**
 * A minimal WebAssembly binary encoder: enough to emit a module that imports one memory and
 * exports a few loop kernels over it (i32 and v128 locals, SIMD f32x4 arithmetic). Writing the
 * bytes here keeps the kernels' source in TypeScript, with no assembler to install.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof V128;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const SIMD = 0xfd;

/** Instruction emitter for one function body; locals are numbered after the parameters. */
export class Body {
  readonly bytes: number[] = [];

  localGet(index: number): this {
    return this.op(0x20, ...uleb(index));
  }
  localSet(index: number): this {
    return this.op(0x21, ...uleb(index));
  }
  localTee(index: number): this {
    return this.op(0x22, ...uleb(index));
  }
  i32Const(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  /** i32.load of the address on the stack plus `offset` bytes. */
  i32Load(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Div(): this {
    return this.op(0x95);
  }
  f32Sqrt(): this {
    return this.op(0x91);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  /** select: the first operand if the i32 condition on top is non-zero, else the second. */
  select(): this {
    return this.op(0x1b);
  }
  f32x4ExtractLane(lane: number): this {
    return this.op(SIMD, ...uleb(0x1f), lane);
  }
  /** The sum of the four lanes of v128 local `vector`, as an f32. */
  horizontalSum(vector: number): this {
    this.localGet(vector).f32x4ExtractLane(0);
    for (let lane = 1; lane < 4; lane++) this.localGet(vector).f32x4ExtractLane(lane).f32Add();
    return this;
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  /** `local += delta` for an i32 local. */
  addTo(index: number, delta: number): this {
    return this.localGet(index).i32Const(delta).i32Add().localSet(index);
  }
  f32Const(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.op(0x43, ...bytes);
  }
  /** v128.load / v128.store with a 4-byte alignment hint (tensors are float32-aligned). */
  v128Load(offset = 0): this {
    return this.op(SIMD, ...uleb(0x00), 2, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.op(SIMD, ...uleb(0x0b), 2, ...uleb(offset));
  }
  f32x4Splat(): this {
    return this.op(SIMD, ...uleb(0x13));
  }
  f32x4Add(): this {
    return this.op(SIMD, ...uleb(0xe4));
  }
  f32x4Sub(): this {
    return this.op(SIMD, ...uleb(0xe5));
  }
  f32x4Mul(): this {
    return this.op(SIMD, ...uleb(0xe6));
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  end(): this {
    return this.op(0x0b);
  }
  /** Loads the v128 at the address in local `pointer`. */
  load(pointer: number): this {
    return this.localGet(pointer).v128Load();
  }
  /** Loads the v128 at local `base` + local `offset`. */
  loadAt(base: number, offset: number): this {
    return this.localGet(base).localGet(offset).i32Add().v128Load();
  }

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
}

export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ValueType[];
  /** Extra locals after the parameters, in order. */
  readonly locals: readonly ValueType[];
  readonly body: Body;
}

/** A module importing `env.memory` and exporting the given void functions. */
export function encodeModule(functions: readonly FunctionSpec[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]];
  const declared = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const codes = functions.map((f) => {
    const locals = f.locals.map((type) => [1, type]);
    const body = [...vector(locals), ...f.body.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(declared)),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
