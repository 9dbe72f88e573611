import { showShape } from '../diagnostics/describe.js';
import { elementCount } from '../infer/rule.js';
import type { ModelShapes } from '../ir.js';
import { grouped } from '../diagnostics/describe.js';

interface Row {
  readonly id: string;
  readonly type: string;
  readonly shape: string;
  readonly params: string;
  readonly macs: string;
}

function rows(m: ModelShapes): Row[] {
  const inputs = m.inputs.map((i) => ({ id: i.name, type: 'input', shape: showShape(i.shape), params: '0', macs: '0' }));
  const layers = m.layers.map((l) => ({
    id: l.layer.id,
    // A `type: model` layer names the model it applies: `model discriminator`.
    type: l.layer.subModel === undefined ? l.layer.type : `model ${l.layer.subModel}`,
    shape: showShape(l.outputShape),
    params: grouped(l.weights.reduce((sum, w) => sum + elementCount(w.shape), 0)),
    macs: l.macs === null ? '?' : grouped(l.macs),
  }));
  return [...inputs, ...layers];
}

function totals(m: ModelShapes): Row {
  return { id: 'total', type: '', shape: '', params: grouped(m.params.trainable + m.params.nonTrainable), macs: m.macs === null ? '?' : grouped(m.macs) };
}

const header: Row = { id: 'layer', type: 'type', shape: 'output shape', params: 'params', macs: 'MACs' };

/** The layer table of one model as aligned text. */
export function summaryText(m: ModelShapes): string {
  const all = [header, ...rows(m), totals(m)];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const w = { id: width('id'), type: width('type'), shape: width('shape'), params: width('params'), macs: width('macs') };
  const line = (r: Row) => `  ${r.id.padEnd(w.id)}  ${r.type.padEnd(w.type)}  ${r.shape.padEnd(w.shape)}  ${r.params.padStart(w.params)}  ${r.macs.padStart(w.macs)}`.trimEnd();
  const rule = `  ${'-'.repeat(w.id + w.type + w.shape + w.params + w.macs + 8)}`;
  return [
    `${m.file}: model ${m.model.name}`,
    line(header),
    rule,
    ...rows(m).map(line),
    rule,
    line(totals(m)),
    `  trainable ${grouped(m.params.trainable)}, non-trainable ${grouped(m.params.nonTrainable)}; MACs per sample`,
  ].join('\n') + '\n';
}

/** The layer table of one model as a Markdown table. */
export function summaryMarkdown(m: ModelShapes): string {
  const cell = (r: Row) => `| ${r.id} | ${r.type} | \`${r.shape}\` | ${r.params} | ${r.macs} |`;
  return [
    `### ${m.model.name} (${m.file})`,
    '',
    '| layer | type | output shape | params | MACs |',
    '|---|---|---|--:|--:|',
    ...rows(m).map(cell),
    `| **total** | | | **${grouped(m.params.trainable + m.params.nonTrainable)}** | **${m.macs === null ? '?' : grouped(m.macs)}** |`,
    '',
    `Trainable ${grouped(m.params.trainable)}, non-trainable ${grouped(m.params.nonTrainable)}.`,
  ].join('\n') + '\n';
}
