// Worker side of the dev loop's type checker: messages in are {root} once, then
// {files}; messages out are {files, diagnostics, ms}.
import { createChecker } from "./diagnostics.ts";

declare const self: Worker;
let checker: ReturnType<typeof createChecker> | undefined;

self.onmessage = (e: MessageEvent<{ root?: string; files?: string[] }>) => {
  if (e.data.root) {
    checker = createChecker(e.data.root);
    return;
  }
  const t0 = performance.now();
  const diagnostics = checker ? checker.check(e.data.files ?? []) : [];
  self.postMessage({ files: e.data.files, diagnostics, ms: Math.round(performance.now() - t0) });
};
