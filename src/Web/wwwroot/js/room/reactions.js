// Reactions. A toggle or the palette posts (the page stays); the change comes back over the socket
// as the message's reactions, for everyone at once. "Add reaction" opens the room's one palette
// beside the message (Esc or a click elsewhere closes it, focus goes back).
import { messages, token } from "./page.js";
import { showConnection } from "./view.js";

let palette = null;
let paletteForm = null;
let paletteError = null;
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
    body.set("__RequestVerificationToken", token());
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

export function init() {
    palette = document.getElementById("reaction-palette");
    paletteForm = palette.querySelector("form");
    paletteError = palette.querySelector(".field-error");
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
}
