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
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { faultAt, type FaultPoint } from './fault.ts';

/** `HSK2`, the CRC-32 of the data, its length in bytes, and the length of the tag that follows. */
const MAGIC = 0x48534b32;
/** `HSF1`: a sealed file of frames (see writeSealedFrames). */
const FRAMED = 0x48534631;
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
  const label = Buffer.from(tag);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32BE(MAGIC, 0);
  header.writeUInt32BE(crc32(bytes), 4);
  header.writeBigUInt64BE(BigInt(bytes.length), 8);
  header.writeUInt16BE(label.length, 16);
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const handle = await open(partial, 'w');
  try {
    await handle.write(Buffer.concat([header, label]));
    if (point && faultAt(point)) {
      await handle.write(bytes.subarray(0, bytes.length >> 1));
      process.kill(process.pid, 'SIGKILL');
    }
    await handle.write(bytes);
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  removeStalePartials(file);
}

/**
 * Like writeSealed, for data too large to hold as one buffer: `frames`, made one at a time and
 * each let go once written, are sealed as one file, each frame after its length (4 bytes). The
 * parse cache's data pack is written so: serialized whole at ten thousand postmortems, it was
 * one buffer of 276 MB, alive at the build's busiest moment. With HINDSIGHT_FAULT naming
 * `point`, writes the first frame and dies.
 */
export async function writeSealedFrames(file: string, frames: Iterable<Uint8Array>, point?: FaultPoint, tag = ''): Promise<void> {
  const label = Buffer.from(tag);
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const handle = await open(partial, 'w');
  try {
    // The header is written last, once the length and checksum of what follows it are known.
    let position = HEADER + label.length;
    await handle.write(label, 0, label.length, HEADER);
    let crc = 0;
    const dying = point !== undefined && faultAt(point);
    let n = 0;
    for (const frame of frames) {
      if (dying && n++ === 1) process.kill(process.pid, 'SIGKILL');
      const size = Buffer.alloc(4);
      size.writeUInt32BE(frame.length);
      for (const bytes of [size, frame]) {
        await handle.write(bytes, 0, bytes.length, position);
        position += bytes.length;
        crc = crc32(bytes, crc);
      }
    }
    const header = Buffer.alloc(HEADER);
    header.writeUInt32BE(FRAMED, 0);
    header.writeUInt32BE(crc, 4);
    header.writeBigUInt64BE(BigInt(position - HEADER - label.length), 8);
    header.writeUInt16BE(label.length, 16);
    await handle.write(header, 0, HEADER, 0);
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  removeStalePartials(file);
}

/**
 * Reads a file of writeSealedFrames frame by frame, handing each to `each`, without holding more
 * than one at a time. False when the file is missing, cut short, garbled or (with `tag`) sealed
 * with another tag; then what `each` was given is to be dropped, as the checksum is known only at
 * the end.
 */
export async function readSealedFrames(file: string, tag: string | undefined, each: (frame: Buffer) => void): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(HEADER);
    if (size < HEADER || (await handle.read(header, 0, HEADER, 0)).bytesRead < HEADER || header.readUInt32BE(0) !== FRAMED) return false;
    const labelLength = header.readUInt16BE(16);
    const end = HEADER + labelLength + Number(header.readBigUInt64BE(8));
    if (size !== end) return false;
    const label = Buffer.alloc(labelLength);
    await handle.read(label, 0, labelLength, HEADER);
    if (tag !== undefined && label.toString() !== tag) return false;
    let position = HEADER + labelLength;
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
      const length = (await take(4))?.readUInt32BE(0);
      const frame = length === undefined ? undefined : await take(length);
      if (!frame) return false;
      each(frame);
    }
    return crc === header.readUInt32BE(4);
  } finally {
    await handle.close();
  }
}

/**
 * The data of a sealed file; undefined when it is missing, cut short, garbled, not sealed, or
 * (with `tag`) sealed with another tag, which is found out before the data is read.
 */
export async function readSealed(file: string, tag?: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(HEADER);
    if (size < HEADER || (await handle.read(header, 0, HEADER, 0)).bytesRead < HEADER || header.readUInt32BE(0) !== MAGIC) return undefined;
    const labelLength = header.readUInt16BE(16);
    const length = header.readBigUInt64BE(8);
    if (BigInt(size) !== BigInt(HEADER + labelLength) + length) return undefined;
    const label = Buffer.alloc(labelLength);
    await handle.read(label, 0, labelLength, HEADER);
    if (tag !== undefined && label.toString() !== tag) return undefined;
    const data = Buffer.alloc(Number(length));
    if ((await handle.read(data, 0, data.length, HEADER + labelLength)).bytesRead < data.length) return undefined;
    return crc32(data) === header.readUInt32BE(4) ? data : undefined;
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
