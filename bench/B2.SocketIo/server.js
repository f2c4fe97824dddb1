// B2: what a user would pick instead. The benchmark's room fan-out on socket.io 4.8:
// sockets join the room named in their handshake, a form post to /rooms/:id/post emits the
// same fragment bytes as the app and B0 to every socket of the room. WebSocket transport only,
// no compression (as everywhere in the benchmark).
"use strict";
const http = require("node:http");
const { Server } = require("socket.io");

const seqs = new Map();

const server = http.createServer((req, res) => {
  const match = req.method === "POST" && /^\/rooms\/(\d+)\/post$/.exec(req.url);
  if (!match) {
    res.writeHead(req.url === "/" ? 200 : 404).end();
    return;
  }
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const room = Number(match[1]);
    const content = new URLSearchParams(body).get("content") ?? "";
    const seq = (seqs.get(room) ?? 0) + 1;
    seqs.set(room, seq);
    io.to(String(room)).emit("fragment", fragment(room, seq, content));
    res.writeHead(200).end();
  });
});

const io = new Server(server, { transports: ["websocket"], perMessageDeflate: false, serveClient: false });
io.on("connection", (socket) => socket.join(String(socket.handshake.query.room)));

const escape = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** The app's message fragment, same shape and size as B0's. */
function fragment(room, seq, content) {
  const now = new Date();
  const time = now.toISOString().slice(11, 16);
  return `<div id="messages" hx-swap-oob="beforeend"><article id="message-${seq}" class="message message-user" data-seq="${seq}" ` +
    `data-author="00000000-0000-0000-0000-000000000000" aria-labelledby="message-${seq}-author"><header class="message-meta">` +
    `<span class="message-author" id="message-${seq}-author">Bench</span><time datetime="${now.toISOString()}">${time} UTC</time>` +
    `<a class="message-actions" href="/rooms/${room}/messages/${seq}" aria-label="Edit or delete this message" title="Edit or delete">⋯</a></header>` +
    `<div class="message-body" hx-disable><p>${escape(content)}</p></div></article></div>`;
}

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
server.listen(port, "127.0.0.1");
