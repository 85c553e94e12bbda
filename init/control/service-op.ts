// `service list|start|stop|restart|replace NAME`.
import type { Request } from "../../lib/control/protocol.ts";
import type { AgentContext } from "./agent.ts";

export async function serviceOp(ctx: AgentContext, r: Request, trace?: string): Promise<unknown> {
  const action = r.action;
  const name = typeof r.name === "string" ? r.name : "";
  const sup = ctx.supervisor;
  switch (action) {
    case "list":
      return { services: sup.status() };
    case "start": {
      const s = sup.mustGet(name);
      s.resetFailures();
      const ready = await s.start(trace);
      return { ...s.status(), ready };
    }
    case "stop": {
      const s = sup.mustGet(name);
      await s.stop(5000, trace);
      return s.status();
    }
    case "restart": {
      const ready = await sup.restart(name, trace);
      return { ...sup.mustGet(name).status(), ready };
    }
    case "replace": {
      if (typeof r.bundle !== "string" || typeof r.sha256 !== "string") throw new Error("replace needs bundle (base64) and sha256 (hex)");
      return ctx.replace(name, r.bundle, r.sha256, trace);
    }
    default:
      throw new Error(`service action must be list, start, stop, restart or replace (got ${JSON.stringify(action)})`);
  }
}
