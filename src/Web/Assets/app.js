// Hash router: #/ experiments, #/runs?exp=ID…, #/run/ID, #/compare?runs=A,B.
"use strict";

let serverInfo = { read_only: true };

async function render() {
  const root = clear(document.getElementById("page"));
  const hash = window.location.hash || "#/";
  // data-ready names the hash whose page has finished rendering (tests and scripts wait for it).
  root.removeAttribute("data-ready");
  const path = hash.slice(1).split("?")[0];
  try {
    if (path === "/" || path === "") await experimentsPage(root, serverInfo);
    else if (path === "/runs") await runsPage(root);
    else if (path.startsWith("/run/")) await runPage(root, serverInfo, decodeURIComponent(path.slice(5)));
    else if (path === "/compare") await comparePage(root);
    else root.appendChild(errorBox({ message: "No such page: " + path }));
  } catch (e) {
    root.appendChild(errorBox(e));
  }
  if ((window.location.hash || "#/") === hash) root.setAttribute("data-ready", hash);
}

window.addEventListener("hashchange", render);
window.addEventListener("DOMContentLoaded", async () => {
  try { serverInfo = await api("/api/info"); } catch (e) { /* keep read-only */ }
  document.getElementById("mode").textContent = serverInfo.read_only ? "read-only" : "writes enabled";
  render();
});
