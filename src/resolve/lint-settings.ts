import type { LintSettings } from '../ir.js';

/** Lint names a spec may use instead of codes. */
export const lintNames: Readonly<Record<string, string>> = {
  checkerboard: 'NS5001',
  ambiguousSize: 'NS5002',
  unusedParam: 'NS5003',
  unusedLayer: 'NS5004',
  doubleActivation: 'NS5005',
};

/** `{ checkerboard: off, NS5004: error }` -> settings by code (the schema checked names and levels). */
export function lintSettings(raw: unknown): LintSettings {
  if (raw === null || typeof raw !== 'object') return {};
  return Object.fromEntries(Object.entries(raw as Record<string, 'off' | 'warning' | 'error'>).map(([key, level]) => [lintNames[key] ?? key, level]));
}
