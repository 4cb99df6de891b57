// trainplan web page: a goal race in, a live solve, the plan out. Plain JS, no build step.
// The runner is created once and updated afterwards (its id in localStorage); a plan has its
// own address, /#plan=<id>.
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
      else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
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
    // Out of the address bar (and history) once stored; the rest (a plan's address) stays.
    const rest = location.hash.slice(1).split("&").filter((part) => !part.startsWith("key="));
    history.replaceState(null, "", location.pathname + location.search + (rest.length ? `#${rest.join("&")}` : ""));
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

  const RUNNER_STORE = "trainplan.runnerId";
  const DEFAULT_NAME = "Web runner";
  const DISTANCE_NAMES = { "5k": "5 km", "10k": "10 km", half: "half marathon", marathon: "marathon" };
  // A goal race is a run or a triathlon (other races stay runs: their rows offer runs).
  const GOAL_NAMES = { ...DISTANCE_NAMES, sprint: "sprint triathlon", olympic: "olympic triathlon", "70.3": "70.3 triathlon", ironman: "Ironman triathlon" };
  // "About N hours a week lately" as a training load: an hour of mostly easy running at an
  // intensity factor of about 0.75 scores 100 × 0.75² = 56.25 load points (TSS; the plan's
  // own easy hour is 55), so the daily average, fitness (CTL), is hours × 56.25 / 7. Someone
  // who has trained like that for weeks has fatigue (ATL) about equal to it.
  const LOAD_PER_HOUR = 60 * 0.9375;
  const ctlFromHours = (hours) => Math.round(((hours * LOAD_PER_HOUR) / 7) * 10) / 10;
  const hoursFromCtl = (ctl) => Math.round(((ctl * 7) / LOAD_PER_HOUR) * 2) / 2;

  let current = null; // the job being watched: {jobId, stopped, controller, seen, ...}
  let runnerId = null; // the runner this browser plans for (created once, then updated)
  let shownPlanId = null;
  let shownVersionQuery = ""; // `?version=N` when an older version is shown
  let shownVersion = null; // null: the plan's latest version
  let listedRunners = []; // the first page of GET /runners

  function streamStatus(text) {
    $("tp-stream-status").textContent = text;
  }

  function storedRunner() {
    try {
      return localStorage.getItem(RUNNER_STORE) || null;
    } catch {
      return null;
    }
  }

  function rememberRunner(id) {
    runnerId = id;
    try {
      if (id) localStorage.setItem(RUNNER_STORE, id);
      else localStorage.removeItem(RUNNER_STORE);
    } catch {
      /* private mode: remembered until the page closes */
    }
  }

  // --- errors, next to their field --------------------------------------------------------

  // The API's error locations (`athlete.unavailable_dates.0`, `races.0.date`, ...) and
  // sentences ("The start date ... is after ...") to the field they are about.
  const LOCATIONS = [
    [/^(athlete\.)?unavailable_dates\b/, "tp-unavailable"],
    [/^(athlete\.)?ctl\b/, "tp-ctl"],
    [/^(athlete\.)?atl\b/, "tp-atl"],
    [/^(athlete\.)?weekly_hours\b/, "tp-hours"],
    [/^(athlete\.)?rest_days\b/, "tp-rest"],
    [/^(athlete\.)?long_run_day\b/, "tp-long-day"],
    [/^markers\.race_result\.time_s\b/, "tp-rr-time"],
    [/^markers\.race_result\b/, "tp-rr-time"],
    [/^markers\.threshold_pace_s_per_km\b/, "tp-threshold-pace"],
    [/^markers\.lthr_bpm\b/, "tp-lthr"],
    [/^markers\.max_hr_bpm\b/, "tp-max-hr"],
    [/^markers\.ftp_w\b/, "tp-ftp"],
    [/^markers\.css_s_per_100m\b/, "tp-css"],
    [/^markers\b.*lthr/, "tp-lthr"],
    [/^name\b/, "tp-name"],
    [/^(athlete\.)?availability_min\b/, "tp-avail-0"],
    [/^(athlete\.)?swim_days\b/, "tp-swim-0"],
    [/^(athlete\.)?long_ride_day\b/, "tp-long-ride-day"],
    [/^(marathon_date|races\.0\.date)\b/, "tp-race-date"],
    [/^(distance|schema_id|races\.0\.distance)\b/, "tp-distance"],
    [/^start\b/, "tp-start"],
    [/^time_limit_s\b/, "tp-time-limit"],
  ];
  const SENTENCES = [
    [/unavailable/i, "tp-unavailable"],
    [/^the start date|^the plan from/i, "tp-start"],
    [/^the race date/i, "tp-race-date"],
    [/training hours|hours per week/i, "tp-hours"],
    [/every weekday is marked unavailable/i, "tp-avail-0"],
  ];
  const FIELD_NAMES = {
    "tp-unavailable": "days you cannot train",
    "tp-race-date": "race date",
    "tp-start": "first training day",
  };

  // "loc: message" of the API to [field id or null, plain words].
  function locate(problem) {
    const match = /^([A-Za-z_][\w.]*): (.*)$/s.exec(problem);
    if (match) {
      const [, where, message] = match;
      const row = /^other_races\.(\d+)(?:\.(date|distance|priority|name))?/.exec(where);
      if (row && $(`tp-race-${row[1]}-${row[2] || "date"}`)) return [`tp-race-${row[1]}-${row[2] || "date"}`, plainWords(message, "")];
      const day = /^(?:athlete\.)?availability_min\.(\d)$/.exec(where);
      if (day) return [`tp-avail-${day[1]}`, plainWords(message, "")];
      const hit = LOCATIONS.find(([pattern]) => pattern.test(where));
      if (hit) return [hit[1], plainWords(message, where)];
    }
    const other = /^The [BC] race on (\d{4}-\d{2}-\d{2})/.exec(problem);
    const rowId = other && raceRows().find((r) => r.date === other[1])?.id;
    if (rowId) return [rowId, plainWords(problem, "")];
    const hit = SENTENCES.find(([pattern]) => pattern.test(problem));
    return [hit ? hit[1] : null, plainWords(problem, "")];
  }

  function plainWords(message, where) {
    let words = message.replace(/^Value error, /, "").trim();
    const item = /\.(\d+)$/.exec(where);
    if (/valid date/.test(words)) {
      words = "is not a date: write it as YYYY-MM-DD, e.g. 2027-04-18";
      if (item) words = `date number ${Number(item[1]) + 1} ${words}`;
      else words = `This ${words}`;
    } else if (/greater than or equal to (\S+)/.test(words)) {
      words = `Must be ${/greater than or equal to (\S+)/.exec(words)[1]} or more.`;
    } else if (/less than or equal to (\S+)/.test(words)) {
      words = `Must be ${/less than or equal to (\S+)/.exec(words)[1]} or less.`;
    } else if (/greater than (\S+)/.test(words)) {
      words = `Must be more than ${/greater than (\S+)/.exec(words)[1]}.`;
    }
    words = words.charAt(0).toUpperCase() + words.slice(1);
    return /[.!?]$/.test(words) ? words : `${words}.`;
  }

  function clearProblems() {
    $("tp-error").hidden = true;
    $("tp-error").replaceChildren();
    for (const node of document.querySelectorAll("#tp-form .field-error")) node.remove();
    for (const input of document.querySelectorAll("#tp-form [aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  // One message per field; several problems of one field become one sentence each in it.
  function showFieldProblems(problems) {
    const byField = new Map();
    const general = [];
    for (const [field, words] of problems) {
      if (field === null) {
        if (!general.includes(words)) general.push(words);
        continue;
      }
      if (!byField.has(field)) byField.set(field, []);
      if (!byField.get(field).includes(words)) byField.get(field).push(words);
    }
    for (const [field, messages] of byField) {
      const input = $(field);
      if (field === "tp-ctl" || field === "tp-atl" || field === "tp-time-limit") $("tp-advanced").open = true;
      const note = el("p", { class: "field-error", id: `${field}-error`, text: messages.join(" ") });
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      input.closest("label").append(note);
    }
    if (general.length) showProblem(general);
    const first = document.querySelector("#tp-form [aria-invalid]");
    if (first) first.focus();
  }

  function showProblem(messages) {
    const box = $("tp-error");
    box.replaceChildren();
    const list = Array.isArray(messages) ? messages : [messages];
    if (list.length === 1) box.append(el("strong", { text: list[0] }));
    else box.append(el("ul", {}, ...list.map((m) => el("li", { text: m }))));
    box.hidden = false;
  }

  function showError(err) {
    if (!(err instanceof ApiProblem)) {
      showProblem(`Cannot reach trainplan (${err.message}). Check your connection and try again.`);
      return;
    }
    if (err.status === 401) {
      showProblem("This API key is not valid: paste the key trainplan gave you above.");
      $("tp-key-form").hidden = false;
      $("tp-key-change").hidden = true;
      $("tp-key").focus();
      return;
    }
    const problems = err.errors.length ? err.errors : [err.detail.replace(/^[^:]*: /, "")];
    showFieldProblems(problems.map(locate));
  }

  // --- the form ---------------------------------------------------------------------------

  const num = (id) => {
    const text = $(id).value.trim();
    return text === "" ? undefined : Number(text);
  };
  const text = (id) => $(id).value.trim() || undefined;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const isDate = (s) => ISO_DATE.test(s) && !isNaN(parseDate(s)) && parseDate(s).toISOString().slice(0, 10) === s;
  const todayIso = () => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };

  function unavailableDates() {
    return ($("tp-unavailable").value || "").split(/[\s,;]+/).filter(Boolean);
  }

  // "1:45:30" or "49:30" to seconds; NaN otherwise.
  function duration(text) {
    const match = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)$/.exec(text.trim());
    if (!match) return NaN;
    return Number(match[1] || 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  }

  // "4:35" (a pace per km) to seconds; NaN otherwise.
  function minSec(text) {
    const match = /^(\d{1,2}):([0-5]\d)$/.exec(text.trim());
    return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  }

  function numberProblem(id, what) {
    const input = $(id);
    const value = num(id);
    if (value === undefined) return null;
    if (!isFinite(value)) return `${what} must be a number.`;
    const min = Number(input.min);
    const max = Number(input.max);
    if (input.min !== "" && value < min) return `${what} must be at least ${min}.`;
    if (input.max !== "" && value > max) return `${what} must be at most ${max}.`;
    if (input.step === "1" && !Number.isInteger(value)) return `${what} must be a whole number.`;
    return null;
  }

  // The browser's own checks, in the same words and places as the API's.
  function formProblems() {
    const problems = [];
    const race = text("tp-race-date");
    const start = text("tp-start");
    const today = todayIso();
    if (!race) problems.push(["tp-race-date", "Pick the date of your race."]);
    else if (!isDate(race)) problems.push(["tp-race-date", "This is not a date: write it as YYYY-MM-DD."]);
    else if (race < today) problems.push(["tp-race-date", "The race date is in the past."]);
    if (start && !isDate(start)) problems.push(["tp-start", "This is not a date: write it as YYYY-MM-DD."]);
    else if (start && start < today) problems.push(["tp-start", "The first training day is in the past."]);
    else if (start && race && isDate(race) && start >= race) {
      problems.push(["tp-start", "The first training day must be before the race."]);
    }
    const bad = unavailableDates().filter((d) => !isDate(d));
    if (bad.length) {
      problems.push(["tp-unavailable", `${bad.map((d) => `"${d}"`).join(", ")} ${bad.length > 1 ? "are not dates" : "is not a date"}: write YYYY-MM-DD, e.g. 2027-02-14.`]);
    } else if (race && unavailableDates().includes(race)) {
      problems.push(["tp-unavailable", "Your race day is in this list."]);
    }
    if (num("tp-hours") === undefined) problems.push(["tp-hours", "How many hours a week can you train?"]);
    if (num("tp-recent-hours") === undefined && num("tp-ctl") === undefined) {
      problems.push(["tp-recent-hours", "About how many hours a week have you trained lately? 0 is fine."]);
    }
    for (const [id, what] of [
      ["tp-recent-hours", "Hours lately"],
      ["tp-hours", "Hours a week"],
      ["tp-rest", "Rest days"],
      ["tp-ctl", "Fitness"],
      ["tp-atl", "Fatigue"],
      ["tp-time-limit", "Search time"],
    ]) {
      const problem = numberProblem(id, what);
      if (problem) problems.push([id, problem]);
    }
    problems.push(...raceRowProblems(race, start, today));
    if (availability().every((m) => m === 0)) {
      problems.push(["tp-avail-0", "Every day is off: leave at least one day to train on."]);
    }
    const rrDistance = $("tp-rr-distance").value;
    const rrTime = $("tp-rr-time").value.trim();
    if (rrDistance && !rrTime) problems.push(["tp-rr-time", "Your time for that race, e.g. 49:30."]);
    else if (rrTime && !rrDistance) problems.push(["tp-rr-distance", "Which distance was it?"]);
    else if (rrTime && !isFinite(duration(rrTime))) problems.push(["tp-rr-time", "Write the time as H:MM:SS or MM:SS, e.g. 1:52:10."]);
    const tPace = text("tp-threshold-pace");
    if (tPace && !isFinite(minSec(tPace))) problems.push(["tp-threshold-pace", "Write the pace per km as M:SS, e.g. 4:35."]);
    const css = text("tp-css");
    if (css && !isFinite(minSec(css))) problems.push(["tp-css", "Write the swim pace per 100 m as M:SS, e.g. 1:45."]);
    for (const [id, what] of [["tp-lthr", "Threshold heart rate"], ["tp-max-hr", "Maximum heart rate"], ["tp-ftp", "FTP"]]) {
      const problem = numberProblem(id, what);
      if (problem) problems.push([id, problem]);
    }
    const lthr = num("tp-lthr");
    const maxHr = num("tp-max-hr");
    if (lthr !== undefined && maxHr !== undefined && lthr >= maxHr) problems.push(["tp-lthr", "Your threshold heart rate must be below your maximum."]);
    return problems;
  }

  function fitness() {
    const ctl = num("tp-ctl");
    const atl = num("tp-atl");
    const fromHours = ctlFromHours(num("tp-recent-hours") ?? 0);
    return { ctl: ctl ?? fromHours, atl: atl ?? ctl ?? fromHours };
  }

  function formRequests() {
    const rrDistance = $("tp-rr-distance").value;
    const rrTime = $("tp-rr-time").value.trim();
    const runner = {
      name: text("tp-name") || DEFAULT_NAME,
      ...fitness(),
      weekly_hours: num("tp-hours"),
      rest_days: num("tp-rest"),
      long_run_day: Number($("tp-long-day").value),
      availability_min: availability(),
      swim_days: swimDays(),
      long_ride_day: $("tp-long-ride-day").value === "" ? null : Number($("tp-long-ride-day").value),
      unavailable_dates: unavailableDates(),
      markers: {
        race_result: rrDistance && rrTime ? { distance_m: Number(rrDistance), time_s: duration(rrTime) } : null,
        threshold_pace_s_per_km: text("tp-threshold-pace") ? minSec(text("tp-threshold-pace")) : null,
        lthr_bpm: num("tp-lthr") ?? null,
        max_hr_bpm: num("tp-max-hr") ?? null,
        ftp_w: num("tp-ftp") ?? null,
        css_s_per_100m: text("tp-css") ? minSec(text("tp-css")) : null,
      },
    };
    const distance = $("tp-distance").value;
    const generate = {
      schema_id: `builtin-${distance}`,
      distance,
      marathon_date: text("tp-race-date"),
      start: text("tp-start"),
      other_races: raceRows().map((r) => dropUndefined({ date: r.date, distance: r.distance, priority: r.priority, name: r.name })),
      time_limit_s: num("tp-time-limit"),
    };
    return { runner: dropUndefined(runner), generate: dropUndefined(generate) };
  }

  function dropUndefined(obj) {
    return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
  }

  const fmtDuration = (seconds) => {
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  };

  // A stored runner back into the form: their profile, the way the form asks for it.
  function fillRunner(runner) {
    $("tp-name").value = runner.name === DEFAULT_NAME ? "" : runner.name;
    const hours = hoursFromCtl(runner.ctl ?? 0);
    $("tp-recent-hours").value = String(hours);
    const exact = Math.abs(ctlFromHours(hours) - runner.ctl) < 0.05 && Math.abs(runner.atl - runner.ctl) < 0.05;
    $("tp-ctl").value = exact ? "" : String(runner.ctl);
    $("tp-atl").value = exact ? "" : String(runner.atl);
    $("tp-hours").value = String(runner.weekly_hours);
    $("tp-rest").value = String(runner.rest_days);
    $("tp-long-day").value = String(runner.long_run_day);
    $("tp-unavailable").value = (runner.unavailable_dates || []).join(", ");
    setAvailability(runner.availability_min || []);
    setSwimDays(runner.swim_days ?? [0, 1, 2, 3, 4, 5, 6]);
    $("tp-long-ride-day").value = runner.long_ride_day == null ? "" : String(runner.long_ride_day);
    const race = runner.markers?.race_result;
    const option = race && [...$("tp-rr-distance").options].find((o) => Math.abs(Number(o.value) - race.distance_m) < 1);
    $("tp-rr-distance").value = option ? option.value : "";
    $("tp-rr-time").value = option ? fmtDuration(race.time_s) : "";
    const tPace = runner.markers?.threshold_pace_s_per_km;
    $("tp-threshold-pace").value = tPace ? paceText(tPace) : "";
    $("tp-lthr").value = runner.markers?.lthr_bpm ? String(runner.markers.lthr_bpm) : "";
    $("tp-max-hr").value = runner.markers?.max_hr_bpm ? String(runner.markers.max_hr_bpm) : "";
    $("tp-ftp").value = runner.markers?.ftp_w ? String(runner.markers.ftp_w) : "";
    $("tp-css").value = runner.markers?.css_s_per_100m ? paceText(runner.markers.css_s_per_100m) : "";
    showWho(runner);
  }

  function showWho(runner) {
    const who = $("tp-who");
    who.hidden = !runner;
    who.textContent = runner ? `Planning for ${runner.name}: your changes update this profile.` : "";
  }

  async function saveRunner(body) {
    if (runnerId) {
      try {
        return await api("PATCH", `/runners/${encodeURIComponent(runnerId)}`, body);
      } catch (err) {
        if (!(err instanceof ApiProblem && err.status === 404)) throw err;
        rememberRunner(null); // deleted meanwhile: start a new profile
      }
    }
    const created = await api("POST", "/runners", body);
    rememberRunner(created.id);
    return created;
  }

  // --- other races (B/C): rows added and removed -----------------------------------------

  // Row i's fields are tp-race-i-date, -distance, -priority, -name: renumbered on removal,
  // so the API's `other_races.i.date` finds its field.
  function addRaceRow(race = {}) {
    const distance = el("select", { class: "race-distance" },
      ...Object.entries(DISTANCE_NAMES).map(([value, name]) => el("option", { value, text: name.charAt(0).toUpperCase() + name.slice(1) })));
    distance.value = race.distance || "10k";
    const priority = el("select", { class: "race-priority" },
      el("option", { value: "B", text: "B: run it well" }),
      el("option", { value: "C", text: "C: as training" }));
    priority.value = race.priority || "B";
    const remove = el("button", { type: "button", class: "secondary small remove", text: "Remove" });
    const row = el("li", { class: "race-row" },
      el("label", {}, "Date", el("input", { type: "date", class: "race-date", value: race.date || "" })),
      el("label", {}, "Distance", distance),
      el("label", {}, "Priority", priority),
      el("label", {}, el("span", {}, "Name ", el("span", { class: "hint", text: "(optional)" })),
        el("input", { type: "text", class: "race-name", maxlength: "80", value: race.name || "" })),
      remove,
    );
    remove.addEventListener("click", () => {
      row.remove();
      numberRaceRows();
      $("tp-add-race").focus();
    });
    $("tp-race-rows").append(row);
    numberRaceRows();
    return row;
  }

  function numberRaceRows() {
    [...$("tp-race-rows").children].forEach((row, i) => {
      row.dataset.row = String(i);
      for (const [cls, field] of [["race-date", "date"], ["race-distance", "distance"], ["race-priority", "priority"], ["race-name", "name"]]) {
        row.querySelector(`.${cls}`).id = `tp-race-${i}-${field}`;
      }
      row.querySelector(".remove").setAttribute("aria-label", `Remove race ${i + 1}`);
    });
  }

  function raceRows() {
    return [...$("tp-race-rows").children].map((row, i) => ({
      id: `tp-race-${i}-date`,
      date: row.querySelector(".race-date").value.trim(),
      distance: row.querySelector(".race-distance").value,
      priority: row.querySelector(".race-priority").value,
      name: row.querySelector(".race-name").value.trim() || undefined,
    }));
  }

  function raceRowProblems(goal, start, today) {
    const problems = [];
    const seen = new Set(goal ? [goal] : []);
    for (const r of raceRows()) {
      if (!r.date) problems.push([r.id, "Pick the date of this race, or remove it."]);
      else if (!isDate(r.date)) problems.push([r.id, "This is not a date: write it as YYYY-MM-DD."]);
      else if (r.date < (start || today)) problems.push([r.id, start ? "This race is before the first training day." : "This race is in the past."]);
      else if (goal && isDate(goal) && r.date > goal) problems.push([r.id, "This race is after your goal race: the plan ends on race day."]);
      else if (seen.has(r.date)) problems.push([r.id, r.date === goal ? "Your goal race is on this day." : "Another race is on this day."]);
      if (r.date) seen.add(r.date);
    }
    return problems;
  }

  // --- time per weekday -------------------------------------------------------------------

  const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  const AVAIL_CHOICES = [30, 45, 60, 75, 90, 120, 150, 180, 240];

  function availabilityFields() {
    const box = $("tp-avail-days");
    box.replaceChildren(...DAY_NAMES.map((name, i) => {
      const select = el("select", { id: `tp-avail-${i}`, "aria-label": `${name}: most minutes` },
        el("option", { value: "", text: "any" }),
        el("option", { value: "0", text: "off" }),
        ...AVAIL_CHOICES.map((m) => el("option", { value: String(m), text: `${m} min` })));
      return el("label", { class: "avail-day", title: name }, WEEKDAYS[i], select);
    }));
  }

  // Monday first: null = no limit, 0 = off, else the most minutes that day.
  function availability() {
    return DAY_NAMES.map((_, i) => {
      const value = $(`tp-avail-${i}`).value;
      return value === "" ? null : Number(value);
    });
  }

  function setAvailability(values) {
    DAY_NAMES.forEach((_, i) => {
      const select = $(`tp-avail-${i}`);
      const value = values[i] ?? null;
      const wanted = value === null ? "" : String(value);
      if (![...select.options].some((o) => o.value === wanted)) select.append(el("option", { value: wanted, text: `${wanted} min` }));
      select.value = wanted;
    });
  }

  // --- a triathlete's days: where they can swim -----------------------------------------

  function swimDayFields() {
    $("tp-swim-days").replaceChildren(...DAY_NAMES.map((name, i) => {
      const box = el("input", { id: `tp-swim-${i}`, type: "checkbox", "aria-label": `Swim on ${name}` });
      box.checked = true;
      return el("label", { class: "avail-day swim-day", title: `${name}: pool open` }, box, WEEKDAYS[i]);
    }));
  }

  // The weekdays ticked, Monday = 0 (every day: the default, no pool limits).
  function swimDays() {
    return DAY_NAMES.map((_, i) => i).filter((i) => $(`tp-swim-${i}`).checked);
  }

  function setSwimDays(days) {
    DAY_NAMES.forEach((_, i) => { $(`tp-swim-${i}`).checked = days.includes(i); });
  }

  // --- progress ---------------------------------------------------------------------------

  function resetPanels() {
    for (const id of ["tp-progress", "tp-result", "tp-conflicts"]) $(id).hidden = true;
    $("tp-events").replaceChildren();
    $("tp-event-count").textContent = "0";
    $("tp-calendar").replaceChildren();
    $("tp-month").replaceChildren();
    $("tp-chart").replaceChildren();
    $("tp-this-week").replaceChildren();
    $("tp-conflict-list").replaceChildren();
    for (const id of ["tp-state", "tp-objective", "tp-gap", "tp-elapsed"]) $(id).textContent = "-";
    $("tp-progress-words").textContent = "";
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

  // The solver's gap in a runner's words: how far the plan may be from the best there is.
  function closeness(gap, soFar) {
    if (gap === null || gap === undefined || !isFinite(gap)) return soFar ? "Looking for a first plan…" : "A workable plan; how close it is to the best one is not known.";
    const tail = soFar ? " so far" : "";
    if (gap <= 0.00005) return soFar ? "The best plan found; checking…" : "The best plan there is for you.";
    const percent = gap * 100;
    // Rounded up: "within" must stay true.
    const shown = percent < 1 ? String(Math.ceil(percent * 10) / 10) : String(Math.ceil(percent));
    return `Within ${shown}% of the best plan${tail}.`;
  }

  const STATE_WORDS = {
    queued: "Waiting for a free planner…",
    running: "Looking for the best plan for you…",
    succeeded: "Done.",
    failed: "No plan could be made.",
    cancelled: "Stopped.",
  };

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
    $("tp-progress-words").textContent = STATE_WORDS[data.state] || "";

    const progress = data.progress;
    if (progress) {
      if (progress.objective !== null && progress.objective !== undefined) {
        $("tp-objective").textContent = fmtObjective(progress.objective);
        $("tp-gap").textContent = fmtGap(progress.gap);
        if (data.state === "running") $("tp-progress-words").textContent = `Looking for the best plan… ${closeness(progress.gap, true)}`;
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
    clearProblems();
    if (!apiKey()) {
      showProblem("Enter your API key first.");
      $("tp-key").focus();
      return;
    }
    const problems = formProblems();
    if (problems.length) {
      showFieldProblems(problems);
      return;
    }
    const { runner, generate } = formRequests();
    await runJob($("tp-submit"), async () => {
      const saved = await saveRunner(runner);
      showWho(saved);
      return api("POST", `/runners/${encodeURIComponent(saved.id)}/training-plans/generate`, generate);
    });
  }

  // Starts a job (`start` posts it), shows its progress live and then its plan or conflicts.
  // Generation and re-plans alike; `button` is disabled meanwhile. A re-plan keeps the plan
  // in sight until its job is accepted (a refused one leaves it there).
  async function runJob(button, start, { onError = showError, keepPlan = false } = {}) {
    if (current) {
      current.stopped = true;
      current.controller?.abort();
      stopTicker(current);
    }
    if (!keepPlan) resetPanels();
    button.disabled = true;
    let watch = null;
    try {
      const accepted = await start();
      if (keepPlan) resetPanels();
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
      $("tp-progress").scrollIntoView({ block: "nearest" });
      $("tp-state").textContent = accepted.state;
      $("tp-progress-words").textContent = STATE_WORDS[accepted.state] || "";
      $("tp-cancel").hidden = false;
      await followJob(watch.jobId, watch, (id, data) => onEvent(watch, id, data));
      if (watch.stopped) return;
      await finish(watch);
    } catch (err) {
      onError(err);
      if (watch) stopTicker(watch);
    } finally {
      if (current === watch || watch === null) {
        button.disabled = false;
        $("tp-cancel").hidden = true;
      }
      loadRunners();
    }
  }

  // --- a re-plan of the plan shown: from a day, with more days off or other hours ---------

  let replanOf = null; // the plan (latest version) the re-plan form is for

  function offerReplan(plan) {
    const latest = plan.version === plan.latest_version;
    const today = todayIso();
    const box = $("tp-replan");
    box.hidden = !latest || plan.summary.race_date < today;
    replanOf = box.hidden ? null : plan;
    box.open = false;
    if (!replanOf) return;
    $("tp-rp-from").value = plan.summary.start > today ? plan.summary.start : today;
    $("tp-rp-from").min = today;
    $("tp-rp-from").max = plan.summary.race_date;
    $("tp-rp-off").value = "";
    $("tp-rp-hours").value = "";
    $("tp-rp-error").hidden = true;
  }

  function replanProblem(messages) {
    const box = $("tp-rp-error");
    box.replaceChildren(...messages.map((m) => el("p", { text: m })));
    box.hidden = false;
  }

  async function submitReplan(event) {
    event.preventDefault();
    $("tp-rp-error").hidden = true;
    const plan = replanOf;
    if (!plan) return;
    const from = text("tp-rp-from");
    const off = (text("tp-rp-off") || "").split(/[\s,;]+/).filter(Boolean);
    const hours = num("tp-rp-hours");
    const problems = [];
    if (!from || !isDate(from)) problems.push("Re-plan from: pick a day, as YYYY-MM-DD.");
    else if (from < todayIso()) problems.push("Re-plan from: the day is in the past; today is the earliest.");
    else if (from > plan.summary.race_date) problems.push("Re-plan from: the day is after the race.");
    const bad = off.filter((d) => !isDate(d));
    if (bad.length) problems.push(`Days you cannot train: ${bad.map((d) => `"${d}"`).join(", ")} ${bad.length > 1 ? "are not dates" : "is not a date"}: write YYYY-MM-DD.`);
    else if (off.includes(plan.summary.race_date)) problems.push("Days you cannot train: your race day is in this list.");
    const hoursProblem = numberProblem("tp-rp-hours", "Hours a week");
    if (hoursProblem) problems.push(hoursProblem);
    if (problems.length) {
      replanProblem(problems);
      return;
    }
    const body = dropUndefined({ effective: from, unavailable_dates: off, weekly_hours: hours });
    await runJob(
      $("tp-rp-submit"),
      () => api("POST", `/training-plans/${encodeURIComponent(plan.plan_id)}/replan`, body),
      {
        keepPlan: true,
        onError: (err) => {
          if (err instanceof ApiProblem && err.status !== 401) {
            $("tp-replan").open = true;
            replanProblem((err.errors.length ? err.errors : [err.detail]).map((m) => plainWords(m, "")));
          } else {
            showError(err);
          }
        },
      },
    );
  }

  async function finish(watch) {
    const last = watch.terminal;
    if (!last) return;
    $("tp-progress-words").textContent = STATE_WORDS[last.event] || "";
    if (last.event !== "succeeded") {
      setBar(100, "failed");
      const box = $("tp-conflicts");
      $("tp-conflicts-title").textContent = last.event === "cancelled" ? "Stopped" : "No plan";
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
    $("tp-progress-words").textContent = `Done: ${closeness(plan.summary.gap, false).replace(/^./, (c) => c.toLowerCase())}`;
    await showPlan(plan);
    setPlanAddress(plan.plan_id);
    shownVersion = null;
  }

  // --- the plan's own address: /#plan=<id> ------------------------------------------------

  function planFromAddress() {
    const match = /(?:^#|&)plan=([^&]+)/.exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  // An older version has its own address too: /#plan=<id>&version=<n>.
  function versionFromAddress() {
    const match = /(?:^#|&)version=(\d+)/.exec(location.hash);
    return match ? Number(match[1]) : null;
  }

  const planHash = (planId, version = null) => `#plan=${encodeURIComponent(planId)}${version ? `&version=${version}` : ""}`;

  function setPlanAddress(planId) {
    const hash = planHash(planId);
    if (location.hash !== hash) history.pushState(null, "", location.pathname + location.search + hash);
  }

  async function openPlan(planId, version = null) {
    if (!planId || (planId === shownPlanId && version === shownVersion) || !apiKey()) return;
    clearProblems();
    try {
      const query = version ? `?version=${version}` : "";
      const plan = await api("GET", `/training-plans/${encodeURIComponent(planId)}${query}`);
      if (current && !TERMINAL.has(current.terminal?.event)) return; // a new plan is being made
      resetPanels();
      await showPlan(plan);
      shownVersion = version;
      $("tp-result").scrollIntoView({ block: "start" });
      await planFor(plan);
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 404) showProblem("That plan does not exist (any more), or it belongs to another key.");
      else showError(err);
    }
  }

  // The form follows the plan shown (a reload, a link, a bookmark): its runner (if someone
  // else than the form shows) and the request it was made from (races, first day).
  async function planFor(plan) {
    if (plan.runner_id !== runnerId) {
      try {
        const runner = await api("GET", `/runners/${encodeURIComponent(plan.runner_id)}`);
        rememberRunner(runner.id);
        fillRunner(runner);
        markSelected(runner.id);
      } catch {
        return; // the plan is shown; the form keeps what it had
      }
    }
    $("tp-race-date").value = plan.summary.race_date;
    const distance = plan.schema_id.replace(/^builtin-/, "");
    if (GOAL_NAMES[distance]) $("tp-distance").value = distance;
    let request;
    try {
      request = (await api("GET", `/jobs/${encodeURIComponent(plan.job_id)}`)).request;
    } catch {
      return;
    }
    if (shownPlanId !== plan.plan_id) return; // another plan meanwhile
    const today = todayIso();
    // Days gone by are not asked for again: a new plan starts today at the earliest.
    $("tp-start").value = request.start && request.start >= today ? request.start : "";
    $("tp-race-rows").replaceChildren();
    for (const race of request.other_races || []) {
      if (race.date >= today) addRaceRow(race);
    }
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
  const longDate = (iso) => `${shortDate(iso)} ${iso.slice(0, 4)}`;
  const signed = (v) => {
    const whole = Math.round(v);
    return whole === 0 ? "0" : `${whole > 0 ? "+" : "−"}${Math.abs(whole)}`;
  };
  const formWord = (tsb) => (tsb > 5 ? "fresh" : tsb >= -10 ? "balanced" : tsb >= -25 ? "tired" : "very tired");
  const daysBetween = (a, b) => Math.round((parseDate(b) - parseDate(a)) / 86_400_000);

  async function showPlan(plan) {
    shownPlanId = plan.plan_id;
    shownMultisport = plan.days.some((d) => d.ctl_by_sport);
    $("tp-intensity-legend").hidden = shownMultisport;
    $("tp-sport-legend").hidden = !shownMultisport;
    $("tp-chart-sports").hidden = !shownMultisport;
    const s = plan.summary;
    const weeks = new Map();
    for (const day of plan.days) {
      if (!weeks.has(day.week_number)) weeks.set(day.week_number, []);
      weeks.get(day.week_number).push(day);
    }
    const sessions = plan.days.filter((d) => d.intensity !== "rest").length;
    const race = plan.days.find((d) => d.date === s.race_date);
    $("tp-result").dataset.plan = plan.plan_id;
    $("tp-summary").textContent =
      `${weeks.size} weeks, ${sessions} sessions, ${(s.total_minutes / 60).toFixed(1)} h of training ` +
      `from ${longDate(s.start)} to race day, ${longDate(s.race_date)}.` +
      (race ? ` On race day: fitness ${race.ctl.toFixed(0)}, form ${signed(race.tsb)} (${formWord(race.tsb)}).` : "");
    $("tp-closeness").textContent = closeness(s.gap, false);
    $("tp-plan-status").textContent = s.status;
    $("tp-plan-objective").textContent = fmtObjective(s.objective);
    $("tp-plan-bound").textContent = fmtObjective(s.bound);
    $("tp-plan-gap").textContent = fmtGap(s.gap);
    $("tp-plan-seconds").textContent = `${s.solve_seconds.toFixed(1)} s`;
    $("tp-plan-id").textContent = plan.plan_id;
    $("tp-this-week").replaceChildren(...thisWeek(plan.days, s));
    const changed = new Set(s.changed_dates || []);
    $("tp-changes").replaceChildren(...changesNote(plan, changed));
    $("tp-changes").hidden = !s.effective && plan.version === plan.latest_version;

    shownVersionQuery = plan.version && plan.version !== plan.latest_version ? `?version=${plan.version}` : "";
    const calendar = $("tp-calendar");
    calendar.replaceChildren();
    for (const [number, days] of [...weeks.entries()].sort((a, b) => a[0] - b[0])) {
      calendar.append(weekBlock(number, days, s.race_date, changed));
    }
    $("tp-month").replaceChildren(...monthBlocks(plan.days, s.race_date, changed));
    $("tp-result").hidden = false;
    $("tp-result").dataset.version = String(plan.version ?? 1);

    const id = encodeURIComponent(plan.plan_id);
    const older = plan.version && plan.version !== plan.latest_version;
    const query = older ? `?version=${plan.version}` : "";
    $("tp-ics").onclick = (event) => download(event, `/training-plans/${id}.ics${query}`, "training-plan.ics");
    $("tp-chart-link").onclick = (event) => download(event, `/training-plans/${id}/chart.svg${query}`, "training-plan.svg");
    const zipQuery = (format) => `?format=${format}${query ? `&${query.slice(1)}` : ""}`;
    $("tp-fit-zip").onclick = (event) => download(event, `/training-plans/${id}/workouts.zip${zipQuery("fit")}`, "training-plan-fit.zip");
    $("tp-zwo-zip").onclick = (event) => download(event, `/training-plans/${id}/workouts.zip${zipQuery("zwo")}`, "training-plan-zwo.zip");
    $("tp-subscribe").onclick = () => subscribeCalendar(plan.plan_id);
    $("tp-subscription").hidden = true;
    showZones(plan.runner_id, plan.plan_id);
    $("tp-plan-link").href = planHash(plan.plan_id, older ? plan.version : null);
    planList(plan); // not awaited: the list follows when it comes
    offerReplan(plan);
    await showChart(plan.plan_id, query);
  }

  // A re-plan's version: from when, and how many days differ from the version it came from.
  function changesNote(plan, changed) {
    const s = plan.summary;
    const nodes = [];
    if (s.effective) {
      const count = changed.size;
      nodes.push(el("strong", { text: `Version ${plan.version}: re-planned from ${longDate(s.effective)}. ` }));
      nodes.push(count === 0 ? "No day changed." : `${count} ${count === 1 ? "day" : "days"} changed against the version before, marked `, count ? el("span", { class: "tag changed", text: "changed" }) : null, count ? "." : null);
    }
    if (plan.version !== plan.latest_version) {
      nodes.push(" An older version. ", el("a", { href: planHash(plan.plan_id), text: `See the latest (version ${plan.latest_version})` }), ".");
    }
    return nodes.filter((n) => n !== null);
  }

  // The runner's plans, newest first, and the shown plan's versions: each a link.
  async function planList(plan) {
    const box = $("tp-plans");
    let items;
    try {
      items = await api("GET", `/runners/${encodeURIComponent(plan.runner_id)}/training-plans`);
    } catch {
      box.hidden = true;
      return; // a convenience: the plan is shown without it
    }
    if (shownPlanId !== plan.plan_id) return; // another plan meanwhile
    const list = $("tp-plan-list");
    list.replaceChildren(...items.map((item) => {
      const current = item.plan_id === plan.plan_id;
      const distance = GOAL_NAMES[item.schema_id.replace(/^builtin-/, "")] || item.schema_id;
      const li = el(
        "li",
        { class: current ? "current" : null, "data-plan": item.plan_id },
        el("a", { href: planHash(item.plan_id), "aria-current": current ? "page" : null,
          text: `${distance.charAt(0).toUpperCase() + distance.slice(1)} on ${longDate(item.summary.race_date)}` }),
        el("span", { class: "meta", text: `made ${longDate(item.created_at.slice(0, 10))} · ${item.version > 1 ? `${item.version} versions` : "1 version"}` }),
      );
      if (current && plan.versions.length > 1) {
        li.append(el("span", { class: "versions" }, "Versions:",
          ...plan.versions.map((v) => el("a", {
            href: planHash(plan.plan_id, v === plan.latest_version ? null : v),
            "data-version": v,
            "aria-current": v === plan.version ? "page" : null,
            text: v === plan.latest_version ? `${v} (latest)` : String(v),
          }))));
      }
      return li;
    }));
    box.hidden = items.length === 0;
  }

  // Today's sessions and the next few: what a runner opens the page for.
  function thisWeek(days, s) {
    const today = todayIso();
    const training = days.filter((d) => d.intensity !== "rest").sort((a, b) => (a.date + a.slot < b.date + b.slot ? -1 : 1));
    const todays = days.filter((d) => d.date === today).sort((a, b) => a.slot - b.slot);
    const next = training.filter((d) => d.date > today).slice(0, 3);
    const nodes = [];
    let heading;
    if (today > s.race_date) heading = `Race day was ${longDate(s.race_date)}. Well done!`;
    else if (today < s.start) heading = `Your plan starts ${longDate(s.start)}, in ${daysBetween(today, s.start)} days.`;
    else {
      const toGo = daysBetween(today, s.race_date);
      heading = toGo === 0 ? "Race day is today. Good luck!" : `${toGo} days to race day.`;
    }
    nodes.push(el("h3", { text: "This week" }), el("p", { class: "hint", text: heading }));
    const list = el("ul", { class: "upcoming" });
    if (todays.length) {
      for (const d of todays) list.append(upcoming("Today", d));
    }
    for (const d of next) list.append(upcoming(shortDate(d.date), d));
    if (list.children.length) nodes.push(list);
    return nodes;
  }

  // --- a multi-sport plan: each session in its sport's colour and words -------------------

  const SPORT_WORDS = { swim: "Swim", bike: "Bike", run: "Run", brick: "Brick: bike then run", strength: "Strength" };
  let shownMultisport = false; // the shown plan's days carry fitness per sport
  const sportOf = (d) => (d.intensity === "strength" ? "strength" : d.sport);
  // Coloured by sport in a multi-sport plan (rest and race days as ever), else by intensity.
  const bySport = (d) => shownMultisport && d.intensity !== "rest" && d.intensity !== "race" && sportOf(d) in SPORT_WORDS;
  const colourClass = (d) => (bySport(d) ? `sport-${sportOf(d)}` : `int-${d.intensity}`);
  const sportTag = (d) => (bySport(d) ? el("span", { class: `sport-tag sport-${sportOf(d)}`, text: SPORT_WORDS[sportOf(d)] }) : null);
  // The name led by its sport ("Swim: CSS intervals") unless it starts with it ("Brick (bike, then run)"), as in the calendar file.
  function sessionWords(d) {
    if (!bySport(d)) return d.session_type;
    const word = SPORT_WORDS[sportOf(d)].split(":")[0];
    return d.session_type.toLowerCase().startsWith(word.toLowerCase()) ? d.session_type : `${word}: ${d.session_type}`;
  }

  function upcoming(when, d) {
    const rest = d.intensity === "rest";
    return el(
      "li",
      { class: `session ${colourClass(d)}`, "data-date": d.date, "data-sport": bySport(d) ? sportOf(d) : null },
      el("span", { class: "when", text: when }),
      el("span", { class: "name", text: rest ? "Rest day" : `${sessionWords(d)}, ${d.duration_min} min` }),
      !rest && d.session_definition ? el("span", { class: "def", text: d.session_definition }) : null,
    );
  }

  function weekBlock(number, days, raceDate, changed) {
    const phases = [...new Set(days.map((d) => d.phase))];
    const recovery = days.some((d) => d.is_recovery_week);
    const minutes = days.reduce((sum, d) => sum + d.duration_min, 0);
    const load = days.reduce((sum, d) => sum + d.load, 0);
    const dates = [...new Set(days.map((d) => d.date))].sort();
    const today = todayIso();
    const past = dates[dates.length - 1] < today; // folded: what is done is one line
    const head = el(
      "button",
      { type: "button", class: "week-head", "aria-expanded": String(!past), "aria-controls": `tp-week-${number}-days` },
      el("strong", { text: `Week ${number}` }),
      ...phases.map((p) => el("span", { class: `tag phase-${p}`, text: p })),
      recovery ? el("span", { class: "tag recovery", text: "easier week" }) : null,
      el("span", {
        class: "meta",
        title: `training load ${load} points`,
        text: `${shortDate(dates[0])} to ${shortDate(dates[dates.length - 1])} · ${(minutes / 60).toFixed(1)} h`,
      }),
    );
    const grid = el("div", { class: "days", id: `tp-week-${number}-days`, hidden: past });
    const firstWeekday = days.find((d) => d.date === dates[0]).day_of_week;
    for (let i = 0; i < firstWeekday; i++) grid.append(el("div", { class: "day pad", "aria-hidden": "true" }));
    for (const date of dates) {
      const slots = days.filter((d) => d.date === date).sort((a, b) => a.slot - b.slot);
      grid.append(dayCell(date, slots, date === raceDate, date === today, changed.has(date)));
    }
    head.addEventListener("click", () => {
      const open = head.getAttribute("aria-expanded") !== "true";
      head.setAttribute("aria-expanded", String(open));
      grid.hidden = !open;
    });
    return el(
      "section",
      { class: `week${recovery ? " recovery" : ""}`, "data-week": number, "aria-label": `week ${number}` },
      head,
      grid,
    );
  }

  function dayCell(date, slots, isRace, isToday, isChanged) {
    const cell = el(
      "div",
      {
        class: `day${isRace ? " race-day" : ""}${!isRace && slots.some((d) => d.intensity === "race") ? " other-race" : ""}${isToday ? " today" : ""}${isChanged ? " changed" : ""}`,
        "data-date": date,
      },
      el("div", { class: "when" }, el("span", { class: "date", text: shortDate(date) }), isChanged ? el("span", { class: "tag changed", text: "changed" }) : null),
    );
    const body = el("div", {});
    for (const d of slots) {
      const rest = d.intensity === "rest";
      const more = !rest && Boolean(d.session_definition); // its whole text on a tap or click
      body.append(
        el(
          "div",
          {
            class: `session ${colourClass(d)}`,
            "data-code": d.session_code,
            "data-intensity": d.intensity,
            "data-sport": bySport(d) ? sportOf(d) : null,
            "data-minutes": d.duration_min,
            role: more ? "button" : null,
            tabindex: more ? "0" : null,
            "aria-expanded": more ? "false" : null,
          },
          sportTag(d),
          el("div", { class: "name", text: rest ? "Rest" : d.session_type }),
          rest ? null : el("div", { class: "mins", text: `${d.duration_min} min · ${d.intensity}` }),
          !rest && d.session_definition ? el("div", { class: "def", text: d.session_definition }) : null,
          rest ? null : sessionDetail(d),
        ),
      );
    }
    cell.append(body);
    return cell;
  }

  // --- a session's steps in the runner's numbers, and its files for a watch or Zwift -------

  const paceText = (sPerKm) => `${Math.floor(Math.round(sPerKm) / 60)}:${String(Math.round(sPerKm) % 60).padStart(2, "0")}`;
  const STEP_WORDS = { warmup: "Warm up", active: "Run", recovery: "Recover", rest: "Rest", cooldown: "Cool down" };
  const RPE_WORDS = ["", "very easy", "very easy", "easy", "easy", "steady", "moderately hard", "hard", "very hard", "very hard", "all out"];

  function targetText(t, sport) {
    if (!t) return "";
    // A swimmer's pace is per 100 m (the plan's paces are per km whatever the sport).
    if (t.kind === "pace" && sport === "swim") return `${paceText(t.low_s_per_km / 10)}–${paceText(t.high_s_per_km / 10)}/100 m`;
    if (t.kind === "pace") return `${paceText(t.low_s_per_km)}–${paceText(t.high_s_per_km)}/km`;
    if (t.kind === "hr") return `${t.low_bpm}–${t.high_bpm} bpm`;
    if (t.kind === "power") return `${t.low_w}–${t.high_w} W`;
    return `effort ${t.value}/10, ${RPE_WORDS[t.value] || ""}`;
  }

  function lengthText(step) {
    if (step.distance_m) return step.distance_m >= 1000 && step.distance_m % 100 === 0 ? `${step.distance_m / 1000} km` : `${step.distance_m} m`;
    const s = step.duration_s;
    return s % 60 === 0 ? `${s / 60} min` : s >= 120 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`; // 90 s, as coaches write it
  }

  function stepItem(step, sport) {
    const words = step.type === "active" && sport !== "run" ? "Work" : STEP_WORDS[step.type];
    const target = targetText(step.target, sport);
    return el("li", { class: `step step-${step.type}` }, el("span", { class: "len", text: lengthText(step) }), ` ${words.toLowerCase()}`, target ? el("span", { class: "target", text: ` ${target}` }) : null);
  }

  function stepList(steps, sport) {
    const list = el("ol", { class: "steps", "aria-label": "steps" });
    for (const step of steps) {
      if (step.type === "repeat") {
        const inner = el("ol", { class: "repeat-steps" }, ...step.steps.map((s) => stepItem(s, sport)));
        list.append(el("li", { class: "step step-repeat" }, el("span", { class: "len", text: `${step.count} ×` }), inner));
      } else list.append(stepItem(step, sport));
    }
    return list;
  }

  // Shown when the session is opened: the steps, then its files (Zwift takes runs and rides, not strength).
  function sessionDetail(d) {
    const id = encodeURIComponent(shownPlanId);
    const query = `?slot=${d.slot}${shownVersionQuery ? `&${shownVersionQuery.slice(1)}` : ""}`;
    const base = `/training-plans/${id}/days/${d.date}/workout`;
    const name = `${d.date}-${d.slot}-${d.session_code}`;
    const files = el(
      "div",
      { class: "files" },
      el("a", { class: "button secondary small", href: "#", "data-file": "fit", onclick: (e) => download(e, `${base}.fit${query}`, `${name}.fit`), text: "Watch (.fit)" }),
      ["run", "bike"].includes(d.sport) && d.intensity !== "strength"
        ? el("a", { class: "button secondary small", href: "#", "data-file": "zwo", onclick: (e) => download(e, `${base}.zwo${query}`, `${name}.zwo`), text: "Zwift (.zwo)" })
        : null,
    );
    return el("div", { class: "detail" }, d.steps && d.steps.length ? stepList(d.steps, d.sport) : null, files);
  }

  // --- the month view: every day a small cell, its sessions as coloured bars --------------

  const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

  function monthBlocks(days, raceDate, changed) {
    const byDate = new Map();
    for (const d of [...days].sort((a, b) => a.slot - b.slot)) {
      if (!byDate.has(d.date)) byDate.set(d.date, []);
      byDate.get(d.date).push(d);
    }
    const months = new Map();
    for (const date of [...byDate.keys()].sort()) {
      const key = date.slice(0, 7);
      if (!months.has(key)) months.set(key, []);
      months.get(key).push(date);
    }
    const today = todayIso();
    return [...months.entries()].map(([key, dates]) => {
      const [year, month] = key.split("-").map(Number);
      const grid = el("div", { class: "month-grid" }, ...WEEKDAYS.map((w) => el("div", { class: "wd", "aria-hidden": "true", text: w.charAt(0) })));
      const firstWeekday = (parseDate(dates[0]).getUTCDay() + 6) % 7;
      for (let i = 0; i < firstWeekday; i++) grid.append(el("div", { class: "mday pad", "aria-hidden": "true" }));
      for (const date of dates) {
        const slots = byDate.get(date);
        const words = slots.map((d) => (d.intensity === "rest" ? "rest" : `${sessionWords(d)}, ${d.duration_min} min`)).join("; ");
        const other = date !== raceDate && slots.some((d) => d.intensity === "race");
        const cell = el(
          "button",
          {
            type: "button",
            class: `mday${date === raceDate ? " race-day" : ""}${other ? " other-race" : ""}${date === today ? " today" : ""}${changed.has(date) ? " changed" : ""}`,
            "data-date": date,
            title: `${longDate(date)}: ${words}${changed.has(date) ? " (changed)" : ""}`,
            "aria-label": `${longDate(date)}: ${words}${changed.has(date) ? " (changed)" : ""}`,
          },
          el("span", { class: "num", text: String(parseDate(date).getUTCDate()) }),
          ...slots.map((d) => el("span", { class: `bar ${colourClass(d)}`, "data-intensity": d.intensity, "data-sport": bySport(d) ? sportOf(d) : null })),
        );
        cell.addEventListener("click", () => showDay(date));
        grid.append(cell);
      }
      return el("section", { class: "month", "data-month": key, "aria-label": `${MONTH_NAMES[month - 1]} ${year}` },
        el("h4", { text: `${MONTH_NAMES[month - 1]} ${year}` }), grid);
    });
  }

  function setView(month) {
    $("tp-month").hidden = !month;
    $("tp-calendar").hidden = month;
    $("tp-view-month").setAttribute("aria-pressed", String(month));
    $("tp-view-weeks").setAttribute("aria-pressed", String(!month));
    $("tp-view-title").textContent = month ? "Month by month" : "Week by week";
  }

  // A month cell to its day in the week view (its week unfolded).
  function showDay(date) {
    setView(false);
    const cell = document.querySelector(`#tp-calendar .day[data-date="${date}"]`);
    if (!cell) return;
    const week = cell.closest("section.week");
    const head = week.querySelector(".week-head");
    if (head.getAttribute("aria-expanded") !== "true") head.click();
    cell.scrollIntoView({ block: "center" });
    cell.querySelector(".session[aria-expanded]")?.focus({ preventScroll: true });
  }

  function toggleSession(target) {
    if (target.closest(".files")) return; // a download, not a toggle
    const session = target.closest(".session[aria-expanded]");
    if (!session) return;
    session.setAttribute("aria-expanded", String(session.getAttribute("aria-expanded") !== "true"));
  }

  // The chart's labels in a runner's words; the abbreviations stay as a tooltip (<title>).
  const CHART_WORDS = {
    "fitness (CTL)": "Fitness",
    "fatigue (ATL)": "Fatigue",
    "form (TSB)": "Form",
    "CTL / ATL / TSB": "fitness, fatigue, form",
    "daily load (TSS)": "daily training load",
    "swim fitness (CTL)": "Swim fitness",
    "bike fitness (CTL)": "Bike fitness",
    "run fitness (CTL)": "Run fitness",
  };

  function runnerWords(svg) {
    for (const node of svg.querySelectorAll("text")) {
      const words = CHART_WORDS[node.textContent.trim()];
      if (!words) continue;
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = node.textContent.trim();
      node.textContent = words;
      node.append(title);
    }
  }

  // A chart wider than its frame (a phone) starts scrolled to its end: race day, the last
  // weeks and the load axis in sight; earlier weeks a sideways swipe away.
  function showRaceDay(figure) {
    const wide = figure.scrollWidth > figure.clientWidth;
    $("tp-chart-scroll").hidden = !wide;
    if (wide) figure.scrollLeft = figure.scrollWidth - figure.clientWidth;
  }

  async function showChart(planId, query = "") {
    const figure = $("tp-chart");
    try {
      const blob = await apiBlob(`/training-plans/${encodeURIComponent(planId)}/chart.svg${query}`);
      // Parsed as XML (never run), then adopted: the chart's series stay addressable.
      const doc = new DOMParser().parseFromString(await blob.text(), "image/svg+xml");
      const svg = doc.documentElement;
      if (svg.nodeName !== "svg") throw new Error("the chart is not an SVG");
      svg.setAttribute("role", "img");
      const shown = document.importNode(svg, true);
      runnerWords(shown);
      figure.replaceChildren(shown);
      showRaceDay(figure);
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
      showError(err);
    }
  }

  // A calendar app's subscription: a secret address that follows re-plans.
  async function subscribeCalendar(planId) {
    try {
      const sub = await api("POST", `/training-plans/${encodeURIComponent(planId)}/calendar`);
      const box = $("tp-subscription");
      box.replaceChildren(
        "Subscribe in your calendar app with this address (keep it private; asking again replaces it): ",
        el("a", { href: sub.webcal, id: "tp-webcal", text: "open in calendar app" }),
        " or copy ",
        el("input", { type: "text", readonly: "", id: "tp-calendar-url", value: sub.url, "aria-label": "calendar address", onfocus: (e) => e.target.select() }),
      );
      box.hidden = false;
    } catch (err) {
      showError(err);
    }
  }

  const ZONE_NAMES = { easy: "Easy", marathon: "Marathon", threshold: "Threshold", interval: "Interval", repetition: "Repetition" };

  // The runner's paces, heart rates and watts, from what they told us.
  async function showZones(runnerId, planId) {
    const box = $("tp-zones");
    box.hidden = true;
    let zones;
    try {
      zones = await api("GET", `/runners/${encodeURIComponent(runnerId)}/zones`);
    } catch {
      return; // the plan shows without its zones
    }
    if (shownPlanId !== planId) return; // another plan meanwhile
    const rows = [];
    const range = (k, text) => rows.push(el("tr", {}, el("th", { scope: "row", text: k }), el("td", { text })));
    if (zones.paces) for (const [key, [fast, slow]] of Object.entries(zones.paces)) range(ZONE_NAMES[key] || key, `${paceText(fast)}–${paceText(slow)} per km`);
    // A zone open at one end (Z1 from nothing, the top one without a max): "up to", "from".
    const bounds = (lo, hi, unit) => (lo === null ? `up to ${hi} ${unit}` : hi === null ? `from ${lo} ${unit}` : `${lo}–${hi} ${unit}`);
    const zoneName = (key) => key.replace(/^z/, "Z");
    if (zones.hr) for (const [key, [lo, hi]] of Object.entries(zones.hr)) range(`Heart rate ${zoneName(key)}`, bounds(lo, hi, "bpm"));
    if (zones.power) for (const [key, [lo, hi]] of Object.entries(zones.power)) range(`Power ${zoneName(key)}`, bounds(lo, hi, "W"));
    const body = $("tp-zones-body");
    if (rows.length) {
      body.replaceChildren(
        zones.vdot ? el("p", { text: `Your paces come from a VDOT of ${zones.vdot.toFixed(1)} (Jack Daniels' tables).` }) : "",
        el("table", { class: "zones" }, el("tbody", {}, ...rows)),
      );
    } else {
      body.replaceChildren(el("p", { class: "hint", text: "Add a recent race (or your threshold pace) to see every session in your own paces." }));
    }
    box.hidden = false;
  }

  async function cancelPlan() {
    if (!current) return;
    try {
      await api("DELETE", `/jobs/${encodeURIComponent(current.jobId)}`);
    } catch (err) {
      showError(err);
    }
  }

  // --- my runners -------------------------------------------------------------------------

  async function loadRunners() {
    if (!apiKey()) return;
    let page;
    try {
      page = await api("GET", "/runners?limit=20");
    } catch {
      return; // the list is a convenience: the form works without it
    }
    const list = $("tp-runner-list");
    listedRunners = page.items;
    list.replaceChildren(...page.items.map(runnerItem));
    $("tp-runners").hidden = page.items.length === 0;
  }

  function runnerItem(r) {
    const today = todayIso();
    const goal = r.goal_race;
    const facts = [];
    if (goal) {
      facts.push(`${DISTANCE_NAMES[goal.distance] || goal.distance} on ${longDate(goal.date)}`);
      const days = daysBetween(today, goal.date);
      facts.push(days < 0 ? "race done" : days < 7 ? `${days} days to go` : `${Math.floor(days / 7)} weeks to go`);
    } else {
      facts.push("no plan yet");
    }
    if (r.form_today) facts.push(`form today ${signed(r.form_today.tsb)} (${formWord(r.form_today.tsb)})`);
    const item = el(
      "li",
      { class: `runner${r.id === runnerId ? " selected" : ""}`, "data-runner": r.id },
      el("button", { type: "button", class: "link", text: r.name }),
      el("span", { class: "meta", text: facts.join(" · ") }),
    );
    item.querySelector("button").addEventListener("click", () => chooseRunner(r));
    return item;
  }

  function chooseRunner(r) {
    rememberRunner(r.id);
    clearProblems();
    $("tp-race-rows").replaceChildren(); // races belong to a plan request, not the runner
    fillRunner(r);
    if (r.goal_race) {
      $("tp-race-date").value = r.goal_race.date;
      $("tp-distance").value = r.goal_race.distance;
    }
    markSelected(r.id);
    if (r.latest_plan_id) {
      setPlanAddress(r.latest_plan_id);
      openPlan(r.latest_plan_id);
    } else {
      resetPanels();
      shownPlanId = null;
    }
  }

  function markSelected(id) {
    for (const li of document.querySelectorAll("#tp-runner-list li")) li.classList.toggle("selected", li.dataset.runner === id);
  }

  function newRunner() {
    rememberRunner(null);
    showWho(null);
    $("tp-name").value = "";
    $("tp-race-rows").replaceChildren();
    setAvailability([]);
    $("tp-name").focus();
    markSelected(null);
  }

  async function loadStoredRunner() {
    const id = storedRunner();
    if (!id || !apiKey()) return;
    runnerId = id;
    try {
      fillRunner(await api("GET", `/runners/${encodeURIComponent(id)}`));
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 404) rememberRunner(null);
    }
  }

  function defaultRaceDate() {
    // A race four months out, as a starting point.
    const race = $("tp-race-date");
    if (race.value) return;
    const d = new Date();
    d.setDate(d.getDate() + 7 * 16 + ((7 - d.getDay()) % 7)); // a Sunday
    const pad = (n) => String(n).padStart(2, "0");
    race.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  async function init() {
    const fromUrl = keyFromFragment();
    if (fromUrl) storeKey(fromUrl);
    $("tp-key").value = fromUrl || storedKey();
    showKeyStatus();
    // A saved key folds away: a returning runner sees their runners and plan first.
    if (apiKey()) {
      $("tp-key-form").hidden = true;
      $("tp-key-change").hidden = false;
    }
    $("tp-key-change").addEventListener("click", () => {
      $("tp-key-form").hidden = false;
      $("tp-key-change").hidden = true;
      $("tp-key").focus();
    });
    const keyChanged = () => {
      storeKey(apiKey());
      showKeyStatus();
      loadRunners();
    };
    $("tp-key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      keyChanged();
    });
    $("tp-key").addEventListener("change", keyChanged);
    $("tp-form").addEventListener("submit", submitPlan);
    $("tp-replan-form").addEventListener("submit", submitReplan);
    $("tp-cancel").addEventListener("click", cancelPlan);
    $("tp-new-runner").addEventListener("click", newRunner);
    $("tp-add-race").addEventListener("click", () => addRaceRow().querySelector(".race-date").focus());
    // A field's message goes once the field is changed.
    $("tp-form").addEventListener("input", (event) => {
      const label = event.target.closest("label");
      label?.querySelector(".field-error")?.remove();
      event.target.removeAttribute("aria-invalid");
    });
    $("tp-calendar").addEventListener("click", (event) => toggleSession(event.target));
    $("tp-view-weeks").addEventListener("click", () => setView(false));
    $("tp-view-month").addEventListener("click", () => setView(true));
    $("tp-calendar").addEventListener("keydown", (event) => {
      if ((event.key === "Enter" || event.key === " ") && event.target.matches(".session[aria-expanded]")) {
        event.preventDefault();
        toggleSession(event.target);
      }
    });
    window.addEventListener("hashchange", () => openPlan(planFromAddress(), versionFromAddress()));
    window.addEventListener("popstate", () => openPlan(planFromAddress(), versionFromAddress()));
    defaultRaceDate();
    availabilityFields();
    swimDayFields();
    await loadStoredRunner(); // first: a plan from the address may be someone else's
    await loadRunners();
    // Back without a plan's address: this runner's latest plan, this week first.
    const latest = listedRunners.find((r) => r.id === runnerId)?.latest_plan_id;
    const planId = planFromAddress() || latest;
    if (planId && !planFromAddress()) history.replaceState(null, "", `${location.pathname}${location.search}#plan=${encodeURIComponent(planId)}`);
    await openPlan(planId, planFromAddress() ? versionFromAddress() : null);
    document.body.dataset.ready = "true";
  }

  init();
})();
