// "Summarize unread": the summary streams into the room, for this reader alone (without JavaScript
// it comes as a page of its own when it is done). What arrives is HTML the server escaped; each
// piece shows as it comes, and the finished summary, with links to what it cites, replaces it.
import { streamInto } from "./page.js";

export function init() {
    const catchUpForm = document.querySelector("form[data-catch-up]");
    if (!catchUpForm) return;
    const result = document.getElementById("catch-up-result");
    catchUpForm.addEventListener("submit", async function (event) {
        event.preventDefault();
        const button = catchUpForm.querySelector("button");
        button.disabled = true;
        result.hidden = false;
        result.setAttribute("aria-busy", "true");
        result.innerHTML = "<p class=\"hint\">Summarizing…</p>";
        try {
            const response = await streamInto(result, catchUpForm.action, new FormData(catchUpForm));
            catchUpForm.hidden = response.ok;
        } catch (error) {
            result.insertAdjacentHTML("beforeend", "<p class=\"catch-up-refusal\">The summary was cut off: the connection failed. Try again.</p>");
        }
        result.removeAttribute("aria-busy");
        window.agentRooms.localise(result);
        // Above the summary: fold it to its heading (the conversation gets the room back) or close it.
        const controls = document.createElement("div");
        controls.className = "catch-up-controls";
        const fold = document.createElement("button");
        fold.type = "button";
        fold.className = "button-link";
        fold.textContent = "Collapse summary";
        fold.setAttribute("aria-expanded", "true");
        fold.addEventListener("click", function () {
            const folded = result.classList.toggle("folded");
            fold.textContent = folded ? "Expand summary" : "Collapse summary";
            fold.setAttribute("aria-expanded", folded ? "false" : "true");
        });
        const close = document.createElement("button");
        close.type = "button";
        close.className = "button-link catch-up-close";
        close.textContent = "Close summary";
        close.addEventListener("click", function () { result.hidden = true; result.innerHTML = ""; result.classList.remove("folded"); });
        controls.append(fold, close);
        result.prepend(controls);
        button.disabled = false;
        const heading = document.getElementById("catch-up-heading");
        if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    });
}
