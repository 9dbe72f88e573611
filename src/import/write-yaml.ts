/**
 * The imported spec as YAML written the way the gallery's specs are: one
 * flow mapping per layer, keys in the order type, id, from, options, weights.
 */
import type { Json } from './arguments.js';

/** A YAML 1.2 core-schema scalar: plain when it reads back as the same string, else double-quoted (JSON strings are YAML). */
function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const plain = /^[A-Za-z_][\w.\-/]*$/.test(value) && !/^(true|false|null|True|False|TRUE|FALSE|Null|NULL)$/.test(value);
  return plain ? value : JSON.stringify(value);
}

export function flow(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${scalar(k)}: ${flow(v)}`).join(', ')} }`;
  }
  return scalar(value);
}

export interface SpecModel {
  readonly name: string;
  readonly inputs: Record<string, Json>;
  readonly layers: readonly Record<string, Json>[];
  readonly outputs?: Record<string, Json>;
}

export function writeSpec(name: string, models: readonly SpecModel[], header: string): string {
  const lines = [`# ${header}`, 'netspec: 1', `name: ${scalar(name)}`, 'models:'];
  for (const m of models) {
    lines.push(`  ${scalar(m.name)}:`, '    inputs:');
    for (const [id, shape] of Object.entries(m.inputs)) lines.push(`      ${scalar(id)}: ${flow(shape)}`);
    lines.push('    layers:');
    for (const layer of m.layers) lines.push(`      - ${flow(layer)}`);
    if (m.outputs) {
      lines.push('    outputs:');
      for (const [id, shape] of Object.entries(m.outputs)) lines.push(`      ${scalar(id)}: ${flow(shape)}`);
    }
  }
  return lines.join('\n') + '\n';
}
