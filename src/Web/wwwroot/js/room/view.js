// What each viewer sees of the same fragments (every page gets the same bytes): their own messages,
// Stop/Edit/Delete/Retry, typing, reactions; grouping and day separators; folded join lines; the
// connection status; and streamed reply text pieced together once.
import { room, messages, me, live } from "./page.js";
import { refresh as refreshTabStops } from "./keys.js";

let moderator = false;

export function saved() { return new Set((room.dataset.saved || "").split(" ").filter(Boolean)); }

export function decorate(root) {
    root.querySelectorAll("article[data-author]").forEach(function (article) {
        article.classList.toggle("mine", article.dataset.author === me);
    });
    // Nobody sees themselves typing: the fragment names everyone, this page leaves its viewer out.
    const typing = document.getElementById("typing");
    if (typing && typing.dataset.typers) {
        const others = JSON.parse(typing.dataset.typers).filter(function (t) { return t[0] !== me; }).map(function (t) { return t[1]; });
        const text = others.length === 0 ? "" : others.length === 1 ? others[0] + " is typing…"
            : others.length === 2 ? others[0] + " and " + others[1] + " are typing…" : "Several people are typing…";
        if (typing.textContent !== text) typing.textContent = text;
    }
    // A new role (made admin, or no longer) shows in the live member list: Stop, Delete and Retry follow
    // at once; the page's own admin tools (invite, settings) come with a reload.
    const myself = document.querySelector("#members li[data-user='" + me + "']");
    if (myself && (myself.dataset.role === "owner" || myself.dataset.role === "admin") !== moderator) {
        moderator = !moderator;
        showConnection(moderator ? "You are now an admin of this room. Reload the page for its admin tools."
            : "You are no longer an admin of this room.");
    }
    // Pushed replies come with Stop hidden: it is for whoever asked, and the room's owners and admins.
    root.querySelectorAll(".stop-form[data-asked-by]").forEach(function (form) {
        form.hidden = !(moderator || form.dataset.askedBy === me);
    });
    // A tool call waiting for approval: "Allow once" and "Deny" for whoever asked, "Waiting for approval" for the rest.
    root.querySelectorAll(".approval-form[data-asked-by]").forEach(function (form) { form.hidden = form.dataset.askedBy !== me; });
    root.querySelectorAll(".approval-wait[data-asked-by]").forEach(function (wait) { wait.hidden = wait.dataset.askedBy === me; });
    // Reactions: the viewer's own show pressed, say "you reacted", and a press takes them back.
    root.querySelectorAll(".reaction[data-reactors]").forEach(function (button) {
        const reactors = button.dataset.reactors.split(" ");
        const mine = reactors.indexOf(me) >= 0;
        button.setAttribute("aria-pressed", mine ? "true" : "false");
        button.setAttribute("aria-label", button.dataset.text + " " + reactors.length + (mine ? ", you reacted" : ""));
        button.form.querySelector("[name='on']").value = mine ? "false" : "true";
    });
    root.querySelectorAll("a[data-react], a[data-reply]").forEach(function (link) { link.setAttribute("role", "button"); });
    root.querySelectorAll("#members a[data-message]").forEach(function (link) { link.hidden = link.dataset.message === me; });
    // Edit on your own messages; Delete on your own, and on everyone's for the room's owners and admins.
    root.querySelectorAll("article[data-seq]").forEach(function (article) {
        const mine = article.dataset.author === me;
        const edit = article.querySelector("[data-edit]");
        const remove = article.querySelector("[data-delete]");
        if (edit) edit.hidden = !mine;
        const direct = article.querySelector("[data-message-author]");
        if (direct) direct.hidden = mine;
        if (remove) remove.hidden = !(mine || moderator);
        const pin = article.querySelector("[data-pin]");
        if (pin) pin.hidden = !moderator;
        // Save or Unsave, by the page's own list of what its viewer saved (nobody else's page knows).
        const save = article.querySelector("[data-save]");
        if (save) {
            const on = saved().has(article.id.replace("message-", ""));
            save.hidden = false;
            save.textContent = on ? "Unsave" : "Save";
        }
        // Retry and Regenerate on an agent's reply: for whoever asked, and the room's owners and admins.
        const again = article.querySelector("[data-again]");
        if (again) again.hidden = !(moderator || (article.dataset.askedBy !== undefined && article.dataset.askedBy === me));
    });
    // A direct conversation is called by the others in it: a pushed header (the same for all) names everyone.
    const title = document.querySelector("#room-header h1");
    if (room.dataset.direct === "true" && title) {
        const names = title.textContent.split(", ");
        const mine = names.indexOf(room.dataset.myName);
        if (mine >= 0 && names.length > 1) { names.splice(mine, 1); title.textContent = names.join(", "); }
    }
    window.agentRooms.localise(root);
    arrange();
    dressBodies(root);
    refreshTabStops();
}

// Consecutive messages of one sender within five minutes are grouped under one name; each day
// starts with a separator. Only what changed is touched (this runs after every push).
const GROUP_WITHIN = 5 * 60 * 1000;
function dayLabel(date) {
    const today = new Date();
    const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (date.toDateString() === today.toDateString()) return "Today";
    if (date.toDateString() === yesterday.toDateString()) return "Yesterday";
    return date.toLocaleDateString([], { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
function arrange() {
    let previous = null;
    messages.querySelectorAll(":scope > [data-seq]").forEach(function (article) {
        const time = article.querySelector("time[datetime]");
        const at = new Date(time ? time.getAttribute("datetime") : NaN);
        const day = isNaN(at) ? "" : at.toDateString();
        const newDay = day !== "" && (!previous || previous.day !== day);
        const before = article.previousElementSibling;
        const hasSeparator = before && before.classList.contains("day-separator");
        if (newDay && !(hasSeparator && before.dataset.day === day)) {
            if (hasSeparator) before.remove();
            const separator = document.createElement("div");
            separator.className = "day-separator";
            separator.setAttribute("role", "separator");
            separator.dataset.day = day;
            separator.textContent = dayLabel(at);
            separator.setAttribute("aria-label", separator.textContent);
            article.before(separator);
        } else if (!newDay && hasSeparator) {
            before.remove();
        }
        const afterUnreadLine = !!article.previousElementSibling && article.previousElementSibling.classList.contains("unread-line");
        const continued = !!previous && !newDay && !afterUnreadLine && previous.sender === article.dataset.sender
            && article.dataset.sender !== "system" && at - previous.at < GROUP_WITHIN
            && !article.querySelector(".reply-state, .message-edited") && !previous.flagged;
        article.classList.toggle("continued", continued);
        previous = { day: day, at: at, sender: article.dataset.sender, flagged: !!article.querySelector(".reply-state") };
    });
    foldLines();
}

// Three or more lines like "Ada joined" in a row show as one: "Ada, Bob and 3 others joined".
function foldLines() {
    let run = [];
    function close() {
        const folded = run.length >= 3;
        run.forEach(function (line, i) {
            line.classList.toggle("folded", folded && i < run.length - 1);
            line.querySelector(".system-text").hidden = folded && i === run.length - 1;
            line.querySelector(".system-summary").hidden = !(folded && i === run.length - 1);
        });
        if (folded) run[run.length - 1].querySelector(".system-summary").textContent = summary(run);
        run = [];
    }
    messages.querySelectorAll(":scope > [data-seq]").forEach(function (item) {
        // Only comings and goings fold; a line like "Ada renamed the room" stands alone.
        if (!item.classList.contains("system-line") || ["joined", "left", "removed"].indexOf(item.dataset.system) < 0) { close(); return; }
        const before = item.previousElementSibling;
        if (before && before.classList.contains("day-separator")) close();
        run.push(item);
    });
    close();
}
function summary(lines) {
    const names = { joined: [], left: [] };
    lines.forEach(function (line) {
        const list = names[line.dataset.system === "joined" ? "joined" : "left"];
        if (list.indexOf(line.dataset.name) < 0) list.push(line.dataset.name);
    });
    function people(list) {
        if (list.length <= 3) return list.length === 1 ? list[0] : list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
        return list.slice(0, 2).join(", ") + " and " + (list.length - 2) + " others";
    }
    return ["joined", "left"].filter(function (what) { return names[what].length > 0; })
        .map(function (what) { return people(names[what]) + " " + what; }).join("; ");
}

// Each message body once: one that mentions you stands out, your own mention chips are filled, code
// gets its Copy button, and what scrolls sideways takes the keyboard's focus.
function dressBodies(root) {
    const mine = new RegExp("(^|[^a-z0-9_@./-])@" + room.dataset.myMention + "(?![a-z0-9-])", "i");
    // Each article once (an edit brings a new one): this runs after every push, streamed tokens included.
    root.querySelectorAll("article[data-seq]:not([data-mentions-checked]) .message-body").forEach(function (body) {
        const article = body.closest("article");
        article.classList.toggle("mentions-me", !!room.dataset.myMention && mine.test(body.textContent));
        body.querySelectorAll(".mention").forEach(function (chip) {
            chip.classList.toggle("mine", chip.textContent.slice(1).toLowerCase() === (room.dataset.myMention || "").toLowerCase());
        });
        body.querySelectorAll(".code-block").forEach(addCopy);
        scrollable(body);
        article.dataset.mentionsChecked = "";
    });
}

// Code and tables wider than the message scroll inside it, and then take the keyboard's focus too
// (so they scroll by the arrow keys); whether they do changes with the window. In a message that is
// not the current one (keys.js) the tabindex waits in data-rove.
function scrollable(root) {
    root.querySelectorAll("pre, table").forEach(function (box) {
        const wide = box.scrollWidth > box.clientWidth;
        if (box.hasAttribute("data-rove")) box.dataset.rove = wide ? "0" : "";
        else if (wide) box.tabIndex = 0;
        else box.removeAttribute("tabindex");
    });
}
let resized = 0;
window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(function () { document.querySelectorAll("#messages .message-body").forEach(scrollable); }, 150);
});

// Each code block gets a Copy button in its head (one is made where the fence named no language).
function addCopy(block) {
    if (block.querySelector(".code-copy")) return;
    let head = block.querySelector(".code-head");
    if (!head) {
        head = document.createElement("div");
        head.className = "code-head";
        block.prepend(head);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    const said = document.createTextNode("Copy");
    const what = document.createElement("span");
    what.className = "visually-hidden";
    what.textContent = " code";
    button.append(said, what);
    button.addEventListener("click", function () {
        navigator.clipboard.writeText(block.querySelector("pre").textContent).then(function () {
            said.textContent = "Copied";
            setTimeout(function () { said.textContent = "Copy"; }, 2000);
        }, function () { said.textContent = "Select and copy"; });
    });
    head.appendChild(button);
}

// While the socket is down the page says so; a socket the server refused for good is not retried,
// and the page says why.
let connection = null;
let connectedTimer = 0;
export function showConnection(text) {
    clearTimeout(connectedTimer);
    connection.textContent = text;
    connection.classList.toggle("ok", text === "Connected");
    connection.hidden = text === "";
}

export function init() {
    moderator = room.dataset.moderator === "true";
    connection = document.getElementById("connection");
    live.on("open", function () {
        if (connection.hidden) return;
        showConnection("Connected");
        connectedTimer = setTimeout(function () { showConnection(""); }, 2000);
    });
    live.on("close", function (close) {
        if (close && close.code === 1008) {
            showConnection(/member/.test(close.reason)
                ? "You are not a member of this room any more. Reload to see where you stand."
                : "This page stopped updating (" + (close.reason || "refused") + "). Reload to continue.");
        } else {
            showConnection("Reconnecting…");
        }
    });

    // A streaming reply's text comes in pieces, each saying where in the reply it starts. After a
    // reconnect the page gets the replies as they stand, and pieces already sent on may overlap them:
    // only the rest is added. A page that missed a piece adds no more (the finished message replaces
    // the placeholder), and a placeholder the page already has is not added twice.
    document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
        const piece = event.detail.fragment && event.detail.fragment.firstElementChild;
        if (!piece) return;
        if (piece.classList.contains("streaming") && piece.id && document.getElementById(piece.id)) {
            event.detail.shouldSwap = false;
            return;
        }
        if (!piece.hasAttribute("data-from")) return;
        const have = event.detail.target.textContent.length;
        const from = Number(piece.dataset.from);
        const rest = piece.textContent.slice(Math.max(0, have - from));
        if (from > have || rest === "") {
            event.detail.shouldSwap = false;
            return;
        }
        piece.textContent = rest;
        piece.dataset.from = String(have);
    });
    document.body.addEventListener("htmx:afterSwap", function () { decorate(document); });
    // A reply's placeholder taken away on a page that never had it (opened just as the reply ended): nothing to do.
    live.on("before", function (event) {
        const removed = /^\s*<div id="(reply-\d+)" hx-swap-oob="delete"><\/div>\s*$/.exec(event.detail.message);
        if (removed && !document.getElementById(removed[1])) event.preventDefault();
    });
}
