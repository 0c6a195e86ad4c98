// dialoog's local web chat: renders the engine's neutral messages as HTML.
//
// Every text reaches the page as a text node (never as HTML): contributions are
// what colleagues typed, and must show as typed.
"use strict";

(() => {
  const CHANNEL_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
  const wanted = new URLSearchParams(location.search).get("channel") || "";
  const channel = CHANNEL_RE.test(wanted) ? wanted : "team";
  const api = `/web/api/channels/${channel}`;
  const STORE_KEY = `dialoog.colleague.${channel}`;

  const state = {
    me: sessionStorage.getItem(STORE_KEY) || "web:ann",
    view: 0, // counts colleague switches: an answer for an earlier view is dropped
    language: "nl",
    texts: {},
    actions: {}, // the engine's action names, from the server: never written here
    colleagues: [],
    cursor: 0,
    round: null,
    messages: new Map(), // id -> row from the server
    ephemeral: [], // {id, after, message, roundId}
    fetching: false,
    again: false,
    dialog: null, // {roundId, value}
    replyTo: null, // {id, text}: the question's own message a typed line answers
    opener: null, // the value of the button that opened the last form
  };
  let ephemeralId = 0;
  let uniqueId = 0;

  const $ = (id) => document.getElementById(id);
  const timeline = $("timeline");
  const dialog = $("form-dialog");

  // -- small helpers -------------------------------------------------------------------

  function t(key, params) {
    let text = state.texts[key] || key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split(`{${name}}`).join(String(value));
    }
    return text;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function newId(prefix) {
    uniqueId += 1;
    return `${prefix}-${uniqueId}`;
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function call(path, body) {
    const response = await fetch(`${api}${path}`, {
      method: "POST",
      // The second header proves the call comes from this page (see guard.py).
      headers: { "Content-Type": "application/json", "X-Dialoog-Web": "1" },
      body: JSON.stringify({ as: state.me, ...body }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(data.message || t("failed"));
    }
    return data;
  }

  function setStatus(text) {
    $("status").textContent = text || "";
  }

  // -- text: spans come styled from the server; nothing here parses markup ---------------

  // Only the bot's own links (the server makes them), and only to web addresses.
  const SAFE_LINK = /^https?:\/\//;

  function spans(list) {
    const out = document.createDocumentFragment();
    for (const span of list || []) {
      const lines = document.createDocumentFragment();
      span.text.split("\n").forEach((line, n) => {
        if (n) lines.append(el("br"));
        if (line) lines.append(line);
      });
      let node = lines;
      if (span.code) node = el("code", {}, node);
      if (span.italic) node = el("em", {}, node);
      if (span.bold) node = el("strong", {}, node);
      if (span.link && SAFE_LINK.test(span.link)) {
        node = el("a", { href: span.link, target: "_blank", rel: "noopener noreferrer" }, node);
      }
      out.append(node);
    }
    return out;
  }

  function bullets(block) {
    return el(
      "ul",
      { class: "md-list" },
      ...block.items.map((item) =>
        el(
          "li",
          {},
          spans(item.spans),
          ...(item.under.length
            ? [el("ul", { class: "md-list" }, ...item.under.map((u) => el("li", {}, spans(u))))]
            : []),
        ),
      ),
    );
  }

  // -- the neutral blocks ------------------------------------------------------------------

  function renderBlocks(message, roundId) {
    const box = el("div", { class: "content" });
    const blocks = message.blocks || [];
    if (!blocks.length) box.append(el("p", { class: "plain", text: message.text }));
    for (const block of blocks) box.append(renderBlock(block, roundId));
    return box;
  }

  function renderBlock(block, roundId) {
    switch (block.kind) {
      case "heading":
        // A message's title, or a section (2) and its parts (3) of a summary.
        return (block.level || 1) === 1
          ? el("h3", { class: "block-heading", text: block.text })
          : el(`h${block.level + 2}`, { class: "md-heading", text: block.text });
      case "paragraph":
        return el("div", { class: "block-paragraph" }, el("p", {}, spans(block.spans)));
      case "context":
        return block.text ? el("div", { class: "block-context" }, spans(block.spans)) : el("span");
      case "bullets":
        return bullets(block);
      case "fields":
        return el(
          "dl",
          { class: "block-fields" },
          ...block.pairs.map(([name, value]) =>
            el("div", {}, el("dt", { text: name }), el("dd", { text: value })),
          ),
        );
      case "item_list":
        return renderItems(block);
      case "recall":
        return renderRecall(block, roundId);
      case "buttons":
        return el(
          "div",
          { class: "block-buttons" },
          ...block.buttons.map((button) => renderButton(button, roundId)),
        );
      case "form":
        return renderForm(block, roundId, null);
      case "file":
        return renderFile(block);
      default:
        return el("span");
    }
  }

  // Only these kinds become a data: URL: an image shown, a document to download.
  // Anything else (text/html, say) is never put in a link.
  const FILE_TYPES = { "image/png": "image", "text/markdown": "download" };

  function renderFile(block) {
    const how = FILE_TYPES[block.media_type];
    if (!how || !/^[A-Za-z0-9+/=]*$/.test(block.data)) return el("span");
    const url = `data:${block.media_type};base64,${block.data}`;
    if (how === "image") {
      return el("img", { class: "block-image", src: url, alt: block.alt || block.name });
    }
    return el(
      "p",
      { class: "block-file" },
      el("a", { href: url, download: block.name, text: t("download", { name: block.name }) }),
    );
  }

  function renderItems(block) {
    const titleId = newId("list");
    const items = block.items.map((item) => {
      const li = el("li", { class: item.marked ? "marked" : null });
      if (item.marked) li.append(el("span", { class: "mark", text: "★ ", title: t("marked") }));
      if (item.marked) li.append(el("span", { class: "visually-hidden", text: `${t("marked")}: ` }));
      li.append(el("span", { class: "item-text", text: item.text }));
      if (item.author) li.append(el("span", { class: "item-author", text: ` — ${item.author}` }));
      if (item.note) li.append(el("div", { class: "item-note", text: item.note }));
      return li;
    });
    return el(
      "section",
      { class: "block-list", "aria-labelledby": titleId },
      el("h4", { id: titleId, text: block.title }),
      el("ul", {}, ...items),
    );
  }

  // What an earlier step brought: folded to its title (all but the latest), opened
  // with a click; the browser keeps it open or closed as the person left it.
  function renderRecall(block, roundId) {
    const list = renderItems({ title: "", items: block.items });
    list.removeAttribute("aria-labelledby");
    list.querySelector("h4").remove();
    const summary = el("summary", { text: block.title });
    const details = el(
      "details",
      { class: "block-recall", "data-step": block.step_id },
      summary,
      list,
    );
    const key = `${roundId || ""}:${block.step_id}`;
    const remembered = openRecalls.get(key);
    details.open = remembered === undefined ? !block.folded : remembered;
    // Only what the person chose is remembered (a click), not the default.
    summary.addEventListener("click", () => openRecalls.set(key, !details.open));
    return details;
  }

  // A redraw of the card (each minute, each contribution) must not close what the
  // person opened, nor open what they closed: remembered per round and step.
  const openRecalls = new Map();

  function renderButton(button, roundId) {
    const node = el("button", {
      type: "button",
      class: `btn ${button.style || "default"}`,
      "data-action": button.action,
      "data-value": button.value || "",
      text: button.label,
    });
    node.addEventListener("click", () => act(button.action, button.value || "", {}, roundId, node));
    return node;
  }

  function renderForm(block, roundId, onDone, titled) {
    const form = el("form", { class: "block-form", novalidate: true });
    const titleId = newId("form");
    form.setAttribute("aria-labelledby", titleId);
    // In a dialog of the same title, the dialog's heading names the form.
    const title = el("h4", { id: titleId, text: block.title });
    if (titled) title.className = "visually-hidden";
    form.append(title);
    const error = el("p", { class: "form-error", role: "alert" });
    for (const input of block.inputs) form.append(renderInput(input));
    form.append(error);
    const submit = el("button", { type: "submit", class: "btn primary", text: block.submit_label });
    form.append(el("div", { class: "form-actions" }, submit));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const fields = collect(form, block);
      if (fields === null) return;
      submit.disabled = true;
      try {
        const reply = await act(block.action, block.value || "", fields, roundId, null, true);
        if (reply && reply.accepted && onDone) await onDone(reply);
        else if (reply && !reply.accepted) error.textContent = textOf(reply.messages);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function renderInput(input) {
    const id = newId("input");
    if (input.kind === "text_input") {
      // No maxlength: the browser would cut a long paste without a word. The
      // server refuses a text that is too long, with its length, and the form
      // keeps it.
      const attrs = {
        id,
        name: input.name,
        placeholder: input.placeholder || null,
        required: input.required,
      };
      const field = input.multiline
        ? el("textarea", { ...attrs, rows: 3, text: input.initial || null })
        : el("input", { ...attrs, type: "text", value: input.initial || null });
      const label = el("label", { for: id, text: input.label });
      if (!input.required) label.append(el("span", { class: "optional", text: ` ${t("optional")}` }));
      return el("div", { class: "field" }, label, field);
    }
    if (input.kind === "date_input") {
      return el(
        "div",
        { class: "field" },
        el("label", { for: id, text: input.label }),
        el("input", { id, name: input.name, type: "date", value: input.initial || null, required: true }),
      );
    }
    // choice_input: one choice as radio buttons, several as check boxes.
    const many = input.max_selected > 1;
    const legend = el("legend", { text: input.label });
    const set = el("fieldset", { class: "field choices", "data-name": input.name }, legend);
    if (many) {
      const hint =
        input.min_selected > 0
          ? t("choose_between", { min: input.min_selected, max: input.max_selected })
          : t("choose_at_most", { max: input.max_selected });
      set.append(el("p", { class: "hint", text: hint }));
    }
    for (const option of input.options) {
      const optionId = newId("option");
      set.append(
        el(
          "div",
          { class: "choice" },
          el("input", {
            id: optionId,
            type: many ? "checkbox" : "radio",
            name: input.name,
            value: option.value,
          }),
          el("label", { for: optionId, text: option.label }),
        ),
      );
    }
    return set;
  }

  // The form's values, or null (with the reason shown) when they do not fit.
  function collect(form, block) {
    const fields = {};
    for (const input of block.inputs) {
      if (input.kind === "choice_input") {
        const chosen = Array.from(
          form.querySelectorAll(`input[name="${CSS.escape(input.name)}"]:checked`),
          (node) => node.value,
        );
        const first = form.querySelector(`input[name="${CSS.escape(input.name)}"]`);
        const least = input.required ? Math.max(1, input.min_selected) : input.min_selected;
        if (chosen.length < least || chosen.length > input.max_selected) {
          const error = form.querySelector(".form-error");
          error.textContent =
            input.max_selected > 1
              ? t("choose_between", { min: least, max: input.max_selected })
              : input.label;
          if (first) first.focus();
          return null;
        }
        fields[input.name] = input.max_selected > 1 ? chosen : chosen[0] || "";
      } else {
        const node = form.querySelector(`[name="${CSS.escape(input.name)}"]`);
        if (!node.checkValidity()) {
          node.reportValidity();
          node.focus();
          return null;
        }
        fields[input.name] = node.value;
      }
    }
    return fields;
  }

  function textOf(messages) {
    return (messages || []).map((m) => m.text).join(" ");
  }

  // -- acting ---------------------------------------------------------------------------------

  async function act(action, value, fields, roundId, button, fromForm) {
    // Not `disabled`: a disabled button loses the keyboard focus.
    if (button && button.dataset.busy) return null;
    if (button) button.dataset.busy = "1";
    try {
      const reply = await call("/click", {
        action,
        value,
        fields,
        round_id: roundId || null,
        key: newKey(),
      });
      const answered = button && reply.settles && button.closest("article.ephemeral");
      if (answered) {
        // The private question this button was on has its answer: it goes away.
        state.ephemeral = state.ephemeral.filter((e) => e.id !== answered.dataset.id);
        render(false);
      }
      const refusedForm = fromForm && !reply.accepted;
      if (reply.form && !refusedForm) {
        openDialog(reply.form, roundId || reply.round_id, value);
      } else if (!fromForm || !reply.accepted) {
        if (!refusedForm) addEphemeral(reply.messages, reply.round_id || roundId);
        if (reply.accepted && button && button.closest("#form-dialog")) await reopenDialog();
      }
      return reply;
    } catch (error) {
      setStatus(error.message);
      return null;
    } finally {
      if (button) delete button.dataset.busy;
    }
  }

  async function say(text) {
    const body = { text, key: newKey() };
    if (state.replyTo) body.reply_to = state.replyTo.id;
    const reply = await call("/say", body);
    addEphemeral(reply.messages, reply.round_id);
    if (reply.posted || reply.private) {
      state.replyTo = null;
      showReplyTo();
    }
    return reply;
  }

  async function fillIn() {
    if (!state.round) return;
    const button = $("fill-in");
    button.disabled = true;
    try {
      const reply = await call("/fill-in", { round_id: state.round.id });
      addEphemeral(reply.messages, state.round && state.round.id);
    } catch (error) {
      setStatus(error.message);
    } finally {
      button.disabled = false;
    }
  }

  // -- the form dialog (a person's panel for the current step) ---------------------------

  function openDialog(panel, roundId, value) {
    state.dialog = { roundId, value };
    state.opener = value;
    $("dialog-title").textContent = panel.text;
    $("dialog-status").textContent = "";
    const body = $("dialog-body");
    body.replaceChildren();
    const blocks = panel.blocks.filter((b) => !(b.kind === "heading" && b.text === panel.text));
    for (const block of blocks) {
      if (block.kind === "form") {
        const titled = block.title === panel.text;
        body.append(renderForm(block, roundId, afterSubmit, titled));
      } else {
        body.append(renderBlock(block, roundId));
      }
    }
    if (!dialog.open) dialog.showModal();
    const first = body.querySelector("input, textarea, select, button");
    if (first) first.focus();
  }

  // A dialog holds one form (the engine's rule): sent, it closes and says so.
  function afterSubmit(reply) {
    const { roundId } = state.dialog || {};
    closeDialog();
    addEphemeral(reply.messages, roundId);
  }

  // A button in the dialog (withdraw one's own text) changed what it shows: ask
  // for the person's panel again, or close the dialog when nothing is left in it.
  async function reopenDialog() {
    const { roundId, value } = state.dialog || {};
    if (!roundId) return;
    const next = await call("/click", {
      action: state.actions.OPEN_FORM,
      value: value || "",
      fields: {},
      round_id: roundId,
      key: newKey(),
    }).catch(() => null);
    if (next && next.form) openDialog(next.form, roundId, value);
    else closeDialog();
  }

  function closeDialog() {
    state.dialog = null;
    if (dialog.open) dialog.close();
  }

  // -- the timeline ------------------------------------------------------------------------

  function addEphemeral(messages, roundId) {
    if (!messages || !messages.length) return;
    const after = Math.max(0, ...state.messages.keys());
    for (const message of messages) {
      ephemeralId += 1;
      state.ephemeral.push({ id: `e${ephemeralId}`, after, message, roundId });
    }
    render(true);
  }

  function renderRow(row) {
    const message = row.message;
    const person = row.author;
    const classes = ["msg", person ? "person" : "bot"];
    if (row.private) classes.push("private");
    if (message.slot === "card") classes.push("card");
    const who = person ? person.name : t("bot");
    const time = new Date(row.at);
    const meta = el(
      "div",
      { class: "meta" },
      el("span", { class: "who", text: who }),
      " ",
      el("time", {
        datetime: row.at,
        text: time.toLocaleTimeString(state.language, { hour: "2-digit", minute: "2-digit" }),
      }),
    );
    if (row.private) meta.append(" ", el("span", { class: "badge", text: t("only_for_you") }));
    const node = el(
      "article",
      {
        class: classes.join(" "),
        "data-id": row.id,
        "data-revision": row.revision,
        "data-slot": message.slot || null,
        "data-round": row.round_id || null,
        tabindex: "-1",
      },
      el("div", {
        class: "avatar",
        "aria-hidden": "true",
        text: person ? who.slice(0, 1).toUpperCase() : "d",
      }),
      el("div", { class: "body" }, meta, renderBlocks(message, row.round_id), replyButton(row)),
    );
    return node;
  }

  // A question's own message (slot "question:<item>") can be answered by replying to it.
  function replyButton(row) {
    const slot = row.message.slot || "";
    if (row.private || !slot.startsWith("question:")) return null;
    const button = el("button", { type: "button", class: "btn reply", text: t("reply") });
    button.addEventListener("click", () => {
      state.replyTo = { id: String(row.id), text: row.message.text };
      showReplyTo();
      $("compose-text").focus();
    });
    return button;
  }

  function showReplyTo() {
    const hint = $("reply-to");
    hint.replaceChildren();
    hint.hidden = !state.replyTo;
    if (!state.replyTo) return;
    const cancel = el("button", { type: "button", class: "btn", text: t("reply_cancel") });
    cancel.addEventListener("click", () => {
      state.replyTo = null;
      showReplyTo();
    });
    hint.append(el("span", { text: `${t("replying_to")} ${state.replyTo.text}` }), " ", cancel);
  }

  function renderEphemeral(entry) {
    const node = el(
      "article",
      { class: "msg bot private ephemeral", "data-id": entry.id, tabindex: "-1" },
      el("div", { class: "avatar", "aria-hidden": "true", text: "d" }),
      el(
        "div",
        { class: "body" },
        el(
          "div",
          { class: "meta" },
          el("span", { class: "who", text: t("bot") }),
          " ",
          el("span", { class: "badge", text: t("only_for_you") }),
        ),
        renderBlocks(entry.message, entry.roundId),
      ),
    );
    const dismiss = el("button", { type: "button", class: "btn dismiss", text: t("close") });
    dismiss.addEventListener("click", () => {
      state.ephemeral = state.ephemeral.filter((e) => e.id !== entry.id);
      render(false);
      $("compose-text").focus();
    });
    node.querySelector(".meta").append(" ", dismiss);
    return node;
  }

  // Rebuild only what changed, keeping the focus on the button it was on.
  function render(scroll) {
    const nearBottom =
      timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 120 || scroll;
    const focused = document.activeElement;
    const focusedArticle = focused && timeline.contains(focused) ? focused.closest("article") : null;
    const focusKey = focused && focused.dataset ? [focused.dataset.action, focused.dataset.value] : null;

    const wanted = [];
    const rows = [...state.messages.values()].sort((a, b) => a.id - b.id);
    const early = state.ephemeral.filter((e) => e.after === 0);
    wanted.push(...early.map((e) => ({ key: e.id, make: () => renderEphemeral(e), rev: "e" })));
    for (const row of rows) {
      wanted.push({ key: String(row.id), make: () => renderRow(row), rev: String(row.revision) });
      for (const e of state.ephemeral) {
        if (e.after === row.id) wanted.push({ key: e.id, make: () => renderEphemeral(e), rev: "e" });
      }
    }
    const existing = new Map();
    for (const node of timeline.querySelectorAll(":scope > article")) {
      existing.set(node.dataset.id, node);
    }
    const keep = new Set(wanted.map((w) => w.key));
    for (const [key, node] of existing) if (!keep.has(key)) node.remove();
    let previous = null;
    for (const item of wanted) {
      let node = existing.get(item.key);
      const stale = node && item.rev !== "e" && node.dataset.revision !== item.rev;
      if (!node) {
        node = item.make();
      } else if (stale) {
        // Updated in place: the same element, so whatever points at it stays valid.
        const fresh = item.make();
        for (const { name, value } of fresh.attributes) node.setAttribute(name, value);
        node.replaceChildren(...fresh.childNodes);
        if (node === focusedArticle) restoreFocus(node, focusKey);
      }
      const expected = previous ? previous.nextElementSibling : timeline.firstElementChild;
      if (expected !== node) {
        if (previous) previous.after(node);
        else timeline.prepend(node);
      }
      previous = node;
    }
    const empty = timeline.querySelector(":scope > .empty");
    if (!wanted.length && !empty) {
      timeline.append(el("p", { class: "empty", text: t("empty") }));
    } else if (wanted.length && empty) {
      empty.remove();
    }
    if (nearBottom) timeline.scrollTop = timeline.scrollHeight;
    renderToolbar();
  }

  // The same button if it is still there, else one doing the same (the next
  // step's "next step"), else the message itself.
  function restoreFocus(article, focusKey) {
    if (focusKey && focusKey[0]) {
      const buttons = [...article.querySelectorAll("button[data-action]")];
      const same =
        buttons.find((b) => b.dataset.action === focusKey[0] && b.dataset.value === focusKey[1]) ||
        buttons.find((b) => b.dataset.action === focusKey[0]);
      if (same) {
        same.focus();
        return;
      }
    }
    article.focus();
  }

  function activeCard() {
    if (!state.round) return null;
    const id = CSS.escape(state.round.id);
    return timeline.querySelector(`article.card[data-round="${id}"]`);
  }

  function renderToolbar() {
    const active = Boolean(state.round);
    $("toolbar").hidden = !active;
    $("fill-in").disabled = !active;
  }

  // -- the page around it ----------------------------------------------------------------

  function applyTexts() {
    document.documentElement.lang = state.language;
    document.title = `${t("title")} · #${channel}`;
    $("title").textContent = "dialoog";
    $("channel-name").textContent = t("channel", { channel });
    $("notice").textContent = t("notice");
    $("you-are").textContent = t("you_are");
    $("compose-label").textContent = t("compose_label");
    $("compose-text").placeholder = t("compose_placeholder");
    $("compose-hint").textContent = t("compose_hint");
    $("send").textContent = t("send");
    $("fill-in").textContent = t("fill_in");
    $("fill-in-hint").textContent = t("fill_in_hint");
    $("to-card").textContent = t("to_card");
    $("dialog-close").textContent = t("close");
    timeline.setAttribute("aria-label", t("timeline", { channel }));
    const select = $("colleague");
    if (select.options.length !== state.colleagues.length) {
      select.replaceChildren(
        ...state.colleagues.map((c) => el("option", { value: c.id, text: c.name })),
      );
    }
    select.value = state.me;
  }

  async function refresh() {
    if (state.fetching) {
      state.again = true;
      return;
    }
    state.fetching = true;
    try {
      do {
        state.again = false;
        const view = state.view;
        const query = new URLSearchParams({ as: state.me, after: String(state.cursor) });
        const response = await fetch(`${api}?${query}`, { cache: "no-store" });
        if (!response.ok) throw new Error(t("failed"));
        const data = await response.json();
        if (view !== state.view) {
          // The colleague changed meanwhile (perhaps back again): ask anew.
          state.again = true;
          continue;
        }
        const first = !state.texts.send;
        state.language = data.language;
        state.texts = data.texts;
        state.actions = data.actions;
        state.colleagues = data.colleagues;
        state.round = data.round;
        for (const row of data.messages) state.messages.set(row.id, row);
        state.cursor = Math.max(state.cursor, data.revision);
        applyTexts();
        render(first);
      } while (state.again);
      setStatus("");
    } catch (error) {
      setStatus(t("reconnecting"));
    } finally {
      state.fetching = false;
    }
  }

  function switchColleague(id) {
    state.me = id;
    state.view += 1;
    sessionStorage.setItem(STORE_KEY, id);
    state.messages = new Map();
    state.ephemeral = [];
    state.cursor = 0;
    closeDialog();
    timeline.replaceChildren();
    refresh();
  }

  function connect() {
    const source = new EventSource(`${api}/events`);
    source.addEventListener("changed", (event) => {
      const { revision } = JSON.parse(event.data);
      if (revision > state.cursor) refresh();
    });
    source.addEventListener("open", () => {
      setStatus("");
      refresh();
    });
    source.addEventListener("error", () => setStatus(t("reconnecting")));
  }

  function start() {
    const compose = $("compose");
    const box = $("compose-text");
    compose.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = box.value;
      if (!text.trim()) return;
      $("send").disabled = true;
      try {
        const reply = await say(text);
        // A refused or hidden message stays in the box, so nothing typed is lost; one the
        // pupil-name guard holds (a private question) is kept on the server already.
        if (text.trim().startsWith("/") || reply.posted || reply.private) box.value = "";
      } catch (error) {
        setStatus(error.message);
      } finally {
        $("send").disabled = false;
        box.focus();
      }
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        compose.requestSubmit();
      }
    });
    $("colleague").addEventListener("change", (event) => switchColleague(event.target.value));
    $("fill-in").addEventListener("click", fillIn);
    $("to-card").addEventListener("click", () => {
      const card = activeCard();
      if (card) {
        card.scrollIntoView({ block: "start" });
        card.focus();
      }
    });
    $("dialog-close").addEventListener("click", closeDialog);
    dialog.addEventListener("close", () => {
      state.dialog = null;
      // The button that opened the form may have been redrawn meanwhile: find
      // its successor, so the keyboard goes on where it was.
      setTimeout(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        const card = activeCard();
        const value = CSS.escape(state.opener || "");
        const action = CSS.escape(state.actions.OPEN_FORM || "");
        const opener =
          card && card.querySelector(`button[data-action="${action}"][data-value="${value}"]`);
        (opener || $("compose-text")).focus();
      }, 0);
    });
    refresh();
    connect();
  }

  start();
})();
