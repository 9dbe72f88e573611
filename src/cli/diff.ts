/**
 * A unified line diff (longest common subsequence), for `build --check`.
 * Generated files are small, so the quadratic table is fine.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 2): string {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i++]!, ai: i, bi: ++j });
    // The current line goes first, as in `diff -u` and git: `-` before `+`.
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', text: a[i++]!, ai: i, bi: j });
    else ops.push({ kind: '+', text: b[j++]!, ai: i, bi: j });
  }
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const lines = [`--- ${oldName}`, `+++ ${newName}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = changed[k]! + context;
    while (k + 1 < changed.length && changed[k + 1]! - context <= end + 1) end = changed[++k]! + context;
    end = Math.min(ops.length - 1, end);
    const hunk = ops.slice(start, end + 1);
    const oldStart = hunk.find((o) => o.kind !== '+')?.ai ?? 0;
    const newStart = hunk.find((o) => o.kind !== '-')?.bi ?? 0;
    lines.push(`@@ -${oldStart},${hunk.filter((o) => o.kind !== '+').length} +${newStart},${hunk.filter((o) => o.kind !== '-').length} @@`);
    for (const op of hunk) lines.push(`${op.kind}${op.text}`);
    k++;
  }
  return lines.join('\n') + '\n';
}
