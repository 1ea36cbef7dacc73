import assert from 'node:assert/strict';
import { escapeXml, niceTicks, svgScatterPlot } from '../../src/mobilenet/svgScatterPlot.js';
import { assertWellFormedSvg } from './svgCheck.js';

describe('svgScatterPlot', () => {
  const points = [
    { x: 1, y: 40, label: '0.25-128', series: 'alpha 0.25' },
    { x: 4, y: 60, label: '0.5-160', series: 'alpha 0.5' },
    { x: 2.5, y: 55, label: 'a<b & "c"', series: 'alpha 0.5' },
  ];

  it('draws a well-formed SVG with one circle per point, labels, legend and escaped text', () => {
    const svg = svgScatterPlot({
      title: 'latency & accuracy',
      xLabel: 'ms',
      yLabel: '%',
      points,
      line: { slope: 1, intercept: 0, label: 'fit' },
      note: 'source <x>',
    });
    assertWellFormedSvg(svg);
    assert.equal(svg.match(/<circle /g)?.length, 3 + 2); // points + legend entries
    assert.ok(svg.includes('latency &amp; accuracy'));
    assert.ok(svg.includes('a&lt;b &amp; &quot;c&quot;'));
    assert.ok(svg.includes('source &lt;x&gt;'));
    assert.ok(svg.includes('stroke-dasharray="6 4"'));
  });

  it('places points inside the plot area', () => {
    const svg = svgScatterPlot({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      points,
      width: 720,
      height: 480,
    });
    const circles = [
      ...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="4" fill="[^"]+"\/>/g),
    ].slice(0, 3);
    for (const [, cx, cy] of circles) {
      assert.ok(Number(cx) > 70 && Number(cx) < 570, `cx ${cx}`);
      assert.ok(Number(cy) > 40 && Number(cy) < 410, `cy ${cy}`);
    }
  });

  it('draws an empty plot and skips non-finite points', () => {
    const svg = svgScatterPlot({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      points: [{ x: Number.NaN, y: 1 }],
    });
    assertWellFormedSvg(svg);
    assert.equal(svg.match(/<circle /g), null);
  });
});

describe('niceTicks', () => {
  it('covers the values with round steps', () => {
    assert.deepEqual(niceTicks([0.3, 9.2]), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(niceTicks([41.5, 70.9]), [40, 50, 60, 70, 80]);
    assert.deepEqual(niceTicks([41.5, 60.2]), [40, 45, 50, 55, 60, 65]);
    assert.deepEqual(niceTicks([0.1, 0.3]), [0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('widens a constant or empty range', () => {
    assert.ok(niceTicks([5]).length >= 2);
    assert.ok(niceTicks([]).length >= 2);
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    assert.equal(
      escapeXml(`<a href="x">'&'</a>`),
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });
});
