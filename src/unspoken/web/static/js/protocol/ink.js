// Ink: handwritten strokes, encoded compactly (docs/protocol.md, "Ink"); twin of
// protocol/ink.py. A stroke is a list of points [x, y, t, p], all integers: x across a pad 1000
// units wide, y down from its top in the same units, t in milliseconds since the entry's first
// point (never going back), p the pressure 0..255. Encoding v1 is a version byte, the stroke
// count, then per stroke its point count and each point as zigzag deltas from the point before,
// all unsigned LEB128 varints; then raw DEFLATE. Decoding refuses anything else.

import { ProtocolError, concat } from "./encoding.js";

/** @import { Bytes } from "./encoding.js" */

/**
 * Strokes: each a list of points [x, y, t, p].
 * @typedef {number[][][]} Strokes
 */

const VERSION = 1;
const VARINT_BYTES = 5; // every value the limits allow fits in 35 bits
const SLICE = 1024; // compressed bytes fed at a time, so no slice can inflate far past the cap

/** The limits of one entry's (or draft's) ink, as in Python. */
export const INK_LIMITS = Object.freeze({
  strokes: 400,
  points: 8000,
  x: 1000,
  y: 20000,
  t: 86_400_000,
  p: 255,
  bytes: 40_000,
});

const RANGES = /** @type {const} */ ([["x", INK_LIMITS.x], ["y", INK_LIMITS.y], ["t", INK_LIMITS.t], ["p", INK_LIMITS.p]]);

/**
 * Refuse (ProtocolError) strokes that break the shape or the limits: run before sealing and
 * again when opening.
 * @param {unknown} strokes
 */
export function checkInk(strokes) {
  if (!Array.isArray(strokes)) throw new ProtocolError("ink is a list of strokes");
  if (strokes.length > INK_LIMITS.strokes) {
    throw new ProtocolError(`too many strokes (${strokes.length}; at most ${INK_LIMITS.strokes})`);
  }
  let count = 0;
  let lastT = 0;
  strokes.forEach((stroke, index) => {
    if (!Array.isArray(stroke) || !stroke.length) {
      throw new ProtocolError(`stroke ${index + 1} is not a list of points`);
    }
    for (const point of stroke) {
      if (!Array.isArray(point) || point.length !== 4) {
        throw new ProtocolError(`a point of stroke ${index + 1} is not [x, y, t, p]`);
      }
      if (++count > INK_LIMITS.points) {
        throw new ProtocolError(`too many points (more than ${INK_LIMITS.points})`);
      }
      RANGES.forEach(([name, top], i) => {
        const value = point[i];
        if (!Number.isInteger(value) || value < 0 || value > top) {
          throw new ProtocolError(`a point of stroke ${index + 1}: ${name} is not 0..${top}`);
        }
      });
      if (point[2] < lastT) throw new ProtocolError(`stroke ${index + 1}: t goes back in time`);
      lastT = point[2];
    }
  });
  const size = pack(/** @type {Strokes} */ (strokes)).length;
  if (size > INK_LIMITS.bytes) {
    throw new ProtocolError(`the ink is too large (${size} bytes; at most ${INK_LIMITS.bytes})`);
  }
}

/**
 * @param {number[]} out
 * @param {number} value a non-negative integer below 2³⁵
 */
function varint(out, value) {
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

/** @param {number} value */
const zigzag = (value) => (value >= 0 ? value * 2 : -value * 2 - 1);

/**
 * @param {Strokes} strokes
 * @returns {Bytes}
 */
function pack(strokes) {
  /** @type {number[]} */
  const out = [VERSION];
  varint(out, strokes.length);
  let last = [0, 0, 0, 0];
  for (const stroke of strokes) {
    varint(out, stroke.length);
    for (const point of stroke) {
      for (let i = 0; i < 4; i++) varint(out, zigzag(point[i] - last[i]));
      last = point;
    }
  }
  return new Uint8Array(out);
}

/**
 * The varint encoding of checked strokes, before compression (the vectors pin it).
 * @param {Strokes} strokes
 * @returns {Bytes}
 */
export function packInk(strokes) {
  checkInk(strokes);
  return pack(strokes);
}

/**
 * The strokes of a varint encoding; ProtocolError for anything but exactly one.
 * @param {Uint8Array} raw
 * @returns {Strokes}
 */
export function unpackInk(raw) {
  if (raw.length > INK_LIMITS.bytes) {
    throw new ProtocolError(`the ink is too large (at most ${INK_LIMITS.bytes} bytes)`);
  }
  if (raw[0] !== VERSION) throw new ProtocolError("unknown ink version");
  let at = 1;
  const read = () => {
    let value = 0;
    for (let i = 0; i < VARINT_BYTES; i++) {
      if (at >= raw.length) throw new ProtocolError("the ink ends in the middle of a number");
      const byte = raw[at++];
      value += (byte & 0x7f) * 2 ** (7 * i);
      if (!(byte & 0x80)) {
        if (byte === 0 && i) throw new ProtocolError("the ink holds a number written too long");
        return value;
      }
    }
    throw new ProtocolError("the ink holds a number too large");
  };
  const delta = () => {
    const value = read();
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  };
  const count = read();
  if (count > INK_LIMITS.strokes) {
    throw new ProtocolError(`too many strokes (${count}; at most ${INK_LIMITS.strokes})`);
  }
  /** @type {Strokes} */
  const strokes = [];
  let last = [0, 0, 0, 0];
  let total = 0;
  for (let s = 0; s < count; s++) {
    const points = read();
    total += points;
    if (points === 0 || total > INK_LIMITS.points) {
      throw new ProtocolError("a stroke with no points, or too many points");
    }
    const stroke = [];
    for (let n = 0; n < points; n++) {
      const point = last.map((before) => before + delta());
      if (!RANGES.every(([, top], i) => point[i] >= 0 && point[i] <= top)) {
        throw new ProtocolError("a point of the ink is out of range");
      }
      if (point[2] < last[2]) throw new ProtocolError("the ink's times go backwards");
      stroke.push(point);
      last = point;
    }
    strokes.push(stroke);
  }
  if (at !== raw.length) throw new ProtocolError("the ink has bytes after its last point");
  return strokes;
}

/**
 * Checked strokes → the varint encoding under raw DEFLATE (what an entry seals).
 * @param {Strokes} strokes
 * @returns {Promise<Bytes>}
 */
export async function encodeInk(strokes) {
  const raw = packInk(strokes);
  const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Raw DEFLATE → strokes; refuses a stream that is cut short, has bytes after its end, or
 * inflates past INK_LIMITS.bytes. The compressed bytes go in a slice at a time and reading
 * stops at the cap, so a small box cannot become a bomb.
 * @param {Uint8Array} data
 * @returns {Promise<Strokes>}
 */
export async function decodeInk(data) {
  let at = 0;
  const source = new ReadableStream(
    {
      pull(controller) {
        if (at >= data.length) controller.close();
        else controller.enqueue(data.slice(at, (at += SLICE)));
      },
    },
    { highWaterMark: 0 },
  );
  const reader = source.pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > INK_LIMITS.bytes) {
        reader.cancel().catch(() => {});
        throw new ProtocolError(`the ink inflates beyond ${INK_LIMITS.bytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    // Cut short, bytes after its end, or not DEFLATE at all: the browser says which in its words.
    throw new ProtocolError(`the ink is not raw DEFLATE (${/** @type {Error} */ (error).message})`);
  }
  return unpackInk(concat(...chunks));
}
