// What every rule of rules/ works with: the calls of the learner's file
// with the Node.js API each one calls, which process runs them (roles.ts),
// and the scope a piece of code sits in.
import {
  type CallExpression,
  isArrowFunction,
  isFunctionDeclaration,
  isFunctionExpression,
  isMethodDeclaration,
  type Node,
} from 'typescript/unstable/ast';
import type { Checker } from 'typescript/unstable/sync';
import type { NodeApi } from './node-api.ts';
import type { Roles } from './roles.ts';

export interface Call {
  call: CallExpression;
  api: NodeApi | undefined;
}

export interface RuleContext {
  checker: Checker;
  /** The learner's file, as named in exercise/ (`primary.ts`). */
  file: string;
  calls: Call[];
  roles: Roles;
}

export interface Finding {
  rule: string;
  node: Node;
  say: string;
}

export const isFunction = (node: Node) =>
  isArrowFunction(node) || isFunctionExpression(node) || isFunctionDeclaration(node) || isMethodDeclaration(node);

/** The nearest function around `node` (or its file, at the top level). */
export function scopeOf(node: Node): Node {
  for (let at = node.parent; at; at = at.parent) if (isFunction(at)) return at;
  return node.getSourceFile();
}
export const inside = (node: Node, scope: Node) => node.pos >= scope.pos && node.end <= scope.end;

export type Rule = (context: RuleContext) => Finding[];
