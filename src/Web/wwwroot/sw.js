// The service worker: the shell's static files from a cache, and an offline page when a page cannot
// be reached. It never stores pages themselves: they are made for one signed-in person, and whoever
// uses the browser next must not read them from a cache.
"use strict";
const CACHE = "agentrooms-static-1";
const OFFLINE = "/offline.html";
const PRECACHE = [OFFLINE, "/css/site.css", "/favicon.svg", "/icons/icon-192.png"];
const STATIC = /^\/(css|js|lib|icons)\/|^\/favicon\.svg$/;
const KEEP = 80; // entries; versioned files (?v=) replace each other as the app is updated

self.addEventListener("install", function (event) {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
    const request = event.request;
    if (request.method !== "GET") return;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) return;

    if (request.mode === "navigate") {
        // Pages always come from the server; only when it cannot be reached, the offline page.
        event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
        return;
    }
    if (!STATIC.test(url.pathname)) return;
    // A versioned file never changes: the cache answers. An unversioned one is answered from the
    // cache when there is no network, and refreshed whenever there is.
    const versioned = url.searchParams.has("v");
    event.respondWith(caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (cached) {
            if (cached && versioned) return cached;
            const fresh = fetch(request).then(function (response) {
                if (response.ok && response.type === "basic") {
                    cache.put(request, response.clone()).then(function () { trim(cache); });
                }
                return response;
            });
            return cached ? fresh.catch(function () { return cached; }) : fresh;
        });
    }));
});

// Notifications (Web Push): one per room at a time (its tag), opening the message when clicked.
self.addEventListener("push", function (event) {
    let data = {};
    try { data = event.data ? event.data.json() : {}; } catch (e) { /* not ours */ }
    event.waitUntil(self.registration.showNotification(data.title || "AgentRooms", {
        body: data.body || "",
        tag: data.tag || "agentrooms",
        renotify: true,
        icon: "/icons/icon-192.png",
        data: { url: data.url || "/rooms" },
    }));
});

self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    const url = new URL(event.notification.data && event.notification.data.url || "/rooms", self.location.origin);
    if (url.origin !== self.location.origin) return;
    event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
        const open = windows.find(function (w) { return new URL(w.url).pathname === url.pathname && "focus" in w; });
        if (open) return open.navigate(url.href).then(function (w) { return (w || open).focus(); });
        return self.clients.openWindow(url.href);
    }));
});

function trim(cache) {
    cache.keys().then(function (keys) {
        keys.slice(0, Math.max(0, keys.length - KEEP)).forEach(function (key) { cache.delete(key); });
    });
}
