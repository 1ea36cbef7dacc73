import assert from 'node:assert/strict';
import {
  formatCount,
  formatMillions,
  formatPercent,
  textTable,
} from '../../src/mobilenet/textTable.js';

describe('textTable', () => {
  it('pads columns, right-aligns numbers and trims line ends', () => {
    const text = textTable(
      [{ header: 'name' }, { header: 'n', align: 'right' }],
      [
        ['a', '1'],
        ['long', '100'],
      ],
    );
    assert.equal(text, ['name    n', '----  ---', 'a       1', 'long  100'].join('\n'));
  });

  it('rejects a row of the wrong width', () => {
    assert.throws(() => textTable([{ header: 'a' }], [['1', '2']]), {
      name: 'RangeError',
      message: 'row 0 must have 1 cells, got 2',
    });
  });
});

describe('number formats', () => {
  it('formats counts, millions and percentages', () => {
    assert.equal(formatCount(4209088), '4,209,088');
    assert.equal(formatMillions(568740352, 0), '569M');
    assert.equal(formatMillions(4209088, 1), '4.2M');
    assert.equal(formatPercent(0.948572), '94.86%');
  });
});
