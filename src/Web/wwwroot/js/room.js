// The room page's behaviours on top of htmx, one module each under room/: what each viewer sees of
// the same fragments, grouping and the connection status (view); following the end, "Jump to
// latest", read marks and older pages (follow); files (uploads); sending over the socket without
// ever losing what is typed (outbox); editing, deleting and answering again in place (actions); the
// @ picker (picker); quoting (quote); reactions (reactions); "Summarize unread" (catchup); "Ask
// privately" (private); moving through the history by keyboard (keys). page.js holds what they share, the socket among it. The
// shell's drawers and rooms list are site.js's. Without JavaScript the page works as plain forms.
import { room, connect } from "./room/page.js";
import * as view from "./room/view.js";
import * as follow from "./room/follow.js";
import * as uploads from "./room/uploads.js";
import * as outbox from "./room/outbox.js";
import * as actions from "./room/actions.js";
import * as picker from "./room/picker.js";
import * as quote from "./room/quote.js";
import * as reactions from "./room/reactions.js";
import * as catchup from "./room/catchup.js";
import * as ask from "./room/private.js";
import * as keys from "./room/keys.js";

if (room) {
    room.classList.add("scripted");
    // In this order: the socket's own handling first (resume), then each part's, as each registers.
    connect();
    [view, follow, uploads, ask, outbox, actions, picker, quote, reactions, catchup, keys].forEach(function (part) { part.init(); });
    view.decorate(document);
    follow.start();
}
