// Link change notifications (RTMGRP_LINK) without polling: a blocking netlink
// socket read on Bun's thread pool delivers each RTM_NEWLINK as it happens.
import * as fs from "node:fs";
import { AF_NETLINK, bind, socket, SOCK_RAW } from "../ffi/libc.ts";
import { decodeLink, type Link } from "./ipstate.ts";
import { parseMessages, RTM, RTMGRP } from "./rtnetlink.ts";

/** Calls `onLink` for every link change the kernel announces, until the process exits. */
export function watchLinks(onLink: (l: Link) => void, onError: (e: Error) => void): void {
  const fd = socket(AF_NETLINK, SOCK_RAW, 0);
  bind(fd, new Uint8Array([AF_NETLINK, 0, 0, 0, 0, 0, 0, 0, RTMGRP.LINK, 0, 0, 0]));
  const buf = new Uint8Array(65536);
  const next = () =>
    fs.read(fd, buf, 0, buf.length, null, (err, n) => {
      if (err) return onError(err);
      for (const m of parseMessages(buf.subarray(0, n))) {
        const l = m.type === RTM.NEWLINK ? decodeLink(m) : undefined;
        if (l) onLink(l);
      }
      next();
    });
  next();
}

/** Whether the link has carrier: the kernel's IFF_LOWER_UP. */
export const hasCarrier = (l: Link) => l.flags.includes("LOWER_UP");
