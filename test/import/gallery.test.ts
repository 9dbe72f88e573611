import { describe, expect, it } from 'vitest';
import { isAffine } from '../../src/infer/affine.js';
import { compile, importModel } from '../../src/index.js';
import type { ModelShapes, Shape } from '../../src/ir.js';
import { buildGalleryModel, gallerySources } from '../helpers/gallery.js';

const original = compile(gallerySources());

/** A symbolic size becomes unknown in tfjs' JSON: batch_input_shape holds null there. */
const unknownSymbols = (shape: Shape) => shape.map((d) => (isAffine(d) ? null : d));

/** By id: tfjs orders a graph's layers its own way, and a spec may list independent layers in any order. */
const table = (m: ModelShapes) =>
  m.layers.map((l) => ({ id: l.layer.id, type: l.layer.type, shape: unknownSymbols(l.outputShape) })).sort((a, b) => a.id.localeCompare(b.id));

describe('import(toJSON(build(spec))) compiles to the spec\'s layers, shapes and parameter counts', () => {
  it('the gallery compiles', () => expect(original.diagnostics.filter((d) => d.severity === 'error')).toEqual([]));
  for (const m of original.models) {
    it(`${m.file} ${m.model.name}`, async () => {
      const model = await buildGalleryModel(original, m);
      const json = JSON.stringify(model.toJSON(undefined, false), null, 1);
      const imported = importModel({ path: 'model.json', text: json }, { specPath: 'imported.yaml' });
      expect(imported.diagnostics).toEqual([]);
      const result = compile([{ path: 'imported.yaml', text: imported.value!.spec }]);
      expect(result.diagnostics.filter((d) => d.severity === 'error'), imported.value!.spec).toEqual([]);
      const again = result.models.find((r) => r.model.name === m.model.name)!;
      expect(table(again)).toEqual(table(m));
      expect(again.params).toEqual(m.params);
      expect(again.params.trainable + again.params.nonTrainable).toBe(model.countParams());
      model.dispose();
    });
  }
});
