import { parameterAt, signatureByName } from './catalog.js';
import type { ArgumentNode, AttributeMappingSource, CompiledExpression, ExpressionNode } from './types.js';

/** A string constant as it is written in an expression: quoted, with \ and " escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The canonical text of a node: arguments separated by ", ", omitted ones left empty.
 * Re-parsing it gives the same tree, so it is also how a tree is saved back as text.
 */
export function printExpression(node: ArgumentNode): string {
  switch (node.kind) {
    case 'call':
      return `${node.name}(${node.args.map(printExpression).join(', ')})`;
    case 'attribute':
      return `[${node.name}]`;
    case 'string':
      return quote(node.value);
    case 'number':
      return node.raw;
    case 'keyword':
    case 'enum':
      return node.name;
    case 'comparison':
      return `${printExpression(node.left)} ${node.operator} ${printExpression(node.right)}`;
    case 'omitted':
      return '';
  }
}

function toSource(node: ExpressionNode): AttributeMappingSource {
  switch (node.kind) {
    case 'attribute':
      return { type: 'Attribute', name: node.name, expression: `[${node.name}]`, parameters: [] };
    case 'string':
      return { type: 'Constant', name: node.value, expression: quote(node.value), parameters: [] };
    case 'number':
      // Graph writes numeric arguments as quoted constants: Mid(…, 1, 8) → name "1", expression "\"1\"".
      return { type: 'Constant', name: node.raw, expression: quote(node.raw), parameters: [] };
    case 'keyword':
    case 'enum':
      // Graph has no node type for bare names; an unquoted Constant keeps them apart from text.
      return { type: 'Constant', name: node.name, expression: node.name, parameters: [] };
    case 'comparison':
      // Graph documents no operator node either; an operator is written as a two-argument function.
      return {
        type: 'Function',
        name: node.operator,
        expression: printExpression(node),
        parameters: [
          { key: 'left', value: toSource(node.left) },
          { key: 'right', value: toSource(node.right) },
        ],
      };
    case 'call': {
      const signature = signatureByName.get(node.name);
      const parameters: AttributeMappingSource['parameters'] = [];
      node.args.forEach((arg, index) => {
        // Omitted arguments are left out, as in Graph's parseExpression response.
        if (arg.kind === 'omitted') return;
        const key = (signature && parameterAt(signature, index, node.args.length)?.name) ?? `arg${index + 1}`;
        parameters.push({ key, value: toSource(arg) });
      });
      return { type: 'Function', name: node.name, expression: printExpression(node), parameters };
    }
  }
}

/**
 * Graph's attributeMappingSource tree of an expression (synchronizationSchema parseExpression).
 *
 * @example
 * toAttributeMappingSource(compileExpression('Mid([userPrincipalName], 1, 8)'))
 * // { type: 'Function', name: 'Mid', expression: 'Mid([userPrincipalName], 1, 8)', parameters: [
 * //   { key: 'source', value: { type: 'Attribute', name: 'userPrincipalName', … } }, … ] }
 */
export function toAttributeMappingSource(expression: CompiledExpression): AttributeMappingSource {
  return toSource(expression.ast);
}
