import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

/*
 * The container images the kit builds at deployment (the gateway, the sample MCP server) install
 * their dependencies from their own package.json and package-lock.json, so that they build the
 * same from a clone and from an installed copy of the kit's package. These tests keep those
 * manifests honest: every package the sources import is declared, and the image installs
 * exactly the versions the kit's own tests run against.
 */

const ROOT = path.join(__dirname, '..', '..');
const RUNTIMES = ['runtime/gateway', 'runtime/sample-mcp-server'];
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

interface Lock {
  readonly packages: Record<string, { version?: string }>;
}

function readJson<T>(...segments: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, ...segments), 'utf8')) as T;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The packages the sources import: `@scope/name` or `name`, without subpaths and built-ins. */
function importedPackages(runtime: string): string[] {
  const specifiers = sourceFiles(path.join(ROOT, runtime, 'src')).flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/(?:^(?:import|export)\s[^;]*?\sfrom|^}\s*from|\bimport\()\s*'([^'.][^']*)'/gm)].map((match) => match[1]));
  const packages = specifiers
    .filter((specifier) => !BUILTINS.has(specifier))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(packages)].sort();
}

describe.each(RUNTIMES)('the image dependencies of %s', (runtime) => {
  const manifest = readJson<Manifest>(runtime, 'package.json');
  const lock = readJson<Lock>(runtime, 'package-lock.json');
  const declared = { ...manifest.dependencies, ...manifest.devDependencies };

  test('declare every package the sources import, and no other runtime dependency', () => {
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(importedPackages(runtime));
  });

  test('lock each declared package at the version the kit\'s tests run against', () => {
    const mismatches = Object.keys(declared).flatMap((name) => {
      const locked = lock.packages[`node_modules/${name}`]?.version;
      const tested = readJson<{ version: string }>('node_modules', name, 'package.json').version;
      return locked === tested ? [] : [`${name}: image ${locked ?? 'not locked'}, tests ${tested}`];
    });
    expect(mismatches).toEqual([]);
  });

  test('lock file matches the manifest', () => {
    expect(lock.packages[''] as Manifest).toEqual(expect.objectContaining({
      dependencies: manifest.dependencies,
      devDependencies: manifest.devDependencies,
    }));
  });
});
