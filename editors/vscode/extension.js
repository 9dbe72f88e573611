// A minimal VS Code client for `netspec lsp --stdio` (docs/lsp.md). It is not
// built or tested in netspec's CI: install its one dependency with npm and run
// it from VS Code's extension development host.
const { workspace } = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

exports.activate = function activate() {
  const [command, ...args] = workspace.getConfiguration('netspec').get('command');
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
  client = new LanguageClient(
    'netspec',
    'netspec',
    // With the stdio transport the client appends --stdio to the arguments.
    { command, args, transport: TransportKind.stdio, options: folder ? { cwd: folder } : {} },
    // The server checks only YAML files that are specs (docs/lsp.md), so every YAML file can go to it.
    { documentSelector: [{ scheme: 'file', language: 'yaml' }, { scheme: 'untitled', language: 'yaml' }] },
  );
  return client.start();
};

exports.deactivate = function deactivate() {
  return client?.stop();
};
