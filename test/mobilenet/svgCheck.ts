import assert from 'node:assert/strict';

/**
 * Checks that text is a well-formed SVG document as far as a regex can tell: one root <svg>
 * element in the SVG namespace, every tag closed in order, nothing but whitespace outside it,
 * and no unescaped '&' or '<' in text.
 */
export function assertWellFormedSvg(text: string): void {
  const trimmed = text.trim();
  assert.ok(trimmed.startsWith('<svg'), 'starts with <svg');
  assert.ok(trimmed.endsWith('</svg>'), 'ends with </svg>');
  assert.match(trimmed, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(trimmed); m !== null; m = tag.exec(trimmed)) {
    const between = trimmed.slice(last, m.index);
    assert.ok(!/[<]/.test(between), `stray '<' before offset ${m.index}`);
    assert.ok(
      !/&(?!(amp|lt|gt|quot|apos);)/.test(between),
      `unescaped '&' before offset ${m.index}`,
    );
    if (stack.length === 0 && last > 0)
      assert.fail(`content after the root element at offset ${m.index}`);
    const [, closing, name = '', , selfClosing] = m;
    if (closing === '/') assert.equal(stack.pop(), name, `closing </${name}> at offset ${m.index}`);
    else if (selfClosing !== '/') stack.push(name);
    last = m.index + m[0].length;
  }
  assert.equal(last, trimmed.length, 'ends with a tag');
  assert.deepEqual(stack, [], 'every element is closed');
}
