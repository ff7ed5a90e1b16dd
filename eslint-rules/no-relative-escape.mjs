// ESLint rule: a relative import stays inside its own workspace. Parts and packages reach
// each other only by package name (`@localstore/cell-db`), which the per-workspace
// `no-restricted-imports` blocks of eslint.config.mjs then allow or refuse; a path such as
// `../../cell-api/src/...` would slip past those, so it is refused here.
import { dirname, relative, resolve, sep } from 'node:path';

/** The top folder of `file` under the repository root, or null outside it. */
function workspaceOf(root, file) {
  const path = relative(root, file);
  if (path.startsWith('..') || path === '') return null;
  const [top] = path.split(sep);
  return top;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'relative imports may not leave their workspace; import another part or package by its @localstore/* name' },
    schema: [],
    messages: {
      escape:
        "'{{source}}' leaves {{from}}/ for {{to}}/: import it as a declared @localstore/* package (parts and packages of ARCHITECTURE.md), never by a path into another workspace.",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = workspaceOf(root, file);
    if (!from) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = workspaceOf(root, resolve(dirname(file), source));
      if (to !== from)
        context.report({ node: node.source, messageId: 'escape', data: { source, from, to: to ?? '(outside the repository)' } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
