import type { Location, Position } from 'vscode-languageserver';
import type { Analysis } from '../analysis.js';
import { nameIndex, occurrencesAt, occurrencesOf, type Occurrence } from './names.js';
import { PositionMap } from './positions.js';

/** The declarations of what the name at the position names; a default loop index (no `as:`) is declared by its `repeat` key. */
export function declarationsAt(analysis: Analysis, position: Position): Occurrence[] | null {
  const spec = analysis.result.spec;
  if (!spec) return null;
  const index = nameIndex(spec, analysis.text);
  const here = occurrencesAt(index, new PositionMap(analysis.text).offsetAt(position));
  if (here.length === 0) return null;
  const declared = occurrencesOf(index, new Set(here.map((o) => o.entity.key))).filter((o) => o.declaration);
  const implicit = here.flatMap((o) => (o.entity.kind === 'loop' && o.entity.repeat && !o.entity.repeat.index.span && o.entity.name === o.entity.repeat.index.name ? [{ ...o, span: o.entity.repeat.keySpan, declaration: true, literal: false }] : []));
  return [...declared, ...implicit];
}

/** Go to definition: where the id, param, symbol, loop variable, repeat input or model under the cursor is declared. */
export function definition(analysis: Analysis, position: Position): Location[] | null {
  const declared = declarationsAt(analysis, position);
  if (!declared || declared.length === 0) return null;
  const positions = new PositionMap(analysis.text);
  const seen = new Set<string>();
  return declared.flatMap((o) => {
    const key = `${o.span.start} ${o.span.end}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ uri: analysis.uri, range: positions.rangeOf(o.span) }];
  }).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
