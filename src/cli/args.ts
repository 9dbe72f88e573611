/** Parsed command line. Pure: no file system, no process. */
export interface Command {
  readonly command: 'build' | 'check' | 'summary' | 'import' | 'export' | 'explain' | 'lsp' | 'help' | 'version';
  readonly paths: readonly string[];
  readonly out?: string;
  readonly check: boolean;
  readonly watch: boolean;
  readonly format: string;
  readonly model?: string;
  /** `check --fix` writes the unambiguous fixes; `--fix-dry-run` prints their diff instead. */
  readonly fix?: 'write' | 'dry-run';
}

export const usage = `Usage: netspec <command> [paths...] [options]

Commands:
  build [paths] [--out DIR] [--check] [--watch]   compile specs into TypeScript modules
  check [paths] [--format text|json|sarif|github] validate specs and infer shapes; write nothing
        [--fix | --fix-dry-run]                   apply every unambiguous fix and check again
                                                  (--fix-dry-run: print the diff, write nothing)
  summary [paths] [--model M] [--format text|markdown|json]
                                                  print each model's layer table
  import <model.json> [-o spec.yaml]              write a spec (and .npy weights) from a tfjs
                                                  or Keras model.json (docs/import.md)
  export onnx <model.json> -o <file.onnx>         convert a saved tfjs model to ONNX (docs/onnx.md)
  lsp --stdio                                     run the language server over stdin/stdout
                                                  (docs/lsp.md)
  --explain NS4003                                the long help of a diagnostic code

Paths are spec files or folders; the default comes from netspec.config.json
(include/exclude/outDir), else specs/. Files are read and written only inside
the project root (docs/cli.md). Exit codes: 0 no errors, 1 errors in specs,
2 usage or I/O errors, 3 a bug in netspec.
`;

const formats: Record<string, readonly string[]> = {
  check: ['text', 'json', 'sarif', 'github'],
  summary: ['text', 'markdown', 'json'],
  build: ['text'],
  import: ['text'],
  export: ['text'],
};

export function parseArgs(argv: readonly string[]): Command | { error: string } {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: 'help', paths: [], check: false, watch: false, format: 'text' };
  if (first === '--version' || first === '-v') return { command: 'version', paths: [], check: false, watch: false, format: 'text' };
  if (first === '--explain' || first === 'explain') {
    if (rest.length !== 1) return { error: 'explain takes one code: netspec --explain NS4003' };
    return { command: 'explain', paths: rest, check: false, watch: false, format: 'text' };
  }
  if (first === 'lsp') return lspArgs(rest);
  if (first !== 'build' && first !== 'check' && first !== 'summary' && first !== 'import' && first !== 'export') return { error: `unknown command '${first}'` };
  if (first === 'export' && rest[0] !== 'onnx') return { error: `export needs a target: netspec export onnx <model.json> -o <file.onnx>${rest[0] === undefined ? '' : ` ('${rest[0]}' is not one)`}` };
  if (first === 'export') rest.shift();
  const paths: string[] = [];
  let out: string | undefined;
  let model: string | undefined;
  let format = 'text';
  let check = false;
  let watch = false;
  let fix: Command['fix'];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? rest[++i];
    if (flag === '--help' || flag === '-h') return { command: 'help', paths: [], check: false, watch: false, format: 'text' };
    else if ((flag === '--out' && first === 'build') || ((flag === '-o' || flag === '--out') && (first === 'import' || first === 'export'))) out = value();
    else if (flag === '--check' && first === 'build') check = true;
    else if (flag === '--watch' && first === 'build') watch = true;
    else if (flag === '--format' && first !== 'build' && first !== 'import' && first !== 'export') format = value() ?? '';
    else if (flag === '--model' && first === 'summary') model = value();
    else if ((flag === '--fix' || flag === '--fix-dry-run') && first === 'check' && inline === undefined) {
      const wanted = flag === '--fix' ? 'write' : 'dry-run';
      if (fix !== undefined && fix !== wanted) return { error: '--fix and --fix-dry-run cannot be combined' };
      fix = wanted;
    }
    else if (flag.startsWith('-')) return { error: `unknown option '${flag}' for '${first}'` };
    else paths.push(arg);
    if (((flag === '--out' || flag === '-o') && out === undefined) || (flag === '--model' && model === undefined)) return { error: `${flag} needs a value` };
  }
  if (!formats[first]!.includes(format)) return { error: `--format must be one of ${formats[first]!.join(', ')} for '${first}'` };
  if (check && watch) return { error: '--check and --watch cannot be combined' };
  if (fix !== undefined && format !== 'text' && format !== 'json') return { error: `--fix prints text or json, not ${format}` };
  if (first === 'import' && paths.length !== 1) return { error: 'import takes one model.json: netspec import <model.json> [-o spec.yaml]' };
  if (first === 'export' && (paths.length !== 1 || out === undefined)) return { error: 'export onnx takes one model.json and -o: netspec export onnx <model.json> -o <file.onnx>' };
  return { command: first, paths, check, watch, format, ...(out !== undefined ? { out } : {}), ...(model !== undefined ? { model } : {}), ...(fix !== undefined ? { fix } : {}) };
}

/** `lsp [--stdio]`: the language server speaks JSON-RPC over stdin/stdout only. */
function lspArgs(rest: readonly string[]): Command | { error: string } {
  for (const arg of rest) {
    // vscode-languageclient also passes its process id, which vscode-languageserver reads from argv to exit with the editor.
    if (arg === '--stdio' || /^--clientProcessId=\d+$/.test(arg)) continue;
    if (/^--(node-ipc|socket|pipe)\b/.test(arg)) return { error: `lsp speaks only over stdin/stdout, not ${arg.split('=')[0]}: use netspec lsp --stdio` };
    return { error: `unknown ${arg.startsWith('-') ? 'option' : 'argument'} '${arg}' for 'lsp': use netspec lsp --stdio` };
  }
  return { command: 'lsp', paths: [], check: false, watch: false, format: 'text' };
}
