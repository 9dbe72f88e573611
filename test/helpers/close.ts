/**
 * Relative closeness of a whole tensor: every |got - want| at most
 * `tolerance` times the largest |want| (floating-point sums of different
 * order differ by about the rounding of the largest terms, not of each
 * element). Returns the worst ratio, so a failure says by how much.
 */
export function worstRelativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  // An all-zero reference must be matched exactly (up to denormal noise).
  return scale === 0 ? (worst === 0 ? 0 : worst / Number.MIN_VALUE) : worst / scale;
}
