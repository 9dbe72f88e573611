import { diagnostic, type FixEdits } from '../diagnostics/diagnostic.js';
import { show } from '../diagnostics/describe.js';
import { transposeRank } from '../infer/conv-transpose.js';
import { fixOrNote } from '../fix/fix-or-note.js';
import { flowYaml, replaceFix } from '../fix/option-edits.js';
import type { Args, Span, Value } from '../ir.js';
import type { ResolveContext } from './values.js';

/**
 * `tf.nn.conv_transpose` writes `strides` and `dilations` with 1, N or N+2
 * entries (batch and channel entries being 1), and `output_shape` with the
 * batch and channels. The IR has one entry per spatial axis, so this rewrites
 * those forms, or reports why it cannot.
 */
export function canonicalTransposeArgs(ctx: ResolveContext, type: string, args: Args, argSpans: Readonly<Record<string, Span>>): Args | undefined {
  const rank = transposeRank[type];
  if (rank === undefined) return args;
  const channelsFirst = args['dataFormat'] === 'channelsFirst';
  const out: Record<string, Value> = { ...args };
  let ok = true;
  /** `option` rewritten as each of `values`: one fix, or alternatives; edits only where the layer writes the list as numbers. */
  const rewrite = (option: string, values: readonly Value[], describe: (text: string) => string): FixEdits[] | undefined => {
    const span = argSpans[option];
    if (!span || !/^\[[\d\s,.]*\]$/.test(ctx.spec.source.text.slice(span.start, span.end))) return undefined;
    return values.map((v) => replaceFix(describe(flowYaml(v)), span, flowYaml(v)));
  };
  const fail = (option: string, message: string, fix?: string, fixes?: FixEdits[]) => {
    ctx.diagnostics.push(diagnostic('NS3015', argSpans[option], message, fixOrNote(fix, fixes)));
    ok = false;
  };
  for (const option of ['strides', 'dilationRate']) {
    const value = args[option];
    if (!Array.isArray(value) || value.length === rank) continue;
    const list = value as number[];
    if (list.length === 1) out[option] = new Array<number>(rank).fill(list[0]!);
    else if (list.length === rank + 2) {
      const [batch, channels] = channelsFirst ? [list[0]!, list[1]!] : [list[0]!, list[rank + 1]!];
      const spatial = channelsFirst ? list.slice(2) : list.slice(1, -1);
      // The same numbers in the other layout's order are a likely slip between NHWC and NCHW.
      const otherLayout = channelsFirst ? list[0] === 1 && list[rank + 1] === 1 : list[0] === 1 && list[1] === 1;
      const ordered = channelsFirst ? [1, 1, ...list.slice(1, -1)] : [1, ...list.slice(2), 1];
      const fix = otherLayout ? `with dataFormat ${channelsFirst ? 'channelsFirst' : 'channelsLast'} the channel entry comes ${channelsFirst ? 'second' : 'last'}: ${option}: ${show(ordered)}` : `give the spatial entries only: ${option}: ${show(spatial)}`;
      const edit = rewrite(option, [otherLayout ? ordered : spatial], (text) => `write ${option}: ${text}`);
      if (batch !== 1 || channels !== 1) fail(option, `${option} ${show(list)} has batch and channel entries (the tf.nn form); they must be 1, received ${batch} and ${channels}`, fix, edit);
      else out[option] = spatial;
    } else {
      // One entry per spatial axis: the same numbers are one fix; different ones leave which axes they were for to the user.
      const choices = list.every((v) => v === list[0]) ? [list.slice(0, rank)] : [list.slice(0, rank), list.slice(-rank)];
      fail(option, `${option} ${show(list)} has ${list.length} entries; a ${type} takes 1, ${rank} or ${rank + 2}`, `give one entry, or ${rank} (one per spatial axis)`, rewrite(option, choices, (text) => `write ${option}: ${text}`));
    }
  }
  const shape = args['outputShape'] as readonly number[] | undefined;
  if (shape && shape.length === rank + 2) {
    const channels = channelsFirst ? shape[1]! : shape[rank + 1]!;
    const spatial = channelsFirst ? shape.slice(2) : shape.slice(1, -1);
    if (channels !== args['filters']) fail('outputShape', `outputShape ${show(shape)} has ${channels} channels but the layer has ${String(args['filters'])} filters`, `give the spatial sizes only (the channels are the filters, ${String(args['filters'])}): outputShape: ${show(spatial)}`, rewrite('outputShape', [spatial], (text) => `write outputShape: ${text}`));
    else out['outputShape'] = spatial;
  } else if (shape && shape.length !== rank) fail('outputShape', `outputShape ${show(shape)} has ${shape.length} entries; a ${type} takes ${rank} (spatial) or ${rank + 2} (with batch and channels)`);
  return ok ? out : undefined;
}

/**
 * Where spatial axis 0 sits in each option as the user wrote it: 1 or 2 in the
 * tf.nn forms with batch and channel entries. Messages index options this way.
 */
export function spatialOffsets(type: string, args: Args): Readonly<Record<string, number>> | undefined {
  const rank = transposeRank[type];
  if (rank === undefined) return undefined;
  const offset = args['dataFormat'] === 'channelsFirst' ? 2 : 1;
  const full = ['strides', 'dilationRate', 'outputShape'].filter((o) => Array.isArray(args[o]) && (args[o] as Value[]).length === rank + 2);
  return full.length > 0 ? Object.fromEntries(full.map((o) => [o, offset])) : undefined;
}
