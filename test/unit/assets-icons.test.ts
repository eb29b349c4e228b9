import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';

import { TRAY_ICON_KEYS, TRAY_ICON_SIZES, trayIconFile, trayIconFile2x, type TrayPlatform } from '../../main/core/tray/tray-icons.ts';
import { GENERATED_DIRS, ICNS_TYPES, renderIconFiles } from '../../scripts/make-icons.ts';

const ASSETS = join(import.meta.dirname, '..', '..', 'assets');
const PLATFORMS: TrayPlatform[] = ['darwin', 'win32', 'linux'];

interface Image {
  width: number;
  height: number;
  rgba: Buffer;
}

/**
 * Decodes an 8-bit RGBA PNG (the only kind the icon script writes), with all five row
 * filters, independently of the encoder under test.
 */
function decodePng(data: Buffer): Image {
  assert.deepEqual([...data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset < data.length; ) {
    const length = data.readUInt32BE(offset);
    const type = data.subarray(offset + 4, offset + 8).toString('ascii');
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.equal(body[8], 8, 'bit depth 8');
      assert.equal(body[9], 6, 'colour type RGBA');
      assert.equal(body[12], 0, 'not interlaced');
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    for (let column = 0; column < stride; column++) {
      const value = raw[row * (stride + 1) + 1 + column]!;
      const left = column >= 4 ? rgba[row * stride + column - 4]! : 0;
      const up = row > 0 ? rgba[(row - 1) * stride + column]! : 0;
      const upLeft = row > 0 && column >= 4 ? rgba[(row - 1) * stride + column - 4]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) predictor = paeth(left, up, upLeft);
      rgba[row * stride + column] = (value + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** Returns the PNG Paeth predictor: the neighbour closest to left + up - upLeft. */
function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) {
    return left;
  }
  return toUp <= toUpLeft ? up : upLeft;
}

interface IcoEntry {
  width: number;
  height: number;
  format: 'png' | 'bmp';
  data: Buffer;
}

function readIco(data: Buffer): IcoEntry[] {
  assert.equal(data.readUInt16LE(0), 0, 'ICO reserved field');
  assert.equal(data.readUInt16LE(2), 1, 'ICO type is icon');
  const entries: IcoEntry[] = [];
  for (let index = 0; index < data.readUInt16LE(4); index++) {
    const entry = 6 + index * 16;
    const size = data.readUInt32LE(entry + 8);
    const offset = data.readUInt32LE(entry + 12);
    const image = data.subarray(offset, offset + size);
    entries.push({
      width: data[entry] || 256,
      height: data[entry + 1] || 256,
      format: image.subarray(1, 4).toString('ascii') === 'PNG' ? 'png' : 'bmp',
      data: image,
    });
  }
  return entries;
}

function readIcns(data: Buffer): { type: string; png: Buffer }[] {
  assert.equal(data.subarray(0, 4).toString('ascii'), 'icns');
  assert.equal(data.readUInt32BE(4), data.length, 'ICNS length field');
  const elements: { type: string; png: Buffer }[] = [];
  for (let offset = 8; offset < data.length; offset += data.readUInt32BE(offset + 4)) {
    elements.push({ type: data.subarray(offset, offset + 4).toString('ascii'), png: data.subarray(offset + 8, offset + data.readUInt32BE(offset + 4)) });
  }
  return elements;
}

function asset(path: string): Buffer {
  return readFileSync(join(ASSETS, ...path.split('/')));
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

/** Comparable content of an image file: decoded pixels for PNG, raw bytes otherwise. */
function imageContent(path: string, data: Buffer): unknown {
  if (path.endsWith('.png')) {
    return decodePng(data);
  }
  if (path.endsWith('.ico')) {
    return readIco(data).map((entry) => ({ ...entry, data: entry.format === 'png' ? decodePng(entry.data) : entry.data }));
  }
  if (path.endsWith('.icns')) {
    return readIcns(data).map((element) => ({ type: element.type, image: decodePng(element.png) }));
  }
  return data;
}

describe('tray icon files', () => {
  it('every key has a file per platform', () => {
    for (const key of TRAY_ICON_KEYS) {
      for (const platform of PLATFORMS) {
        const file = trayIconFile(key, platform);
        assert.ok(existsSync(join(ASSETS, file)), `${file} exists`);
        const double = trayIconFile2x(key, platform);
        if (double !== null) {
          assert.ok(existsSync(join(ASSETS, double)), `${double} exists`);
        }
      }
    }
  });

  it('PNG sizes per platform', () => {
    for (const key of TRAY_ICON_KEYS) {
      for (const platform of ['darwin', 'linux'] as const) {
        const { base, double } = TRAY_ICON_SIZES[platform];
        const baseImage = decodePng(asset(trayIconFile(key, platform)));
        const doubleImage = decodePng(asset(trayIconFile2x(key, platform)!));

        assert.deepEqual([baseImage.width, baseImage.height], [base, base], trayIconFile(key, platform));
        assert.deepEqual([doubleImage.width, doubleImage.height], [double, double], trayIconFile2x(key, platform)!);
      }
    }
  });

  it('macOS names end in Template', () => {
    for (const key of TRAY_ICON_KEYS) {
      assert.match(trayIconFile(key, 'darwin'), /Template\.png$/);
      assert.match(trayIconFile2x(key, 'darwin') ?? '', /Template@2x\.png$/);
    }
  });

  it('Template images are black and alpha', () => {
    for (const key of TRAY_ICON_KEYS) {
      for (const file of [trayIconFile(key, 'darwin'), trayIconFile2x(key, 'darwin')!]) {
        const { rgba } = decodePng(asset(file));
        let coloured = 0;
        let opaque = 0;
        for (let offset = 0; offset < rgba.length; offset += 4) {
          if (rgba[offset] !== 0 || rgba[offset + 1] !== 0 || rgba[offset + 2] !== 0) coloured++;
          if (rgba[offset + 3]! > 0) opaque++;
        }
        assert.equal(coloured, 0, `${file} has only black pixels`);
        assert.ok(opaque > 0, `${file} draws something`);
      }
    }
  });

  it('Template shapes differ per key', () => {
    const masks = new Map<string, string>();
    for (const key of TRAY_ICON_KEYS) {
      const { rgba } = decodePng(asset(trayIconFile2x(key, 'darwin')!));
      const alpha = Buffer.from(rgba.filter((_, index) => index % 4 === 3)).toString('base64');
      assert.equal(masks.get(alpha), undefined, `${key} has the same shape as ${masks.get(alpha)}`);
      masks.set(alpha, key);
    }
  });

  it('ICO holds every Windows size', () => {
    for (const key of TRAY_ICON_KEYS) {
      const file = trayIconFile(key, 'win32');
      const entries = readIco(asset(file));

      assert.deepEqual(entries.map((entry) => entry.width), [...TRAY_ICON_SIZES.win32.icoSizes], file);
      for (const entry of entries) {
        const image = entry.format === 'png' ? decodePng(entry.data) : null;
        assert.equal(entry.height, entry.width, `${file} ${entry.width} px is square`);
        if (image !== null) {
          assert.deepEqual([image.width, image.height], [entry.width, entry.height], `${file} ${entry.width} px header`);
        }
      }
    }
  });
});

describe('app icon files', () => {
  it('ICNS sizes match types', () => {
    const elements = readIcns(asset('app/icon.icns'));
    assert.deepEqual(elements.map((element) => element.type), ICNS_TYPES.map((entry) => entry.type));
    for (const [index, element] of elements.entries()) {
      const image = decodePng(element.png);
      const size = ICNS_TYPES[index]!.size;
      assert.deepEqual([image.width, image.height], [size, size], element.type);
    }
  });

  it('ICO BMP images well formed', () => {
    const entries = readIco(asset('app/icon.ico'));
    for (const entry of entries.filter((candidate) => candidate.format === 'bmp')) {
      const maskBytes = Math.ceil(entry.width / 32) * 4 * entry.height;
      assert.equal(entry.data.readUInt32LE(0), 40, `${entry.width} px header size`);
      assert.equal(entry.data.readInt32LE(4), entry.width, `${entry.width} px width`);
      assert.equal(entry.data.readInt32LE(8), entry.height * 2, `${entry.width} px double height`);
      assert.equal(entry.data.readUInt16LE(14), 32, `${entry.width} px bit count`);
      assert.equal(entry.data.length, 40 + entry.width * entry.height * 4 + maskBytes, `${entry.width} px byte length`);
    }
    assert.equal(entries.at(-1)?.format, 'png', '256 px image is PNG');
  });
});

describe('generated assets', () => {
  const expected = renderIconFiles();

  it('committed icons match the script', () => {
    for (const [path, data] of expected) {
      assert.deepEqual(imageContent(path, asset(path)), imageContent(path, data), `${path} differs: run node --import tsx scripts/make-icons.ts`);
    }
  });

  it('no stale files', () => {
    for (const dir of GENERATED_DIRS) {
      for (const file of listFiles(join(ASSETS, dir))) {
        const path = relative(ASSETS, file).split(sep).join('/');
        assert.ok(expected.has(path), `${path} is not generated by scripts/make-icons.ts; delete it`);
      }
    }
  });
});
