/**
 * Fault injection, for the crash-safety test (test/crash-safety.test.ts): with HINDSIGHT_FAULT
 * set to the name of one of these points, the process kills itself with SIGKILL on reaching it,
 * as the OOM killer, a CI timeout or a power cut would stop it: no `finally`, no exit handler.
 *
 * - `parse-cache`: half-way through writing a parse-cache pack (the first one written)
 * - `data-pack`: after the first frame of the parse cache's data pack (see durable.ts)
 * - `link`: half-way through linking the unchanged files of an incremental build into the new site
 * - `spare`: half-way through bringing the spare site up to date (see src/cli/spare-site.ts)
 * - `output`: at the first change of the output folder, before it is moved aside
 * - `swap`: between the two renames, when the output folder does not exist
 * - `record`: half-way through writing the build record, after the swap
 * - `cleanup`: after the build, before the previous site is removed
 */
export type FaultPoint = 'parse-cache' | 'data-pack' | 'link' | 'spare' | 'output' | 'swap' | 'record' | 'cleanup';

/** Whether the process is to die at `point` (for a point that first does half its work). */
export const faultAt = (point: FaultPoint): boolean => process.env.HINDSIGHT_FAULT === point;

/** Kills the process with SIGKILL when HINDSIGHT_FAULT names `point`. */
export function fault(point: FaultPoint): void {
  if (faultAt(point)) process.kill(process.pid, 'SIGKILL');
}
