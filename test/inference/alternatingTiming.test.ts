import assert from 'node:assert/strict';
import { timeAlternating } from '../../src/inference/alternatingTiming.js';

describe('timeAlternating', () => {
  it('alternates the contenders round by round on a drifting clock and reports medians and ratios', async () => {
    // A fake clock: a run of 'a' costs 10 ms, of 'b' 5 ms, and the machine slows by 1 ms per round.
    let clock = 0;
    let round = 0;
    const order: string[] = [];
    const contender = (name: string, cost: number) => ({
      name,
      run: () => {
        order.push(name);
        clock += cost + round;
        return Promise.resolve();
      },
    });
    const a = contender('a', 10);
    const b = contender('b', 5);
    const result = await timeAlternating(
      [
        a,
        {
          name: 'b',
          run: async () => {
            await b.run();
            if (order.filter((n) => n === 'b').length % 2 === 0) round++;
          },
        },
      ],
      { budgetMs: 0, warmup: 0, runsPerRound: 2, minRounds: 3, now: () => clock },
    );
    assert.deepEqual(order, ['a', 'a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b', 'b']);
    assert.deepEqual(
      result.map((r) => [r.name, r.rounds, r.medianMs, r.minMs, r.maxMs]),
      [
        ['a', 3, 11, 10, 12],
        ['b', 3, 6, 5, 7],
      ],
    );
    assert.deepEqual(result[0]?.roundRatios, [1, 1, 1]);
    assert.deepEqual(result[1]?.roundRatios, [5 / 10, 6 / 11, 7 / 12]);
  });

  it('refuses settings out of range, naming them', async () => {
    const run = () => Promise.resolve();
    await assert.rejects(timeAlternating([]), /'contenders' must not be empty/);
    await assert.rejects(
      timeAlternating([{ name: 'a', run }], { runsPerRound: 0 }),
      /'runsPerRound' must be an integer in \[1, 1000\], got 0/,
    );
    await assert.rejects(
      timeAlternating([{ name: 'a', run }], { minRounds: 5, maxRounds: 2 }),
      /'maxRounds' must be an integer in \[5, 1000\], got 2/,
    );
  });
});
