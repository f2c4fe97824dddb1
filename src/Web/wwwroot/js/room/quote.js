// Replies. "Reply" puts the message's quote above the box (the author and the start of its first
// line, read from the page); the send carries the quoted message's id. A quote in the log jumps to
// its original when that is on the page, and otherwise opens the room at it.
import { messages, field } from "./page.js";
import { stay, showPosition } from "./follow.js";

let quoteId = null;
let quoteBox = null;

/** The message being replied to, if any. */
export function quotedId() { return quoteId.value ? Number(quoteId.value) : null; }

export function cancelQuote() {
    quoteId.value = "";
    quoteBox.hidden = true;
}

function startQuote(article) {
    const body = article.querySelector(".message-body");
    const line = ((body && body.innerText) || "").split("\n").map(function (l) { return l.trim(); }).find(function (l) { return l; }) || "";
    quoteId.value = article.id.replace("message-", "");
    quoteBox.querySelector(".quote-author").textContent = article.querySelector(".message-author").textContent;
    quoteBox.querySelector(".quote-excerpt").textContent = line.length > 140 ? line.slice(0, 140) + "…" : line;
    quoteBox.hidden = false;
    field.focus();
}

export function init() {
    quoteId = document.getElementById("composer-quote-id");
    quoteBox = document.getElementById("composer-quote");
    document.addEventListener("click", function (event) {
        const reply = event.target.closest("a[data-reply]");
        if (reply && messages.contains(reply)) {
            event.preventDefault();
            startQuote(reply.closest("article"));
            return;
        }
        if (event.target.closest("#composer-quote-cancel")) {
            event.preventDefault();
            cancelQuote();
            field.focus();
            return;
        }
        const quote = event.target.closest("a.quote[data-quote], a.citation[data-quote]");
        const original = quote && document.getElementById("message-" + quote.dataset.quote);
        if (original && messages.contains(original)) {
            event.preventDefault();
            stay();
            history.replaceState(null, "", "#message-" + quote.dataset.quote);
            original.scrollIntoView({ block: "center" });
            original.classList.remove("flash");
            void original.offsetWidth; // restart the flash
            original.classList.add("flash");
            original.setAttribute("tabindex", "-1");
            original.focus({ preventScroll: true });
            showPosition();
        }
    });
    field.addEventListener("keydown", function (event) {
        // Escape takes back the quote being replied to, whatever is typed (the @ picker, when open, takes it first).
        if (event.key === "Escape" && !quoteBox.hidden && !event.defaultPrevented) { event.preventDefault(); cancelQuote(); }
    });
}
