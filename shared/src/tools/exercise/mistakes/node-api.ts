// Which Node.js API a piece of code calls, by what the compiler resolves it
// to (its declaration in @types/node), not by how it is spelled: `os.cpus()`,
// `cpus()` imported by name and `import * as os` are all os.cpus.
import { basename } from 'node:path';
import { type CallExpression, isCallExpression, type Node, type SourceFile } from 'typescript/unstable/ast';
import { type Checker, SymbolFlags } from 'typescript/unstable/sync';

export interface NodeApi {
  /** The module whose types declare it: `os`, `cluster`, `process`, `timers`, `events`. */
  module: string;
  /** The interface or class it is a member of (`Cluster`, `Worker`, `Process`), if any. */
  owner: string | undefined;
  name: string;
}

/** The Node.js API `node` names, or undefined if it is not one (or the compiler cannot tell). */
export function nodeApiOf(checker: Checker, node: Node): NodeApi | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  if (!symbol) return undefined;
  if (symbol.flags & SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const path = symbol.declarations[0]?.path ?? '';
  if (!path.includes('/@types/node/')) return undefined;
  return { module: basename(path, '.d.ts'), owner: symbol.getParent()?.name, name: symbol.name };
}

export function is(api: NodeApi | undefined, module: string, name: string, owner?: string): boolean {
  return api?.module === module && api.name === name && (owner === undefined || api.owner === owner);
}

/** Every call in `file`, with the Node.js API it calls (if it calls one). */
export function callsIn(checker: Checker, file: SourceFile): { call: CallExpression; api: NodeApi | undefined }[] {
  const calls: { call: CallExpression; api: NodeApi | undefined }[] = [];
  const visit = (node: Node): void => {
    if (isCallExpression(node)) calls.push({ call: node, api: nodeApiOf(checker, node.expression) });
    node.forEachChild(visit);
  };
  visit(file);
  return calls;
}

/** 1-based line of `node` in its file, for `exercise/primary.ts:42`. */
export function lineOf(node: Node): number {
  const file = node.getSourceFile();
  return file.text.slice(0, node.getStart(file)).split('\n').length;
}
