// The room page's behaviours on top of htmx, in order below: resume after every (re)connect; what
// each viewer sees of the same fragments (their own messages, Stop/Edit/Delete/Retry, typing);
// grouping and day separators; following the end, "Jump to latest", read marks and older pages; the
// connection status; sending over the socket without ever losing what is typed; editing and deleting
// in place; the @ picker. The shell's drawers and rooms list are site.js's. Without JavaScript the
// page works as plain forms.
(function () {
    "use strict";
    const room = document.querySelector(".room[data-room]");
    if (!room) return;

    room.classList.add("scripted");
    const me = room.dataset.me;
    const messages = document.getElementById("messages");
    let socket = null;
    let lastTypingSent = 0;

    function seqs() {
        const articles = messages.querySelectorAll("[data-seq]"); // messages and lines like "Ada joined"
        if (articles.length === 0) return { since: 0, after: 0 };
        return { since: Number(articles[0].dataset.seq), after: Number(articles[articles.length - 1].dataset.seq) };
    }

    let moderator = room.dataset.moderator === "true";

    function decorate(root) {
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
            // Retry and Regenerate on an agent's reply: for whoever asked, and the room's owners and admins.
            const again = article.querySelector("[data-again]");
            if (again) again.hidden = !(moderator || (article.dataset.askedBy !== undefined && article.dataset.askedBy === me));
        });
        agentRooms.localise(root);
        arrange();
        markMentions(root);
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
            if (!item.classList.contains("system-line")) { close(); return; }
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

    // Following: while the reader is at the end, the view follows new messages and streamed text.
    // Scrolled up, it stays put, and "Jump to latest" says how many messages arrived below. While the
    // tab is hidden, its title counts them.
    const jump = document.getElementById("jump");
    const jumpCount = jump.querySelector(".jump-count");
    let following = true;
    let seenSeq = seqs().after; // the newest message the reader has had in view
    let hiddenSince = document.hidden ? seenSeq : null;

    function atEnd() { return messages.scrollHeight - messages.scrollTop - messages.clientHeight < 48; }
    function scrollToEnd() { messages.scrollTop = messages.scrollHeight; }
    function newFromOthers(afterSeq) {
        let count = 0;
        messages.querySelectorAll("article[data-seq]").forEach(function (article) {
            if (Number(article.dataset.seq) > afterSeq && article.dataset.author !== me) count++;
        });
        return count;
    }
    function showPosition() {
        if (following) seenSeq = seqs().after;
        const unseen = following ? 0 : newFromOthers(seenSeq);
        jump.hidden = following || (unseen === 0 && messages.scrollHeight - messages.scrollTop < 2 * messages.clientHeight);
        jumpCount.textContent = unseen === 0 ? "" : " (" + unseen + " new)";
        agentRooms.unreadHere(hiddenSince === null ? 0 : newFromOthers(hiddenSince));
        markRead();
    }
    // What the reader has seen (the end in view, the tab showing) is read: their unread count for
    // the room clears, here and on their other pages. Said at once, then at most once a second.
    let readSent = seenSeq;
    let readAt = 0;
    let readTimer = 0;
    function markRead() {
        if (readTimer || !following || document.hidden || seenSeq <= readSent || !socket) return;
        readTimer = setTimeout(function () {
            readTimer = 0;
            if (!following || document.hidden || seenSeq <= readSent || !socket) return;
            readSent = seenSeq;
            readAt = Date.now();
            socket.send(JSON.stringify({ type: "read", seq: readSent }));
        }, Math.max(0, readAt + 1000 - Date.now()));
    }
    function follow() {
        following = true;
        scrollToEnd();
        showPosition();
    }
    // Older messages come a page at a time as the reader nears the top (or clicks "Load older
    // messages"), and the message they were reading stays where it was.
    let anchor = null;
    function loadOlder() {
        const older = document.getElementById("older");
        if (older && older.tagName === "A" && !older.classList.contains("htmx-request")) htmx.trigger(older, "click");
    }
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
        messages.scrollTop += anchor.article.getBoundingClientRect().top - anchor.top;
        anchor = null;
    });

    let positionQueued = false;
    messages.addEventListener("scroll", function () {
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

    document.body.addEventListener("htmx:wsOpen", function (event) {
        socket = event.detail.socketWrapper;
        const position = seqs();
        socket.send(JSON.stringify({ type: "resume", after: position.after, since: position.since }));
        room.classList.remove("offline");
        room.dataset.live = "true";
    });
    // While the socket is down the page says so; a socket the server refused for good (1008: not a
    // member any more, or too many open pages) is not retried by htmx, and the page says why.
    const connection = document.getElementById("connection");
    function showConnection(text) {
        clearTimeout(connectedTimer);
        connection.textContent = text;
        connection.classList.toggle("ok", text === "Connected");
        connection.hidden = text === "";
    }
    let connectedTimer = 0;
    document.body.addEventListener("htmx:wsOpen", function () {
        if (connection.hidden) return;
        showConnection("Connected");
        connectedTimer = setTimeout(function () { showConnection(""); }, 2000);
    });
    document.body.addEventListener("htmx:wsClose", function (event) {
        room.classList.add("offline");
        room.dataset.live = "false";
        const close = event.detail && event.detail.event;
        if (close && close.code === 1008) {
            showConnection(/member/.test(close.reason)
                ? "You are not a member of this room any more. Reload to see where you stand."
                : "This page stopped updating (" + (close.reason || "refused") + "). Reload to continue.");
        } else {
            showConnection("Reconnecting…");
        }
    });

    document.body.addEventListener("htmx:wsAfterMessage", function () {
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
            agentRooms.titleName(shownName + " · " + (document.body.dataset.site || "AgentRooms"));
        }
    });
    let shownName = (document.querySelector("#room-header h1") || {}).textContent;

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

    document.addEventListener("keydown", function (event) {
        const field = event.target;
        if (!(field instanceof HTMLTextAreaElement) || field.id !== "composer-content") return;
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            if (field.value.trim() !== "") field.form.requestSubmit();
        }
    });

    document.addEventListener("input", function (event) {
        if (event.target.id !== "composer-content" || !socket) return;
        const now = Date.now();
        if (now - lastTypingSent < 2000) return;
        lastTypingSent = now;
        socket.send(JSON.stringify({ type: "typing" }));
    });

    // Sending. What is sent leaves the box at once and shows at the end of the log as pending (an echo
    // keyed by its ClientMessageId) until the server's message, which carries the same id, takes its
    // place. It goes over the socket; while the socket is down, sends wait and go out in order when it
    // is back (each once: the server saves an id only once), and after a few seconds the form post is
    // tried too, in case only the socket is blocked. A refused send is marked "Not sent" with Retry.
    // What has not arrived, and what is typed, survives a reload.
    const composer = document.getElementById("composer");
    const field = document.getElementById("composer-content");
    const sendError = document.getElementById("composer-error");
    const idField = composer.querySelector("[name='Composer.ClientMessageId']");
    const token = composer.querySelector("[name='__RequestVerificationToken']").value;

    // A form post as htmx would make it (the server answers a script 204 instead of a redirect).
    function postForm(url, fields, lists) {
        const body = new FormData();
        body.append("__RequestVerificationToken", token); // first: the server checks it before anything else
        Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
        Object.keys(lists || {}).forEach(function (name) { lists[name].forEach(function (value) { body.append(name, value); }); });
        return fetch(url, { method: "POST", body: body, headers: { "HX-Request": "true" }, credentials: "same-origin" });
    }
    const pending = document.getElementById("pending");
    const draftKey = "agentrooms.draft." + room.dataset.room;
    const unsentKey = "agentrooms.unsent." + room.dataset.room;
    const FALLBACK_AFTER = 4000;
    let outbox = []; // { id, text, state: "waiting" | "sent" | "posting" | "failed", since, echo }
    let socketOpen = false;
    let socketGone = false; // refused for good (1008): only the form post is left

    function newId() {
        const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs https; this does not
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
        return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
    }

    function store(key, value) {
        try {
            if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
        } catch (e) { /* storage full or off: the page still holds it */ }
    }
    function saveDraft() { store(draftKey, field.value.trim() === "" ? null : field.value); }
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
        const frame = JSON.stringify({
            type: "send", content: item.text, clientMessageId: item.id, quote: item.quote || null,
            files: item.files.map(function (file) { return file.key; }),
        });
        if (socketOpen && frame.length < 30000) {
            item.state = "sent";
            showState(item, "Sending…");
            socket.send(frame);
        } else if (socketGone || frame.length >= 30000) {
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

    function queue(text, id, quote, files) {
        const item = { id: id, text: text, quote: quote || null, files: files || [], state: "waiting", since: Date.now() };
        item.echo = echo(item);
        outbox.push(item);
        saveUnsent();
        transmit(item);
        return item;
    }

    // Files: picked with "Attach", pasted into the box or dropped on the room. Each uploads at once (as
    // the request's body: it streams, with progress and Cancel) and goes with the next message sent;
    // uploaded ones survive a reload like the draft. Without JavaScript the file input posts them itself.
    const attach = document.getElementById("composer-attach");
    const fileList = document.getElementById("composer-files");
    const filesKey = "agentrooms.files." + room.dataset.room;
    const maxFileBytes = Number(composer.dataset.maxFileBytes) || Infinity;
    let uploads = []; // { name, key, state: "uploading" | "done" | "failed", xhr, chip }

    function saveFiles() {
        const done = uploads.filter(function (u) { return u.state === "done"; }).map(function (u) { return { key: u.key, name: u.name }; });
        store(filesKey, done.length === 0 ? null : JSON.stringify(done));
    }
    function chip(upload) {
        const li = document.createElement("li");
        li.className = "composer-file";
        li.innerHTML = '<span class="file-name"></span> <span class="file-meta" aria-live="polite"></span>' +
            '<progress max="100" value="0"></progress><button type="button" class="button-link" data-remove>Cancel</button>';
        li.querySelector(".file-name").textContent = upload.name;
        li.querySelector("[data-remove]").setAttribute("aria-label", "Cancel " + upload.name);
        fileList.appendChild(li);
        fileList.hidden = false;
        return li;
    }
    function finish(upload, state, note) {
        upload.state = state;
        upload.chip.classList.toggle("failed", state === "failed");
        upload.chip.querySelector("progress").hidden = true;
        upload.chip.querySelector(".file-meta").textContent = note;
        const button = upload.chip.querySelector("[data-remove]");
        button.textContent = "Remove";
        button.setAttribute("aria-label", "Remove " + upload.name);
        saveFiles();
    }
    function addUploaded(key, name) {
        const upload = { name: name, key: key, state: "uploading" };
        upload.chip = chip(upload);
        finish(upload, "done", "");
        uploads.push(upload);
        saveFiles();
    }
    function send(file) {
        const upload = { name: file.name || "pasted file", key: null, state: "uploading" };
        upload.chip = chip(upload);
        uploads.push(upload);
        sendError.textContent = "";
        if (file.size > maxFileBytes) {
            finish(upload, "failed", "Not attached — larger than " + composer.dataset.maxFileSize + ", the most a file may be.");
            return;
        }
        const xhr = new XMLHttpRequest();
        upload.xhr = xhr;
        xhr.open("POST", composer.dataset.upload + "?name=" + encodeURIComponent(upload.name));
        xhr.setRequestHeader("RequestVerificationToken", token);
        xhr.upload.addEventListener("progress", function (event) {
            if (event.lengthComputable) upload.chip.querySelector("progress").value = Math.round(event.loaded * 100 / event.total);
        });
        xhr.addEventListener("load", function () {
            let answer = null;
            try { answer = JSON.parse(xhr.responseText); } catch (e) { /* not ours */ }
            if (xhr.status === 201 && answer && answer.key) {
                upload.key = answer.key;
                upload.name = answer.name;
                finish(upload, "done", answer.kind + " · " + size(answer.size));
            } else {
                finish(upload, "failed", "Not attached — " + ((answer && answer.error) || "the server refused it (" + xhr.status + ")."));
            }
        });
        xhr.addEventListener("error", function () { finish(upload, "failed", "Not attached — no connection. Remove it and try again."); });
        xhr.send(file);
    }
    function size(bytes) {
        if (bytes < 1024) return bytes + " bytes";
        if (bytes < 1024 * 1024) return Math.max(1, Math.floor(bytes / 1024)) + " KB";
        return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
    }
    function clearUploads() {
        uploads = [];
        fileList.replaceChildren();
        fileList.hidden = true;
        saveFiles();
    }
    function sendAll(files) { Array.prototype.forEach.call(files, send); }

    composer.classList.add("uploads");
    attach.removeAttribute("name"); // the script uploads what is picked; the form post must not carry it again
    attach.addEventListener("change", function () {
        sendAll(attach.files);
        attach.value = "";
        field.focus();
    });
    fileList.addEventListener("click", function (event) {
        const button = event.target.closest("[data-remove]");
        const li = button && button.closest("li");
        const upload = li && uploads.find(function (u) { return u.chip === li; });
        if (!upload) return;
        if (upload.xhr && upload.state === "uploading") upload.xhr.abort();
        uploads = uploads.filter(function (u) { return u !== upload; });
        li.remove();
        fileList.hidden = uploads.length === 0;
        saveFiles();
        field.focus();
    });
    field.addEventListener("paste", function (event) {
        const files = event.clipboardData && event.clipboardData.files;
        if (!files || files.length === 0) return;
        event.preventDefault(); // the file, not its name as text
        sendAll(files);
    });
    function carriesFiles(event) { return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0; }
    room.addEventListener("dragover", function (event) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        room.classList.add("dropping");
    });
    room.addEventListener("dragleave", function (event) {
        if (!room.contains(event.relatedTarget)) room.classList.remove("dropping");
    });
    room.addEventListener("drop", function (event) {
        room.classList.remove("dropping");
        if (!carriesFiles(event)) return;
        event.preventDefault();
        sendAll(event.dataTransfer.files);
        field.focus();
    });
    // Uploaded before a reload (or shown by the server after a refused post): still to be sent.
    fileList.querySelectorAll("li[data-key]").forEach(function (li) {
        uploads.push({ name: li.querySelector(".file-name").textContent, key: li.dataset.key, state: "done" });
        li.remove();
    });
    const keptUploads = uploads;
    uploads = [];
    keptUploads.forEach(function (u) { addUploaded(u.key, u.name); });
    try {
        JSON.parse(localStorage.getItem(filesKey) || "[]").forEach(function (saved) {
            if (!uploads.some(function (u) { return u.key === saved.key; })) addUploaded(saved.key, saved.name);
        });
    } catch (e) { /* no storage, or not ours */ }

    composer.addEventListener("submit", function (event) {
        event.preventDefault();
        const text = field.value;
        if (uploads.some(function (u) { return u.state === "uploading"; })) {
            sendError.textContent = "Wait for the files to finish uploading, then send.";
            return;
        }
        const files = uploads.filter(function (u) { return u.state === "done"; }).map(function (u) { return { key: u.key, name: u.name }; });
        if (text.trim() === "" && files.length === 0) return;
        clearUploads();
        const id = idField.value;
        const quote = quoteId.value ? Number(quoteId.value) : null;
        field.value = "";
        idField.value = newId();
        sendError.textContent = "";
        saveDraft();
        lastTypingSent = 0;
        closePicker();
        cancelQuote();
        field.focus();
        queue(text, id, quote, files);
        follow(); // whoever sends wants to see it arrive
    });

    pending.addEventListener("click", function (event) {
        const article = event.target.closest("article[data-pending]");
        const item = article && outbox.find(function (i) { return i.id === article.dataset.pending; });
        if (!item) return;
        if (event.target.closest("[data-retry]")) {
            transmit(item);
        } else if (event.target.closest("[data-edit]")) {
            // Back into the box (ahead of anything typed since) as a new message, its files with it.
            field.value = field.value.trim() === "" ? item.text : item.text + "\n" + field.value;
            item.files.forEach(function (file) { addUploaded(file.key, file.name); });
            saveDraft();
            item.echo.remove();
            outbox = outbox.filter(function (i) { return i !== item; });
            saveUnsent();
            field.focus();
        }
    });

    document.body.addEventListener("htmx:wsBeforeMessage", function (event) {
        const text = event.detail.message;
        if (typeof text !== "string" || text.charAt(0) !== "{") return;
        event.preventDefault(); // plain JSON is for this script, not for htmx to swap
        const note = JSON.parse(text);
        if (note.type !== "not-sent") return;
        const item = outbox.find(function (i) { return i.id === note.clientMessageId; });
        if (item) fail(item, note.reason);
    });
    document.body.addEventListener("htmx:wsAfterMessage", function () {
        if (outbox.length === 0) return;
        messages.querySelectorAll("article[data-client-id]:not([data-client-id=''])").forEach(function (article) {
            arrived(article.dataset.clientId);
        });
    });
    document.body.addEventListener("htmx:wsOpen", function () {
        socketOpen = true;
        outbox.forEach(function (item) { if (item.state === "waiting" || item.state === "sent") transmit(item); });
    });
    document.body.addEventListener("htmx:wsClose", function (event) {
        socketOpen = false;
        const close = event.detail && event.detail.event;
        socketGone = !!close && close.code === 1008;
        // What went out without an answer goes again once connected (the server keeps only one).
        outbox.forEach(function (item) {
            if (item.state === "sent") { item.state = "waiting"; showState(item, "Waiting for the connection…"); }
            if (socketGone && item.state === "waiting") post(item);
        });
    });
    setInterval(function () {
        if (socketOpen) return;
        outbox.forEach(function (item) {
            if (item.state === "waiting" && Date.now() - item.since > FALLBACK_AFTER) post(item);
        });
    }, 1000);

    // After a reload: a draft back in the box, and sends that never arrived shown as not sent.
    try {
        const draft = localStorage.getItem(draftKey);
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

    // Edit in place: the message turns into a form with its source text (read from the message page);
    // Enter saves, Esc cancels. The saved edit comes back over the socket like any other change.
    function messageLink(article) { return article.querySelector(".message-link").getAttribute("href"); }

    function handlerPost(article, handler, fields) { return postForm(messageLink(article) + "?handler=" + handler, fields); }

    function startEdit(article) {
        if (article.querySelector(".inline-edit")) return;
        fetch(messageLink(article), { credentials: "same-origin" }).then(function (response) { return response.text(); }).then(function (html) {
            const source = new DOMParser().parseFromString(html, "text/html").getElementById("edit-content");
            const body = article.querySelector(".message-body");
            if (!source || !body || article.querySelector(".inline-edit")) return;
            const form = document.createElement("form");
            form.className = "inline-edit";
            form.innerHTML = '<textarea rows="3" maxlength="4000" aria-label="Edit message"></textarea>' +
                '<span class="field-error" role="alert"></span><div class="inline-edit-actions">' +
                '<button type="submit" class="button primary">Save</button><button type="button" class="button" data-cancel>Cancel</button>' +
                '<span class="hint">Enter saves, Esc cancels</span></div>';
            const text = form.querySelector("textarea");
            text.value = source.value;
            body.hidden = true;
            body.after(form);
            text.focus();
            text.setSelectionRange(text.value.length, text.value.length);
        });
    }

    function endEdit(article) {
        const form = article.querySelector(".inline-edit");
        if (form) form.remove();
        const body = article.querySelector(".message-body");
        if (body) body.hidden = false;
    }

    function saveEdit(article) {
        const form = article.querySelector(".inline-edit");
        const error = form.querySelector(".field-error");
        handlerPost(article, "Edit", { Content: form.querySelector("textarea").value }).then(function (response) {
            if (response.ok) { endEdit(article); field.focus(); return; }
            return response.text().then(function (html) {
                const answer = new DOMParser().parseFromString(html, "text/html").getElementById("edit-error");
                error.textContent = (answer && answer.textContent.trim()) || "Not saved (" + response.status + "). Try again.";
            });
        }, function () { error.textContent = "Not saved: no connection. Try again."; });
    }

    // Delete, with a few seconds to take it back: the message hides at once and goes when the time is up.
    const UNDO_FOR = 5000;
    function startDelete(article) {
        const undo = document.createElement("div");
        undo.className = "undo-bar";
        undo.innerHTML = '<span role="status">Message deleted.</span><button type="button" class="button-link">Undo</button>';
        article.hidden = true;
        article.after(undo);
        const button = undo.querySelector("button");
        button.focus();
        const timer = setTimeout(function () {
            undo.remove();
            handlerPost(article, "Delete", {}).then(function (response) {
                if (!response.ok) throw new Error(String(response.status));
            }).catch(function () {
                article.hidden = false;
                showConnection("The message could not be deleted. Try again.");
            });
        }, UNDO_FOR);
        button.addEventListener("click", function () {
            clearTimeout(timer);
            undo.remove();
            article.hidden = false;
            const again = article.querySelector("[data-delete]");
            if (again) again.focus();
        });
    }

    // Retry or Regenerate: the agent answers the same message again, and the new answer takes this one's place.
    function answerAgain(button) {
        button.disabled = true;
        postForm(button.dataset.again, {})
            .then(function (response) {
                if (response.ok) return;
                button.disabled = false;
                showConnection(response.status === 409 ? "The agent is answering already, or has left the room."
                    : response.status === 429 ? "That was a lot in a short time. Wait a little, then try again."
                    : "That did not work (" + response.status + "). Reload and try again.");
            }, function () {
                button.disabled = false;
                showConnection("No connection. Try again in a moment.");
            });
    }

    messages.addEventListener("click", function (event) {
        const article = event.target.closest("article[data-seq]");
        if (!article) return;
        if (!event.target.closest("a, button, textarea, form")) {
            // A tap on a message shows its tools where there is no hover (phones); one at a time.
            messages.querySelectorAll("article.selected").forEach(function (other) { if (other !== article) other.classList.remove("selected"); });
            article.classList.toggle("selected");
        }
        const again = event.target.closest("[data-again]");
        if (again) answerAgain(again);
        else if (event.target.closest("[data-edit]")) startEdit(article);
        else if (event.target.closest("[data-delete]")) startDelete(article);
        else if (event.target.closest("[data-cancel]")) { endEdit(article); article.querySelector("[data-edit]").focus(); }
    });
    messages.addEventListener("submit", function (event) {
        const article = event.target.closest("article[data-seq]");
        if (!article || !event.target.classList.contains("inline-edit")) return;
        event.preventDefault();
        saveEdit(article);
    });
    messages.addEventListener("keydown", function (event) {
        const form = event.target.closest(".inline-edit");
        if (!form) return;
        const article = form.closest("article");
        if (event.key === "Escape") { event.preventDefault(); endEdit(article); article.querySelector("[data-edit]").focus(); }
        else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); saveEdit(article); }
    });
    // ↑ in an empty composer edits your last message.
    field.addEventListener("keydown", function (event) {
        if (event.key !== "ArrowUp" || field.value !== "" || event.isComposing) return;
        const own = Array.from(messages.querySelectorAll(":scope > article[data-seq]")).filter(function (article) {
            return article.dataset.author === me && article.querySelector("[data-edit]");
        });
        if (own.length === 0) return;
        event.preventDefault();
        const last = own[own.length - 1];
        last.scrollIntoView({ block: "nearest" });
        startEdit(last);
    });

    // Mentions: "@" opens a list above the composer of the room's agents and people (read from the
    // live member list), filtered as you type; ↑/↓ move, Enter or Tab picks, Esc closes.
    const picker = document.getElementById("mention-picker");
    let choices = [];
    let chosen = 0;

    function mentionAt() {
        const before = field.value.slice(0, field.selectionStart);
        const match = /(^|\s)@([a-z0-9-]*)$/i.exec(before);
        return match ? { start: before.length - match[2].length, typed: match[2].toLowerCase() } : null;
    }

    function candidates(typed) {
        return Array.from(document.querySelectorAll("#members li[data-mention]")).map(function (item) {
            const agent = item.classList.contains("agent");
            const emoji = item.querySelector(".agent-emoji");
            return {
                mention: item.dataset.mention,
                name: item.querySelector(".member-name").textContent.trim(),
                kind: agent ? "agent" : "person",
                badge: agent && emoji ? emoji.textContent : "",
            };
        }).filter(function (c) {
            return c.mention !== "" && c.mention !== room.dataset.myMention
                && (c.mention.startsWith(typed) || c.name.toLowerCase().startsWith(typed));
        }).sort(function (a, b) { return a.kind === b.kind ? 0 : a.kind === "agent" ? -1 : 1; }).slice(0, 8);
    }

    function closePicker() {
        picker.hidden = true;
        choices = [];
        field.removeAttribute("aria-activedescendant");
    }

    function showChoice(index) {
        chosen = (index + choices.length) % choices.length;
        picker.querySelectorAll("[role=option]").forEach(function (option, i) {
            option.setAttribute("aria-selected", i === chosen ? "true" : "false");
            if (i === chosen) { field.setAttribute("aria-activedescendant", option.id); option.scrollIntoView({ block: "nearest" }); }
        });
    }

    function openPicker() {
        const at = mentionAt();
        choices = at ? candidates(at.typed) : [];
        if (choices.length === 0) { closePicker(); return; }
        picker.replaceChildren.apply(picker, choices.map(function (choice, i) {
            const option = document.createElement("li");
            option.id = "mention-option-" + i;
            option.setAttribute("role", "option");
            option.dataset.index = i;
            const label = document.createElement("span");
            label.textContent = (choice.badge ? choice.badge + " " : "") + choice.name;
            const detail = document.createElement("span");
            detail.className = "handle";
            detail.textContent = "@" + choice.mention + (choice.kind === "agent" ? " · agent" : "");
            option.append(label, " ", detail);
            return option;
        }));
        picker.hidden = false;
        showChoice(0);
    }

    function pick(index) {
        const at = mentionAt();
        if (!at || !choices[index]) return;
        field.setRangeText(choices[index].mention + " ", at.start, field.selectionStart, "end");
        closePicker();
        saveDraft();
        field.focus();
    }

    field.addEventListener("input", openPicker);
    field.addEventListener("blur", function () { setTimeout(closePicker, 150); });
    field.addEventListener("keydown", function (event) {
        if (picker.hidden) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") showChoice(chosen + (event.key === "ArrowDown" ? 1 : -1));
        else if (event.key === "Enter" || event.key === "Tab") pick(chosen);
        else if (event.key === "Escape") closePicker();
        else return;
        event.preventDefault();
        event.stopPropagation(); // Enter picks here; it does not send
    });
    picker.addEventListener("mousedown", function (event) {
        const option = event.target.closest("[role=option]");
        if (!option) return;
        event.preventDefault(); // keep the focus in the composer
        pick(Number(option.dataset.index));
    });

    // A message that mentions you stands out.
    function markMentions(root) {
        const mine = new RegExp("(^|[^a-z0-9_@./-])@" + room.dataset.myMention + "(?![a-z0-9-])", "i");
        // Each article once (an edit brings a new one): this runs after every push, streamed tokens included.
        root.querySelectorAll("article[data-seq]:not([data-mentions-checked]) .message-body").forEach(function (body) {
            const article = body.closest("article");
            article.classList.toggle("mentions-me", !!room.dataset.myMention && mine.test(body.textContent));
            article.dataset.mentionsChecked = "";
        });
    }

    document.addEventListener("click", function (event) {
        const button = event.target.closest("[data-copy]");
        if (!button) return;
        const field = document.querySelector(button.dataset.copy);
        field.select();
        navigator.clipboard.writeText(field.value).then(function () { button.textContent = "Copied"; });
    });

    // Replies. "Reply" puts the message's quote above the box (the author and the start of its first
    // line, read from the page); the send carries the quoted message's id. A quote in the log jumps to
    // its original when that is on the page, and otherwise opens the room at it.
    const quoteId = document.getElementById("composer-quote-id");
    const quoteBox = document.getElementById("composer-quote");
    function cancelQuote() {
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
            following = false;
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
        if (event.key === "Escape" && !quoteBox.hidden && field.value === "") cancelQuote();
    });

    // Reactions. A toggle or the palette posts (the page stays); the change comes back over the socket
    // as the message's reactions, for everyone at once. "Add reaction" opens the room's one palette
    // beside the message (Esc or a click elsewhere closes it, focus goes back).
    const palette = document.getElementById("reaction-palette");
    const paletteForm = palette.querySelector("form");
    const paletteError = palette.querySelector(".field-error");
    let paletteFor = null; // the "Add reaction" control that opened it
    function openPalette(link) {
        const article = link.closest("article");
        paletteFor = link;
        paletteForm.action = link.getAttribute("href").replace(/#.*$/, "") + "/reactions";
        paletteError.textContent = "";
        paletteForm.reset();
        article.after(palette); // beside the message, not in it: a pushed change replaces the message whole
        palette.hidden = false;
        link.setAttribute("aria-expanded", "true");
        palette.querySelector(".palette-button").focus();
    }
    function closePalette(returnFocus) {
        if (palette.hidden) return;
        palette.hidden = true;
        if (paletteFor) {
            paletteFor.setAttribute("aria-expanded", "false");
            if (returnFocus && document.contains(paletteFor)) paletteFor.focus();
        }
        paletteFor = null;
    }
    function react(form, submitter, error) {
        const body = new FormData(form, submitter);
        if (!body.get("text")) body.set("text", body.get("custom") || "");
        body.set("__RequestVerificationToken", token);
        return fetch(form.action, { method: "POST", body: body, headers: { "HX-Request": "true" }, credentials: "same-origin" })
            .then(function (response) {
                if (response.ok) return true;
                return response.text().then(function (text) {
                    const said = text.length < 300 ? text : "";
                    if (error) error.textContent = said || "Not added (" + response.status + "). Try again.";
                    else showConnection(said || "That reaction did not go through. Try again.");
                    return false;
                });
            }, function () {
                if (error) error.textContent = "Not added: no connection. Try again.";
                return false;
            });
    }
    document.addEventListener("submit", function (event) {
        const form = event.target;
        if (form === paletteForm) {
            event.preventDefault();
            react(form, event.submitter, paletteError).then(function (done) { if (done) closePalette(true); });
        } else if (form.classList.contains("reaction-form")) {
            event.preventDefault();
            react(form, event.submitter, null);
        }
    });
    document.addEventListener("click", function (event) {
        const link = event.target.closest("a[data-react]");
        if (link && messages.contains(link)) {
            event.preventDefault();
            if (paletteFor === link) closePalette(true); else openPalette(link);
            return;
        }
        if (!palette.hidden && !palette.contains(event.target)) closePalette(false);
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !palette.hidden) { event.preventDefault(); closePalette(true); }
    });
    // A link named like a button takes Space as a button does.
    document.addEventListener("keydown", function (event) {
        if (event.key === " " && event.target.matches && event.target.matches("a[data-react], a[data-reply]")) {
            event.preventDefault();
            event.target.click();
        }
    });

    // "Summarize unread": the summary streams into the room, for this reader alone (without JavaScript
    // it comes as a page of its own when it is done). What arrives is HTML the server escaped; each
    // piece shows as it comes, and the finished summary, with links to what it cites, replaces it.
    const catchUpForm = document.querySelector("form[data-catch-up]");
    if (catchUpForm) {
        const result = document.getElementById("catch-up-result");
        catchUpForm.addEventListener("submit", async function (event) {
            event.preventDefault();
            const button = catchUpForm.querySelector("button");
            button.disabled = true;
            result.hidden = false;
            result.setAttribute("aria-busy", "true");
            result.innerHTML = "<p class=\"hint\">Summarizing…</p>";
            let html = "";
            try {
                const response = await fetch(catchUpForm.action, { method: "POST", body: new FormData(catchUpForm), headers: { "X-Stream": "1" } });
                const reader = response.body.getReader();
                const decoder = new TextDecoder();
                for (;;) {
                    const { done, value } = await reader.read();
                    if (done) break;
                    html += decoder.decode(value, { stream: true });
                    result.innerHTML = html;
                }
                catchUpForm.hidden = response.ok;
            } catch (error) {
                result.innerHTML = html + "<p class=\"catch-up-refusal\">The summary was cut off: the connection failed. Try again.</p>";
            }
            result.removeAttribute("aria-busy");
            window.agentRooms.localise(result);
            const close = document.createElement("button");
            close.type = "button";
            close.className = "button-link catch-up-close";
            close.textContent = "Close summary";
            close.addEventListener("click", function () { result.hidden = true; result.innerHTML = ""; });
            result.appendChild(close);
            button.disabled = false;
            const heading = document.getElementById("catch-up-heading");
            if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
        });
    }

    decorate(document);
    // Opened at one message (a search result, a quote, a mention): it stays in view, highlighted by
    // :target, and the view follows nothing until the reader goes to the end.
    const target = location.hash.startsWith("#message-") ? document.getElementById(location.hash.slice(1)) : null;
    if (target && messages.contains(target)) {
        following = false;
        target.scrollIntoView({ block: "center" });
        showPosition();
    } else {
        follow();
    }
})();
