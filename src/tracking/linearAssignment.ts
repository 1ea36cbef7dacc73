/**
 * Minimum-cost assignment of rows to columns of a dense cost matrix: the Hungarian method in its
 * shortest-augmenting-path form with dual potentials (Jonker-Volgenant style), O(n^2 m) for
 * n <= m. Every row of the smaller side is assigned; the caller drops pairs it considers
 * forbidden (give them a cost larger than any sum of allowed costs, and they are used only when
 * nothing else lets the other rows be assigned).
 *
 * @param cost row-major, `rows * cols` finite numbers
 * @returns for each row, its column, or -1 when the row is left unassigned (rows > cols)
 * @throws RangeError when the sizes do not match or a cost is not finite
 */
export function linearAssignment(cost: ArrayLike<number>, rows: number, cols: number): Int32Array {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`'rows' and 'cols' must be integers >= 0, got ${rows} x ${cols}`);
  }
  if (cost.length !== rows * cols) {
    throw new RangeError(
      `'cost' must hold rows x cols = ${rows * cols} values, got ${cost.length}`,
    );
  }
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k])) {
      throw new RangeError(
        `'cost' must be finite, got ${cost[k]} at row ${Math.floor(k / cols)}, column ${k % cols}`,
      );
    }
  }
  const rowToCol = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return rowToCol;
  if (rows <= cols) {
    solve(
      cost,
      rows,
      cols,
      (r, c) => (rowToCol[r] = c),
      (r, c) => r * cols + c,
    );
  } else {
    // Solve the transpose: its rows are our columns.
    solve(
      cost,
      cols,
      rows,
      (c, r) => (rowToCol[r] = c),
      (c, r) => r * cols + c,
    );
  }
  return rowToCol;
}

/**
 * n <= m. Adds rows one at a time; for each, grows a Dijkstra-like tree over columns with
 * reduced costs c(i,j) - u(i) - v(j) >= 0 until it reaches a free column, then flips the path.
 * Arrays are 1-based with index 0 as the virtual start column.
 */
function solve(
  cost: ArrayLike<number>,
  n: number,
  m: number,
  assign: (row: number, col: number) => void,
  at: (row: number, col: number) => number,
): void {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  /** owner[j]: the row (1-based) holding column j, 0 when free. */
  const owner = new Int32Array(m + 1);
  /** previous column on the shortest path to column j. */
  const via = new Int32Array(m + 1);
  const minReduced = new Float64Array(m + 1);
  const visited = new Uint8Array(m + 1);
  for (let row = 1; row <= n; row++) {
    owner[0] = row;
    let col = 0;
    minReduced.fill(Infinity);
    visited.fill(0);
    do {
      visited[col] = 1;
      const current = owner[col] as number;
      let delta = Infinity;
      let next = 0;
      for (let j = 1; j <= m; j++) {
        if (visited[j] === 1) continue;
        const reduced =
          (cost[at(current - 1, j - 1)] as number) - (u[current] as number) - (v[j] as number);
        if (reduced < (minReduced[j] as number)) {
          minReduced[j] = reduced;
          via[j] = col;
        }
        if ((minReduced[j] as number) < delta) {
          delta = minReduced[j] as number;
          next = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (visited[j] === 1) {
          const r = owner[j] as number;
          u[r] = (u[r] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minReduced[j] = (minReduced[j] as number) - delta;
        }
      }
      col = next;
    } while (owner[col] !== 0);
    // Flip the augmenting path back to the start.
    do {
      const previous = via[col] as number;
      owner[col] = owner[previous] as number;
      col = previous;
    } while (col !== 0);
  }
  for (let j = 1; j <= m; j++) {
    const r = owner[j] as number;
    if (r !== 0) assign(r - 1, j - 1);
  }
}
