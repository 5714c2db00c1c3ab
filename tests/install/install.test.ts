/**
 * The packages as a user gets them: each package packed with `pnpm pack`
 * (which builds it through `prepack` and turns `workspace:*` into the
 * version), the tarballs installed into an empty project with plain
 * `npm install`, then `npx linreg --version`, a generated data set fitted by
 * `npx linreg fit` on two workers (the worker file must resolve inside the
 * installed package), the library imported from Node, and a TypeScript file
 * importing `@linreg/core` and `@linreg/core/numerics` checked by `tsc --noEmit`.
 * Needs the npm registry: skipped, saying so, when it cannot be reached.
 * Run with `pnpm test:install`; it prints what the install costs.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['errors', 'io', 'core', 'cli'] as const;
const PNPM = ['-y', 'pnpm@12.4.2'];
const VERSION = (
  JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version;

async function registryProblem(): Promise<string | undefined> {
  const registry = (() => {
    try {
      return execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
    } catch {
      return 'https://registry.npmjs.org/';
    }
  })();
  try {
    const response = await fetch(new URL('yargs', registry), {
      signal: AbortSignal.timeout(15_000),
    });
    return response.ok ? undefined : `${registry} answered ${response.status}`;
  } catch (error) {
    return `${registry} is unreachable (${(error as Error).message})`;
  }
}

const problem = await registryProblem();
if (problem !== undefined) console.log(`tests/install skipped: ${problem}`);

/** Run a command; on failure, throw with what it printed on stdout too (tsc reports there). */
function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    throw new Error(`${(error as Error).message}\n${stdout ?? ''}`);
  }
}

/** Bytes of the regular files under `dir` (symbolic links, e.g. in .bin, not followed). */
function bytesUnder(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += bytesUnder(path);
    else if (entry.isFile()) bytes += statSync(path).size;
  }
  return bytes;
}

/** The package directories in a node_modules tree, nested ones included. */
function packagesUnder(nodeModules: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(nodeModules, entry.name);
    const dirs = entry.name.startsWith('@')
      ? readdirSync(path, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(path, e.name))
      : [path];
    for (const dir of dirs) {
      found.push(dir);
      if (existsSync(join(dir, 'node_modules')))
        found.push(...packagesUnder(join(dir, 'node_modules')));
    }
  }
  return found;
}

describe.skipIf(problem !== undefined)('packed packages install with npm and run', () => {
  const work = mkdtempSync(join(tmpdir(), 'linreg-install-'));
  const tarballs = join(work, 'tarballs');
  const project = join(work, 'project');
  const started = Date.now();
  const log = (what: string) =>
    console.log(`tests/install: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  beforeAll(() => {
    mkdirSync(tarballs);
    mkdirSync(project);
    for (const name of PACKAGES) {
      run('npx', [...PNPM, 'pack', '--pack-destination', tarballs], join(root, 'packages', name));
    }
    log('packed');
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'install-check', private: true, type: 'module' }, null, 2)}\n`,
    );
    const files = PACKAGES.map((name) => join(tarballs, `linreg-${name}-${VERSION}.tgz`));
    run('npm', ['install', ...files], project);
    log('installed the tarballs');
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('the tarballs name versions, not workspace:', () => {
    for (const name of PACKAGES) {
      const manifest = run(
        'tar',
        ['-xzOf', join(tarballs, `linreg-${name}-${VERSION}.tgz`), 'package/package.json'],
        work,
      );
      expect(manifest).not.toContain('workspace:');
      const listing = run('tar', ['-tzf', join(tarballs, `linreg-${name}-${VERSION}.tgz`)], work);
      expect(listing).toContain('package/LICENSE');
      expect(listing).toContain(`package/dist/${name === 'cli' ? 'main' : 'index'}.d.ts`);
    }
    const core = run('tar', ['-tzf', join(tarballs, `linreg-core-${VERSION}.tgz`)], work);
    expect(core).toContain('package/dist/engine/worker.js');
    expect(core).toContain('package/dist/worker-bundle/worker.js');
    expect(core).toContain('package/dist/numerics/wasm/kernels-binary.js');
    expect(core).toContain('package/dist/numerics/index.d.ts');
  });

  it('reports what installing costs', () => {
    const nodeModules = join(project, 'node_modules');
    const packages = packagesUnder(nodeModules);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    const heaviest = [
      ...new Set(packages.map((p) => p.slice(nodeModules.length + 1).split('/')[0])),
    ]
      .map((top) => [top, bytesUnder(join(nodeModules, top as string))] as const)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 6)
      .map(([top, bytes]) => `${top} ${mb(bytes)}`);
    const stdlib = packages.filter((p) => p.includes('/@stdlib/')).length;
    console.log(
      `tests/install: node_modules holds ${packages.length} packages (${stdlib} of them @stdlib), ` +
        `${mb(bytesUnder(nodeModules))} of files; heaviest: ${heaviest.join(', ')}`,
    );
    expect(packages.length).toBeGreaterThan(4);
  });

  it('npx linreg --version', () => {
    expect(run('npx', ['linreg', '--version'], project).trim()).toBe(VERSION);
    expect(run('npx', ['linreg', '--help'], project)).toContain('linreg <command> [options]');
  });

  it('npx linreg gen, then fit on two workers', () => {
    run('npx', ['linreg', 'gen', 'd', '--rows', '2000', '--cols', '3', '--format', 'csv'], project);
    const model = JSON.parse(
      run('npx', ['linreg', 'fit', 'd', '-y', 'y', '--json', '-j', '2', '-q'], project),
    ) as { coefficients: { name: string; estimate: number }[]; n?: number };
    expect(model.coefficients.map((c) => c.name)).toEqual(['(Intercept)', 'x0', 'x1', 'x2']);
    for (const c of model.coefficients) expect(Number.isFinite(c.estimate)).toBe(true);
    log('fitted with the CLI');
  });

  it('the library from Node: fit on two workers, numerics subpath', () => {
    writeFileSync(
      join(project, 'lib.mjs'),
      [
        "import { fit } from '@linreg/core';",
        "import { createAccumulator } from '@linreg/core/numerics';",
        "const { model } = await fit({ inputs: ['d'], target: 'y', workers: 2 });",
        "createAccumulator({ kind: 'qr', p: 1, intercept: true, weighted: false });",
        'console.log(model.coefficients.length);',
      ].join('\n'),
    );
    expect(run('node', ['lib.mjs'], project).trim()).toBe('4');
  });

  it('a TypeScript import type-checks with tsc --noEmit', () => {
    run('npm', ['install', '--save-dev', 'typescript@5.9.3', '@types/node@20'], project);
    writeFileSync(
      join(project, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            types: ['node'],
          },
          include: ['check.ts'],
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(
      join(project, 'check.ts'),
      [
        "import { fit, type LinregModel } from '@linreg/core';",
        "import { createAccumulator, solve } from '@linreg/core/numerics';",
        "import { ExitCode, main } from '@linreg/cli';",
        "const { model }: { model: LinregModel } = await fit({ inputs: ['d'], target: 'y' });",
        'const names: string[] = model.coefficients.map((c) => c.name);',
        "const a = createAccumulator({ kind: 'qr', p: 2, intercept: true, weighted: false });",
        'const code: number = ExitCode.ok;',
        'console.log(names, a, solve, code, main);',
        '',
      ].join('\n'),
    );
    run('npx', ['tsc', '-p', '.'], project);
    // and a type error is one: the check is not vacuous
    writeFileSync(join(project, 'check.ts'), "import { fit } from '@linreg/core';\nfit(42);\n");
    expect(() => run('npx', ['tsc', '-p', '.'], project)).toThrow();
    log('type-checked');
  });
});
