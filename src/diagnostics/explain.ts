import { codes, type Code } from './codes.js';
import { didYouMean } from './suggest.js';

/**
 * The long help of a diagnostic code, as `rustc --explain` prints it:
 * `netspec --explain NS4003`. Codes are matched without regard to case.
 */
export function explainCode(given: string): { text: string } | { error: string } {
  const code = given.toUpperCase() as Code;
  const entry = codes[code];
  if (!entry) {
    const hint = didYouMean(code, Object.keys(codes));
    return { error: `no diagnostic code '${given}'${hint ? `; ${hint}` : ''} (docs/diagnostics.md lists them all)` };
  }
  return { text: `${code} (${entry.severity}): ${entry.title}\n\n${entry.help}\n\nAn example of each code, with its report: docs/diagnostics.md#${code.toLowerCase()}-${entry.title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')}\n` };
}
