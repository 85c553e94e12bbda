// Recursive-descent parser for the POSIX sh grammar (XCU 2.10), driving the Lexer.
import { EMPTY_LIST, plainText, type Assign, type Node, type Redir, type RedirOp, type Word } from "./ast.ts";
import { Lexer, NAME_RE } from "./lexer.ts";

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{", "}", "!", "in"]);
/** Words that end a compound list: seeing one means the list is over. */
const LIST_END = new Set(["then", "else", "elif", "fi", "do", "done", "esac", "}"]);

interface Pending {
  redir: Redir;
  delim: string;
  strip: boolean;
}

export class Parser {
  readonly lx: Lexer;
  private heredocs: Pending[] = [];

  constructor(src: string) {
    this.lx = new Lexer(src, (s, start, closer) => subParse(s, start, closer));
  }

  /** The whole program. */
  parseProgram(): Node {
    const list = this.list(")");
    if (this.heredocs.length) this.readHeredocs();
    const op = this.lx.peekOp();
    if (op !== null || !this.lx.eof()) throw this.lx.error(`syntax error near unexpected token '${op ?? this.peekWordText() ?? "?"}'`);
    return list;
  }

  /** A list terminated by `closer` (")" for `$(...)`) or end of input; the cursor stops there. */
  list(closer: string): Node {
    const items: { node: Node; bg: boolean }[] = [];
    for (;;) {
      this.linebreak();
      if (this.lx.eof()) break;
      const op = this.lx.peekOp();
      if (op === closer || op === ";;" || op === ")") break;
      const w = this.peekWordText();
      if (w !== null && LIST_END.has(w)) break;
      if (op !== null && op !== "(" && op !== "<" && op !== ">" && op !== "<<" && op !== "<<-" && op !== ">>" && op !== ">|" && op !== "<>" && op !== "<&" && op !== ">&")
        throw this.lx.error(`syntax error near unexpected token '${op}'`);
      const node = this.andOr();
      const sep = this.lx.peekOp();
      if (sep === "&" || sep === ";") {
        this.lx.pos++;
        items.push({ node, bg: sep === "&" });
      } else if (sep === "\n") {
        items.push({ node, bg: false });
      } else {
        items.push({ node, bg: false });
        if (sep !== null && sep !== closer && sep !== ";;" && sep !== ")") throw this.lx.error(`syntax error near unexpected token '${sep}'`);
        if (sep === null && !this.lx.eof() && !LIST_END.has(this.peekWordText() ?? "")) throw this.lx.error("syntax error");
      }
    }
    return items.length === 1 && !items[0]!.bg ? items[0]!.node : { type: "list", items };
  }

  /** Consumes newlines (reading any pending here-doc bodies after each). */
  private linebreak(): void {
    while (this.lx.peekOp() === "\n") {
      this.lx.pos++;
      this.readHeredocs();
    }
  }

  private readHeredocs(): void {
    const pend = this.heredocs;
    this.heredocs = [];
    for (const h of pend) {
      const raw = this.lx.readHeredoc(h.delim, h.strip);
      const quoted = h.redir.heredoc!.quoted;
      const body: Word = quoted ? { parts: [{ type: "sq", text: raw }], pos: 0 } : { parts: new Lexer(raw, subParseFn).scan("heredoc"), pos: 0 };
      h.redir.heredoc = { body, quoted };
    }
  }

  private andOr(): Node {
    let left = this.pipeline();
    for (;;) {
      const op = this.lx.peekOp();
      if (op !== "&&" && op !== "||") return left;
      this.lx.pos += 2;
      this.linebreak();
      if (this.lx.eof()) throw this.lx.error(`unexpected end of input after '${op}'`, this.lx.pos, true);
      left = { type: "andor", op, left, right: this.pipeline() };
    }
  }

  private pipeline(): Node {
    let bang = false;
    if (this.peekWordText() === "!") {
      this.lx.readWord();
      bang = true;
    }
    const cmds = [this.command()];
    while (this.lx.peekOp() === "|") {
      this.lx.pos++;
      this.linebreak();
      if (this.lx.eof()) throw this.lx.error("unexpected end of input after '|'", this.lx.pos, true);
      cmds.push(this.command());
    }
    return cmds.length === 1 && !bang ? cmds[0]! : { type: "pipeline", cmds, bang };
  }

  /** The unquoted literal text of the next word, without consuming it. */
  private peekWordText(): string | null {
    const save = this.lx.pos;
    this.lx.skipBlanks();
    const m = /^[^\s;&|()<>'"\\$`]+(?=[\s;&|()<>]|$)/.exec(this.lx.src.slice(this.lx.pos, this.lx.pos + 64));
    this.lx.pos = save;
    return m ? m[0] : null;
  }

  private expectWord(w: string): void {
    if (this.peekWordText() !== w) {
      this.lx.skipBlanks();
      const got = this.lx.eof() ? "end of input" : `'${this.peekWordText() ?? this.lx.peekOp() ?? this.lx.src[this.lx.pos]}'`;
      throw this.lx.error(`syntax error: expected '${w}' but found ${got}`, this.lx.pos, this.lx.eof());
    }
    this.lx.readWord();
  }

  private command(): Node {
    this.lx.skipBlanks();
    if (this.lx.eof()) throw this.lx.error("unexpected end of input", this.lx.pos, true);
    const w = this.peekWordText();
    let node: Node | null = null;
    if (this.lx.peekOp() === "(") {
      this.lx.pos++;
      const body = this.list(")");
      if (this.lx.peekOp() !== ")") throw this.lx.error("syntax error: expected ')'", this.lx.pos, this.lx.eof());
      this.lx.pos++;
      node = { type: "subshell", body, redirs: [] };
    } else if (w === "{") {
      this.lx.readWord();
      const body = this.list("");
      this.expectWord("}");
      node = { type: "group", body, redirs: [] };
    } else if (w === "if") node = this.ifClause();
    else if (w === "while" || w === "until") {
      this.lx.readWord();
      const cond = this.list("");
      const body = this.doGroup();
      node = { type: "while", until: w === "until", cond, body, redirs: [] };
    } else if (w === "for") node = this.forClause();
    else if (w === "case") node = this.caseClause();
    else if (w !== null && LIST_END.has(w)) throw this.lx.error(`syntax error near unexpected token '${w}'`);
    if (node) {
      this.redirects((node as { redirs: Redir[] }).redirs);
      return node;
    }
    return this.simple();
  }

  private ifClause(): Node {
    this.lx.readWord();
    const clauses: { cond: Node; body: Node }[] = [];
    let els: Node | null = null;
    for (;;) {
      const cond = this.list("");
      this.expectWord("then");
      const body = this.list("");
      clauses.push({ cond, body });
      const w = this.peekWordText();
      if (w === "elif") {
        this.lx.readWord();
        continue;
      }
      if (w === "else") {
        this.lx.readWord();
        els = this.list("");
      }
      this.expectWord("fi");
      return { type: "if", clauses, else: els, redirs: [] };
    }
  }

  private doGroup(): Node {
    this.linebreak();
    this.expectWord("do");
    const body = this.list("");
    this.expectWord("done");
    return body;
  }

  private forClause(): Node {
    this.lx.readWord();
    const nameWord = this.lx.readWord();
    const name = nameWord ? plainText(nameWord) : null;
    if (!name || !NAME_RE.test(name)) throw this.lx.error("syntax error: bad for loop variable", nameWord?.pos ?? this.lx.pos, this.lx.eof());
    let words: Word[] | null = null;
    if (this.lx.peekOp() === ";") this.lx.pos++;
    else {
      this.linebreak();
      if (this.peekWordText() === "in") {
        this.lx.readWord();
        words = [];
        for (;;) {
          const op = this.lx.peekOp();
          if (op === ";" || op === "\n") {
            this.lx.pos++;
            if (op === "\n") this.readHeredocs();
            break;
          }
          if (op !== null || this.lx.eof()) throw this.lx.error("syntax error in for loop", this.lx.pos, this.lx.eof());
          words.push(this.lx.readWord()!);
        }
      }
    }
    return { type: "for", name, words, body: this.doGroup(), redirs: [] };
  }

  private caseClause(): Node {
    this.lx.readWord();
    const word = this.lx.readWord();
    if (!word) throw this.lx.error("syntax error: expected a word after 'case'", this.lx.pos, this.lx.eof());
    this.linebreak();
    this.expectWord("in");
    const items: { patterns: Word[]; body: Node | null }[] = [];
    for (;;) {
      this.linebreak();
      if (this.peekWordText() === "esac") break;
      if (this.lx.eof()) throw this.lx.error("syntax error: expected 'esac'", this.lx.pos, true);
      if (this.lx.peekOp() === "(") this.lx.pos++;
      const patterns: Word[] = [];
      for (;;) {
        const p = this.lx.readWord();
        if (!p) throw this.lx.error("syntax error in case pattern", this.lx.pos, this.lx.eof());
        patterns.push(p);
        const op = this.lx.peekOp();
        if (op === "|") {
          this.lx.pos++;
          continue;
        }
        if (op !== ")") throw this.lx.error("syntax error: expected ')' in case pattern", this.lx.pos, this.lx.eof());
        this.lx.pos++;
        break;
      }
      const body = this.list("");
      items.push({ patterns, body: body.type === "list" && body.items.length === 0 ? null : body });
      if (this.lx.peekOp() === ";;") {
        this.lx.pos += 2;
        continue;
      }
      this.linebreak();
      if (this.peekWordText() === "esac") break;
      throw this.lx.error("syntax error: expected ';;' or 'esac'", this.lx.pos, this.lx.eof());
    }
    this.lx.readWord();
    return { type: "case", word, items, redirs: [] };
  }

  /** Trailing or interleaved redirections; returns false when none was there. */
  private redirect(into: Redir[]): boolean {
    const io = this.lx.peekIoNumber();
    if (io) this.lx.pos += io.len;
    const op = this.lx.peekOp();
    if (op === null || !["<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-"].includes(op)) {
      if (io) throw this.lx.error("syntax error: bad redirection");
      return false;
    }
    this.lx.pos += op.length;
    const target = this.lx.readWord();
    if (!target) throw this.lx.error(`syntax error: expected a word after '${op}'`, this.lx.pos, this.lx.eof());
    const redir: Redir = { fd: io ? io.fd : null, op: op as RedirOp, target };
    if (op === "<<" || op === "<<-") {
      const quoted = target.parts.some((p) => p.type !== "lit");
      redir.heredoc = { body: { parts: [], pos: 0 }, quoted };
      this.heredocs.push({ redir, delim: delimText(target), strip: op === "<<-" });
    }
    into.push(redir);
    return true;
  }

  private redirects(into: Redir[]): void {
    while (this.redirect(into));
  }

  private simple(): Node {
    const pos = this.lx.pos;
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      if (this.redirect(redirs)) continue;
      const op = this.lx.peekOp();
      if (op !== null || this.lx.eof()) break;
      const at = this.lx.pos;
      const w = this.lx.readWord();
      if (!w) break;
      if (words.length === 0) {
        const first = w.parts[0];
        const m = first?.type === "lit" ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
        if (m) {
          const rest = first!.type === "lit" ? first!.text.slice(m[0].length) : "";
          const parts = rest ? [{ type: "lit" as const, text: rest }, ...w.parts.slice(1)] : w.parts.slice(1);
          assigns.push({ name: m[1]!, value: { parts, pos: w.pos } });
          continue;
        }
        const text = plainText(w);
        if (text !== null && assigns.length === 0 && redirs.length === 0 && NAME_RE.test(text) && /^\s*\(\s*\)/.test(this.lx.src.slice(this.lx.pos))) {
          if (RESERVED.has(text)) throw this.lx.error(`syntax error: '${text}' is reserved`, at);
          this.lx.pos = this.lx.src.indexOf(")", this.lx.pos) + 1;
          this.linebreak();
          const body = this.command();
          return { type: "func", name: text, body };
        }
      }
      words.push(w);
    }
    if (words.length === 0 && assigns.length === 0 && redirs.length === 0) {
      const op = this.lx.peekOp();
      if (this.lx.eof()) throw this.lx.error("unexpected end of input", this.lx.pos, true);
      throw this.lx.error(`syntax error near unexpected token '${op ?? this.lx.src[this.lx.pos]}'`);
    }
    return { type: "simple", assigns, words, redirs, pos };
  }

  /**
   * The next complete command: one line's worth of and-or lists, or null at the end.
   * Scripts run command by command, so an error late in a file does not stop what came before.
   */
  next(): Node | null {
    this.linebreak();
    if (this.lx.eof()) return null;
    const items: { node: Node; bg: boolean }[] = [];
    for (;;) {
      const op = this.lx.peekOp();
      if (op !== null && op !== "(" && !/^[<>]/.test(op)) throw this.lx.error(`syntax error near unexpected token '${op === "\n" ? "newline" : op}'`);
      const node = this.andOr();
      const sep = this.lx.peekOp();
      if (sep === ";" || sep === "&") {
        this.lx.pos++;
        items.push({ node, bg: sep === "&" });
        const after = this.lx.peekOp();
        if (after === "\n" || this.lx.eof()) break;
        continue;
      }
      items.push({ node, bg: false });
      if (sep === "\n" || (sep === null && this.lx.eof())) break;
      throw this.lx.error(`syntax error near unexpected token '${sep ?? this.peekWordText() ?? this.lx.src[this.lx.pos]}'`);
    }
    if (this.lx.peekOp() === "\n") {
      this.lx.pos++;
      this.readHeredocs();
    } else if (this.heredocs.length) this.readHeredocs();
    return items.length === 1 && !items[0]!.bg ? items[0]!.node : { type: "list", items };
  }

  /** Used by `$(...)`: parse a list starting at `start` and report where it stopped. */
  parseSub(start: number, closer: string): { node: Node; end: number } {
    this.lx.pos = start;
    const node = this.list(closer);
    this.lx.skipBlanks();
    if (this.heredocs.length) throw this.lx.error("here-document not terminated", this.lx.pos, true);
    if (closer === "" && !this.lx.eof()) throw this.lx.error(`syntax error near unexpected token '${this.lx.peekOp() ?? this.lx.src[this.lx.pos]}'`);
    return { node, end: this.lx.pos };
  }
}

/** The here-doc delimiter with quotes removed. */
function delimText(w: Word): string {
  let s = "";
  for (const p of w.parts) {
    if (p.type === "lit" || p.type === "sq") s += p.text;
    else if (p.type === "dq") s += p.parts.map((q) => (q.type === "lit" || q.type === "sq" ? q.text : "")).join("");
  }
  return s;
}

function subParse(src: string, start: number, closer: ")" | ""): { node: Node; end: number } {
  return new Parser(src).parseSub(start, closer);
}
const subParseFn = subParse;

/** Parses a whole script. Throws ShellSyntaxError. */
export function parse(src: string): Node {
  const p = new Parser(src);
  const node = p.parseProgram();
  return node ?? EMPTY_LIST;
}
