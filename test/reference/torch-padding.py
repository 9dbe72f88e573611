"""
Reference outputs and gradients from PyTorch for the padding tests
(test/runtime/padding.test.ts). Run once with the Debian PyTorch:

    /usr/bin/python3 test/reference/torch-padding.py > test/fixtures/torch/padding.json

Tensors are PyTorch's channels-first layout, in float64; every case feeds a
deterministic input `x`, computes `y = module(x)` and the gradients of
`sum(y * r)` for a deterministic `r`. CI reads the JSON and never runs Python.
"""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def values(shape, seed):
    n = math.prod(shape)
    return torch.tensor([round(math.sin(0.7 * k + seed) * 1.5 + 0.1 * math.cos(3.1 * k), 4) for k in range(n)]).reshape(shape)


def flat(t):
    return [round(v, 10) for v in t.detach().reshape(-1).tolist()]


def case(name, layer, x_shape, module, seed, params=None):
    x = values(x_shape, seed).requires_grad_(True)
    weights = {}
    if params is not None:
        with torch.no_grad():
            for key, p in params(module).items():
                p.copy_(values(list(p.shape), seed + len(weights) + 1))
                weights[key] = p
    y = module(x)
    r = values(list(y.shape), seed + 10)
    (y * r).sum().backward()
    out = {'name': name, 'layer': layer, 'x': {'shape': list(x.shape), 'data': flat(x)}, 'y': {'shape': list(y.shape), 'data': flat(y)},
           'r': flat(r), 'dx': flat(x.grad)}
    if weights:
        out['weights'] = {k: {'shape': list(p.shape), 'data': flat(p), 'grad': flat(p.grad)} for k, p in weights.items()}
    return out


class Padded(nn.Module):
    """F.pad (PyTorch order: last axis first) then a module: asymmetric pads, causal padding."""

    def __init__(self, pads, mode, inner, value=0.0):
        super().__init__()
        self.pads, self.mode, self.inner, self.value = pads, mode, inner, value

    def forward(self, x):
        padded = F.pad(x, self.pads, mode=self.mode) if self.mode == 'reflect' else F.pad(x, self.pads, value=self.value)
        return self.inner(padded)


conv_params = lambda m: {'kernel': (m.inner if isinstance(m, Padded) else m).weight, 'bias': (m.inner if isinstance(m, Padded) else m).bias}

cases = [
    case('ReflectionPad1d((2, 1))', {'type': 'reflectionPadding1d', 'padding': [2, 1]}, [2, 3, 5], nn.ReflectionPad1d((2, 1)), 1),
    case('ReflectionPad2d((1, 2, 0, 2))', {'type': 'reflectionPadding2d', 'padding': [[0, 2], [1, 2]]}, [1, 2, 3, 4], nn.ReflectionPad2d((1, 2, 0, 2)), 2),
    case('ReflectionPad2d(2)', {'type': 'reflectionPadding2d', 'padding': 2}, [2, 1, 3, 3], nn.ReflectionPad2d(2), 3),
    case('ReflectionPad3d((1, 0, 2, 1, 1, 1))', {'type': 'reflectionPadding3d', 'padding': [[1, 1], [2, 1], [1, 0]]}, [1, 2, 2, 4, 3], nn.ReflectionPad3d((1, 0, 2, 1, 1, 1)), 4),
    case('Conv2d(2, 3, 3, padding=1)', {'type': 'conv2d', 'filters': 3, 'kernelSize': 3, 'padding': [[1, 1], [1, 1]]}, [2, 2, 4, 5], nn.Conv2d(2, 3, 3, padding=1), 5, conv_params),
    case("Conv2d(2, 3, 3, padding=1, padding_mode='reflect')", {'type': 'conv2d', 'filters': 3, 'kernelSize': 3, 'padding': [[1, 1], [1, 1]], 'paddingMode': 'reflect'}, [1, 2, 4, 5], nn.Conv2d(2, 3, 3, padding=1, padding_mode='reflect'), 6, conv_params),
    case("Conv2d(2, 2, (3, 2), stride=2, padding=(1, 0), padding_mode='reflect')", {'type': 'conv2d', 'filters': 2, 'kernelSize': [3, 2], 'strides': 2, 'padding': [[1, 1], [0, 0]], 'paddingMode': 'reflect'}, [1, 2, 5, 6], nn.Conv2d(2, 2, (3, 2), stride=2, padding=(1, 0), padding_mode='reflect'), 7, conv_params),
    case("Conv2d(1, 2, 3, padding='same', padding_mode='reflect')", {'type': 'conv2d', 'filters': 2, 'kernelSize': 3, 'padding': 'same', 'paddingMode': 'reflect'}, [1, 1, 4, 4], nn.Conv2d(1, 2, 3, padding='same', padding_mode='reflect'), 8, conv_params),
    case("F.pad((1, 1, 2, 0), 'reflect') + Conv2d(2, 2, 2)", {'type': 'conv2d', 'filters': 2, 'kernelSize': 2, 'padding': [[2, 0], [1, 1]], 'paddingMode': 'reflect'}, [1, 2, 3, 4], Padded((1, 1, 2, 0), 'reflect', nn.Conv2d(2, 2, 2)), 9, conv_params),
    case("Conv1d(2, 2, 3, dilation=2, padding='same', padding_mode='reflect')", {'type': 'conv1d', 'filters': 2, 'kernelSize': 3, 'dilationRate': 2, 'padding': 'same', 'paddingMode': 'reflect'}, [2, 2, 7], nn.Conv1d(2, 2, 3, dilation=2, padding='same', padding_mode='reflect'), 10, conv_params),
    case('Conv1d(2, 3, 4, stride=2, padding=2)', {'type': 'conv1d', 'filters': 3, 'kernelSize': 4, 'strides': 2, 'padding': [[2, 2]]}, [1, 2, 9], nn.Conv1d(2, 3, 4, stride=2, padding=2), 11, conv_params),
    case('causal: F.pad((4, 0)) + Conv1d(2, 2, 3, dilation=2)', {'type': 'conv1d', 'filters': 2, 'kernelSize': 3, 'dilationRate': 2, 'padding': 'causal'}, [2, 2, 6], Padded((4, 0), 'constant', nn.Conv1d(2, 2, 3, dilation=2)), 12, conv_params),
    case('causal: F.pad((2, 0)) + Conv1d(1, 2, 3, stride=2)', {'type': 'conv1d', 'filters': 2, 'kernelSize': 3, 'strides': 2, 'padding': 'causal'}, [1, 1, 7], Padded((2, 0), 'constant', nn.Conv1d(1, 2, 3, stride=2)), 13, conv_params),
    case("Conv3d(1, 2, 3, padding=1, padding_mode='reflect')", {'type': 'conv3d', 'filters': 2, 'kernelSize': 3, 'padding': [[1, 1], [1, 1], [1, 1]], 'paddingMode': 'reflect'}, [1, 1, 3, 3, 4], nn.Conv3d(1, 2, 3, padding=1, padding_mode='reflect'), 14, conv_params),
    case('Conv3d(2, 1, 2, padding=(1, 0, 1))', {'type': 'conv3d', 'filters': 1, 'kernelSize': 2, 'padding': [[1, 1], [0, 0], [1, 1]]}, [1, 2, 2, 3, 3], nn.Conv3d(2, 1, 2, padding=(1, 0, 1)), 15, conv_params),
    case('MaxPool1d(2, padding=1)', {'type': 'maxPooling1d', 'poolSize': 2, 'padding': [[1, 1]]}, [2, 2, 5], nn.MaxPool1d(2, padding=1), 16),
    case('MaxPool2d(3, stride=2, padding=1)', {'type': 'maxPooling2d', 'poolSize': 3, 'strides': 2, 'padding': [[1, 1], [1, 1]]}, [1, 2, 5, 6], nn.MaxPool2d(3, stride=2, padding=1), 17),
    case('MaxPool3d(2, padding=1)', {'type': 'maxPooling3d', 'poolSize': 2, 'padding': [[1, 1], [1, 1], [1, 1]]}, [1, 1, 3, 3, 2], nn.MaxPool3d(2, padding=1), 18),
    case('F.pad((0, 1, 1, 0), -inf) + MaxPool2d(2)', {'type': 'maxPooling2d', 'poolSize': 2, 'padding': [[1, 0], [0, 1]]}, [1, 1, 3, 5], Padded((0, 1, 1, 0), 'constant', nn.MaxPool2d(2), value=-math.inf), 19),
    case('AvgPool1d(4, stride=1, padding=2)', {'type': 'averagePooling1d', 'poolSize': 4, 'strides': 1, 'padding': [[2, 2]]}, [1, 2, 5], nn.AvgPool1d(4, stride=1, padding=2), 20),
    case('AvgPool2d(3, stride=2, padding=1)', {'type': 'averagePooling2d', 'poolSize': 3, 'strides': 2, 'padding': [[1, 1], [1, 1]]}, [2, 1, 5, 4], nn.AvgPool2d(3, stride=2, padding=1), 21),
    case('AvgPool3d((2, 3, 2), padding=(1, 1, 0))', {'type': 'averagePooling3d', 'poolSize': [2, 3, 2], 'padding': [[1, 1], [1, 1], [0, 0]]}, [1, 1, 3, 4, 4], nn.AvgPool3d((2, 3, 2), padding=(1, 1, 0)), 22),
    case('Softmax(dim=1)', {'type': 'softmax', 'axis': 1}, [2, 3, 4], nn.Softmax(dim=1), 23),
    case('Softmax(dim=-2)', {'type': 'softmax', 'axis': -2}, [1, 2, 3, 2], nn.Softmax(dim=-2), 24),
    case('ELU(alpha=0.5)', {'type': 'elu', 'alpha': 0.5}, [2, 6], nn.ELU(alpha=0.5), 25),
    case('ELU(alpha=2.0)', {'type': 'elu', 'alpha': 2}, [1, 3, 4], nn.ELU(alpha=2.0), 26),
]

print(json.dumps({'torch': torch.__version__, 'layout': 'channels first (PyTorch); kernels [out, in, k...]; r is the weight of sum(y * r)', 'cases': cases}, indent=None, separators=(',', ':')))
