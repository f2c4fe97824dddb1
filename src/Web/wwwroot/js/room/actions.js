// A message's actions in place. Edit: the message turns into a form with its source text (read from
// the message page); Enter saves, Esc cancels, ↑ in an empty composer edits your last message. Delete,
// with a few seconds to take it back. Retry or Regenerate: the agent answers the same message again.
// Every change comes back over the socket like any other.
import { room, messages, me, field, postForm } from "./page.js";
import { showConnection, saved } from "./view.js";

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
    delete article.dataset.editFromComposer;
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

// Delete: the message hides at once and goes when the time is up, unless Undo takes it back.
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

// Retry or Regenerate: the new answer takes this one's place.
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

export function init() {
    messages.addEventListener("click", function (event) {
        const article = event.target.closest("article[data-seq]");
        if (!article) return;
        if (!event.target.closest("a, button, textarea, form")) {
            // A tap on a message shows its tools where there is no hover (phones); one at a time.
            messages.querySelectorAll("article.selected").forEach(function (other) { if (other !== article) other.classList.remove("selected"); });
            article.classList.toggle("selected");
        }
        const answer = event.target.closest("a[data-answer]");
        if (answer) {
            // An earlier or later answer of a regenerated reply, in place: the message as its own page shows it.
            event.preventDefault();
            const id = article.id, label = answer.getAttribute("aria-label");
            htmx.ajax("GET", answer.getAttribute("href"), { target: "#" + id, select: "#" + id, swap: "outerHTML" }).then(function () {
                const shown = document.getElementById(id);
                const step = shown && (shown.querySelector("a[data-answer][aria-label='" + label + "']") || shown.querySelector("a[data-answer]"));
                if (step) step.focus();
            });
            return;
        }
        const direct = event.target.closest("[data-message-author]");
        if (direct) {
            // One click to the conversation with the author: the same post as the member list's link.
            event.preventDefault();
            htmx.ajax("POST", direct.getAttribute("href"), { source: direct, swap: "none" });
            return;
        }
        const save = event.target.closest("[data-save]");
        if (save) {
            const id = article.id.replace("message-", "");
            const list = saved();
            const on = !list.has(id);
            postForm("/saved", { messageId: id, saved: on ? "true" : "false" }).then(function (response) {
                if (!response.ok) return;
                if (on) list.add(id); else list.delete(id);
                room.dataset.saved = Array.from(list).join(" ");
                save.textContent = on ? "Unsave" : "Save";
            });
            return;
        }
        if (event.target.closest("[data-pin]")) {
            // The message comes back over the socket with its mark and the other button; the room's list too.
            const pinned = article.querySelector(".pinned-mark") !== null;
            postForm("/rooms/" + room.dataset.room + "/pins", { messageId: article.id.replace("message-", ""), pinned: pinned ? "false" : "true" });
            return;
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
        // Back where the edit began: the composer after ↑, else the message's Edit.
        if (event.key === "Escape") {
            event.preventDefault();
            const back = article.dataset.editFromComposer ? field : article.querySelector("[data-edit]");
            endEdit(article);
            back.focus();
        }
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
        last.dataset.editFromComposer = "true";
    });
}
