// Mentions: "@" opens a list above the composer of the room's agents and people (read from the
// live member list), filtered as you type; ↑/↓ move, Enter or Tab picks, Esc closes.
import { room, field, saveDraft } from "./page.js";

let picker = null;
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

export function closePicker() {
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

export function init() {
    picker = document.getElementById("mention-picker");
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
}
