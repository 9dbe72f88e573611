import { describe, expect, test } from 'vitest';
import { foreignName } from '../../src/diagnostics/foreign-names.js';
import { layerTypes, optionsOf } from '../../src/validate/schema.js';
import { checkText } from '../helpers/found.js';

const spec = (type: string) => `netspec: 1\nname: t\nmodels:\n  m:\n    inputs: { x: [4, 4, 3] }\n    layers:\n      - { type: ${type} }\n`;
const fixOf = (type: string) => checkText(spec(type)).found.find((f) => f.code === 'NS2003')?.fix;
/** What NS2003 tells where it has no edit to offer: advice, as its last note. */
const adviceOf = (type: string) => {
  const found = checkText(spec(type)).found.find((f) => f.code === 'NS2003');
  return found?.fix === undefined ? found?.notes.at(-1) : undefined;
};

describe('a layer name from PyTorch, Keras or TensorFlow gets the netspec type that means the same, never a lookalike', () => {
  test.each([
    ['Linear', 'dense'],
    ['ConvTranspose2d', 'conv2dTranspose'],
    ['BatchNorm2d', 'batchNormalization'],
    ['instanceNorm2d', 'instanceNormalization'],
    ['InstanceNorm2d', 'instanceNormalization'],
    ['GroupNorm', 'groupNormalization'],
    ['PixelNorm', 'pixelNormalization'],
    ['PixelShuffle', 'pixelShuffle'],
    ['pReLU', 'prelu'],
    ['ReflectionPad2d', 'reflectionPadding2d'],
    ['Dropout2d', 'spatialDropout2d'],
    ['Tanh', 'activation'],
  ])('%s -> %s', (given, type) => {
    const fix = fixOf(given);
    // Where netspec has the type, the fix names it; where not yet, it says so and suggests nothing else.
    if (layerTypes.includes(type)) expect(fix).toMatch(new RegExp(`^use \`type: ${type}\``));
    else expect(adviceOf(given)).toBe(`netspec has no layer for ${foreignName(given)!.from}'s ${given} yet`);
    expect(fix).not.toMatch(/did you mean/);
  });

  test('a PyTorch instance norm is told its defaults', () => {
    expect(fixOf('InstanceNorm2d')).toBe("use `type: instanceNormalization`: it is netspec's name for PyTorch's InstanceNorm2d (PyTorch's default affine=False is `center: false, scale: false`, and its eps 1e-5 is `epsilon: 1e-5`)");
    expect(fixOf('PixelNorm')).toBe("use `type: pixelNormalization`: it is netspec's name for ProGAN's PixelNorm");
  });

  test('pReLU is never offered reLU, which computes something else', () => {
    expect(fixOf('pReLU')).not.toContain("'reLU'");
    expect(fixOf('PReLU')).not.toContain("'reLU'");
  });

  test('a wrapper that is an option in netspec says so, as advice (which layer it wraps is not known)', () => {
    const advice = adviceOf('SpectralNorm');
    if (optionsOf('dense').includes('spectralNormalization')) expect(advice).toContain('set `spectralNormalization: true`');
    else expect(advice).toBe("netspec has no option for PyTorch's SpectralNorm yet");
  });

  test('a plain misspelling still gets the nearest type', () => {
    expect(fixOf('conv2dTransposee')).toBe("did you mean 'conv2dTranspose'?");
    expect(fixOf('conv2d_transpose')).toBe("did you mean 'conv2dTranspose'?");
  });
});
