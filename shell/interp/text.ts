// Turns syntax back into text: job listings (`jobs`), `type` of a function, `set -x` is done on expanded words instead.
import type { Node, Redir, Word, WordPart } from "../parser/ast.ts";

export function wordText(w: Word): string {
  return w.parts.map(partText).join("");
}

function partText(p: WordPart): string {
  switch (p.type) {
    case "lit":
      return p.text;
    case "sq":
      return p.text.length === 1 && !/['\n]/.test(p.text) ? "\\" + p.text : `'${p.text}'`;
    case "dq":
      return `"${p.parts.map(partText).join("")}"`;
    case "tilde":
      return "~" + p.user;
    case "cmd":
      return `$(${nodeText(p.body)})`;
    case "arith":
      return `$((${wordText(p.expr)}))`;
    case "param": {
      if (!p.op && !p.length) return /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name) ? `\${${p.name}}` : "$" + p.name;
      if (p.length) return `\${#${p.name}}`;
      return `\${${p.name}${p.colon ? ":" : ""}${p.op}${p.arg ? wordText(p.arg) : ""}}`;
    }
  }
}

function redirText(r: Redir): string {
  return ` ${r.fd ?? ""}${r.op}${wordText(r.target)}`;
}

export function nodeText(n: Node): string {
  switch (n.type) {
    case "simple":
      return [...n.assigns.map((a) => `${a.name}=${wordText(a.value)}`), ...n.words.map(wordText)].join(" ") + n.redirs.map(redirText).join("");
    case "pipeline":
      return (n.bang ? "! " : "") + n.cmds.map(nodeText).join(" | ");
    case "andor":
      return `${nodeText(n.left)} ${n.op} ${nodeText(n.right)}`;
    case "list":
      return n.items.map((i) => nodeText(i.node) + (i.bg ? " &" : "")).join("; ");
    case "subshell":
      return `(${nodeText(n.body)})` + n.redirs.map(redirText).join("");
    case "group":
      return `{ ${nodeText(n.body)}; }` + n.redirs.map(redirText).join("");
    case "if":
      return n.clauses.map((c, i) => `${i ? "elif" : "if"} ${nodeText(c.cond)}; then ${nodeText(c.body)}; `).join("") + (n.else ? `else ${nodeText(n.else)}; ` : "") + "fi";
    case "while":
      return `${n.until ? "until" : "while"} ${nodeText(n.cond)}; do ${nodeText(n.body)}; done`;
    case "for":
      return `for ${n.name}${n.words ? " in " + n.words.map(wordText).join(" ") : ""}; do ${nodeText(n.body)}; done`;
    case "case":
      return `case ${wordText(n.word)} in ${n.items.map((i) => `${i.patterns.map(wordText).join("|")}) ${i.body ? nodeText(i.body) : ""};;`).join(" ")} esac`;
    case "func":
      return `${n.name}() ${nodeText(n.body)}`;
  }
}
