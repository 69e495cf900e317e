import { execFileSync } from 'node:child_process';
import { ROOT } from './system';

/** The commit the benchmark ran on, and whether the working tree had changes (other engineers edit concurrently). */
export function gitState(): { commit: string; dirtyFiles: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return { commit, dirtyFiles: dirty };
  } catch {
    return { commit: 'unknown', dirtyFiles: -1 };
  }
}
