// Every page: times in the reader's own time zone, the same on every page. In the conversation a
// message shows its time of day (the day is on the separator above); elsewhere today's times show
// the time, older ones the date too. The exact moment is in the title. Without JavaScript, UTC.
(function () {
    "use strict";
    const timeOfDay = { hour: "2-digit", minute: "2-digit" };
    const dateAndTime = { dateStyle: "medium", timeStyle: "short" };

    function localise(root) {
        root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (time) {
            const date = new Date(time.getAttribute("datetime"));
            if (isNaN(date)) return;
            const today = date.toDateString() === new Date().toDateString();
            time.textContent = time.closest(".message") && (today || time.closest("#messages"))
                ? date.toLocaleTimeString([], timeOfDay)
                : date.toLocaleString([], today ? timeOfDay : dateAndTime);
            time.title = date.toLocaleString([], { dateStyle: "full", timeStyle: "medium" });
            time.dataset.local = "1";
        });
    }

    window.agentRooms = { localise: localise };
    document.addEventListener("DOMContentLoaded", function () { localise(document); });
    document.addEventListener("htmx:load", function (event) { localise(event.target); });
})();
