/**
 * The repository stands alone: a fresh clone has nothing beside it, so no tracked file may name a
 * path outside the repository (a relative path climbing above its root, or a path of the machine
 * it was written on). Tests, scripts, build steps and doc links are all tracked files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Files that are not ours to word: lock files list registry paths, images are binary. */
const SKIP = /(^|\/)package-lock\.json$|\.(png|jpe?g|gif|ico|woff2?|db)$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT });
  return out
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '' && !SKIP.test(f));
}

/** Every relative path in `text` that, read from `file`'s folder, leads outside the repository. */
function pathsOutside(file: string, text: string, root = ROOT): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\.\.\/)+[\w.@-]*/g)) {
    const target = resolve(root, dirname(file), match[0]);
    if (target !== root && !target.startsWith(root + sep)) found.push(match[0]);
  }
  for (const match of text.matchAll(/(?<![\w.])\/work\/[\w./-]*/g)) found.push(match[0]);
  return found;
}

describe('the repository is self-contained', () => {
  it('finds a path that climbs out, and leaves paths inside alone (the check has teeth)', () => {
    // Built from pieces, so that this file does not name such paths itself.
    const up = '..' + '/';
    const work = '/' + 'work/';
    expect(pathsOutside('test/mock/specs.ts', `new URL('${up.repeat(3)}shared/specs/', u)`, '/r')).toEqual([
      `${up.repeat(3)}shared`,
    ]);
    expect(pathsOutside('docs/api.md', `see [the README](${up}README.md)`, '/r')).toEqual([]);
    expect(pathsOutside('README.md', `read ${up}shared/contract.md`, '/r')).toEqual([`${up}shared`]);
    expect(pathsOutside('bench/run.ts', `spawn('${work}main/x')`, '/r')).toEqual([`${work}main/x`]);
  });

  it('no tracked file names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), 'utf8');
      } catch {
        continue; // listed but deleted in the work tree
      }
      for (const path of pathsOutside(file, text)) offenders.push(`${file}: ${path}`);
    }
    expect(offenders).toEqual([]);
  });
});
