import protobuf from 'protobufjs/light.js';
import { onnxDescriptor } from './onnx-descriptor.js';

/** ONNX's own message types, from the official onnx.proto (src/onnx/onnx.proto). */
const root = protobuf.Root.fromJSON(onnxDescriptor as protobuf.INamespace);
const ModelProto = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType values (onnx.proto). */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values (onnx.proto). */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** Serializes a ModelProto given as a plain object with onnx.proto's field names. */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const problem = ModelProto.verify(model);
  // A malformed message is a bug in the exporter, not in the user's model.
  if (problem) throw new Error(`netspec built an invalid ONNX ModelProto: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Reads a ModelProto back (for tests and tools). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array }) as Record<string, unknown>;
}
