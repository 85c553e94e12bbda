// The browser viewer: one page that runs noVNC's RFB client against our
// WebSocket. The npm package ships only the library, not noVNC's UI.

export const INDEX_HTML = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>tsos</title>
<style>
  html, body { margin: 0; height: 100%; background: #202020; }
  #screen { width: 100%; height: 100%; }
  #status { position: fixed; top: 8px; left: 8px; color: #ddd; font: 14px sans-serif; }
  body[data-state=connected] #status { display: none; }
</style>
</head>
<body data-state="connecting">
<div id="status">connecting…</div>
<div id="screen"></div>
<script type="module" src="viewer.js"></script>
</body>
</html>
`;

// Relative URLs keep the token, which is the first path segment of the page.
export const VIEWER_JS = `import RFB from "./novnc/core/rfb.js";
const ws = new URL("ws", location.href);
ws.protocol = location.protocol === "https:" ? "wss:" : "ws:";
const rfb = new RFB(document.getElementById("screen"), ws.href);
rfb.scaleViewport = false;
rfb.resizeSession = false;
rfb.addEventListener("connect", () => { document.body.dataset.state = "connected"; });
// A refusal (say, the VNC server behind a bridge turned us away) says why before the disconnect.
let refused = "";
rfb.addEventListener("securityfailure", (e) => { refused = e.detail.reason || "refused"; });
rfb.addEventListener("disconnect", () => {
  document.body.dataset.state = "disconnected";
  document.getElementById("status").textContent = (refused ? refused + ": " : "") + "disconnected (reload to reconnect)";
});
rfb.addEventListener("desktopname", (e) => { document.title = e.detail.name; });
`;
