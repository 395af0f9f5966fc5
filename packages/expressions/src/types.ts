/**
 * Public types of the expression language. Kept in one file so that the
 * worker, the API and the web client can read the whole contract at once.
 */

/** A value flowing in or out of an expression. Arrays are multi-valued attributes. */
export type ExpressionValue = string | number | boolean | null | ExpressionValue[];

/** A parse or compile error, positioned in the expression text. */
export interface ExpressionError {
  message: string;
  /** Offset (UTF-16 code units) of the first character in error. */
  start: number;
  /** Offset just past the last character in error (may equal `start`). */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`. */
  column: number;
  hint?: string;
  /**
   * `expression.syntax`, `expression.unknown_function`, `expression.unknown_identifier`,
   * `expression.arity`, `expression.unterminated_string`, `expression.unbalanced`,
   * `expression.too_long`, `expression.too_deep`, `expression.empty`, `expression.invalid_regex`,
   * `expression.invalid_argument`, `expression.nested_select_unique_value`.
   */
  code: string;
}

export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=';

interface Span {
  /** Offset of the first character of the node in the expression text. */
  readonly start: number;
  /** Offset just past the node. */
  readonly end: number;
}

/** `Name(arg, …)`. */
export interface FunctionCallNode extends Span {
  readonly kind: 'call';
  readonly name: string;
  /** Offset just past the function name (the name starts at `start`). */
  readonly nameEnd: number;
  readonly args: readonly ArgumentNode[];
}

/** `[attributeName]`. */
export interface AttributeNode extends Span {
  readonly kind: 'attribute';
  readonly name: string;
}

/** `"text"`, with escapes already resolved in `value`. */
export interface StringNode extends Span {
  readonly kind: 'string';
  readonly value: string;
}

/** `12`, `-3`, `1.5` or a hex literal `&HF7`; `raw` is the source text. */
export interface NumberNode extends Span {
  readonly kind: 'number';
  readonly value: number;
  readonly raw: string;
}

/** The bare flow keywords of the HR-provisioning guides. */
export interface KeywordNode extends Span {
  readonly kind: 'keyword';
  readonly name: 'IgnoreAttributeFlow' | 'IgnoreObjectFlow';
}

/** A bare VB enum constant (`vbBinaryCompare` = 0, `vbTextCompare` = 1). */
export interface EnumNode extends Span {
  readonly kind: 'enum';
  readonly name: 'vbBinaryCompare' | 'vbTextCompare';
  readonly value: number;
}

/** `left op right`, as used in IIF and CBool conditions. */
export interface ComparisonNode extends Span {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

/** An argument left empty, as in `Replace([mail], "@contoso.com", , , "", , )`. */
export interface OmittedNode extends Span {
  readonly kind: 'omitted';
}

export type ExpressionNode =
  FunctionCallNode | AttributeNode | StringNode | NumberNode | KeywordNode | EnumNode | ComparisonNode;

export type ArgumentNode = ExpressionNode | OmittedNode;

/** An expression parsed and checked once, evaluated many times. */
export interface CompiledExpression {
  readonly text: string;
  readonly ast: ExpressionNode;
  /** Source attribute names the expression reads, in order of first use, unique. */
  readonly attributes: readonly string[];
  /** True when the expression is `SelectUniqueValue(…)` and so consults the target. */
  readonly usesSelectUniqueValue: boolean;
}

export type ParseResult =
  { ok: true; expression: CompiledExpression } | { ok: false; error: ExpressionError };

export interface EvaluationContext {
  /** The source object's attribute; `undefined` or `null` means absent. */
  getAttribute(name: string): ExpressionValue | undefined;
  /** The clock, so that `Now()` and date arithmetic are reproducible. */
  now: Date;
  /** Uniform in [0, 1); used by `Guid()` and `RandomString()`. */
  random: () => number;
  /** Whether a candidate of `SelectUniqueValue` is free in the target (sync form). */
  isValueUnique?: (value: string) => boolean;
  /** The tenant's default domain, returned by `DefaultDomain()`. */
  defaultDomain?: string;
}

export type AsyncEvaluationContext = Omit<EvaluationContext, 'isValueUnique'> & {
  isValueUnique?: (value: string) => Promise<boolean>;
};

export type EvaluationOutcome =
  | { kind: 'value'; value: ExpressionValue; redacted: boolean }
  /** `IgnoreFlowIfNullOrEmpty` saw null/empty, or `IgnoreAttributeFlow` was reached. */
  | { kind: 'ignoreAttribute' }
  /** `IgnoreObjectFlow` was reached. */
  | { kind: 'ignoreObject' }
  | { kind: 'error'; error: { code: string; message: string } };

export interface FunctionParameterInfo {
  name: string;
  required: boolean;
  repeating?: boolean;
  type: string;
}

export interface FunctionInfo {
  name: string;
  parameters: FunctionParameterInfo[];
  description: string;
}

/** Graph's attributeMappingSource: the parsed tree of a mapping's source. */
export interface AttributeMappingSource {
  type: 'Attribute' | 'Constant' | 'Function';
  name: string;
  expression: string;
  parameters: { key: string; value: AttributeMappingSource }[];
}
