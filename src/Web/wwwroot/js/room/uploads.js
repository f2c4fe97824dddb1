// Files: picked with "Attach", pasted into the box or dropped on the room. Each uploads at once (as
// the request's body: it streams, with progress and Cancel) and goes with the next message sent;
// uploaded ones survive a reload like the draft. Without JavaScript the file input posts them itself.
import { room, composer, field, store, token } from "./page.js";

let fileList = null;
let sendError = null;
let filesKey = "";
let maxFileBytes = Infinity;
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
    settled();
}

// A send waiting for its files: called once none is on its way up any more.
let whenDone = null;
function settled() {
    if (!whenDone || uploading()) return;
    const callback = whenDone;
    whenDone = null;
    callback();
}

/** Calls back once no file is on its way up (finished, failed or removed). */
export function whenUploaded(callback) {
    whenDone = callback;
    settled();
}

/** A file already uploaded (kept over a reload, or back from an unsent message), to go with the next send. */
export function addUploaded(key, name) {
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
    xhr.setRequestHeader("RequestVerificationToken", token());
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
function sendAll(files) { Array.prototype.forEach.call(files, send); }

/** Whether a file is still on its way up. */
export function uploading() { return uploads.some(function (u) { return u.state === "uploading"; }); }

/** The files uploaded, to go with the message being sent. */
export function done() {
    return uploads.filter(function (u) { return u.state === "done"; }).map(function (u) { return { key: u.key, name: u.name }; });
}

/** The message went with them: the list empties. */
export function clear() {
    uploads = [];
    fileList.replaceChildren();
    fileList.hidden = true;
    saveFiles();
}

export function init() {
    const attach = document.getElementById("composer-attach");
    fileList = document.getElementById("composer-files");
    sendError = document.getElementById("composer-error");
    filesKey = "agentrooms.files." + room.dataset.room;
    maxFileBytes = Number(composer.dataset.maxFileBytes) || Infinity;

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
        settled();
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
    const kept = [];
    fileList.querySelectorAll("li[data-key]").forEach(function (li) {
        kept.push({ name: li.querySelector(".file-name").textContent, key: li.dataset.key });
        li.remove();
    });
    kept.forEach(function (u) { addUploaded(u.key, u.name); });
    try {
        JSON.parse(localStorage.getItem(filesKey) || "[]").forEach(function (saved) {
            if (!uploads.some(function (u) { return u.key === saved.key; })) addUploaded(saved.key, saved.name);
        });
    } catch (e) { /* no storage, or not ours */ }
}
