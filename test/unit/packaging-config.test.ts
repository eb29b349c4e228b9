import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import AjvModule from 'ajv';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

// js-yaml ships in node_modules through electron-builder and has no bundled types.
const yaml = require('js-yaml') as { load(text: string): unknown };
// ajv is CommonJS; under NodeNext the default import is module.exports, which contains `default`.
const Ajv = AjvModule.default;

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string };
  files?: string[];
  extraMetadata?: { main?: string; desktopName?: string };
  mac?: { target?: string; icon?: string; extendInfo?: Record<string, unknown> };
  win?: { target?: string; icon?: string };
  linux?: {
    target?: string[];
    category?: string;
    icon?: string;
    executableName?: string;
    syncDesktopName?: boolean;
    maintainer?: string;
    desktop?: { entry?: Record<string, string> };
  };
}

const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

function pngSize(path: string): { width: number; height: number } {
  const data = readFileSync(path);
  assert.equal(data.subarray(1, 4).toString('ascii'), 'PNG', `${path} is a PNG`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Largest image in an ICO, as electron-builder reads it (a stored 0 means 256). */
function icoMaxSize(path: string): number {
  const data = readFileSync(path);
  assert.equal(data.readUInt16LE(2), 1, `${path} is an icon file`);
  let max = 0;
  for (let index = 0; index < data.readUInt16LE(4); index++) {
    max = Math.max(max, data[6 + index * 16] || 256);
  }
  return max;
}

function icnsTypes(path: string): string[] {
  const data = readFileSync(path);
  assert.equal(data.subarray(0, 4).toString('ascii'), 'icns', `${path} is an ICNS file`);
  const types: string[] = [];
  for (let offset = 8; offset < data.length; offset += data.readUInt32BE(offset + 4)) {
    types.push(data.subarray(offset, offset + 4).toString('ascii'));
  }
  return types;
}

describe('packaging config schema', () => {
  it('matches electron-builder schema', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    // The options electron-builder itself compiles scheme.json with (schemaValidator.js).
    const ajv = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(structuredClone(config));

    assert.equal(valid, true, JSON.stringify(validate.errors?.map((error) => `${error.instancePath} ${error.message}`)));
  });

  it('schema rejects unknown key', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);
    assert.equal(validate({ ...config, trayIcon: 'x' }), false);
  });
});

describe('packaging config rules', () => {
  it('app id is reverse DNS', () => {
    assert.match(config.appId ?? '', /^[a-z][a-z0-9]*(\.[A-Za-z][A-Za-z0-9_]*){2,}$/);
  });

  it('product name', () => {
    assert.equal(config.productName, 'Presence Tray');
  });

  it('output folder', () => {
    assert.equal(config.directories?.output, 'release');
  });

  it('files include build, assets, package.json', () => {
    for (const pattern of ['dist/**', 'assets/**', 'package.json']) {
      assert.ok(config.files?.includes(pattern), pattern);
    }
  });

  it('main points at the build', () => {
    assert.equal(config.extraMetadata?.main, 'dist/main/index.js');
    assert.equal(config.extraMetadata?.main, packageJson.main);
  });

  it('desktop name matches app id', () => {
    assert.equal(config.extraMetadata?.desktopName, `${config.appId}.desktop`);
    assert.equal(config.linux?.syncDesktopName, true);
    assert.equal(config.linux?.desktop?.entry?.StartupWMClass, config.appId);
  });

  it('executable is the command name', () => {
    assert.equal(config.linux?.executableName, 'presence-tray');
  });

  it('Linux targets AppImage and deb', () => {
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.ok((config.linux?.category ?? '') !== '', 'category set');
    assert.match(config.linux?.maintainer ?? '', /<[^@\s]+@[^>\s]+>/, 'deb needs a maintainer with an email address');
  });

  it('Windows NSIS and macOS dmg', () => {
    assert.equal(config.win?.target, 'nsis');
    assert.equal(config.mac?.target, 'dmg');
  });

  it('no Dock icon on macOS', () => {
    assert.equal(config.mac?.extendInfo?.LSUIElement, true);
  });
});

describe('packaging icons', () => {
  it('macOS icns has 512 and 1024', () => {
    const path = join(ROOT, config.mac?.icon ?? 'missing');
    const types = icnsTypes(path);

    assert.ok(types.includes('ic09'), `512 px in ${types.join(',')}`);
    assert.ok(types.includes('ic10'), `1024 px in ${types.join(',')}`);
  });

  it('Windows ico reaches 256', () => {
    // electron-builder rejects an ICO whose largest image is below 256 px.
    assert.equal(icoMaxSize(join(ROOT, config.win?.icon ?? 'missing')), 256);
  });

  it('Linux icon set sizes', () => {
    const folder = join(ROOT, config.linux?.icon ?? 'missing');
    assert.ok(statSync(folder).isDirectory(), `${folder} is a folder`);

    const names = readdirSync(folder).filter((name) => name.endsWith('.png'));
    assert.ok(names.includes('512x512.png'), 'has 512x512.png');
    for (const name of names) {
      const match = /^(\d+)x(\d+)\.png$/.exec(name);
      assert.ok(match !== null, `${name} is named <size>x<size>.png`);
      assert.deepEqual(pngSize(join(folder, name)), { width: Number(match[1]), height: Number(match[2]) }, name);
    }
  });

  it('app icon png is 512', () => {
    assert.deepEqual(pngSize(join(ROOT, 'assets', 'app', 'icon.png')), { width: 512, height: 512 });
  });

  it('tray icons shipped', () => {
    assert.ok(config.files?.includes('assets/**'), 'assets/** is packaged');
    assert.ok(existsSync(join(ROOT, 'assets', 'tray', 'busyTemplate.png')), 'tray icons exist');
  });
});
