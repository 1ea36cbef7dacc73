import { CdrWriter } from '@foxglove/cdr';

const textEncoder = new TextEncoder();

/**
 * Whether the installed `CdrWriter.string()` writes UTF-8 byte lengths. @foxglove/cdr 3.5.0 (the
 * newest release on the registry) sizes a string by its UTF-16 code units, so "José" is written
 * as "Jos" + NUL and "王" as an empty string, silently. Checked by behaviour, not by version, so
 * that a fixed release switches our patch off by itself.
 */
export function cdrWriterHandlesUtf8(): boolean {
  const writer = new CdrWriter({ size: 16 });
  writer.string('é');
  // 4 bytes of encapsulation header, a uint32 length of 3, then 'é' (2 bytes) and NUL.
  const data = writer.data;
  return (
    data.byteLength === 11 &&
    data[4] === 3 &&
    data[8] === 0xc3 &&
    data[9] === 0xa9 &&
    data[10] === 0
  );
}

let installed = false;

/**
 * Makes `CdrWriter.string()` write the UTF-8 bytes of a string with their byte length, as ROS 2
 * does, when the installed @foxglove/cdr still has the bug (fixed upstream in foxglove/cdr#35,
 * not released as of 3.5.0).
 *
 * Why a prototype patch: the bug is in `CdrWriter.string()`, and rosmsg2-serialization's
 * `MessageWriter` creates its own `CdrWriter` internally, so the only place a fix reaches every
 * string field, string array and nested message is that method. The replacement uses only
 * public `CdrWriter` methods (`uint32`, `uint8Array`, `uint8`), which grow the buffer as needed:
 * `MessageWriter.calculateByteSize()` undercounts non-ASCII strings the same way, and the writer
 * resizing makes that harmless. Idempotent; called by `MessageCodec` before it first encodes.
 */
export function ensureUtf8CdrStrings(): void {
  if (installed) {
    return;
  }
  installed = true;
  if (cdrWriterHandlesUtf8()) {
    return;
  }
  CdrWriter.prototype.string = function utf8String(
    this: CdrWriter,
    value: string,
    writeLength = true,
  ): CdrWriter {
    const bytes = textEncoder.encode(value);
    if (writeLength) {
      this.uint32(bytes.byteLength + 1); // the length counts the NUL terminator
    }
    this.uint8Array(bytes, false);
    this.uint8(0);
    return this;
  };
}
