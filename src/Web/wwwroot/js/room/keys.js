// The history is one stop on the Tab key, as in Slack and Zulip (a roving tabindex): Tab reaches one
// message (the newest, or the one last visited), then its own controls, then the composer; ↑ and ↓
// move between messages, Home and End to the first and last one loaded, Esc back to the composer.
// The other messages' controls leave the Tab order and come back when their message is the current one.
import { messages, field } from "./page.js";

const ITEMS = ":scope > [data-seq]"; // messages, and lines like "Ada joined"
const CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]";
let current = ""; // the id of the message the reader moved to; "" follows the newest

// The ones shown: a folded "joined" line or a message being deleted (Undo still offered) is skipped.
function shown() {
    return Array.from(messages.querySelectorAll(ITEMS)).filter(function (item) { return item.offsetParent !== null; });
}

// A control out of the order keeps the tabindex it had (in data-rove) to get it back.
function leave(control) {
    control.dataset.rove = control.getAttribute("tabindex") || "";
    control.tabIndex = -1;
}
function rejoin(control) {
    if (control.dataset.rove === "") control.removeAttribute("tabindex"); else control.setAttribute("tabindex", control.dataset.rove);
    control.removeAttribute("data-rove");
}

/** After every change to the log: one message in the Tab order, with its controls; the others without.
 *  Runs after every push (streamed pieces too), so it touches only what is out of place. */
export function refresh() {
    const all = messages.querySelectorAll(ITEMS);
    const chosen = (current && document.getElementById(current)) || all[all.length - 1] || null;
    messages.tabIndex = chosen ? -1 : 0; // the messages take the focus for it
    messages.querySelectorAll(":scope > [data-seq]:is([tabindex='0'], :not([tabindex]))").forEach(function (item) {
        if (item !== chosen) item.tabIndex = -1;
    });
    if (!chosen) return;
    chosen.tabIndex = 0;
    messages.querySelectorAll(":scope > [data-seq] :is(" + CONTROLS + "):not([data-rove])").forEach(function (control) {
        if (!chosen.contains(control)) leave(control);
    });
    chosen.querySelectorAll("[data-rove]").forEach(rejoin);
}

function moveTo(item) {
    if (!item) return;
    current = item.id;
    refresh();
    item.focus();
    item.scrollIntoView({ block: "nearest" });
}

export function init() {
    // A page opened at one message (a search result, a mention) starts there.
    if (location.hash.startsWith("#message-") && document.getElementById(location.hash.slice(1))) current = location.hash.slice(1);
    // Whatever takes the focus in a message (a click, a search's link) makes it the current one.
    messages.addEventListener("focusin", function (event) {
        const item = event.target.closest("[data-seq]");
        if (!item || item.parentElement !== messages || item.id === current) return;
        current = item.id;
        refresh();
    });
    messages.addEventListener("keydown", function (event) {
        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
        if (event.target.closest("input, textarea, select, .inline-edit, [role='listbox']")) return;
        const item = event.target.closest("[data-seq]");
        if (!item || item.parentElement !== messages) return;
        const list = shown();
        const at = list.indexOf(item);
        let next = null;
        if (event.key === "ArrowUp") next = list[Math.max(0, at - 1)];
        else if (event.key === "ArrowDown") next = list[Math.min(list.length - 1, at + 1)];
        else if (event.key === "Home") next = list[0];
        else if (event.key === "End") next = list[list.length - 1];
        else if (event.key === "Escape") { event.preventDefault(); field.focus(); return; }
        else return;
        event.preventDefault();
        moveTo(next);
    });
}
