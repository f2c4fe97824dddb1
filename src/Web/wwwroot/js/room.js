// The room page's small behaviours on top of htmx: resume after every (re)connect, sending without
// ever losing what is typed, typing notices, Enter to send, local times, and marking the viewer's
// own messages.
(function () {
    "use strict";
    const room = document.querySelector(".room[data-room]");
    if (!room) return;

    // Reconnect soon after the network comes back: htmx's default backoff grows to a minute. Capped
    // at five seconds, with jitter so a restarted node is not met by every page at the same instant.
    htmx.config.wsReconnectDelay = function (retryCount) {
        return Math.min(1000 * Math.pow(2, retryCount), 5000) * (0.5 + Math.random() / 2);
    };
    const me = room.dataset.me;
    const messages = document.getElementById("messages");
    let socket = null;
    let lastTypingSent = 0;

    function seqs() {
        const articles = messages.querySelectorAll("article[data-seq]");
        if (articles.length === 0) return { since: 0, after: 0 };
        return { since: Number(articles[0].dataset.seq), after: Number(articles[articles.length - 1].dataset.seq) };
    }

    const moderator = room.dataset.moderator === "true";

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
        // Pushed replies come with Stop hidden: it is for whoever asked, and the room's owners and admins.
        root.querySelectorAll(".stop-form[data-asked-by]").forEach(function (form) {
            form.hidden = !(moderator || form.dataset.askedBy === me);
        });
        root.querySelectorAll("time[datetime]").forEach(function (time) {
            if (time.dataset.local) return;
            const date = new Date(time.getAttribute("datetime"));
            if (isNaN(date)) return;
            time.textContent = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
            time.title = date.toLocaleString();
            time.dataset.local = "1";
        });
    }

    // Following: while the reader is at the end, the view follows new messages and streamed text.
    // Scrolled up, it stays put, and "Jump to latest" says how many messages arrived below. While the
    // tab is hidden, its title counts them.
    const jump = document.getElementById("jump");
    const jumpCount = jump.querySelector(".jump-count");
    const title = document.title;
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
        const away = hiddenSince === null ? 0 : newFromOthers(hiddenSince);
        document.title = away === 0 ? title : "(" + away + ") " + title;
    }
    function follow() {
        following = true;
        scrollToEnd();
        showPosition();
    }
    let positionQueued = false;
    messages.addEventListener("scroll", function () {
        if (positionQueued) return;
        positionQueued = true;
        requestAnimationFrame(function () {
            positionQueued = false;
            following = atEnd();
            showPosition();
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
    });
    // While the socket is down the page says so; a socket the server refused for good (1008: not a
    // member any more, or too many open pages) is not retried by htmx, and the page says why.
    const connection = document.getElementById("connection");
    function showConnection(text) {
        connection.textContent = text;
        connection.hidden = text === "";
    }
    document.body.addEventListener("htmx:wsOpen", function () { showConnection(""); });
    document.body.addEventListener("htmx:wsClose", function (event) {
        room.classList.add("offline");
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
        // The page missed more than the socket replays: a fresh page is quicker and complete.
        if (messages.querySelector("[data-reload]")) { window.location.reload(); return; }
        decorate(document);
        if (following) scrollToEnd();
        showPosition();
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

    // Sending. The composer is never replaced: what is sent leaves the box at once and what is typed
    // meanwhile stays. A refused or failed send puts its text back with the reason. Sends go out one
    // after another, in order; each carries its own id, so the server saves a repeat only once.
    const composer = document.getElementById("composer");
    const field = document.getElementById("composer-content");
    const sendError = document.getElementById("composer-error");
    const idField = composer.querySelector("[name='Composer.ClientMessageId']");
    const draftKey = "agentrooms.draft." + room.dataset.room;
    let sending = Promise.resolve();

    function newId() {
        const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs https; this does not
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
        return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
    }

    // What is typed survives a reload or a closed tab until it is sent.
    function saveDraft() {
        try {
            if (field.value.trim() === "") localStorage.removeItem(draftKey);
            else localStorage.setItem(draftKey, field.value);
        } catch (e) { /* storage full or off: the box still holds it */ }
    }
    try {
        const draft = localStorage.getItem(draftKey);
        if (draft && field.value === "") field.value = draft;
    } catch (e) { /* no storage */ }
    field.addEventListener("input", saveDraft);

    function notSent(text, id, reason) {
        if (field.value.trim() === "") {
            field.value = text;
            idField.value = id; // sending it again is the same message, should the first have arrived after all
        } else {
            field.value = text + "\n" + field.value; // typed since: both stay, as one new message
        }
        sendError.textContent = reason;
        saveDraft();
    }

    function send(body, text, id) {
        return fetch(composer.action, { method: "POST", body: body, headers: { "HX-Request": "true" }, credentials: "same-origin" })
            .then(function (response) {
                if (response.ok) return;
                return response.text().then(function (html) {
                    const answer = new DOMParser().parseFromString(html, "text/html").getElementById("composer-error");
                    notSent(text, id, (answer && answer.textContent.trim()) || "Your message was not sent. It is back in the box; send it again.");
                });
            }, function () {
                notSent(text, id, "Your message was not sent (no connection). It is back in the box; send it again.");
            });
    }

    composer.addEventListener("submit", function (event) {
        event.preventDefault();
        const text = field.value;
        if (text.trim() === "") return;
        const id = idField.value;
        const body = new FormData(composer); // this send's text and id, taken now
        field.value = "";
        idField.value = newId();
        sendError.textContent = "";
        saveDraft();
        lastTypingSent = 0;
        const suggestions = composer.querySelector(".mention-suggestions");
        if (suggestions) suggestions.hidden = true;
        field.focus();
        follow(); // whoever sends wants to see it arrive
        sending = sending.then(function () { return send(body, text, id); });
    });

    // "@" in the composer suggests the room's agents; a click completes the handle.
    function mentionAt(field) {
        const before = field.value.slice(0, field.selectionStart);
        const match = /(^|\s)@([a-z0-9-]*)$/i.exec(before);
        return match ? { start: before.length - match[2].length, typed: match[2].toLowerCase() } : null;
    }

    function suggest(field) {
        const form = field.form;
        let list = form.querySelector(".mention-suggestions");
        if (!list) {
            list = document.createElement("ul");
            list.className = "mention-suggestions";
            list.setAttribute("aria-label", "Agents to mention");
            form.appendChild(list);
        }
        const handles = (form.dataset.agents || "").split(" ").filter(Boolean);
        const at = mentionAt(field);
        const matches = at ? handles.filter(function (h) { return h.startsWith(at.typed); }) : [];
        list.replaceChildren();
        matches.forEach(function (handle) {
            const item = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = "@" + handle;
            button.addEventListener("click", function () {
                const position = mentionAt(field);
                if (!position) return;
                field.setRangeText(handle + " ", position.start, field.selectionStart, "end");
                field.focus();
                list.hidden = true;
            });
            item.appendChild(button);
            list.appendChild(item);
        });
        list.hidden = matches.length === 0;
    }

    document.addEventListener("input", function (event) {
        if (event.target.id === "composer-content") suggest(event.target);
    });

    document.addEventListener("click", function (event) {
        const button = event.target.closest("[data-copy]");
        if (!button) return;
        const field = document.querySelector(button.dataset.copy);
        field.select();
        navigator.clipboard.writeText(field.value).then(function () { button.textContent = "Copied"; });
    });

    decorate(document);
    follow();
})();
