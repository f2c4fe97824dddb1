// What every part of the room page shares: its elements and its person, the composer's pieces, form
// posts as htmx would make them, and the socket: the one place that knows its state, which hands each
// socket event to the parts that listen, in the order they asked.
export const room = document.querySelector(".room[data-room]");
export const messages = document.getElementById("messages");
export const me = room ? room.dataset.me : "";
export const composer = document.getElementById("composer");
export const field = document.getElementById("composer-content");

export function seqs() {
    const articles = messages.querySelectorAll("[data-seq]"); // messages and lines like "Ada joined"
    if (articles.length === 0) return { since: 0, after: 0 };
    return { since: Number(articles[0].dataset.seq), after: Number(articles[articles.length - 1].dataset.seq) };
}

export function store(key, value) {
    try {
        if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* storage full or off: the page still holds it */ }
}

const draftKey = room ? "agentrooms.draft." + room.dataset.room : "";
export function saveDraft() { store(draftKey, field.value.trim() === "" ? null : field.value); }
export function savedDraft() {
    try { return localStorage.getItem(draftKey); } catch (e) { return null; }
}

export function token() { return composer.querySelector("[name='__RequestVerificationToken']").value; }

// A form post as htmx would make it (the server answers a script 204 instead of a redirect).
export function postForm(url, fields, lists) {
    const body = new FormData();
    body.append("__RequestVerificationToken", token()); // first: the server checks it before anything else
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    Object.keys(lists || {}).forEach(function (name) { lists[name].forEach(function (value) { body.append(name, value); }); });
    return fetch(url, { method: "POST", body: body, headers: { "HX-Request": "true" }, credentials: "same-origin" });
}

// An answer the server streams as HTML it escaped ("Summarize unread", "Ask privately"): posted with
// X-Stream, shown in the element as it comes; resolves with the response once it is all there. A
// connection that fails midway rejects, with what came so far left shown.
export async function streamInto(element, url, body) {
    const response = await fetch(url, { method: "POST", body: body, headers: { "X-Stream": "1" }, credentials: "same-origin" });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let html = "";
    for (;;) {
        const { done, value } = await reader.read();
        if (done) return response;
        html += decoder.decode(value, { stream: true });
        element.innerHTML = html;
    }
}

const listeners = { open: [], close: [], before: [], after: [] };

// The room's socket (htmx-ext-ws keeps it connected): open, refused for good (1008: not a member any
// more, or too many open pages: htmx does not retry it), and what goes out on it.
export const live = {
    socket: null,
    open: false,
    gone: false,
    on: function (kind, handler) { listeners[kind].push(handler); },
    send: function (frame) { this.socket.send(JSON.stringify(frame)); },
};

// Every (re)connect first says where the page stands, and gets what it missed; then the parts hear of it.
export function connect() {
    document.body.addEventListener("htmx:wsOpen", function (event) {
        live.socket = event.detail.socketWrapper;
        live.open = true;
        const position = seqs();
        live.send({ type: "resume", after: position.after, since: position.since });
        room.classList.remove("offline");
        room.dataset.live = "true";
        listeners.open.forEach(function (handler) { handler(); });
    });
    document.body.addEventListener("htmx:wsClose", function (event) {
        const close = event.detail && event.detail.event;
        live.open = false;
        live.gone = !!close && close.code === 1008;
        room.classList.add("offline");
        room.dataset.live = "false";
        listeners.close.forEach(function (handler) { handler(close); });
    });
    document.body.addEventListener("htmx:wsBeforeMessage", function (event) {
        listeners.before.forEach(function (handler) { handler(event); });
    });
    document.body.addEventListener("htmx:wsAfterMessage", function () {
        listeners.after.forEach(function (handler) { handler(); });
    });
}
