// Every page: times in the reader's own time zone; the shell's drawers on a phone ("Rooms", "Room
// details"); the rooms list kept up to date over the page's socket; unread counts in the tab's title;
// the service worker.
// Without JavaScript, times are UTC, the drawers' contents follow the page and the list is as loaded.
(function () {
    "use strict";
    document.documentElement.classList.add("scripted");

    // Times: in the conversation a message shows its time of day (the day is on the separator above);
    // elsewhere today's times show the time, older ones the date too. The exact moment is in the title.
    const timeOfDay = { hour: "2-digit", minute: "2-digit" };
    const dateAndTime = { dateStyle: "medium", timeStyle: "short" };

    function localise(root) {
        root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (time) {
            const date = new Date(time.getAttribute("datetime"));
            if (isNaN(date)) return;
            const today = date.toDateString() === new Date().toDateString();
            time.textContent = time.closest(".message, .system-line") && !time.closest(".reply-used") && (today || time.closest("#messages"))
                ? date.toLocaleTimeString([], timeOfDay)
                : date.toLocaleString([], today ? timeOfDay : dateAndTime);
            time.title = date.toLocaleString([], { dateStyle: "full", timeStyle: "medium" });
            time.dataset.local = "1";
        });
    }

    // The tab's title: "(5) General · AgentRooms" counts what is unread in the other rooms (from the
    // rooms list) and, while the tab is hidden, what arrived in this one (room.js tells).
    let titleName = document.title;
    let unreadHere = 0;
    function showTitle() {
        const list = document.getElementById("rooms-nav-list");
        const elsewhere = list ? Number(list.dataset.unread) || 0 : 0;
        const total = elsewhere + unreadHere;
        document.title = total === 0 ? titleName : "(" + total + ") " + titleName;
        // The installed app's icon carries the same count, where the system shows one.
        if (navigator.setAppBadge) (total === 0 ? navigator.clearAppBadge() : navigator.setAppBadge(total)).catch(function () { });
        // On a phone the "Rooms" button shows that other rooms have news (the list says where).
        const toggle = document.querySelector(".rooms-toggle");
        if (toggle) toggle.classList.toggle("has-unread", elsewhere > 0);
    }

    // Drawers: a toggle opens the panel it controls; Close, Esc or a tap outside closes it, and the
    // focus goes back to the toggle. Only one is open at a time.
    const drawers = [];
    function showDrawer(drawer, open) {
        if (open) drawers.forEach(function (other) { if (other !== drawer && other.panel.classList.contains("open")) showDrawer(other, false); });
        drawer.panel.classList.toggle("open", open);
        drawer.toggle.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) drawer.panel.querySelector(".drawer-close").focus();
        else if (drawer.panel.contains(document.activeElement)) drawer.toggle.focus();
    }
    function setUpDrawers() {
        document.querySelectorAll(".drawer-toggle[aria-controls]").forEach(function (toggle) {
            const panel = document.getElementById(toggle.getAttribute("aria-controls"));
            if (!panel || !panel.querySelector(".drawer-close")) return;
            const drawer = { toggle: toggle, panel: panel };
            drawers.push(drawer);
            toggle.addEventListener("click", function () { showDrawer(drawer, !panel.classList.contains("open")); });
            panel.querySelector(".drawer-close").addEventListener("click", function () { showDrawer(drawer, false); });
        });
        document.addEventListener("keydown", function (event) {
            if (event.key !== "Escape") return;
            drawers.forEach(function (drawer) { if (drawer.panel.classList.contains("open")) showDrawer(drawer, false); });
        });
        document.addEventListener("click", function (event) {
            drawers.forEach(function (drawer) {
                if (drawer.panel.classList.contains("open") && !drawer.panel.contains(event.target) && !drawer.toggle.contains(event.target)) showDrawer(drawer, false);
            });
        });
    }

    // The rooms list: a note on the socket says it changed ("post": a new message in a room this page
    // does not show; "changed": a room was renamed; "mine": read elsewhere, joined, left). A burst of
    // notes fetches it once; at most one fetch every two seconds.
    const current = Number((document.querySelector(".room[data-room]") || { dataset: {} }).dataset.room) || 0;
    let refreshTimer = 0;
    let lastRefresh = 0;
    function refreshRooms() {
        if (refreshTimer) return;
        const wait = Math.max(0, lastRefresh + 2000 - Date.now());
        refreshTimer = setTimeout(function () {
            refreshTimer = 0;
            lastRefresh = Date.now();
            const nav = document.getElementById("rooms-nav");
            if (nav) htmx.trigger(nav, "rooms-refresh");
        }, wait);
    }
    document.addEventListener("htmx:wsBeforeMessage", function (event) {
        const text = event.detail.message;
        if (typeof text !== "string" || text.charAt(0) !== "{") return;
        event.preventDefault(); // plain JSON is for the scripts, not for htmx to swap
        const note = JSON.parse(text);
        if (note.type === "rooms" && !(note.why === "post" && note.room === current)) refreshRooms();
    });
    document.addEventListener("htmx:afterSwap", function (event) {
        if (event.detail.target && event.detail.target.id === "rooms-nav-list") showTitle();
    });
    // Room pages and the rest reconnect alike: soon after the network comes back, with jitter so a
    // restarted node is not met by every page at once. A page that was away fetches the list anew.
    if (window.htmx) htmx.config.wsReconnectDelay = function (retryCount) {
        return Math.min(1000 * Math.pow(2, retryCount), 5000) * (0.5 + Math.random() / 2);
    };
    let opened = false;
    document.addEventListener("htmx:wsOpen", function () {
        if (opened) refreshRooms();
        opened = true;
    });

    window.agentRooms = {
        localise: localise,
        /// The room's name changed (the title follows it).
        titleName: function (name) { titleName = name; showTitle(); },
        /// Messages that arrived in this room while the tab was hidden.
        unreadHere: function (count) { unreadHere = count; showTitle(); },
    };
    document.addEventListener("DOMContentLoaded", function () {
        localise(document);
        setUpDrawers();
        showTitle();
    });
    document.addEventListener("htmx:load", function (event) { localise(event.target); });
    // "Copy" beside a read-only field (an invite link), on any page: the field's text to the clipboard.
    document.addEventListener("click", function (event) {
        const button = event.target.closest("[data-copy]");
        if (!button) return;
        const copied = document.querySelector(button.dataset.copy);
        copied.select();
        navigator.clipboard.writeText(copied.value).then(function () { button.textContent = "Copied"; });
    });

    // Installable: the service worker keeps the shell's files and shows an offline page (sw.js).
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () { });

    // Notifications on the profile page: this browser's Web Push subscription, made for the site's key
    // and handed to the server, or taken back. The service worker shows what arrives (sw.js).
    const push = document.getElementById("notifications");
    if (push) {
        const status = push.querySelector(".push-status");
        const enable = push.querySelector("[data-push=enable]");
        const disable = push.querySelector("[data-push=disable]");
        const pushToken = push.querySelector("[name='__RequestVerificationToken']").value;
        const send = function (url, body) {
            return fetch(url, {
                method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                headers: { "Content-Type": "application/json", "RequestVerificationToken": pushToken },
            });
        };
        const show = function (subscribed, text) {
            enable.hidden = subscribed;
            disable.hidden = !subscribed;
            status.textContent = text;
        };
        const refused = function (response) {
            return response.json().then(function (answer) { return answer.error; }, function () { return "the server refused it (" + response.status + ")."; });
        };
        if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
            status.textContent = "This browser cannot show notifications from this site.";
        } else {
            navigator.serviceWorker.ready.then(function (registration) { return registration.pushManager.getSubscription(); }).then(function (subscription) {
                if (subscription) show(true, "Notifications are on for this device.");
                else show(false, Notification.permission === "denied" ? "Notifications are blocked for this site in your browser's settings." : "Notifications are off for this device.");
            });
            enable.addEventListener("click", function () {
                status.textContent = "Asking your browser…";
                Notification.requestPermission().then(function (permission) {
                    if (permission !== "granted") throw new Error("Notifications are blocked for this site in your browser's settings.");
                    return Promise.all([navigator.serviceWorker.ready, fetch(push.dataset.key, { credentials: "same-origin" }).then(function (r) { return r.json(); })]);
                }).then(function (both) {
                    const key = Uint8Array.from(atob(both[1].key.replace(/-/g, "+").replace(/_/g, "/")), function (c) { return c.charCodeAt(0); });
                    return both[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
                }).then(function (subscription) {
                    return send(push.dataset.subscribe, subscription.toJSON()).then(function (response) {
                        if (response.ok) { show(true, "Notifications are on for this device."); return; }
                        return refused(response).then(function (error) { subscription.unsubscribe(); show(false, "Not enabled: " + error); });
                    });
                }).catch(function (error) {
                    show(false, error && error.message && error.message.indexOf("blocked") >= 0 ? error.message : "Not enabled: this browser could not subscribe (" + ((error && error.message) || error) + ").");
                });
            });
            disable.addEventListener("click", function () {
                navigator.serviceWorker.ready.then(function (registration) { return registration.pushManager.getSubscription(); }).then(function (subscription) {
                    if (!subscription) { show(false, "Notifications are off for this device."); return; }
                    return send(push.dataset.unsubscribe, { endpoint: subscription.endpoint }).then(function () { return subscription.unsubscribe(); })
                        .then(function () { show(false, "Notifications are off for this device."); });
                });
            });
        }
    }
})();
