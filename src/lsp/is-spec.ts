/**
 * Which YAML documents the server checks. Editors send every YAML file
 * (workflows, compose files, ...), and a spec check of those would flood
 * them with errors; a spec says what it is, or lies where the project keeps
 * its specs.
 */

/** A top-level `netspec:` key, or the schema modeline the gallery and `netspec import` write. */
export function saysItIsASpec(text: string): boolean {
  return /^netspec[ \t]*:/m.test(text) || /yaml-language-server:\s*\$schema=\S*netspec\.schema\.json/.test(text);
}

/** Whether a project-relative path lies in one of the config's `include` files or folders (`exclude` aside: an open file is checked as if named on the command line). */
export function underInclude(file: string, include: readonly string[]): boolean {
  return include.some((entry) => {
    const folder = entry.replace(/^\.\//, '').replace(/\/+$/, '');
    return folder === '' || folder === '.' || file === folder || file.startsWith(`${folder}/`);
  });
}
