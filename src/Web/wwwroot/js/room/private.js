// "Ask privately": with the box ticked, the composer's question goes to the agent it mentions for this
// person alone. The answer streams into a card above the composer (HTML the server escaped), nothing
// of it goes over the room's socket, and "Share to room" in the card posts it for everyone. Without
// JavaScript the composer's post is passed on and the answer comes as a page.
import { composer, field, saveDraft, streamInto } from "./page.js";

export function init() {
    const box = document.getElementById("composer-private");
    if (!box) return;
    const answers = document.getElementById("private-answers");
    // Capture, so that the outbox (which sends to the room) never sees a private question.
    composer.addEventListener("submit", function (event) {
        if (!box.checked) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        if (field.value.trim() !== "") ask(answers, box.dataset.private);
    }, true);
}

async function ask(answers, url) {
    const body = new FormData(composer);
    const question = field.value;
    field.value = "";
    saveDraft();
    const card = document.createElement("article");
    card.className = "card private-answer";
    card.setAttribute("aria-busy", "true");
    card.innerHTML = "<p class=\"hint\">Asking privately…</p>";
    answers.append(card);
    let answered = false;
    try {
        answered = (await streamInto(card, url, body)).ok;
    } catch (error) {
        card.insertAdjacentHTML("beforeend", "<p class=\"field-error\">The answer was cut off: the connection failed. Try again.</p>");
    }
    // Refused or cut off: the question comes back to the box, unless something else was typed meanwhile.
    if (!answered && field.value.trim() === "") field.value = question;
    card.removeAttribute("aria-busy");
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button-link private-dismiss";
    dismiss.textContent = "Dismiss";
    dismiss.addEventListener("click", function () { card.remove(); field.focus(); });
    card.prepend(dismiss);
    htmx.process(card);
    window.agentRooms.localise(card);
}
