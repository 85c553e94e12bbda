// The tsh syntax tree. Words keep their quoting structure so expansion can tell
// quoted text (never split or globbed) from unquoted text.

export type WordPart =
  | { type: "lit"; text: string } // unquoted literal: globbable
  | { type: "sq"; text: string } // '...' or a backslash-escaped char: fully quoted
  | { type: "dq"; parts: WordPart[] } // "..."
  | { type: "param"; name: string; op: ParamOp | ""; colon: boolean; arg: Word | null; length: boolean }
  | { type: "cmd"; body: Node }
  | { type: "arith"; expr: Word }
  | { type: "tilde"; user: string };

export type ParamOp = "-" | "=" | "?" | "+" | "%" | "%%" | "#" | "##";

export interface Word {
  parts: WordPart[];
  pos: number;
}

export type RedirOp = "<" | ">" | ">>" | ">|" | "<>" | "<&" | ">&" | "<<" | "<<-";

export interface Redir {
  fd: number | null;
  op: RedirOp;
  target: Word;
  /** For here-docs: the body, filled in once the lines after the command are read. */
  heredoc?: { body: Word; quoted: boolean };
}

export interface Assign {
  name: string;
  value: Word;
}

export type Node =
  | { type: "simple"; assigns: Assign[]; words: Word[]; redirs: Redir[]; pos: number }
  | { type: "pipeline"; cmds: Node[]; bang: boolean }
  | { type: "andor"; op: "&&" | "||"; left: Node; right: Node }
  | { type: "list"; items: { node: Node; bg: boolean }[] }
  | { type: "subshell"; body: Node; redirs: Redir[] }
  | { type: "group"; body: Node; redirs: Redir[] }
  | { type: "if"; clauses: { cond: Node; body: Node }[]; else: Node | null; redirs: Redir[] }
  | { type: "for"; name: string; words: Word[] | null; body: Node; redirs: Redir[] }
  | { type: "while"; until: boolean; cond: Node; body: Node; redirs: Redir[] }
  | { type: "case"; word: Word; items: { patterns: Word[]; body: Node | null }[]; redirs: Redir[] }
  | { type: "func"; name: string; body: Node };

/** A parse failure. `incomplete` means more input could finish it (interactive continuation). */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
    readonly incomplete: boolean,
  ) {
    super(message);
  }
}

export const EMPTY_LIST: Node = { type: "list", items: [] };

/** Literal text of a word if it has no expansions or quotes at all, else null. */
export function plainText(w: Word): string | null {
  let s = "";
  for (const p of w.parts) {
    if (p.type !== "lit") return null;
    s += p.text;
  }
  return s;
}
