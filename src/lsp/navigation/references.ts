import type { Location, Position } from 'vscode-languageserver';
import type { Analysis } from '../analysis.js';
import { nameIndex, occurrencesAt, occurrencesOf, sameText } from './names.js';
import { PositionMap } from './positions.js';

/** Find references: every place the spec writes what the name under the cursor names, its declaration too when asked. */
export function references(analysis: Analysis, position: Position, includeDeclaration: boolean): Location[] | null {
  const spec = analysis.result.spec;
  if (!spec) return null;
  const positions = new PositionMap(analysis.text);
  const index = nameIndex(spec, analysis.text);
  const here = occurrencesAt(index, positions.offsetAt(position));
  if (here.length === 0) return null;
  const seen = new Set<string>();
  return occurrencesOf(index, sameText(index, new Set(here.map((o) => o.entity.key)))).flatMap((o) => {
    const key = `${o.span.start} ${o.span.end}`;
    if ((o.declaration && !includeDeclaration) || seen.has(key)) return [];
    seen.add(key);
    return [{ uri: analysis.uri, range: positions.rangeOf(o.span) }];
  });
}
