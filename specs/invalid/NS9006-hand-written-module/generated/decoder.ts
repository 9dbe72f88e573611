// A decoder written by hand before the spec existed.
export function buildDecoder(): void {}
