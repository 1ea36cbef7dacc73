/**
 * The Foxglove layout shipped for the demo bag names the topics `demo` writes: each Image panel
 * shows a camera of the sample recording with that camera's annotation topic turned on.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { sampleTopics } from '../../src/sample/sampleRecording.js';
import { annotationTopics } from '../../src/sinks/annotationTopics.js';
import { repoRoot } from '../support/paths.js';

interface ImagePanel {
  imageMode: { imageTopic: string; annotations: Record<string, { visible: boolean }> };
}
interface Layout {
  configById: Record<string, unknown>;
  layout: unknown;
}

/** Panel ids the mosaic tree (`layout`) places: strings at its leaves. */
function placed(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  const { first, second } = node as { first: unknown; second: unknown };
  return [...placed(first), ...placed(second)];
}

describe('config/foxglove/demo-layout.json', function () {
  const layout = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'config/foxglove/demo-layout.json'), 'utf8'),
  ) as Layout;

  it('shows each sample camera with its annotations visible', function () {
    const topics = annotationTopics([sampleTopics.raw, sampleTopics.compressed]);
    const images = Object.entries(layout.configById)
      .filter(([id]) => id.startsWith('Image!'))
      .map(([, config]) => (config as ImagePanel).imageMode);
    assert.deepEqual(
      images.map((m) => m.imageTopic).sort(),
      [sampleTopics.raw, sampleTopics.compressed].sort(),
    );
    for (const mode of images) {
      assert.deepEqual(mode.annotations, {
        [topics.get(mode.imageTopic) ?? '']: { visible: true },
      });
    }
  });

  it('places every configured panel, and only those', function () {
    assert.deepEqual(placed(layout.layout).sort(), Object.keys(layout.configById).sort());
  });
});
