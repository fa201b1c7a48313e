// unspin: the little JavaScript the pages use. Pages work without it; it only polls
// a batch's progress so the job page updates in place. Text goes in with textContent,
// never innerHTML: everything that comes back may be article content.
"use strict";

(function () {
  const job = document.querySelector("[data-job]");
  if (!job) return;
  const id = job.getAttribute("data-job");
  const field = (name) => job.querySelector('[data-field="' + name + '"]');

  function fillList(list, items, render) {
    if (!list) return;
    list.replaceChildren(...items.map(render));
  }

  function show(state) {
    field("state").textContent = state.state;
    field("done").textContent = String(state.done);
    const bar = field("progress");
    bar.max = Math.max(state.sources, state.done, 1);
    bar.value = state.state === "done" ? bar.max : state.done;
    bar.textContent = state.done + " of " + state.sources;
    field("current").textContent = state.current || "";
    const message = field("message");
    message.textContent = state.message || "";
    message.hidden = !state.message;
    if (state.state === "done") {
      field("result").hidden = false;
      field("n-added").textContent = String(state.added.length);
      field("n-updated").textContent = String(state.updated.length);
      field("n-known").textContent = String(state.known.length);
      field("n-failed").textContent = String(state.failed.length);
      fillList(field("added"), state.added, (articleId) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "/articles/" + encodeURIComponent(articleId);
        a.textContent = articleId.slice(0, 10);
        li.append(a);
        return li;
      });
      fillList(field("failed"), state.failed, (f) => {
        const li = document.createElement("li");
        const code = document.createElement("code");
        code.textContent = f.source;
        li.append(code, document.createTextNode(": " + f.reason));
        return li;
      });
    }
    return state.state === "queued" || state.state === "running";
  }

  async function poll() {
    try {
      const response = await fetch("/api/jobs/" + encodeURIComponent(id), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      if (show(await response.json())) setTimeout(poll, 700);
    } catch (err) {
      setTimeout(poll, 2000);
    }
  }
  poll();
})();
