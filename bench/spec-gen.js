// Generated specs of any number of layers, for timing how `check` scales
// (bench/startup.js) and for profiling it. One model, a chain of blocks that
// keep the shape (conv2d same, batch norm, activation, every fourth block
// with an id and an expression option), so every layer is validated,
// resolved and inferred as in a real spec; plus defaults, params and a
// second small model, so the spec-wide passes have something to do.
//   node bench/spec-gen.js 1000 > /tmp/big.yaml
const blockKinds = [
  (n) => `      - { type: conv2d, filters: c, kernelSize: 3, padding: same${n % 4 === 0 ? `, id: conv${n}` : ''} }`,
  () => '      - { type: batchNormalization }',
  (n) => `      - { type: activation, activation: ${n % 2 ? 'relu' : 'tanh'} }`,
  (n) => `      - { type: dense, units: c * 2${n % 4 === 0 ? `, id: dense${n}` : ''} }`,
  () => '      - { type: dense, units: c }',
];

/** The YAML text of a spec whose first model has exactly `layers` layers. */
export function generatedSpec(layers, name = `generated${layers}`) {
  const lines = [
    'netspec: 1',
    `name: ${name}`,
    'params: { c: 16, zDim: 8 }',
    'defaults:',
    '  kernelInitializer: { type: randomNormal, mean: 0, stddev: 0.02 }',
    '  useBias: true',
    'models:',
    '  chain:',
    '    inputs:',
    '      x: [8, 8, c]',
    '    layers:',
  ];
  for (let n = 0; n < layers; n++) lines.push(blockKinds[n % blockKinds.length](n));
  lines.push(
    '  head:',
    '    inputs:',
    '      z: [zDim]',
    '    layers:',
    '      - { type: dense, units: 4 * c, activation: relu }',
    '      - { type: dense, id: out, units: c }',
    '    outputs:',
    '      out: [c]',
    '',
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(generatedSpec(Number(process.argv[2] ?? 1000)));
