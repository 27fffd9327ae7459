/**
 * Runs one command as a child process and measures it: wall-clock seconds and peak memory.
 * Peak memory is GNU time's `%M` (the maximum resident set of the largest process in the
 * tree, in KB) when /usr/bin/time exists; otherwise the summed resident set of the process
 * tree, sampled from /proc every 25 ms.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

export const PEAK_MEMORY_METHOD = existsSync(GNU_TIME)
  ? 'GNU time %M: maximum resident set size of the largest process'
  : 'resident set size of the whole process tree, sampled from /proc every 25 ms';

export interface Measured {
  seconds: number;
  peakMB: number;
}

/** Several runs of one measurement: the median time, the largest peak memory, and every run. */
export interface Repeated extends Measured {
  runs: Measured[];
}

export function summarize(runs: readonly Measured[]): Repeated {
  const times = runs.map((run) => run.seconds).sort((a, b) => a - b);
  const middle = times.length >> 1;
  const median = times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  return { seconds: median, peakMB: Math.max(...runs.map((run) => run.peakMB)), runs: [...runs] };
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `command args…` to the end; throws with its output when it exits non-zero. */
export async function measure(command: string, args: readonly string[], { cwd, env = process.env }: RunOptions): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'hindsight-measure-'));
  const timeFile = path.join(scratch, 'time');
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let sampledKB = 0;
  const sampler = useTime
    ? undefined
    : setInterval(() => {
        treeRssKB(child.pid!).then((kb) => (sampledKB = Math.max(sampledKB, kb)), () => {});
      }, 25);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  const seconds = (performance.now() - started) / 1000;
  if (sampler) clearInterval(sampler);
  try {
    if (code !== 0) throw new Error(`${[command, ...args].join(' ')} exited with ${code}:\n${output}`);
    const peakKB = useTime ? Number((await readFile(timeFile, 'utf8')).trim().split('\n').at(-1)) : sampledKB;
    return { seconds, peakMB: peakKB / 1024 };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The summed VmRSS (KB) of a process and all its descendants, read from /proc. */
async function treeRssKB(root: number): Promise<number> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(name), ppid);
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (tree.has(ppid) && !tree.has(pid)) grew = tree.add(pid) !== undefined;
  }
  let total = 0;
  for (const pid of tree) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return total;
}
