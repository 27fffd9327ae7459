/**
 * Cache files a killed process cannot make wrong: the parse-cache packs, the history of git and
 * the build record. Each is written to a file of the writer's own beside it, `<file>.partial-<pid>`,
 * and renamed over it, so a reader finds the whole old file or the whole new one. And each is
 * sealed with its length and CRC-32 (0.2 ms a megabyte to check, a data pack of 300 MB in about
 * 60 ms), so a file cut short or garbled anyway (the machine lost power before the data reached
 * the disk) reads as missing, never as another value. A writer killed before its rename leaves
 * its partial file; the next write of the same file removes those of processes no longer running.
 */
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { faultAt, type FaultPoint } from './fault.ts';

/** `HSK2`, the CRC-32 of the data, its length in bytes, and the length of the tag that follows. */
const MAGIC = 0x48534b32;
/** `HSF1`: a sealed file of frames (see writeSealedFrames), each after its length and CRC-32. */
const FRAMED = 0x48534631;
const FRAME_PREFIX = 8;
const HEADER = 18;

/** Whether process `pid` is running (one of another user's counts: it may not be signalled, but it is there). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces `file` with `data`, sealed, in one rename, making its folder when missing. `tag`, a
 * short text written before the data (the parse cache's salt: the hash of the code and the
 * catalogue it was made with), lets a reader looking for another tag stop before reading the
 * data: a cache of other code is dropped without being loaded. With HINDSIGHT_FAULT naming
 * `point`, writes half of it and dies (see fault.ts).
 */
export async function writeSealed(file: string, data: string | Uint8Array, point?: FaultPoint, tag = ''): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  await replace(file, async (handle) => {
    const label = Buffer.from(tag);
    await handle.write(Buffer.concat([header(MAGIC, crc32(bytes), bytes.length, label), label]));
    if (point && faultAt(point)) {
      await handle.write(bytes.subarray(0, bytes.length >> 1));
      process.kill(process.pid, 'SIGKILL');
    }
    await handle.write(bytes);
  });
}

/**
 * Like writeSealed, for data too large to hold as one buffer: `frames`, made one at a time and
 * each let go once written, are sealed as one file, each frame after its length and its own
 * CRC-32 (4 bytes each), so a reader checks a frame before it decodes it. The parse cache's data
 * pack is written so: serialized whole at ten thousand postmortems, it was one buffer of 276 MB,
 * alive at the build's busiest moment. With HINDSIGHT_FAULT naming `point`, writes the first
 * frame and dies.
 */
export async function writeSealedFrames(file: string, frames: Iterable<Uint8Array>, point?: FaultPoint, tag = ''): Promise<void> {
  await replace(file, async (handle) => {
    // The header goes last, once the length and checksum of what follows it are known.
    const label = Buffer.from(tag);
    const start = HEADER + label.length;
    let position = start;
    await handle.write(label, 0, label.length, HEADER);
    let crc = 0;
    for (const frame of frames) {
      const prefix = Buffer.alloc(FRAME_PREFIX);
      prefix.writeUInt32BE(frame.length, 0);
      prefix.writeUInt32BE(crc32(frame), 4);
      for (const bytes of [prefix, frame]) {
        await handle.write(bytes, 0, bytes.length, position);
        position += bytes.length;
        crc = crc32(bytes, crc);
      }
      if (point && faultAt(point)) process.kill(process.pid, 'SIGKILL');
    }
    await handle.write(header(FRAMED, crc, position - start, label), 0, HEADER, 0);
  });
}

/**
 * The data of a sealed file; undefined when it is missing, cut short, garbled, not sealed, or
 * (with `tag`) sealed with another tag, which is found out before the data is read.
 */
export async function readSealed(file: string, tag?: string): Promise<Buffer | undefined> {
  return reading(file, MAGIC, tag, async ({ handle, start, end, crc }) => {
    const data = Buffer.alloc(end - start);
    if ((await handle.read(data, 0, data.length, start)).bytesRead < data.length) return undefined;
    return crc32(data) === crc ? data : undefined;
  });
}

/**
 * Reads a file of writeSealedFrames frame by frame, handing each, once its own checksum matched,
 * to `each`, without holding more than one at a time. False when the file is missing, cut
 * short, garbled or (with `tag`) sealed with another tag; then what `each` was given is to be
 * dropped.
 */
export async function readSealedFrames(file: string, tag: string | undefined, each: (frame: Buffer) => void): Promise<boolean> {
  const whole = await reading(file, FRAMED, tag, async ({ handle, start, end, crc: expected }) => {
    let position = start;
    let crc = 0;
    const take = async (length: number): Promise<Buffer | undefined> => {
      if (position + length > end) return undefined;
      const bytes = Buffer.alloc(length);
      if ((await handle.read(bytes, 0, length, position)).bytesRead < length) return undefined;
      position += length;
      crc = crc32(bytes, crc);
      return bytes;
    };
    while (position < end) {
      const prefix = await take(FRAME_PREFIX);
      const frame = prefix && (await take(prefix.readUInt32BE(0)));
      if (!frame || crc32(frame) !== prefix!.readUInt32BE(4)) return false;
      each(frame);
    }
    return crc === expected;
  });
  return whole === true;
}

/** The header of a sealed file: its kind, the CRC-32 and length of its data, the length of its tag. */
function header(magic: number, crc: number, length: number, label: Buffer): Buffer {
  const bytes = Buffer.alloc(HEADER);
  bytes.writeUInt32BE(magic, 0);
  bytes.writeUInt32BE(crc, 4);
  bytes.writeBigUInt64BE(BigInt(length), 8);
  bytes.writeUInt16BE(label.length, 16);
  return bytes;
}

/**
 * Writes `file` anew through `write`, into a file of this process's own beside it that is then
 * renamed over it; removed, and the error thrown again, when writing fails.
 */
async function replace(file: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const handle = await open(partial, 'w');
  try {
    await write(handle);
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  removeStalePartials(file);
}

/** Where a sealed file's data is, and the checksum it was sealed with. */
interface Sealed {
  handle: FileHandle;
  start: number;
  end: number;
  crc: number;
}

/**
 * Opens a sealed file of kind `magic` and hands `read` where its data is; undefined when it is
 * missing, of another kind, of a size its header does not give, or (with `tag`) of another tag.
 */
async function reading<T>(file: string, magic: number, tag: string | undefined, read: (sealed: Sealed) => Promise<T>): Promise<T | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(HEADER);
    if (size < HEADER || (await handle.read(head, 0, HEADER, 0)).bytesRead < HEADER || head.readUInt32BE(0) !== magic) return undefined;
    const labelLength = head.readUInt16BE(16);
    const start = HEADER + labelLength;
    if (BigInt(size) !== BigInt(start) + head.readBigUInt64BE(8)) return undefined;
    const label = Buffer.alloc(labelLength);
    await handle.read(label, 0, labelLength, HEADER);
    if (tag !== undefined && label.toString() !== tag) return undefined;
    return await read({ handle, start, end: size, crc: head.readUInt32BE(4) });
  } finally {
    await handle.close();
  }
}

/** The partial files of `file` that writers killed before their rename left. */
function removeStalePartials(file: string): void {
  const prefix = `${path.basename(file)}.partial-`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && !running(pid)) rmSync(path.join(path.dirname(file), name), { force: true });
  }
}
