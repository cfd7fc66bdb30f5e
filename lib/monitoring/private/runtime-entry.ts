import * as fs from 'fs';
import * as path from 'path';

/**
 * Absolute path of a runtime source file, e.g. `runtime/incident-response/src/quarantine-task.ts`,
 * resolved from the package root (the nearest ancestor of this file holding a package.json),
 * so that it is found both from the sources and from the compiled `dist/` tree.
 */
export function runtimeEntry(relativePath: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const entry = path.join(dir, relativePath);
      if (!fs.existsSync(entry)) {
        throw new Error(`Runtime entry ${relativePath} is missing from the package at ${dir}`);
      }
      return entry;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`No package.json above ${__dirname}: cannot locate ${relativePath}`);
    }
  }
}
