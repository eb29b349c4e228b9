import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { renderTrayDocs, TRAY_DOC_EXAMPLES } from '../../scripts/render-tray-docs.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DOC = join(ROOT, 'docs', 'tray.md');

describe('tray docs', () => {
  const rendered = renderTrayDocs();

  it('committed file is current', () => {
    // On failure, run `npm run docs:tray` and commit docs/tray.md.
    assert.equal(readFileSync(DOC, 'utf8'), rendered);
  });

  it('one section per example', () => {
    for (const example of TRAY_DOC_EXAMPLES) {
      assert.ok(rendered.includes(`\n### ${example.title}\n`), example.title);
    }
  });

  it('image links resolve', () => {
    const links = [...rendered.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]!);
    assert.ok(links.length > 0, 'doc has images');
    for (const link of links) {
      assert.ok(existsSync(join(ROOT, 'docs', link)), `${link} exists`);
    }
  });
});
