import type { Box } from '../postprocess/box.js';

/** A tracked person box of the same frame. */
export interface TrackedBox {
  readonly trackId: string;
  readonly box: Box;
}

/**
 * Which person track each face belongs to: a face belongs to a person whose box contains the
 * face's centre, the one covering most of the face when several do (then the smaller person
 * box, the nearer one in a crowd). A track gets at most one face per frame, the one it covers
 * most (then the larger face): a second face in one person box is someone else's. Returns a
 * track id per face, or undefined.
 */
export function assignFacesToTracks(
  faces: readonly Box[],
  persons: readonly TrackedBox[],
): (string | undefined)[] {
  const candidates: { face: number; person: number; cover: number; personArea: number }[] = [];
  faces.forEach((f, i) => {
    const cx = (f.xmin + f.xmax) / 2;
    const cy = (f.ymin + f.ymax) / 2;
    const faceArea = area(f);
    persons.forEach((p, j) => {
      const b = p.box;
      if (cx < b.xmin || cx > b.xmax || cy < b.ymin || cy > b.ymax) return;
      const inter = area({
        xmin: Math.max(f.xmin, b.xmin),
        ymin: Math.max(f.ymin, b.ymin),
        xmax: Math.min(f.xmax, b.xmax),
        ymax: Math.min(f.ymax, b.ymax),
      });
      const cover = faceArea > 0 ? inter / faceArea : 0;
      candidates.push({ face: i, person: j, cover, personArea: area(b) });
    });
  });
  candidates.sort(
    (a, b) =>
      b.cover - a.cover ||
      a.personArea - b.personArea ||
      area(faces[b.face] as Box) - area(faces[a.face] as Box),
  );
  const out: (string | undefined)[] = faces.map(() => undefined);
  const usedPersons = new Set<number>();
  for (const c of candidates) {
    if (out[c.face] !== undefined || usedPersons.has(c.person)) continue;
    out[c.face] = persons[c.person]?.trackId;
    usedPersons.add(c.person);
  }
  return out;
}

function area(b: Box): number {
  return Math.max(0, b.xmax - b.xmin) * Math.max(0, b.ymax - b.ymin);
}
