// Following: while the reader is at the end, the view follows new messages and streamed text.
// Scrolled up, it stays put, and "Jump to latest" says how many messages arrived below. While the
// tab is hidden, its title counts them. What the reader has seen is read; older messages come a page
// at a time as the reader nears the top.
import { room, messages, me, seqs, live } from "./page.js";
import { decorate } from "./view.js";

let jump = null;
let jumpCount = null;
let following = true;
let seenSeq = 0; // the newest message the reader has had in view
let hiddenSince = null;

function atEnd() { return messages.scrollHeight - messages.scrollTop - messages.clientHeight < 48; }
// Where scrollToEnd last put the view: below it, the reader has scrolled up.
let endTop = 0;
export function scrollToEnd() { messages.scrollTop = messages.scrollHeight; endTop = messages.scrollTop; }
function newFromOthers(afterSeq) {
    let count = 0;
    messages.querySelectorAll("article[data-seq]").forEach(function (article) {
        if (Number(article.dataset.seq) > afterSeq && article.dataset.author !== me) count++;
    });
    return count;
}
export function showPosition() {
    if (following) seenSeq = seqs().after;
    const unseen = following ? 0 : newFromOthers(seenSeq);
    jump.hidden = following || (unseen === 0 && messages.scrollHeight - messages.scrollTop < 2 * messages.clientHeight);
    jumpCount.textContent = unseen === 0 ? "" : " (" + unseen + " new)";
    window.agentRooms.unreadHere(hiddenSince === null ? 0 : newFromOthers(hiddenSince));
    markRead();
}

// What the reader has seen (the end in view, the tab showing) is read: their unread count for
// the room clears, here and on their other pages. Said at once, then at most once a second.
let readSent = 0;
let readAt = 0;
let readTimer = 0;
function markRead() {
    if (readTimer || !following || document.hidden || seenSeq <= readSent || !live.socket) return;
    readTimer = setTimeout(function () {
        readTimer = 0;
        if (!following || document.hidden || seenSeq <= readSent || !live.socket) return;
        readSent = seenSeq;
        readAt = Date.now();
        live.send({ type: "read", seq: readSent });
    }, Math.max(0, readAt + 1000 - Date.now()));
}

/** Back to the end, following again (after a send, or "Jump to latest"). */
export function follow() {
    following = true;
    scrollToEnd();
    showPosition();
}

/** The reader went to a message elsewhere in the log: the view stays there. */
export function stay() { following = false; }

// Older messages come a page at a time as the reader nears the top (or clicks "Load older
// messages"), and the message they were reading stays where it was.
let anchor = null;
function loadOlder() {
    const older = document.getElementById("older");
    if (older && older.tagName === "A" && !older.classList.contains("htmx-request")) htmx.trigger(older, "click");
}

let shownName = "";

export function init() {
    jump = document.getElementById("jump");
    jumpCount = jump.querySelector(".jump-count");
    seenSeq = readSent = seqs().after;
    hiddenSince = document.hidden ? seenSeq : null;
    shownName = (document.querySelector("#room-header h1") || {}).textContent;

    document.body.addEventListener("htmx:beforeRequest", function (event) {
        if (event.detail.elt.id !== "older") return;
        const first = Array.from(messages.querySelectorAll("article[data-seq]")).find(function (article) {
            return article.getBoundingClientRect().bottom > messages.getBoundingClientRect().top;
        });
        anchor = first ? { article: first, top: first.getBoundingClientRect().top } : null;
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
        const request = event.detail.requestConfig;
        if (!anchor || !request || request.elt.id !== "older") return;
        // The older page came in at the log's start; the link to the page before it (or "the beginning") goes above it.
        const top = document.getElementById("older");
        if (top) messages.prepend(top);
        messages.scrollTop += anchor.article.getBoundingClientRect().top - anchor.top;
        anchor = null;
    });

    // Whether the reader is at the end is known at once, so a message arriving before the next frame
    // never pulls a reader who just scrolled up back down; the rest waits for the frame.
    let positionQueued = false;
    messages.addEventListener("scroll", function () {
        following = atEnd();
        if (positionQueued) return;
        positionQueued = true;
        requestAnimationFrame(function () {
            positionQueued = false;
            following = atEnd();
            showPosition();
            if (messages.scrollTop < 200 && messages.scrollHeight > messages.clientHeight) loadOlder();
        });
    });
    jump.addEventListener("click", function () { follow(); messages.focus(); });
    document.addEventListener("visibilitychange", function () {
        hiddenSince = document.hidden ? seqs().after : null;
        showPosition();
    });

    // A scroll is told a frame later than it happens: a reader who scrolled up just as something arrives
    // is not pulled back to the end because the scroll event had not come yet.
    live.on("before", function () {
        if (following && messages.scrollTop < endTop - 1 && !atEnd()) following = false;
    });
    live.on("after", function () {
        // The page missed more than the socket replays: a fresh page is quicker and complete. A page of
        // history (opened at an older message) keeps its place; the note links to the latest.
        const reload = messages.querySelector("[data-reload]");
        if (reload && room.dataset.history !== "true") { window.location.reload(); return; }
        if (reload) reload.firstChild.textContent = "Newer messages than these are in the room. ";
        decorate(document);
        if (following) scrollToEnd();
        showPosition();
        const name = document.querySelector("#room-header h1");
        if (name && name.textContent !== shownName) {
            shownName = name.textContent;
            window.agentRooms.titleName(shownName + " · " + (document.body.dataset.site || "AgentRooms"));
        }
    });
}

/** Opened at one message (a search result, a quote, a mention): it stays in view, highlighted by
 *  :target, and the view follows nothing until the reader goes to the end. Otherwise, the end. */
export function start() {
    const target = location.hash.startsWith("#message-") ? document.getElementById(location.hash.slice(1)) : null;
    if (target && messages.contains(target)) {
        following = false;
        target.scrollIntoView({ block: "center" });
        showPosition();
    } else {
        follow();
    }
}
