/**
 * Every diagnostic code netspec can report. Codes are stable: tests, docs and
 * users' suppressions depend on the code, never on the message text.
 * NS1xxx parse, NS2xxx schema, NS3xxx resolve, NS4xxx shapes, NS5xxx lints,
 * NS9xxx the run itself (files, configuration).
 */
export const codes = {
  NS1001: { severity: 'error', title: 'YAML syntax error', help: 'Fix the YAML syntax at the marked position.' },
  NS1002: { severity: 'error', title: 'duplicate key', help: 'Remove or rename one of the two keys; YAML mappings need unique keys.' },
  NS1003: { severity: 'error', title: 'empty spec', help: 'A spec needs at least `netspec: 1` and `models:`.' },
  NS1004: { severity: 'error', title: 'not a text file', help: 'Specs are UTF-8 YAML text. Save a UTF-16, Windows-1252 or Latin-1 file as UTF-8; a file with NUL bytes is binary data, not a spec.' },
  NS1005: { severity: 'error', title: 'spec too large', help: 'Specs are limited in size; split the file or check that it is the right file.' },

  NS2001: { severity: 'error', title: 'wrong value', help: 'Change the value to one the schema allows; the message says what was expected.' },
  NS2002: { severity: 'error', title: 'unknown option', help: 'Remove the option or correct its name; options are the camelCase tfjs names.' },
  NS2003: { severity: 'error', title: 'unknown layer type', help: 'Use one of the layer types listed in docs/spec-format.md.' },
  NS2004: { severity: 'error', title: 'missing required option', help: 'Add the option; the layer cannot be built without it.' },
  NS2005: { severity: 'error', title: 'unknown name', help: 'Use one of the names the message lists (activations, initializers, regularizers, constraints, ...).' },
  NS2006: { severity: 'error', title: 'unsupported spec version', help: 'Set `netspec: 1`.' },

  NS3001: { severity: 'error', title: 'bad expression', help: 'Fix the expression: numbers, names, + - * / // % **, parentheses, min(), max().' },
  NS3002: { severity: 'error', title: 'unknown name in expression', help: 'Declare the name under `params:` or correct its spelling.' },
  NS3003: { severity: 'error', title: 'expression value not allowed', help: 'The expression must evaluate to a number the option accepts, e.g. a positive integer.' },
  NS3004: { severity: 'error', title: 'duplicate id', help: 'Give each input and layer of a model its own id.' },
  NS3005: { severity: 'error', title: 'unknown layer in from', help: 'Name an input or a layer of the same model.' },
  NS3006: { severity: 'error', title: 'from names a later layer', help: 'A layer can only read inputs and layers defined before it; move it or change `from`.' },
  NS3007: { severity: 'error', title: 'unknown output', help: 'Keys of `outputs` must name a layer or input of the model.' },
  NS3008: { severity: 'error', title: 'ambiguous input', help: 'The first layer of a model with several inputs, and every merge layer, needs an explicit `from`.' },
  NS3009: { severity: 'error', title: 'conflicting id and name', help: 'Set only `id` (the layer name in tfjs equals the id).' },
  NS3010: { severity: 'error', title: 'duplicate module name', help: 'Two specs would write the same generated file; give one a different `name`.' },
  NS3011: { severity: 'error', title: 'default not accepted', help: 'A key under `defaults:` must be an option of some layer type, or a layer type mapping to options.' },
  NS3012: { severity: 'error', title: 'bad identifier', help: 'Model names, param names and ids must start with a letter or _ and use only letters, digits and _.' },
  NS3013: { severity: 'error', title: 'model names clash', help: 'Model names become TypeScript names (buildFoo, FooInputs); rename one of two models whose names differ only in the case of the first letter.' },
  NS3014: { severity: 'error', title: 'bad weights file', help: 'A weights file must exist beside the spec and hold float arrays: .npy, or JSON nested lists or { shape, data }.' },
  NS3015: { severity: 'error', title: 'option form does not fit the layer', help: 'Write per-axis options with one entry per spatial axis. The tf.nn.conv_transpose forms are accepted too: 1 entry, or N+2 entries whose batch and channel entries are 1 (channel last for channelsLast, second for channelsFirst), and an outputShape with batch and channels whose channel entry equals filters.' },

  NS4001: { severity: 'error', title: 'wrong input rank', help: 'Feed the layer a tensor of the rank it needs, e.g. add a reshape or flatten before it.' },
  NS4002: { severity: 'error', title: 'wrong number of inputs', help: 'Give the layer as many tensors in `from` as it takes.' },
  NS4003: { severity: 'error', title: 'incompatible shapes', help: 'Merged tensors must agree on every axis the merge does not combine.' },
  NS4004: { severity: 'error', title: 'empty output', help: 'The layer would produce a dimension of size 0 or less; use a smaller kernel, stride or crop, or padding: same.' },
  NS4005: { severity: 'error', title: 'reshape size mismatch', help: 'The target shape must hold exactly as many elements as the input.' },
  NS4006: { severity: 'error', title: 'shape assertion failed', help: 'The inferred shape differs from one the spec asserts: under `outputs:`, or with a layer\'s Keras `inputShape`, `batchInputShape` or `batchSize`. netspec lists the transposed-convolution changes that would make an output\'s size right, each checked by re-inferring the model; if the layers are right, correct the assertion.' },
  NS4007: { severity: 'error', title: 'unknown channel dimension', help: 'The channel axis must be known statically to create weights; give the input a concrete channel count.' },
  NS4008: { severity: 'error', title: 'invalid transposed convolution', help: 'The combination of strides, dilation, padding and outputPadding is not a valid transposed convolution.' },
  NS4009: { severity: 'error', title: 'option does not fit the input', help: 'The option has the wrong number of entries or a value outside the range the input allows.' },
  NS4010: { severity: 'error', title: 'not supported yet', help: 'netspec does not build this configuration yet; see the features table in README.md.' },
  NS4011: { severity: 'error', title: 'weights do not fit the layer', help: 'Initial weights must name weights the layer has and match their shapes exactly (Keras layout, e.g. [k..., filters, inChannels] for transposed convolutions).' },
  NS4012: { severity: 'error', title: 'data format mismatch', help: 'A layer reads the channel axis where the layer before it wrote a spatial axis; give both the same dataFormat.' },

  NS5001: { severity: 'warning', title: 'checkerboard risk', help: 'A transposed convolution whose kernelSize is not a multiple of its strides overlaps unevenly and tends to paint checkerboard artifacts (Odena et al., 2016); use a kernel size divisible by the stride, or upSampling followed by a convolution. Turn off with `lint: { checkerboard: off }`.' },
  NS5002: { severity: 'warning', title: 'ambiguous output size', help: 'A valid transposed convolution with stride s picks one of the s input sizes its mirrored convolution maps to the same length; an encoder it mirrors may have had another. State the size with outputPadding or outputShape. Turn off with `lint: { ambiguousSize: off }`.' },
  NS5003: { severity: 'warning', title: 'unused param', help: 'The param is never used; remove it, or use it. Turn off with `lint: { unusedParam: off }`.' },
  NS5004: { severity: 'warning', title: 'unused layer', help: 'Nothing reads the layer (or input) and it is not an output: it is computed for nothing. Remove it, wire it with `from`, or list it under `outputs`. Turn off with `lint: { unusedLayer: off }`.' },
  NS5005: { severity: 'warning', title: 'activation after activation', help: 'The layer applies an activation to the output of a layer that already applies one; remove one of the two. Turn off with `lint: { doubleActivation: off }`.' },

  NS9001: { severity: 'error', title: 'cannot read path', help: 'Check that the path exists and is readable (for `build`, that the output folder can be written).' },
  NS9002: { severity: 'error', title: 'no specs found', help: 'Pass a .yaml file or a folder that contains some.' },
  NS9003: { severity: 'error', title: 'bad configuration', help: 'netspec.config.json must be a JSON object with at most `include` (a non-empty list of paths), `exclude` (a list of paths) and `outDir` (a path).' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; title: string; help: string }>;

export type Code = keyof typeof codes;
