// Wire encodings of protocol v1: strict base64url, length-prefixed framing, random ids.

/**
 * Bytes over a plain ArrayBuffer, the kind WebCrypto accepts (never a SharedArrayBuffer).
 * @typedef {Uint8Array<ArrayBuffer>} Bytes
 */

/**
 * One part `lp` frames: bytes, or a string sent as UTF-8.
 * @typedef {Uint8Array | string} Part
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));

export const ID_BYTES = 16;

export class ProtocolError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "ProtocolError";
  }
}

/**
 * Base64url without padding.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function b64encode(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) text += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return text;
}

/**
 * Strict decoding: no padding, no stray characters, unused trailing bits must be zero.
 * Anything but such text (a field of the wrong type in a record, say) is a ProtocolError.
 * @param {unknown} text
 * @returns {Bytes}
 */
export function b64decode(text) {
  if (typeof text !== "string" || text.length % 4 === 1) {
    throw new ProtocolError("not base64url text");
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (const char of text) {
    const value = VALUES.get(char);
    if (value === undefined) throw new ProtocolError("not base64url text");
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new ProtocolError("not canonical base64url text");
  return out;
}

/**
 * @param {string} text
 * @returns {Bytes}
 */
export function utf8(text) {
  return new TextEncoder().encode(text);
}

/**
 * Decoding that refuses invalid UTF-8 instead of inventing replacement characters.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function fromUtf8(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ProtocolError("not UTF-8 text");
  }
}

/**
 * @param {...Uint8Array} parts
 * @returns {Bytes}
 */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Frame each part (bytes, or a string as UTF-8) with its 4-byte big-endian length.
 * @param {...Part} parts
 * @returns {Bytes}
 */
export function lp(...parts) {
  return concat(
    ...parts.flatMap((part) => {
      const raw = typeof part === "string" ? utf8(part) : part;
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, raw.length);
      return [length, raw];
    }),
  );
}

/**
 * Bytewise order, as the safety phrase sorts the two device keys.
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 * @returns {number}
 */
export function compareBytes(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/**
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 * @returns {boolean}
 */
export function bytesEqual(a, b) {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/**
 * @param {number} size
 * @returns {Bytes}
 */
export function randomBytes(size) {
  return crypto.getRandomValues(new Uint8Array(size));
}

/**
 * A fresh 128-bit id, made by the client so it can be bound into ciphertext up front.
 * @returns {string}
 */
export function newId() {
  return b64encode(randomBytes(ID_BYTES));
}
