import { firstAxis, type Graph, type Value } from './graph.js';
import { output, refuse, single, type Converter, type LayerCall } from './layer-call.js';

/**
 * A tfjs activation (its serialized name, tfjs-layers `activations.ts`) applied
 * to a tensor in either layout; only softmax depends on the layout.
 */
export function activate(call: LayerCall, g: Graph, v: Value, name: unknown): Value {
  const at = (op: string, attributes = {}) => ({ ...v, name: g.node(op, [v.name], attributes, `${call.layer.name}_${op.toLowerCase()}`) });
  switch (name ?? 'linear') {
    case 'linear':
      return v;
    case 'relu':
      return at('Relu');
    case 'relu6':
      return { ...v, name: g.node('Clip', [v.name, g.scalar('zero', 0), g.scalar('six', 6)], {}, `${call.layer.name}_relu6`) };
    case 'elu':
      return at('Elu', { alpha: { float: 1 } });
    case 'selu':
      // ONNX's default alpha and gamma are Keras' (tf.nn.selu) constants.
      return at('Selu');
    case 'sigmoid':
      return at('Sigmoid');
    case 'hardSigmoid':
      // tfjs: clip(0.2 x + 0.5, 0, 1).
      return at('HardSigmoid', { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case 'tanh':
      return at('Tanh');
    case 'softplus':
      return at('Softplus');
    case 'softsign':
      return at('Softsign');
    case 'swish':
      return { ...v, name: g.node('Mul', [v.name, g.node('Sigmoid', [v.name])], {}, `${call.layer.name}_swish`) };
    case 'mish':
      return { ...v, name: g.node('Mul', [v.name, g.node('Tanh', [g.node('Softplus', [v.name])])], {}, `${call.layer.name}_mish`) };
    case 'gelu': {
      // tfjs: 0.5 x (1 + erf(x / sqrt 2)).
      const erf = g.node('Erf', [g.node('Mul', [v.name, g.scalar('inv_sqrt2', Math.SQRT1_2)])]);
      return { ...v, name: g.node('Mul', [g.node('Mul', [v.name, g.scalar('half', 0.5)]), g.node('Add', [erf, g.scalar('one', 1)])], {}, `${call.layer.name}_gelu`) };
    }
    case 'gelu_new': {
      // tfjs: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
      const cube = g.node('Mul', [g.node('Mul', [v.name, v.name]), v.name]);
      const inner = g.node('Mul', [g.node('Add', [v.name, g.node('Mul', [cube, g.scalar('c', 0.044715)])]), g.scalar('sqrt_2_pi', Math.sqrt(2 / Math.PI))]);
      return { ...v, name: g.node('Mul', [g.node('Mul', [v.name, g.scalar('half', 0.5)]), g.node('Add', [g.node('Tanh', [inner]), g.scalar('one', 1)])], {}, `${call.layer.name}_gelu_new`) };
    }
    case 'softmax':
      return softmax(call, g, v, -1);
    default:
      return refuse(call, `activation '${String(name)}' has no ONNX form in netspec's export`);
  }
}

/** Softmax over the tfjs axis `axis`, mapped to the value's layout. */
export function softmax(call: LayerCall, g: Graph, v: Value, axis: number): Value {
  const a = v.channelsFirst && v.rank >= 3 ? firstAxis(axis, v.rank) : axis;
  return { ...v, name: g.node('Softmax', [v.name], { axis: a }, `${call.layer.name}_softmax`) };
}

export const activationLayers: Record<string, Converter> = {
  Activation: (call) => activate(call, call.graph, single(call), call.config['activation']),
  ReLU: (call) => {
    const { maxValue, negativeSlope, threshold } = call.config as { maxValue?: number | null; negativeSlope?: number; threshold?: number };
    if ((negativeSlope ?? 0) !== 0 || (threshold ?? 0) !== 0) refuse(call, 'negativeSlope and threshold are not exported');
    const x = single(call);
    const relu = call.graph.node('Relu', [x.name], {}, call.layer.name);
    if (maxValue === undefined || maxValue === null) return { ...x, name: relu };
    return { ...x, name: call.graph.node('Min', [relu, call.graph.scalar('max_value', maxValue)], {}, call.layer.name) };
  },
  LeakyReLU: (call) => {
    const x = single(call);
    return { ...x, name: call.graph.node('LeakyRelu', [x.name], { alpha: { float: (call.config['alpha'] as number | undefined) ?? 0.3 } }, call.layer.name) };
  },
  ELU: (call) => {
    const x = single(call);
    return { ...x, name: call.graph.node('Elu', [x.name], { alpha: { float: (call.config['alpha'] as number | undefined) ?? 1 } }, call.layer.name) };
  },
  NetspecElu: (call) => {
    const x = single(call);
    return { ...x, name: call.graph.node('Elu', [x.name], { alpha: { float: (call.config['alpha'] as number | undefined) ?? 1 } }, call.layer.name) };
  },
  Softmax: (call) => softmax(call, call.graph, single(call), (call.config['axis'] as number | undefined) ?? -1),
  NetspecSoftmax: (call) => softmax(call, call.graph, single(call), (call.config['axis'] as number | undefined) ?? -1),
};

export { output };
