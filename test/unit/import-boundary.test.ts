/**
 * The folder rule: only `main/index.ts` and `main/shell/` may load electron, electron-store or
 * electron-log at run time, because importing them in plain Node tries to download Electron and
 * throws. The sandboxed preload is the other exception: it runs only in Electron's renderer.
 * This test reads every TypeScript file with the TypeScript parser, and checks that the ESLint
 * rule that enforces the same thing in editors catches a violation.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

import { ESLint } from 'eslint';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED_FOLDERS = ['main', 'preload', 'renderer', 'scripts', 'test', 'bin'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'release', 'vendor']);

/** True for `electron`, `electron-store`, `electron-log` and their subpaths (`electron/main`). */
function isElectronOnly(specifier: string): boolean {
  return /^(electron|electron-store|electron-log)(\/.*)?$/.test(specifier);
}

function isAllowed(file: string): boolean {
  return file === 'main/index.ts' || file.startsWith('main/shell/') || (file.startsWith('preload/') && file.endsWith('.cts'));
}

function listTypeScriptFiles(folder: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      return SKIPPED_FOLDERS.has(entry.name) ? [] : listTypeScriptFiles(path);
    }
    return /\.(ts|cts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Returns each run-time load of an Electron-only module in `source`, as `line: text`.
 * `import { type X } from 'electron'` counts: with verbatimModuleSyntax it still emits
 * `import 'electron'`. Only `import type` and `export type` are erased.
 */
function findRuntimeElectronImports(fileName: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node): void => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    found.push(`${line + 1}: ${node.getText(sourceFile).split('\n')[0]}`);
  };
  const literal = (node: ts.Node | undefined): string | null => (node !== undefined && ts.isStringLiteralLike(node) ? node.text : null);

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      if (specifier !== null && isElectronOnly(specifier) && node.importClause?.isTypeOnly !== true) {
        report(node);
      }
    } else if (ts.isExportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      if (specifier !== null && isElectronOnly(specifier) && !node.isTypeOnly) {
        report(node);
      }
    } else if (ts.isImportEqualsDeclaration(node)) {
      const reference = node.moduleReference;
      if (ts.isExternalModuleReference(reference) && isElectronOnly(literal(reference.expression) ?? '') && !node.isTypeOnly) {
        report(node);
      }
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isDynamicImport || isRequire) && isElectronOnly(literal(node.arguments[0]) ?? '')) {
        report(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

describe('import boundary', () => {
  it('scans the source folders', () => {
    const files = SCANNED_FOLDERS.flatMap((folder) => listTypeScriptFiles(join(ROOT, folder)));
    assert.ok(files.length > 20, `expected the source tree, found ${files.length} files`);
  });

  it('keeps electron out of core', () => {
    const violations: string[] = [];
    for (const path of SCANNED_FOLDERS.flatMap((folder) => listTypeScriptFiles(join(ROOT, folder)))) {
      const file = relative(ROOT, path).split(sep).join('/');
      if (isAllowed(file)) {
        continue;
      }
      for (const hit of findRuntimeElectronImports(file, readFileSync(path, 'utf8'))) {
        violations.push(`${file}:${hit}`);
      }
    }
    assert.deepEqual(violations, [], `Only main/index.ts and main/shell/ may load Electron modules at run time:\n${violations.join('\n')}`);
  });

  const detected: Array<[string, string]> = [
    ['named import', "import { app } from 'electron';"],
    ['default import', "import Store from 'electron-store';"],
    ['side-effect import', "import 'electron-log/main';"],
    ['inline type import', "import { type App } from 'electron';"],
    ['re-export', "export { app } from 'electron';"],
    ['dynamic import', "const electron = await import('electron');"],
    ['require', "const { app } = require('electron');"],
    ['import equals', "import electron = require('electron');"],
  ];
  for (const [name, source] of detected) {
    it(`detects a ${name}`, () => {
      assert.equal(findRuntimeElectronImports('example.ts', source).length, 1);
    });
  }

  const ignored: Array<[string, string]> = [
    ['type import', "import type { App } from 'electron';"],
    ['type re-export', "export type { App } from 'electron';"],
    ['type import of a subpath', "import type { MainLogger } from 'electron-log';"],
    ['lookalike package', "import x from 'electron-builder';"],
  ];
  for (const [name, source] of ignored) {
    it(`allows a ${name}`, () => {
      assert.deepEqual(findRuntimeElectronImports('example.ts', source), []);
    });
  }
});

describe('import boundary lint rule', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const ruleIds = async (source: string, filePath: string): Promise<string[]> => {
    const [result] = await eslint.lintText(source, { filePath: join(ROOT, filePath) });
    return (result?.messages ?? []).map((message) => message.ruleId ?? '(parse error)');
  };

  it('flags a value import in core', async () => {
    const rules = await ruleIds("import { app } from 'electron';\nexport const name = app.getName();\n", 'main/core/boundary-example.ts');
    assert.ok(rules.includes('@typescript-eslint/no-restricted-imports'), `rules reported: ${rules.join(', ')}`);
  });

  it('flags electron-log in core', async () => {
    const rules = await ruleIds("import log from 'electron-log/main';\nlog.info('x');\n", 'main/core/boundary-example.ts');
    assert.ok(rules.includes('@typescript-eslint/no-restricted-imports'), `rules reported: ${rules.join(', ')}`);
  });

  it('allows a type import in core', async () => {
    const rules = await ruleIds("import type { App } from 'electron';\nexport type Name = App['name'];\n", 'main/core/boundary-example.ts');
    assert.deepEqual(rules, []);
  });

  it('allows a value import in the shell', async () => {
    const rules = await ruleIds("import { app } from 'electron';\nexport const name = app.getName();\n", 'main/shell/boundary-example.ts');
    assert.deepEqual(rules, []);
  });
});
