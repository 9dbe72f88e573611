import { describe, expect, test } from 'vitest';
import { checkText, type Found } from '../helpers/found.js';

/**
 * A misspelled key (Keras' `kernel_size`) is one mistake; what its value holds is another. The key is
 * read as the option it means, so the value is checked as that option in the same run: its bounds
 * (validate), its expression (resolve) and its relation to the other options (infer).
 */
const spec = (layer: string, head = '') =>
  `netspec: 1\nname: t\n${head}models:\n  m:\n    inputs: { x: [8, 8, 4] }\n    layers:\n      - ${layer}\n`;

const codes = (found: readonly Found[]) => found.map((f) => `${f.code} ${f.at}`);

describe('a snake_case key hides no error in its value', () => {
  const cases: [string, { given: string; want: string[]; message?: string }][] = [
    ['a bound', { given: spec('{ type: conv2d, filters: 4, kernel_size: 0 }'), want: ['NS2002 7:37', 'NS2001 7:50'], message: "'kernel_size' of layer 'conv2d_1' (conv2d) must be a value >= 1; received 0" }],
    ['an expression with an unknown name', { given: spec('{ type: conv2d, filters: 4, kernel_size: k + 1 }', 'params: { kk: 2 }\n'), want: ['NS2002 8:37', 'NS3002 8:50'], message: "unknown name 'k' in 'k + 1'" }],
    ['an expression that is not an integer', { given: spec('{ type: conv2d, filters: 4, kernel_size: 5 / 2 }'), want: ['NS2002 7:37', 'NS3003 7:50'], message: "'kernel_size' = 5 / 2 evaluates to 2.5; expected an integer" }],
    ['a relation to another option', { given: spec('{ type: conv2dTranspose, filters: 4, kernelSize: 4, strides: 2, output_padding: 3 }'), want: ['NS2002 7:73', 'NS4008 7:89'], message: "layer 'conv2dTranspose_1': outputPadding[0] = 3 must be < strides[0] = 2" }],
    ['both spellings: the written option wins, the other is only the misspelling', { given: spec('{ type: conv2d, filters: 4, kernelSize: 3, kernel_size: 0 }'), want: ['NS2002 7:52', 'NS2001 7:65'] }],
  ];
  test.each(cases)('%s', (_name, { given, want, message }) => {
    const { found } = checkText(given);
    expect(codes(found)).toEqual(want);
    if (message) expect(found[1]!.message).toBe(message);
  });

  test('the layer is read with the option meant: what it makes is what kernelSize would make', () => {
    const snake = checkText(spec('{ type: conv2d, filters: 4, kernel_size: 3 }')).result;
    const camel = checkText(spec('{ type: conv2d, filters: 4, kernelSize: 3 }')).result;
    expect(snake.specs[0]!.models[0]!.layers[0]!.args).toEqual(camel.specs[0]!.models[0]!.layers[0]!.args);
  });
});
