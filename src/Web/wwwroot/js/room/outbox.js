// Sending. What is sent leaves the box at once and shows at the end of the log as pending (an echo
// keyed by its ClientMessageId) until the server's message, which carries the same id, takes its
// place. It goes over the socket; while the socket is down, sends wait and go out in order when it
// is back (each once: the server saves an id only once), and after a few seconds the form post is
// tried too, in case only the socket is blocked. A refused send is marked "Not sent" with Retry.
// What has not arrived, and what is typed, survives a reload.
import { room, messages, composer, field, live, store, saveDraft, savedDraft, postForm } from "./page.js";
import * as uploads from "./uploads.js";
import * as quote from "./quote.js";
import { closePicker } from "./picker.js";
import { follow } from "./follow.js";

const FALLBACK_AFTER = 4000;
let outbox = []; // { id, text, quote, files, state: "waiting" | "sent" | "posting" | "posted" | "failed", since, echo }
let pending = null;
let sendError = null;
let idField = null;
let unsentKey = "";
let lastTypingSent = 0;

function newId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs https; this does not
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
}

function saveUnsent() {
    store(unsentKey, outbox.length === 0 ? null : JSON.stringify(outbox.map(function (item) {
        return { id: item.id, text: item.text, quote: item.quote, files: item.files };
    })));
}

function showState(item, text, failed) {
    item.echo.classList.toggle("failed", !!failed);
    item.echo.querySelector(".send-state").textContent = text;
    item.echo.querySelector(".send-actions").hidden = !failed;
}

function echo(item) {
    const article = document.createElement("article");
    article.className = "message message-user mine pending";
    article.dataset.pending = item.id;
    article.innerHTML = '<header class="message-meta"><span class="message-author"></span><span class="send-state" role="status"></span>' +
        '<span class="send-actions" hidden><button type="button" class="button-link" data-retry>Retry</button>' +
        '<button type="button" class="button-link" data-edit>Edit</button></span></header><div class="message-body pending-text"></div>';
    article.querySelector(".message-author").textContent = room.dataset.myName || "You";
    article.querySelector(".pending-text").textContent = item.text;
    item.files.forEach(function (file) {
        const line = document.createElement("p");
        line.className = "pending-file";
        line.textContent = "📎 " + file.name;
        article.appendChild(line);
    });
    pending.appendChild(article);
    return article;
}

function fail(item, reason) {
    item.state = "failed";
    showState(item, "Not sent — " + reason, true);
}

function transmit(item) {
    item.since = Date.now();
    const frame = {
        type: "send", content: item.text, clientMessageId: item.id, quote: item.quote || null,
        files: item.files.map(function (file) { return file.key; }),
    };
    const size = JSON.stringify(frame).length;
    if (live.open && size < 30000) {
        item.state = "sent";
        showState(item, "Sending…");
        live.send(frame);
    } else if (live.gone || size >= 30000) {
        post(item);
    } else {
        item.state = "waiting";
        showState(item, "Waiting for the connection…");
    }
}

// The form post: the fallback while the socket is down or refused, and for what a frame cannot hold.
function post(item) {
    item.state = "posting";
    postForm(composer.action, { "Composer.Content": item.text, "Composer.ClientMessageId": item.id, "Composer.QuotedMessageId": item.quote || "" },
        { "Composer.Files": item.files.map(function (file) { return file.key; }) })
        .then(function (response) {
            if (response.ok) { arrived(item.id, true); return; }
            return response.text().then(function (html) {
                const answer = new DOMParser().parseFromString(html, "text/html").getElementById("composer-error");
                fail(item, (answer && answer.textContent.trim()) || "the server refused it (" + response.status + ")");
            });
        }, function () {
            item.state = "waiting"; // no network either: it goes with the socket when that is back
            item.since = Date.now();
        });
}

// The server's message replaces the echo; a form post that succeeded while the socket is down
// leaves the echo as "Sent" until the socket brings the message.
function arrived(id, postedOnly) {
    const item = outbox.find(function (i) { return i.id === id; });
    if (!item) return;
    if (postedOnly) {
        item.state = "posted";
        showState(item, "Sent");
        return;
    }
    item.echo.remove();
    outbox = outbox.filter(function (i) { return i !== item; });
    saveUnsent();
}

function queue(text, id, quoted, files) {
    const item = { id: id, text: text, quote: quoted || null, files: files || [], state: "waiting", since: Date.now() };
    item.echo = echo(item);
    outbox.push(item);
    saveUnsent();
    transmit(item);
    return item;
}

function submit(event) {
    event.preventDefault();
    const text = field.value;
    if (uploads.uploading()) {
        // It goes out as soon as its files are up (each shows its progress), with the text as it is then.
        sendError.textContent = "Sending when the files are uploaded…";
        uploads.whenUploaded(function () { sendError.textContent = ""; composer.requestSubmit(); });
        return;
    }
    const files = uploads.done();
    if (text.trim() === "" && files.length === 0) return;
    uploads.clear();
    const id = idField.value;
    const quoted = quote.quotedId();
    field.value = "";
    idField.value = newId();
    sendError.textContent = "";
    saveDraft();
    lastTypingSent = 0;
    closePicker();
    quote.cancelQuote();
    field.focus();
    queue(text, id, quoted, files);
    follow(); // whoever sends wants to see it arrive
}

export function init() {
    // Enter sends once this has run; in the plain form it adds a line, so only now does the box say so.
    field.placeholder = "Write a message… (Enter sends, Shift+Enter for a new line)";
    pending = document.getElementById("pending");
    sendError = document.getElementById("composer-error");
    idField = composer.querySelector("[name='Composer.ClientMessageId']");
    unsentKey = "agentrooms.unsent." + room.dataset.room;

    // Enter sends (Shift+Enter is a new line); typing is said at most every two seconds.
    document.addEventListener("keydown", function (event) {
        const box = event.target;
        if (!(box instanceof HTMLTextAreaElement) || box.id !== "composer-content") return;
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            if (box.value.trim() !== "") box.form.requestSubmit();
        }
    });
    document.addEventListener("input", function (event) {
        if (event.target.id !== "composer-content" || !live.socket) return;
        const now = Date.now();
        if (now - lastTypingSent < 2000) return;
        lastTypingSent = now;
        live.send({ type: "typing" });
    });

    composer.addEventListener("submit", submit);
    pending.addEventListener("click", function (event) {
        const article = event.target.closest("article[data-pending]");
        const item = article && outbox.find(function (i) { return i.id === article.dataset.pending; });
        if (!item) return;
        if (event.target.closest("[data-retry]")) {
            transmit(item);
        } else if (event.target.closest("[data-edit]")) {
            // Back into the box (ahead of anything typed since) as a new message, its files with it.
            field.value = field.value.trim() === "" ? item.text : item.text + "\n" + field.value;
            item.files.forEach(function (file) { uploads.addUploaded(file.key, file.name); });
            saveDraft();
            item.echo.remove();
            outbox = outbox.filter(function (i) { return i !== item; });
            saveUnsent();
            field.focus();
        }
    });

    live.on("before", function (event) {
        const text = event.detail.message;
        if (typeof text !== "string" || text.charAt(0) !== "{") return;
        event.preventDefault(); // plain JSON is for this script, not for htmx to swap
        const note = JSON.parse(text);
        if (note.type !== "not-sent") return;
        const item = outbox.find(function (i) { return i.id === note.clientMessageId; });
        if (item) fail(item, note.reason);
    });
    live.on("after", function () {
        if (outbox.length === 0) return;
        messages.querySelectorAll("article[data-client-id]:not([data-client-id=''])").forEach(function (article) {
            arrived(article.dataset.clientId);
        });
    });
    live.on("open", function () {
        outbox.forEach(function (item) { if (item.state === "waiting" || item.state === "sent") transmit(item); });
    });
    live.on("close", function () {
        // What went out without an answer goes again once connected (the server keeps only one).
        outbox.forEach(function (item) {
            if (item.state === "sent") { item.state = "waiting"; showState(item, "Waiting for the connection…"); }
            if (live.gone && item.state === "waiting") post(item);
        });
    });
    setInterval(function () {
        if (live.open) return;
        outbox.forEach(function (item) {
            if (item.state === "waiting" && Date.now() - item.since > FALLBACK_AFTER) post(item);
        });
    }, 1000);

    // After a reload: a draft back in the box, and sends that never arrived shown as not sent.
    try {
        const draft = savedDraft();
        if (draft && field.value === "") field.value = draft;
        JSON.parse(localStorage.getItem(unsentKey) || "[]").forEach(function (saved) {
            if (messages.querySelector("article[data-client-id='" + saved.id + "']")) return;
            const item = { id: saved.id, text: saved.text, quote: saved.quote || null, files: saved.files || [], state: "failed", since: 0 };
            item.echo = echo(item);
            outbox.push(item);
            fail(item, "it had not arrived when the page closed.");
        });
        saveUnsent();
    } catch (e) { /* no storage, or not ours */ }
    field.addEventListener("input", saveDraft);
}
