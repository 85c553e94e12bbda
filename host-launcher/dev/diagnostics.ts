// TypeScript diagnostics for the dev loop, from the compiler inside
// @ts-morph/common, kept warm in a language service so a recheck after an edit
// costs only the changed files. Runs in a Worker: it never delays a reload.
import { getLibFiles, libFolderInMemoryPath, ts } from "@ts-morph/common";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function createChecker(root: string) {
  const configPath = join(root, "tsconfig.json");
  const cfg = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!cfg) throw new Error(`cannot read ${configPath}`);
  const versions = new Map<string, string>();
  const version = (f: string) => {
    try {
      return String(statSync(f).mtimeMs);
    } catch {
      return "0";
    }
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => cfg.options,
    getScriptFileNames: () => cfg.fileNames,
    getScriptVersion: (f) => versions.get(f) ?? version(f),
    getScriptSnapshot: (f) => {
      try {
        return ts.ScriptSnapshot.fromString(readFileSync(f, "utf8"));
      } catch {
        return undefined;
      }
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  // The compiler's own lib.*.d.ts files ship inside @ts-morph/common, in memory.
  const libs = new Map(getLibFiles().map((f) => [`${libFolderInMemoryPath}/${f.fileName}`, f.text]));
  const fileExists = host.fileExists!;
  const readFile = host.readFile!;
  host.fileExists = (f) => libs.has(f) || fileExists(f);
  host.readFile = (f, enc) => libs.get(f) ?? readFile(f, enc);
  const snapshot = host.getScriptSnapshot;
  host.getScriptSnapshot = (f) => (libs.has(f) ? ts.ScriptSnapshot.fromString(libs.get(f)!) : snapshot(f));
  host.getDefaultLibFileName = (o) => `${libFolderInMemoryPath}/${ts.getDefaultLibFileName(o)}`;
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  return {
    /** Diagnostics for these files (absolute paths) after they changed. */
    check(files: string[]): Diagnostic[] {
      const out: Diagnostic[] = [];
      for (const f of files) {
        versions.set(f, version(f));
        if (!cfg.fileNames.includes(f)) continue;
        for (const d of [...service.getSyntacticDiagnostics(f), ...service.getSemanticDiagnostics(f)]) {
          const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
          out.push({ file: f.slice(root.length + 1), line: pos.line + 1, col: pos.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") });
        }
      }
      return out;
    },
  };
}
