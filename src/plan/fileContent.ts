import { inspect } from 'node:util';

/**
 * A planned file's bytes, which hold a private key. The plan is plain data that a dry run prints
 * and tests compare, so its bytes must never come out by accident: as JSON, through
 * util.inspect or console.log, and in string templates they show as their size only. Only the
 * file writer asks for them (`bytes()`).
 */
export class FileContent {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  get size(): number {
    return this.#bytes.length;
  }

  bytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return `[${this.size} bytes, not shown]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
