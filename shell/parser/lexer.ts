// Character-level scanning: blanks, comments, operators and words with their
// quoting. Shell tokenizing depends on grammar context (reserved words, here-docs,
// `$(...)` nesting), so the parser drives this scanner instead of a token stream.
import { ShellSyntaxError, type Node, type ParamOp, type Word, type WordPart } from "./ast.ts";

export const OPERATORS = ["&&", "||", ";;", "<<-", "<<", "<&", ">&", ">>", ">|", "<>", ";", "&", "|", "(", ")", "<", ">", "\n"];
const META = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const SPECIAL_PARAMS = new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);
export const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Word scanning modes: plain command words, inside "...", here-doc bodies, ${...} arguments. */
type Mode = "word" | "dq" | "heredoc" | "brace" | "bracedq" | "arith";

export type SubParser = (src: string, start: number, closer: ")" | "") => { node: Node; end: number };

export class Lexer {
  pos = 0;
  constructor(
    readonly src: string,
    private readonly sub: SubParser,
  ) {}

  error(msg: string, at = this.pos, incomplete = false): ShellSyntaxError {
    const before = this.src.slice(0, at);
    const line = before.split("\n").length;
    const col = at - before.lastIndexOf("\n");
    return new ShellSyntaxError(msg, line, col, incomplete);
  }

  eof(): boolean {
    return this.pos >= this.src.length;
  }

  /** Skips spaces, tabs, line continuations and a comment; stops at newline. */
  skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") this.pos += 2;
      else if (c === "#") {
        while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
      } else return;
    }
  }

  /** The operator at the cursor (after blanks), without consuming it. */
  peekOp(): string | null {
    this.skipBlanks();
    for (const op of OPERATORS) if (this.src.startsWith(op, this.pos)) return op;
    return null;
  }

  /** An IO_NUMBER: digits directly followed by < or >. */
  peekIoNumber(): { fd: number; len: number } | null {
    this.skipBlanks();
    const m = /^[0-9]+(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 12));
    return m ? { fd: Number(m[0]), len: m[0].length } : null;
  }

  /** Reads one word at the cursor, or null at an operator/end. */
  readWord(): Word | null {
    this.skipBlanks();
    const start = this.pos;
    const parts = this.scan("word");
    if (this.pos === start) return null;
    return { parts, pos: start };
  }

  /** Scans word parts until the mode's terminator. The cursor stops on the terminator. */
  scan(mode: Mode): WordPart[] {
    const parts: WordPart[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ type: "lit", text: lit });
      lit = "";
    };
    const quotedLit = mode === "dq" || mode === "heredoc" || mode === "bracedq";
    const push = (p: WordPart) => {
      flush();
      parts.push(p);
    };
    const src = this.src;
    if (mode === "word" && src[this.pos] === "~") this.tilde(push);
    for (;;) {
      const c = src[this.pos];
      if (c === undefined) {
        if (mode === "word" || mode === "heredoc") break;
        throw this.error(mode === "dq" || mode === "bracedq" ? "unterminated double quote" : "missing '}'", this.pos, true);
      }
      if (mode === "word" && META.has(c)) break;
      if (mode === "dq" && c === '"') break;
      if ((mode === "brace" || mode === "bracedq") && c === "}") break;
      if (c === "\\") {
        const n = src[this.pos + 1];
        if (n === "\n") {
          this.pos += 2;
          continue;
        }
        if (n === undefined) {
          this.pos++;
          lit += "\\";
          continue;
        }
        if (quotedLit && !"$`\\\"".includes(n) && !(mode === "bracedq" && n === "}")) {
          lit += "\\";
          this.pos++;
          continue;
        }
        if (mode === "heredoc" && n === '"') {
          lit += "\\";
          this.pos++;
          continue;
        }
        push({ type: "sq", text: n });
        this.pos += 2;
        continue;
      }
      if (c === "'" && (mode === "word" || mode === "brace")) {
        const end = src.indexOf("'", this.pos + 1);
        if (end < 0) throw this.error("unterminated single quote", this.pos, true);
        push({ type: "sq", text: src.slice(this.pos + 1, end) });
        this.pos = end + 1;
        continue;
      }
      if (c === '"' && (mode === "word" || mode === "brace")) {
        const at = this.pos++;
        const inner = this.scan("dq");
        if (src[this.pos] !== '"') throw this.error("unterminated double quote", at, true);
        this.pos++;
        push({ type: "dq", parts: inner });
        continue;
      }
      if (c === "$") {
        const p = this.dollar(mode === "dq" || mode === "bracedq" || mode === "heredoc");
        if (p) push(p);
        else {
          lit += "$";
          this.pos++;
        }
        continue;
      }
      if (c === "`") {
        push(this.backtick(quotedLit));
        continue;
      }
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  private tilde(push: (p: WordPart) => void): void {
    const m = /^~([A-Za-z0-9_.-]*)(?=\/|$|[\s;&|()<>])/.exec(this.src.slice(this.pos, this.pos + 64));
    if (!m) return;
    push({ type: "tilde", user: m[1]! });
    this.pos += m[0].length;
  }

  /** `$...` at the cursor; null when the `$` is literal. */
  private dollar(inDq: boolean): WordPart | null {
    const src = this.src;
    const n = src[this.pos + 1];
    if (n === "(" && src[this.pos + 2] === "(") {
      const at = this.pos;
      this.pos += 3;
      const expr = this.arithBody();
      if (expr) return { type: "arith", expr };
      this.pos = at; // not arithmetic after all: `$( (cmd) )`
    }
    if (n === "(") {
      const at = this.pos;
      const { node, end } = this.sub(src, this.pos + 2, ")");
      if (src[end] !== ")") throw this.error("missing ')' for '$('", at, true);
      this.pos = end + 1;
      return { type: "cmd", body: node };
    }
    if (n === "{") return this.braceParam(inDq);
    if (n !== undefined && (SPECIAL_PARAMS.has(n) || /[0-9]/.test(n))) {
      this.pos += 2;
      return { type: "param", name: n, op: "", colon: false, arg: null, length: false };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(this.pos + 1, this.pos + 256));
    if (!m) return null;
    this.pos += 1 + m[0].length;
    return { type: "param", name: m[0], op: "", colon: false, arg: null, length: false };
  }

  /** After `$((`: the expression up to the matching `))`, or null if parens don't balance that way. */
  private arithBody(): Word | null {
    const start = this.pos;
    let depth = 0;
    let i = this.pos;
    for (; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "(") depth++;
      else if (c === ")") {
        if (depth === 0) {
          if (this.src[i + 1] !== ")") return null;
          break;
        }
        depth--;
      }
    }
    if (i >= this.src.length) throw this.error("missing '))'", start - 3, true);
    const inner = new Lexer(this.src.slice(start, i), this.sub);
    const parts = inner.scan("heredoc");
    this.pos = i + 2;
    return { parts, pos: start };
  }

  private braceParam(inDq: boolean): WordPart {
    const src = this.src;
    const at = this.pos;
    this.pos += 2;
    let length = false;
    if (src[this.pos] === "#" && src[this.pos + 1] !== "}" && !/^#[:=?+%#-]/.test(src.slice(this.pos, this.pos + 2))) {
      length = true;
      this.pos++;
    } else if (src[this.pos] === "#" && src[this.pos + 1] === "#" && src[this.pos + 2] === "}") {
      length = true; // ${##}: length of $#
      this.pos++;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!0-])/.exec(src.slice(this.pos, this.pos + 256));
    if (!m) throw this.error("bad substitution", at);
    const name = m[1]!;
    this.pos += name.length;
    let op: ParamOp | "" = "";
    let colon = false;
    let arg: Word | null = null;
    if (!length) {
      const om = /^(:?[-=?+]|%%|%|##|#)/.exec(src.slice(this.pos, this.pos + 2));
      if (om) {
        const o = om[1]!;
        colon = o.startsWith(":");
        op = (colon ? o.slice(1) : o) as ParamOp;
        this.pos += o.length;
        const argStart = this.pos;
        // Pattern words keep their quoting even inside "...": "${f#'a*'}" removes a literal `a*`.
        const pattern = op === "%" || op === "%%" || op === "#" || op === "##";
        const parts = this.scan(inDq && !pattern ? "bracedq" : "brace");
        arg = { parts, pos: argStart };
      }
    }
    if (src[this.pos] !== "}") throw this.error(this.eof() ? "missing '}'" : "bad substitution", at, this.eof());
    this.pos++;
    return { type: "param", name, op, colon, arg, length };
  }

  /** `...` command substitution: unescape \$ \` \\ (and \" inside double quotes), then parse. */
  private backtick(inDq: boolean): WordPart {
    const at = this.pos++;
    let body = "";
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw this.error("unterminated '`'", at, true);
      if (c === "`") break;
      if (c === "\\") {
        const n = this.src[this.pos + 1];
        if (n !== undefined && ("$`\\".includes(n) || (inDq && n === '"'))) {
          body += n;
          this.pos += 2;
          continue;
        }
      }
      body += c;
      this.pos++;
    }
    this.pos++;
    const { node } = this.sub(body, 0, "");
    return { type: "cmd", body: node };
  }

  /** Reads a here-doc body line by line up to `delim`. Returns the raw text. */
  readHeredoc(delim: string, stripTabs: boolean): string {
    let body = "";
    for (;;) {
      if (this.eof()) return body; // like dash: EOF ends the document
      let nl = this.src.indexOf("\n", this.pos);
      if (nl < 0) nl = this.src.length;
      let line = this.src.slice(this.pos, nl);
      this.pos = Math.min(nl + 1, this.src.length);
      if (stripTabs) line = line.replace(/^\t+/, "");
      if (line === delim) return body;
      body += line + "\n";
    }
  }
}
