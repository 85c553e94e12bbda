// $((...)) arithmetic: a Pratt parser over C integer expressions, as POSIX asks
// (signed long; here 64-bit via BigInt so overflow wraps like C on Linux).
import { ShellError } from "./shell.ts";

export interface ArithEnv {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Tok = { t: "num"; v: bigint } | { t: "id"; v: string } | { t: "op"; v: string };

const OPS = ["<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "++", "--", "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~", "?", ":", "=", "(", ")", ","];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(src.slice(i));
    if (num) {
      const s = num[1]!;
      if (/^0[0-7]+$/.test(s)) out.push({ t: "num", v: BigInt("0o" + s.slice(1)) });
      else if (/^0[0-9]+$/.test(s)) throw new ShellError(`arithmetic syntax error: bad number '${s}'`);
      else out.push({ t: "num", v: BigInt(s) });
      i += s.length;
      if (/[A-Za-z_]/.test(src[i] ?? "")) throw new ShellError(`arithmetic syntax error: '${src}'`);
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ShellError(`arithmetic syntax error: '${src}'`);
    out.push({ t: "op", v: op });
    i += op.length;
  }
  return out;
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);

const BINARY: Record<string, number> = {
  "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10, "**": 11,
};
const ASSIGN = new Set(["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="]);

/** Tokens of recently evaluated expressions: a loop evaluates the same few again and again. */
const tokenCache = new Map<string, Tok[]>();

function tokens(src: string): Tok[] {
  let toks = tokenCache.get(src);
  if (!toks) {
    toks = tokenize(src);
    if (tokenCache.size >= 512) tokenCache.clear();
    tokenCache.set(src, toks);
  }
  return toks;
}

export function evalArith(src: string, env: ArithEnv): bigint {
  const toks = tokens(src);
  let p = 0;
  // While > 0 we are in an unevaluated branch (`0 && x=1`): no side effects, no division errors.
  let skip = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => {
    const t = toks[p];
    return t?.t === "op" && t.v === v;
  };
  const value = (name: string): bigint => {
    const s = env.get(name);
    if (s === undefined || s === "") return 0n;
    if (/^-?[1-9][0-9]{0,17}$/.test(s)) return BigInt(s); // plain decimal (a leading 0 means octal)
    if (/^\s*-?[0-9]+\s*$/.test(s) || /^\s*0[xX][0-9a-fA-F]+\s*$/.test(s)) return evalArith(s, env);
    throw new ShellError(`Illegal number: ${s}`);
  };
  const binop = (op: string, a: bigint, b: bigint): bigint => {
    switch (op) {
      case "+": return wrap(a + b);
      case "-": return wrap(a - b);
      case "*": return wrap(a * b);
      case "/":
      case "%":
        if (b === 0n) {
          if (skip) return 0n;
          throw new ShellError("arithmetic: division by zero");
        }
        return op === "/" ? a / b : a % b;
      case "**": return b < 0n ? 0n : wrap(a ** b);
      case "<<": return wrap(a << (b & 63n));
      case ">>": return a >> (b & 63n);
      case "<": return a < b ? 1n : 0n;
      case ">": return a > b ? 1n : 0n;
      case "<=": return a <= b ? 1n : 0n;
      case ">=": return a >= b ? 1n : 0n;
      case "==": return a === b ? 1n : 0n;
      case "!=": return a !== b ? 1n : 0n;
      case "&": return a & b;
      case "^": return a ^ b;
      case "|": return a | b;
    }
    throw new ShellError(`arithmetic: unknown operator ${op}`);
  };
  const assign = (name: string, v: bigint) => {
    if (!skip) env.set(name, String(v));
    return v;
  };

  function primary(): bigint {
    const t = peek();
    if (!t) throw new ShellError(`arithmetic syntax error: '${src}'`);
    p++;
    if (t.t === "num") return t.v;
    if (t.t === "id") {
      const n = peek();
      if (n?.t === "op" && ASSIGN.has(n.v)) {
        p++;
        const rhs = assignment();
        if (n.v === "=") return assign(t.v, rhs);
        return assign(t.v, binop(n.v.slice(0, -1), value(t.v), rhs));
      }
      if (n?.t === "op" && (n.v === "++" || n.v === "--")) {
        p++;
        const old = value(t.v);
        assign(t.v, n.v === "++" ? old + 1n : old - 1n);
        return old;
      }
      return value(t.v);
    }
    switch (t.v) {
      case "(": {
        const v = comma();
        if (!isOp(")")) throw new ShellError(`arithmetic syntax error: missing ')' in '${src}'`);
        p++;
        return v;
      }
      case "-": return wrap(-primary());
      case "+": return primary();
      case "!": return primary() === 0n ? 1n : 0n;
      case "~": return ~primary();
      case "++":
      case "--": {
        const id = peek();
        if (id?.t !== "id") throw new ShellError(`arithmetic syntax error: '${src}'`);
        p++;
        return assign(id.v, value(id.v) + (t.v === "++" ? 1n : -1n));
      }
    }
    throw new ShellError(`arithmetic syntax error: unexpected '${t.v}' in '${src}'`);
  }

  function binary(minPrec: number): bigint {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t?.t !== "op") return left;
      const prec = BINARY[t.v];
      if (prec === undefined || prec < minPrec) return left;
      p++;
      if (t.v === "&&" || t.v === "||") {
        const short = t.v === "&&" ? left === 0n : left !== 0n;
        if (short) skip++;
        const right = binary(prec + 1);
        if (short) skip--;
        left = short ? (t.v === "||" ? 1n : 0n) : right !== 0n ? 1n : 0n;
        continue;
      }
      const right = binary(t.v === "**" ? prec : prec + 1);
      left = binop(t.v, left, right);
    }
  }

  function ternary(): bigint {
    const c = binary(1);
    if (!isOp("?")) return c;
    p++;
    if (c === 0n) skip++;
    const a = assignment();
    if (c === 0n) skip--;
    if (!isOp(":")) throw new ShellError(`arithmetic syntax error: expected ':' in '${src}'`);
    p++;
    if (c !== 0n) skip++;
    const b = assignment();
    if (c !== 0n) skip--;
    return c !== 0n ? a : b;
  }

  function assignment(): bigint {
    return ternary();
  }

  function comma(): bigint {
    // dash has no comma operator; neither does POSIX.
    return assignment();
  }

  if (!toks.length) return 0n;
  const v = comma();
  if (p < toks.length) throw new ShellError(`arithmetic syntax error: '${src}'`);
  return v;
}
