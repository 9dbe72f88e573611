/** Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function wantsColor(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(isTTY) && !env['NO_COLOR'];
}
