// trainplan web page: a goal race in, a live solve, the plan out. Plain JS, no build step.
//
// The job's Server-Sent Events are read with fetch() and a ReadableStream, not EventSource:
// EventSource cannot send the X-API-Key header. A dropped stream is resumed with
// Last-Event-ID, and event ids already seen are skipped, so no event is lost or shown twice.
"use strict";

(() => {
  const KEY_STORE = "trainplan.apiKey";
  const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
  const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  const $ = (id) => document.getElementById(id);

  // One element, safely: text is always set as text, never parsed as HTML.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // --- the API key ------------------------------------------------------------------------

  function keyFromFragment() {
    const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
    if (!match) return null;
    // Out of the address bar (and history) once stored.
    history.replaceState(null, "", location.pathname + location.search);
    return decodeURIComponent(match[1]);
  }

  function storedKey() {
    try {
      return localStorage.getItem(KEY_STORE) || "";
    } catch {
      return "";
    }
  }

  function storeKey(key) {
    try {
      if (key) localStorage.setItem(KEY_STORE, key);
      else localStorage.removeItem(KEY_STORE);
    } catch {
      /* private mode: the key lives in the field only */
    }
  }

  function apiKey() {
    return $("tp-key").value.trim();
  }

  function showKeyStatus() {
    $("tp-key-status").textContent = apiKey()
      ? "Key saved in this browser."
      : "No key yet: `trainplan dev` prints a link with one, or ask your admin.";
  }

  // --- HTTP -------------------------------------------------------------------------------

  class ApiProblem extends Error {
    constructor(status, detail, errors = []) {
      super(detail);
      this.status = status;
      this.detail = detail;
      this.errors = errors;
    }
  }

  async function problemOf(response) {
    let detail = `${response.status} ${response.statusText}`.trim();
    let errors = [];
    try {
      const body = await response.json();
      if (body && typeof body.detail === "string") detail = body.detail;
      if (body && Array.isArray(body.errors)) errors = body.errors.map(String);
    } catch {
      /* not JSON: keep the status line */
    }
    return new ApiProblem(response.status, detail, errors);
  }

  function headers(extra = {}) {
    return { "X-API-Key": apiKey(), ...extra };
  }

  async function api(method, path, body) {
    const init = { method, headers: headers(), cache: "no-store" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) throw await problemOf(response);
    return response.status === 204 ? null : response.json();
  }

  async function apiBlob(path) {
    const response = await fetch(path, { headers: headers(), cache: "no-store" });
    if (!response.ok) throw await problemOf(response);
    return response.blob();
  }

  // --- Server-Sent Events over fetch ------------------------------------------------------

  // Yields {id, event, data} per event of a text/event-stream body.
  async function* sseEvents(body, signal) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    const abort = () => reader.cancel().catch(() => {});
    signal.addEventListener("abort", abort);
    let buffer = "";
    let fields = { id: null, event: "message", data: [] };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop(); // an incomplete last line waits for more
        for (const line of lines) {
          if (line === "") {
            if (fields.data.length) {
              yield { id: fields.id, event: fields.event, data: fields.data.join("\n") };
            }
            fields = { id: null, event: "message", data: [] };
          } else if (!line.startsWith(":")) {
            const colon = line.indexOf(":");
            const name = colon < 0 ? line : line.slice(0, colon);
            let value = colon < 0 ? "" : line.slice(colon + 1);
            if (value.startsWith(" ")) value = value.slice(1);
            if (name === "data") fields.data.push(value);
            else if (name === "id") fields.id = value;
            else if (name === "event") fields.event = value;
          }
        }
      }
    } finally {
      signal.removeEventListener("abort", abort);
      abort(); // done with this connection (after a terminal event, or dropped)
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Follows a job's events to its terminal one, reconnecting after a dropped connection.
  // `watch.stopped` ends it quietly (a new plan was asked for).
  async function followJob(jobId, watch, onEvent) {
    let lastId = null;
    let failures = 0;
    while (!watch.stopped) {
      watch.controller = new AbortController();
      const signal = watch.controller.signal;
      try {
        const extra = { Accept: "text/event-stream" };
        if (lastId) extra["Last-Event-ID"] = lastId;
        const response = await fetch(`/jobs/${encodeURIComponent(jobId)}/events`, {
          headers: headers(extra),
          cache: "no-store",
          signal,
        });
        if (!response.ok) {
          const problem = await problemOf(response);
          if (response.status < 500) throw problem; // 401/404: retrying will not help
          throw new Error(problem.detail);
        }
        streamStatus(lastId ? "Reconnected; resumed after the last event." : "Live.");
        $("tp-progress").dataset.connections = String(watch.reconnects + 1);
        failures = 0;
        for await (const message of sseEvents(response.body, signal)) {
          if (watch.stopped) return;
          if (message.id && watch.seen.has(message.id)) continue;
          if (message.id) {
            watch.seen.add(message.id);
            lastId = message.id;
          }
          const data = JSON.parse(message.data);
          onEvent(message.id, data);
          if (TERMINAL.has(data.event)) {
            streamStatus(`Finished: ${watch.seen.size} events received.`);
            return;
          }
        }
      } catch (err) {
        if (err instanceof ApiProblem) throw err;
        /* a network error or a dropped connection: resume below */
      }
      if (watch.stopped) return;
      failures += 1;
      watch.reconnects += 1;
      streamStatus(`Connection lost; reconnecting (attempt ${failures})…`);
      await sleep(Math.min(250 * 2 ** failures, 5000));
    }
  }

  // --- the page ---------------------------------------------------------------------------

  let current = null; // the job being watched: {jobId, stopped, controller, seen, ...}

  function streamStatus(text) {
    $("tp-stream-status").textContent = text;
  }

  function showProblem(err) {
    const box = $("tp-error");
    box.replaceChildren();
    const detail = err instanceof ApiProblem ? err.detail : `Cannot reach the server (${err.message}).`;
    box.append(el("strong", { text: detail }));
    if (err instanceof ApiProblem && err.errors.length > 1) {
      box.append(el("ul", {}, ...err.errors.map((e) => el("li", { text: e }))));
    }
    box.hidden = false;
  }

  function clearProblem() {
    $("tp-error").hidden = true;
    $("tp-error").replaceChildren();
  }

  const num = (id) => {
    const text = $(id).value.trim();
    return text === "" ? undefined : Number(text);
  };
  const text = (id) => $(id).value.trim() || undefined;

  function formRequests() {
    const unavailable = ($("tp-unavailable").value || "")
      .split(/[\s,;]+/)
      .filter(Boolean);
    const runner = {
      name: "Web runner",
      ctl: num("tp-ctl"),
      atl: num("tp-atl"),
      weekly_hours: num("tp-hours"),
      rest_days: num("tp-rest"),
      long_run_day: Number($("tp-long-day").value),
      unavailable_dates: unavailable,
    };
    const distance = $("tp-distance").value;
    const generate = {
      schema_id: `builtin-${distance}`,
      distance,
      marathon_date: text("tp-race-date"),
      start: text("tp-start"),
      time_limit_s: num("tp-time-limit"),
    };
    return { runner: dropUndefined(runner), generate: dropUndefined(generate) };
  }

  function dropUndefined(obj) {
    return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
  }

  function resetPanels() {
    for (const id of ["tp-progress", "tp-result", "tp-conflicts"]) $(id).hidden = true;
    $("tp-events").replaceChildren();
    $("tp-event-count").textContent = "0";
    $("tp-calendar").replaceChildren();
    $("tp-chart").replaceChildren();
    $("tp-conflict-list").replaceChildren();
    for (const id of ["tp-state", "tp-objective", "tp-gap", "tp-elapsed"]) $(id).textContent = "-";
    setBar(0, "");
    streamStatus("");
    delete $("tp-progress").dataset.job;
    delete $("tp-progress").dataset.connections;
  }

  function setBar(percent, state) {
    const bar = $("tp-bar");
    bar.className = `bar ${state}`;
    bar.setAttribute("aria-valuenow", String(Math.round(percent)));
    $("tp-bar-fill").style.width = `${Math.max(0, Math.min(100, percent))}%`;
  }

  const fmtGap = (gap) => (gap === null || gap === undefined || !isFinite(gap) ? "-" : `${(gap * 100).toFixed(2)}%`);
  const fmtObjective = (v) => (v === null || v === undefined ? "-" : v.toFixed(2));

  // Elapsed time ticks between events (progress arrives only when the plan improves).
  function startTicker(watch) {
    stopTicker(watch);
    watch.ticker = setInterval(() => {
      if (watch.elapsedAt === null) return;
      const seconds = watch.elapsedBase + (performance.now() - watch.elapsedAt) / 1000;
      $("tp-elapsed").textContent = `${seconds.toFixed(1)} s`;
    }, 200);
  }

  function stopTicker(watch) {
    if (watch.ticker) clearInterval(watch.ticker);
    watch.ticker = null;
  }

  function onEvent(watch, id, data) {
    const list = $("tp-events");
    const detail = data.progress && data.event === "progress"
      ? ` objective ${fmtObjective(data.progress.objective)}, gap ${fmtGap(data.progress.gap)}`
      : "";
    list.append(el("li", { "data-id": id || "", "data-event": data.event, text: `${data.event}${detail}` }));
    $("tp-event-count").textContent = String(list.children.length);
    $("tp-state").textContent = data.state;

    const progress = data.progress;
    if (progress) {
      if (progress.objective !== null && progress.objective !== undefined) {
        $("tp-objective").textContent = fmtObjective(progress.objective);
        $("tp-gap").textContent = fmtGap(progress.gap);
      }
      setBar(progress.percent || 0, "");
      watch.elapsedBase = progress.elapsed_s || 0;
      watch.elapsedAt = performance.now();
      $("tp-elapsed").textContent = `${watch.elapsedBase.toFixed(1)} s`;
    }
    if (data.event === "started" && watch.elapsedAt === null) {
      watch.elapsedBase = 0;
      watch.elapsedAt = performance.now();
      startTicker(watch);
    }
    if (data.event === "progress" && !watch.ticker) startTicker(watch);
    if (TERMINAL.has(data.event)) {
      stopTicker(watch);
      watch.terminal = data;
    }
  }

  async function submitPlan(event) {
    event.preventDefault();
    clearProblem();
    if (!apiKey()) {
      showProblem(new ApiProblem(401, "Enter your API key first."));
      $("tp-key").focus();
      return;
    }
    if (current) {
      current.stopped = true;
      current.controller?.abort();
      stopTicker(current);
    }
    resetPanels();
    const { runner, generate } = formRequests();
    const button = $("tp-submit");
    button.disabled = true;
    let watch = null;
    try {
      const created = await api("POST", "/runners", runner);
      const accepted = await api("POST", `/runners/${encodeURIComponent(created.id)}/training-plans/generate`, generate);
      watch = {
        jobId: accepted.job_id,
        stopped: false,
        controller: null,
        seen: new Set(),
        reconnects: 0,
        ticker: null,
        elapsedBase: 0,
        elapsedAt: null,
        terminal: null,
      };
      current = watch;
      $("tp-progress").dataset.job = watch.jobId;
      $("tp-progress").hidden = false;
      $("tp-state").textContent = accepted.state;
      $("tp-cancel").hidden = false;
      await followJob(watch.jobId, watch, (id, data) => onEvent(watch, id, data));
      if (watch.stopped) return;
      await finish(watch);
    } catch (err) {
      showProblem(err);
      if (watch) stopTicker(watch);
    } finally {
      if (current === watch || watch === null) {
        button.disabled = false;
        $("tp-cancel").hidden = true;
      }
    }
  }

  async function finish(watch) {
    const last = watch.terminal;
    if (!last) return;
    if (last.event !== "succeeded") {
      setBar(100, "failed");
      const box = $("tp-conflicts");
      $("tp-conflicts-title").textContent = last.event === "cancelled" ? "Cancelled" : "No plan";
      $("tp-failure").textContent = last.error || `The job ${last.event}.`;
      $("tp-conflict-list").replaceChildren(...(last.conflicts || []).map((c) => el("li", { text: c })));
      box.hidden = false;
      return;
    }
    setBar(100, "done");
    const plan = await api("GET", `/training-plans/${encodeURIComponent(last.plan_id)}`);
    // The final figures: progress events stop at the last improvement, the summary does not.
    $("tp-elapsed").textContent = `${plan.summary.solve_seconds.toFixed(1)} s`;
    $("tp-objective").textContent = fmtObjective(plan.summary.objective);
    $("tp-gap").textContent = fmtGap(plan.summary.gap);
    showPlan(plan);
    await showChart(plan.plan_id);
  }

  // --- the plan ---------------------------------------------------------------------------

  const parseDate = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  };
  const shortDate = (iso) => {
    const d = parseDate(iso);
    return `${WEEKDAYS[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  };

  function showPlan(plan) {
    const s = plan.summary;
    const weeks = new Map();
    for (const day of plan.days) {
      if (!weeks.has(day.week_number)) weeks.set(day.week_number, []);
      weeks.get(day.week_number).push(day);
    }
    const sessions = plan.days.filter((d) => d.intensity !== "rest").length;
    const race = plan.days.find((d) => d.date === s.race_date);
    $("tp-summary").textContent =
      `${weeks.size} weeks, ${sessions} sessions, ${(s.total_minutes / 60).toFixed(1)} h to race day ` +
      `${shortDate(s.race_date)} ${s.race_date.slice(0, 4)}` +
      (race ? ` (race-day fitness ${race.ctl.toFixed(1)}, form ${race.tsb >= 0 ? "+" : ""}${race.tsb.toFixed(1)}).` : ".") +
      ` ${s.status}, gap ${fmtGap(s.gap)}, solved in ${s.solve_seconds.toFixed(1)} s.`;

    const calendar = $("tp-calendar");
    calendar.replaceChildren();
    for (const [number, days] of [...weeks.entries()].sort((a, b) => a[0] - b[0])) {
      calendar.append(weekBlock(number, days, s.race_date));
    }
    $("tp-result").hidden = false;

    const ics = $("tp-ics");
    ics.onclick = (event) => download(event, `/training-plans/${encodeURIComponent(plan.plan_id)}.ics`, "training-plan.ics");
    const chart = $("tp-chart-link");
    chart.onclick = (event) => download(event, `/training-plans/${encodeURIComponent(plan.plan_id)}/chart.svg`, "training-plan.svg");
  }

  function weekBlock(number, days, raceDate) {
    const phases = [...new Set(days.map((d) => d.phase))];
    const recovery = days.some((d) => d.is_recovery_week);
    const minutes = days.reduce((sum, d) => sum + d.duration_min, 0);
    const load = days.reduce((sum, d) => sum + d.load, 0);
    const dates = [...new Set(days.map((d) => d.date))].sort();
    const head = el(
      "div",
      { class: "week-head" },
      el("strong", { text: `Week ${number}` }),
      ...phases.map((p) => el("span", { class: `tag phase-${p}`, text: p })),
      recovery ? el("span", { class: "tag recovery", text: "recovery week" }) : null,
      el("span", {
        class: "meta",
        text: `${shortDate(dates[0])} to ${shortDate(dates[dates.length - 1])} · ${(minutes / 60).toFixed(1)} h · load ${load}`,
      }),
    );
    const grid = el("div", { class: "days" });
    const firstWeekday = days.find((d) => d.date === dates[0]).day_of_week;
    for (let i = 0; i < firstWeekday; i++) grid.append(el("div", { class: "day pad", "aria-hidden": "true" }));
    for (const date of dates) {
      const slots = days.filter((d) => d.date === date).sort((a, b) => a.slot - b.slot);
      grid.append(dayCell(date, slots, date === raceDate));
    }
    return el(
      "section",
      { class: `week${recovery ? " recovery" : ""}`, "data-week": number, "aria-label": `week ${number}` },
      head,
      grid,
    );
  }

  function dayCell(date, slots, isRace) {
    const cell = el("div", { class: `day${isRace ? " race-day" : ""}`, "data-date": date }, el("div", { class: "when", text: shortDate(date) }));
    const body = el("div", {});
    for (const d of slots) {
      const rest = d.intensity === "rest";
      body.append(
        el(
          "div",
          {
            class: `session int-${d.intensity}`,
            "data-code": d.session_code,
            "data-intensity": d.intensity,
            "data-minutes": d.duration_min,
            title: d.session_definition || d.session_type,
          },
          el("div", { class: "name", text: rest ? "Rest" : d.session_type }),
          rest ? null : el("div", { class: "mins", text: `${d.duration_min} min · ${d.intensity}` }),
          !rest && d.session_definition ? el("div", { class: "def", text: d.session_definition }) : null,
        ),
      );
    }
    cell.append(body);
    return cell;
  }

  async function showChart(planId) {
    const figure = $("tp-chart");
    try {
      const blob = await apiBlob(`/training-plans/${encodeURIComponent(planId)}/chart.svg`);
      // Parsed as XML (never run), then adopted: the chart's series stay addressable.
      const doc = new DOMParser().parseFromString(await blob.text(), "image/svg+xml");
      const svg = doc.documentElement;
      if (svg.nodeName !== "svg") throw new Error("the chart is not an SVG");
      svg.setAttribute("role", "img");
      figure.replaceChildren(document.importNode(svg, true));
    } catch (err) {
      figure.replaceChildren(el("p", { class: "problem", text: `No chart: ${err.detail || err.message}` }));
    }
  }

  async function download(event, path, filename) {
    event.preventDefault();
    try {
      const blob = await apiBlob(path);
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      showProblem(err);
    }
  }

  async function cancelPlan() {
    if (!current) return;
    try {
      await api("DELETE", `/jobs/${encodeURIComponent(current.jobId)}`);
    } catch (err) {
      showProblem(err);
    }
  }

  function init() {
    const fromUrl = keyFromFragment();
    if (fromUrl) storeKey(fromUrl);
    $("tp-key").value = fromUrl || storedKey();
    showKeyStatus();
    $("tp-key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      storeKey(apiKey());
      showKeyStatus();
    });
    $("tp-key").addEventListener("change", () => {
      storeKey(apiKey());
      showKeyStatus();
    });
    $("tp-form").addEventListener("submit", submitPlan);
    $("tp-cancel").addEventListener("click", cancelPlan);
    // A race four months out, as a starting point.
    const race = $("tp-race-date");
    if (!race.value) {
      const d = new Date();
      d.setDate(d.getDate() + 7 * 16 + ((7 - d.getDay()) % 7)); // a Sunday
      const pad = (n) => String(n).padStart(2, "0");
      race.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    }
    document.body.dataset.ready = "true";
  }

  init();
})();
