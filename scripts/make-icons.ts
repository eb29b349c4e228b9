/**
 * Draws the tray icons and the app icon and writes them under `assets/`:
 *   node --import tsx scripts/make-icons.ts
 *
 * The shapes are signed distance functions in a unit square, rasterized with one coverage
 * sample per pixel, so every size is drawn from the same geometry and edges are smooth. Each
 * state has its own shape (check, dot, bar, clock, cross, dots, bars, exclamation mark, box),
 * so the state reads without colour and survives the black-only macOS Template images.
 *
 * The PNG, ICO and ICNS writers are hand-written on `node:zlib` (deflate and CRC-32). The
 * formats need about a hundred lines here, while an image package would add native code or a
 * large dependency to a script that runs only when the icons change.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import {
  TRAY_ICON_DIR,
  TRAY_ICON_KEYS,
  TRAY_ICON_SIZES,
  trayIconFile,
  trayIconFile2x,
  type TrayIconKey,
} from '../main/core/tray/tray-icons.ts';

// ---------------------------------------------------------------------------------------------
// Geometry: signed distances in unit coordinates (0..1, y down); negative inside a shape.

type Point = readonly [number, number];
type Shape = (x: number, y: number) => number;

function circle(cx: number, cy: number, radius: number): Shape {
  return (x, y) => Math.hypot(x - cx, y - cy) - radius;
}

function ring(cx: number, cy: number, radius: number, width: number): Shape {
  return (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - radius) - width / 2;
}

/** Returns a stroke with round caps along the polyline through `points`. */
function stroke(width: number, ...points: Point[]): Shape {
  return (x, y) => {
    let nearest = Infinity;
    for (let i = 0; i + 1 < points.length; i++) {
      const [ax, ay] = points[i]!;
      const [bx, by] = points[i + 1]!;
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      nearest = Math.min(nearest, Math.hypot(x - ax - t * dx, y - ay - t * dy));
    }
    return nearest - width / 2;
  };
}

function roundedBox(cx: number, cy: number, half: number, radius: number): Shape {
  return (x, y) => {
    const qx = Math.abs(x - cx) - half + radius;
    const qy = Math.abs(y - cy) - half + radius;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

/** Returns a convex polygon (vertices clockwise on screen) grown by `radius` to round its corners. */
function roundedPolygon(radius: number, ...vertices: Point[]): Shape {
  const edges = vertices.map((start, index) => ({ start, end: vertices[(index + 1) % vertices.length]! }));
  const edgeShapes = edges.map(({ start, end }) => stroke(0, start, end));
  return (x, y) => {
    const distance = Math.min(...edgeShapes.map((edge) => edge(x, y)));
    // Inside a clockwise convex polygon the point lies right of (or on) every edge.
    const inside = edges.every(({ start: [ax, ay], end: [bx, by] }) => (x - ax) * (by - ay) - (y - ay) * (bx - ax) <= 0);
    return (inside ? -distance : distance) - radius;
  };
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => Math.min(...shapes.map((shape) => shape(x, y)));
}

function subtract(base: Shape, hole: Shape): Shape {
  return (x, y) => Math.max(base(x, y), -hole(x, y));
}

// ---------------------------------------------------------------------------------------------
// Designs. Strokes are at least 0.1 wide: 1.6 px at 16 px, the smallest size drawn.

type Rgb = readonly [number, number, number];

interface Layer {
  shape: Shape;
  color: Rgb;
}

const DISC = circle(0.5, 0.5, 0.43);
const OUTLINE = ring(0.5, 0.5, 0.375, 0.11);

const GREEN: Rgb = [0x13, 0xa1, 0x0e];
const RED: Rgb = [0xd1, 0x34, 0x38];
const AMBER: Rgb = [0xf2, 0xa1, 0x00];
const GREY: Rgb = [0x8a, 0x88, 0x86];
const BLUE: Rgb = [0x00, 0x78, 0xd4];
const ORANGE: Rgb = [0xf7, 0x63, 0x0c];
const PURPLE: Rgb = [0x87, 0x64, 0xb8];

const CHECK = stroke(0.11, [0.29, 0.52], [0.44, 0.66], [0.71, 0.37]);

function exclamation(top: number, bottom: number, dotY: number): Shape {
  return union(stroke(0.11, [0.5, top], [0.5, bottom]), circle(0.5, dotY, 0.065));
}

/** Tray icon shapes and colours per key. */
const TRAY_DESIGNS: Readonly<Record<TrayIconKey, Layer>> = {
  available: { shape: subtract(DISC, CHECK), color: GREEN },
  busy: { shape: DISC, color: RED },
  dnd: { shape: subtract(DISC, stroke(0.13, [0.3, 0.5], [0.7, 0.5])), color: RED },
  away: { shape: subtract(DISC, stroke(0.1, [0.5, 0.26], [0.5, 0.52], [0.67, 0.63])), color: AMBER },
  'no-session': { shape: OUTLINE, color: GREY },
  'signed-out': {
    shape: union(OUTLINE, stroke(0.1, [0.37, 0.37], [0.63, 0.63]), stroke(0.1, [0.63, 0.37], [0.37, 0.63])),
    color: GREY,
  },
  pending: {
    shape: union(OUTLINE, circle(0.34, 0.5, 0.06), circle(0.5, 0.5, 0.06), circle(0.66, 0.5, 0.06)),
    color: BLUE,
  },
  paused: {
    shape: union(OUTLINE, stroke(0.1, [0.42, 0.37], [0.42, 0.63]), stroke(0.1, [0.58, 0.37], [0.58, 0.63])),
    color: GREY,
  },
  'clear-pending': { shape: subtract(DISC, exclamation(0.26, 0.55, 0.72)), color: ORANGE },
  error: {
    shape: subtract(roundedPolygon(0.05, [0.5, 0.1], [0.93, 0.86], [0.07, 0.86]), exclamation(0.38, 0.6, 0.73)),
    color: RED,
  },
  sandbox: {
    shape: union(
      (x, y) => Math.abs(roundedBox(0.5, 0.5, 0.37, 0.1)(x, y)) - 0.055,
      roundedBox(0.5, 0.5, 0.13, 0.03),
    ),
    color: PURPLE,
  },
};

/** The app icon: a white presence disc with a check, on an indigo rounded square. */
const APP_ICON_LAYERS: readonly Layer[] = [
  { shape: roundedBox(0.5, 0.5, 0.45, 0.1), color: [0x46, 0x4e, 0xb8] },
  {
    shape: subtract(circle(0.5, 0.5, 0.3), stroke(0.075, [0.36, 0.51], [0.46, 0.61], [0.64, 0.42])),
    color: [0xff, 0xff, 0xff],
  },
];

// ---------------------------------------------------------------------------------------------
// Raster.

export interface Bitmap {
  width: number;
  height: number;
  /** Straight (not premultiplied) RGBA, rows top to bottom. */
  rgba: Uint8Array;
}

/** Draws layers bottom to top with source-over compositing. */
function rasterize(layers: readonly Layer[], size: number): Bitmap {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let red = 0;
      let green = 0;
      let blue = 0;
      let alpha = 0;

      for (const layer of layers) {
        // Coverage of the pixel: the distance in pixels, mapped to a one-pixel-wide ramp.
        const coverage = Math.max(0, Math.min(1, 0.5 - layer.shape(x, y) * size));
        if (coverage === 0) {
          continue;
        }
        const outAlpha = coverage + alpha * (1 - coverage);
        red = (layer.color[0] * coverage + red * alpha * (1 - coverage)) / outAlpha;
        green = (layer.color[1] * coverage + green * alpha * (1 - coverage)) / outAlpha;
        blue = (layer.color[2] * coverage + blue * alpha * (1 - coverage)) / outAlpha;
        alpha = outAlpha;
      }

      const offset = (py * size + px) * 4;
      rgba[offset] = Math.round(red);
      rgba[offset + 1] = Math.round(green);
      rgba[offset + 2] = Math.round(blue);
      rgba[offset + 3] = Math.round(alpha * 255);
    }
  }
  return { width: size, height: size, rgba };
}

const BLACK: Rgb = [0, 0, 0];

/** Draws a tray icon; a Template image is black with the shape in the alpha channel only. */
export function drawTrayIcon(key: TrayIconKey, size: number, template: boolean): Bitmap {
  const design = TRAY_DESIGNS[key];
  return rasterize([{ shape: design.shape, color: template ? BLACK : design.color }], size);
}

export function drawAppIcon(size: number): Bitmap {
  return rasterize(APP_ICON_LAYERS, size);
}

// ---------------------------------------------------------------------------------------------
// File formats.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes an 8-bit RGBA PNG with no filtering and no metadata, so output is reproducible. */
export function encodePng(bitmap: Bitmap): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(bitmap.width, 0);
  header.writeUInt32BE(bitmap.height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // Bytes 10-12 stay 0: deflate compression, adaptive filtering, no interlace.

  const stride = bitmap.width * 4;
  const raw = Buffer.alloc((stride + 1) * bitmap.height);
  for (let row = 0; row < bitmap.height; row++) {
    // Each row starts with its filter type, 0 (none).
    raw.set(bitmap.rgba.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }

  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Encodes a 32-bit BMP image as stored inside an ICO: a BITMAPINFOHEADER with double height
 * (colour rows plus the AND mask), BGRA rows bottom to top, then a 1-bit mask, 1 = transparent.
 */
function encodeIcoBitmap(bitmap: Bitmap): Buffer {
  const { width, height, rgba } = bitmap;
  const maskStride = Math.ceil(width / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(width, 4);
  header.writeInt32LE(height * 2, 8);
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  header.writeUInt32LE(width * height * 4 + maskStride * height, 20);

  const pixels = Buffer.alloc(width * height * 4);
  const mask = Buffer.alloc(maskStride * height);
  for (let row = 0; row < height; row++) {
    const sourceRow = height - 1 - row;
    for (let column = 0; column < width; column++) {
      const source = (sourceRow * width + column) * 4;
      const target = (row * width + column) * 4;
      pixels[target] = rgba[source + 2]!;
      pixels[target + 1] = rgba[source + 1]!;
      pixels[target + 2] = rgba[source]!;
      pixels[target + 3] = rgba[source + 3]!;
      if (rgba[source + 3] === 0) {
        mask[row * maskStride + (column >> 3)]! |= 0x80 >> (column & 7);
      }
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

/**
 * Encodes an ICO. Images of `pngFromSize` px and up are stored as PNG, which Windows Vista and
 * later load at any size. Smaller ones are BMP, which every icon reader understands (resource
 * editors, installers), but BMP is uncompressed and so much larger.
 */
export function encodeIco(bitmaps: readonly Bitmap[], pngFromSize: number): Buffer {
  const images = bitmaps.map((bitmap) => (bitmap.width >= pngFromSize ? encodePng(bitmap) : encodeIcoBitmap(bitmap)));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(bitmaps.length, 4);

  const directory = Buffer.alloc(16 * bitmaps.length);
  let offset = header.length + directory.length;
  bitmaps.forEach((bitmap, index) => {
    const entry = index * 16;
    // A width or height of 256 is stored as 0.
    directory[entry] = bitmap.width % 256;
    directory[entry + 1] = bitmap.height % 256;
    directory.writeUInt16LE(1, entry + 4); // planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(images[index]!.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += images[index]!.length;
  });
  return Buffer.concat([header, directory, ...images]);
}

/**
 * ICNS element types that contain PNG data, with their pixel size, from Apple's icns format for
 * macOS 10.7 and later. The `ic11`-`ic14` types are the `@2x` variants.
 */
export const ICNS_TYPES: readonly { type: string; size: number }[] = [
  { type: 'icp4', size: 16 },
  { type: 'icp5', size: 32 },
  { type: 'ic11', size: 32 },
  { type: 'ic12', size: 64 },
  { type: 'ic07', size: 128 },
  { type: 'ic13', size: 256 },
  { type: 'ic08', size: 256 },
  { type: 'ic14', size: 512 },
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 },
];

/** Encodes an ICNS file from PNG images; `draw` returns the bitmap for a pixel size. */
export function encodeIcns(draw: (size: number) => Bitmap): Buffer {
  const elements = ICNS_TYPES.map(({ type, size }) => {
    const png = encodePng(draw(size));
    const elementHeader = Buffer.alloc(8);
    elementHeader.write(type, 0, 'ascii');
    elementHeader.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([elementHeader, png]);
  });
  const body = Buffer.concat(elements);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([header, body]);
}

// ---------------------------------------------------------------------------------------------
// The files under assets/.

/** App icon paths inside `assets/`, as `electron-builder.yml` names them. */
export const APP_ICON_FILES = {
  png: 'app/icon.png',
  icns: 'app/icon.icns',
  ico: 'app/icon.ico',
  linuxDir: 'app/icons',
} as const;

/** Size of `app/icon.png`, and the largest Linux icon. */
export const APP_ICON_SIZE = 512;
/** Linux hicolor sizes; electron-builder installs `<size>x<size>.png` from the folder. */
export const LINUX_APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
/** Windows ICO sizes for the executable and installer; 256 is the largest Windows shows. */
export const WINDOWS_APP_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256] as const;

function memoize(draw: (size: number) => Bitmap): (size: number) => Bitmap {
  const cache = new Map<number, Bitmap>();
  return (size) => {
    let bitmap = cache.get(size);
    if (bitmap === undefined) {
      bitmap = draw(size);
      cache.set(size, bitmap);
    }
    return bitmap;
  };
}

/** Renders every asset file; keys are paths relative to `assets/` with `/` separators. */
export function renderIconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();

  for (const key of TRAY_ICON_KEYS) {
    const { darwin, linux, win32 } = TRAY_ICON_SIZES;
    files.set(trayIconFile(key, 'linux'), encodePng(drawTrayIcon(key, linux.base, false)));
    files.set(trayIconFile2x(key, 'linux')!, encodePng(drawTrayIcon(key, linux.double, false)));
    files.set(trayIconFile(key, 'darwin'), encodePng(drawTrayIcon(key, darwin.base, true)));
    files.set(trayIconFile2x(key, 'darwin')!, encodePng(drawTrayIcon(key, darwin.double, true)));
    // Only Electron reads the tray ICOs, on Windows 10 or later, so every image can be PNG.
    const trayBitmaps = win32.icoSizes.map((size) => drawTrayIcon(key, size, false));
    files.set(trayIconFile(key, 'win32'), encodeIco(trayBitmaps, 0));
  }

  const drawApp = memoize(drawAppIcon);
  files.set(APP_ICON_FILES.png, encodePng(drawApp(APP_ICON_SIZE)));
  for (const size of LINUX_APP_ICON_SIZES) {
    files.set(`${APP_ICON_FILES.linuxDir}/${size}x${size}.png`, encodePng(drawApp(size)));
  }
  // The app ICO goes into the executable and the NSIS installer, so small images stay BMP.
  files.set(APP_ICON_FILES.ico, encodeIco(WINDOWS_APP_ICON_SIZES.map((size) => drawApp(size)), 256));
  files.set(APP_ICON_FILES.icns, encodeIcns(drawApp));

  return files;
}

/** The folders under `assets/` that this script owns entirely. */
export const GENERATED_DIRS = [TRAY_ICON_DIR, 'app'] as const;

function main(): void {
  const assetsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
  const files = renderIconFiles();
  for (const [path, data] of files) {
    const target = join(assetsDir, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  console.log(`Wrote ${files.size} icon files under ${assetsDir}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
