// One run (/runs/ID, the address notifications link to): its facts, charts (charts.js), the trials grid — a column
// per parameter and metric, sortable, filterable, a page of rows at a time —, the trial opened from it (parameters,
// metrics, what it used, its edits, its files, its log, streamed while the run is live), events and notifications.
// Built with the helpers of app.js.
"use strict";

const ROWS_SHOWN = 100;  // grid rows on the page at once: a run of 5,000 trials stays fast
const CHART_CONTROLS = "input, button, [tabindex]";  // what takes the keyboard inside a chart's figure
const runView = h("div");  // re-rendered on refresh; the trial and log panels after it stay, scrolled where they were
const trialPanel = h("section", {id: "trial", "aria-live": "polite"});
const logPanel = h("section", {id: "log"}, h("h2", {}, "Log"), none("Open a trial (click its row, or Enter) to read "
  + "its output."));
const log = {trial: null, live: false, pre: null, end: null};
// what the person chose in the grid, kept across refreshes
const grid = {sort: "number", descending: false, state: "", min: "", max: "", first: 0, trials: [], columns: []};
let shown = {run: null, trials: []};

async function runPage(id) {
  const [run, trials, events, importance] = await Promise.all([
    api(`/api/runs/${id}`), api(`/api/runs/${id}/trials`), api(`/api/runs/${id}/events`),
    api(`/api/runs/${id}/importance`)]);
  const live = run.live;
  log.live = live;
  shown = {run, trials};
  document.title = `Run ${id} · ${run.project} — Hone`;
  crumbs([run.project, projectHref(run.project)], [`run ${id}`]);
  grid.columns = columns(trials, run.metric);
  grid.trials = trials;
  // a refresh of a live run keeps the keyboard where it was: on the same header or trial
  const focused = runView.contains(document.activeElement) ? document.activeElement.dataset : {};
  // or on a chart's control (the parallel coordinates' canvas, the log scale box): the same control of the new chart
  const inChart = runView.contains(document.activeElement) && document.activeElement.closest("figure[data-chart]");
  const chartControl = inChart && {chart: inChart.dataset.chart,
    index: [...inChart.querySelectorAll(CHART_CONTROLS)].indexOf(document.activeElement)};
  fill(runView,
    h("h1", {}, `Run ${id} `, badge(run.status)),
    facts(run),
    rerunSection(run),
    run.problems?.length ? h("ul", {class: "error"}, run.problems.map(p => h("li", {}, p))) : null,
    trials.length ? charts(run, trials, importance) : null,
    h("h2", {id: "trials-heading"}, "Trials"),
    trials.length ? trialsGrid(id, run.best) : none(live ? "No trial has started yet." : "No trials."),
    h("h2", {}, "Events"),
    events.length ? h("ul", {class: "events"}, events.map(e => h("li", {},
      time(e.at), " ", h("strong", {}, e.type), " ", e.message))) : none("None."),
    h("h2", {}, "Notifications"),
    run.notifications?.length ? h("ul", {class: "events"}, run.notifications.map(n => h("li", {},
      badge(n.status), " ", h("strong", {}, n.event), ` by ${n.channel} `, n.detail || ""))) : none("None."));
  if (!main.contains(logPanel)) render(runView, trialPanel, logPanel);
  if (focused.column) runView.querySelector(`button[data-column="${CSS.escape(focused.column)}"]`)?.focus();
  else if (focused.trial) runView.querySelector(`tr[data-trial="${CSS.escape(focused.trial)}"]`)?.focus();
  else if (chartControl) runView.querySelector(`figure[data-chart="${CSS.escape(chartControl.chart)}"]`)
    ?.querySelectorAll(CHART_CONTROLS)[chartControl.index]?.focus();
  drawCharts();
  if (!performance.getEntriesByName("hone:run-drawn").length) performance.mark("hone:run-drawn");
  if (log.trial != null) trialDetail(id, log.trial, false);
  const running = trials.filter(t => t.state === "running").at(-1);
  if (live && log.trial == null && running) openTrial(id, running.number);
  return live;
}

function facts(run) {
  const m = run.metric;
  const target = m?.target == null ? "none" : `${m.target_sign} ${num(m.target)}`;
  const rows = [
    ["project", h("a", {href: projectHref(run.project)}, run.project)],
    ["commit", run.commit ? [h("code", {title: run.commit}, short(run.commit)),
      run.branch ? ` on ${run.branch}` : "", run.author ? [" by ", person(run.author)] : ""] : "—"],
    ["message", run.message ? firstLine(run.message) : null],
    ["re-run of", run.rerun ? rerunFact(run.rerun) : null],
    // the version of each data source (hone.yaml data:) the run trained on; hashes cut as notifications cut them
    ["data", Object.keys(run.data_versions || {}).length ? Object.entries(run.data_versions)
      .map(([source, v]) => `${source} ${v.startsWith("sha256:") ? v.slice(0, 19) : v}`).join(", ") : null],
    ["metric", m ? `${m.name} (${m.direction})` : "—"],
    ["target", h("span", {class: "target"}, target)],
    ["best", run.best ? [h("strong", {class: "best-value"}, num(run.best.value)), ` at trial ${run.best.trial}`]
      : "—"],
    ["best params", run.best ? params(run.best.params) || "none" : null],
    ["early stopping", run.early_stopping ? `${run.early_stopping.rule} rule: ${run.early_stopping.pruned} `
      + `trials stopped, ${run.early_stopping.steps_saved} steps saved` : null],
    ["created", time(run.created_at)],
    ["finished", time(run.finished_at)],
  ];
  return h("dl", {class: "facts"}, rows.filter(([, v]) => v != null).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

// a size in binary units, as `hone trials` writes it: 640 KiB, 412 MiB, 3.2 GiB
function bytes(n) {
  if (n == null) return "—";
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  return n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MiB` : `${Math.round(n / 1024)} KiB`;
}

// what a trial used, as its executor measured it (the figures it did not measure left out); its source as a title
function resources(r) {
  if (!r) return "";
  const parts = [`${r.wall_s.toFixed(1)} s wall`];
  if (r.cpu_s != null) parts.push(`${r.cpu_s.toFixed(1)} s CPU`);
  if (r.peak_memory_bytes != null) parts.push(`${bytes(r.peak_memory_bytes)} peak`);
  if (r.gpu_memory_peak_bytes != null || r.gpu_utilization_mean != null) {
    parts.push("GPU " + [r.gpu_memory_peak_bytes == null ? null : `${bytes(r.gpu_memory_peak_bytes)} peak`,
      r.gpu_utilization_mean == null ? null : `${Math.round(r.gpu_utilization_mean)}%`]
      .filter(x => x != null).join(", "));
  }
  return h("span", {class: "resources", title: `measured by ${r.source}`}, parts.join(" · "));
}

// ---- the trials grid ----

// Decimals that show a column's numbers alike: as many as its values need, at most four significant digits of its
// median magnitude (an outlier does not take them away), and at most 6: 0.61, 0.82 → 0.61, 0.82;
// 0.5, 0.123456 → 0.5000, 0.1235.
function decimals(values) {
  const finite = values.filter(v => typeof v === "number" && Number.isFinite(v));
  if (!finite.length || finite.every(Number.isInteger)) return 0;
  const sizes = finite.map(Math.abs).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)];
  const cap = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(median || 1))));
  const needed = v => (String(Number(v.toPrecision(6))).split(".")[1] || "").length;
  return Math.min(cap, Math.max(...finite.map(v => /e/.test(String(v)) ? cap : needed(v))));
}
const fixed = places => v => typeof v === "number" && Number.isFinite(v) ? v.toFixed(places) : v == null ? "—" : String(v);

// The grid's columns: what each shows of a trial, how it sorts, whether it is a number.
function columns(trials, metric) {
  const paramNames = [...new Set(trials.flatMap(t => Object.keys(t.params || {})))].sort();
  const metricNames = [...new Set(trials.flatMap(t => Object.keys(t.metrics || {})))]
    .filter(n => n !== metric?.name).sort();
  const numeric = (key, label, get, title) => {
    const format = fixed(decimals(trials.map(get)));
    return {key, label, get, title, numeric: trials.some(t => typeof get(t) === "number"), format};
  };
  return [
    {key: "number", label: "#", get: t => t.number, numeric: true, format: String},
    {key: "state", label: "state", get: t => t.state, format: String},
    numeric("value", metric?.name || "value", t => t.value, "the run's metric"),
    ...paramNames.map(n => numeric(`param:${n}`, n, t => t.params?.[n], "parameter")),
    ...metricNames.map(n => numeric(`metric:${n}`, n, t => t.metrics?.[n], "metric")),
    {key: "duration", label: "duration", get: t => t.state === "running" ? null : t.duration_ms, numeric: true,
      format: duration},
    numeric("cpu", "CPU s", t => t.resources?.cpu_s, "CPU time the executor measured"),
    {key: "memory", label: "peak memory", get: t => t.resources?.peak_memory_bytes, numeric: true, format: bytes},
  ].map(c => ({...c, kind: c.key.split(":")[0]}));
}

function compare(column, descending) {
  return (a, b) => {
    const x = column.get(a), y = column.get(b);
    if (x == null || y == null) return x == null ? (y == null ? a.number - b.number : 1) : -1;  // blanks last
    const order = column.numeric && typeof x === "number" && typeof y === "number" ? x - y
      : String(x).localeCompare(String(y), undefined, {numeric: true});
    return (descending ? -order : order) || a.number - b.number;
  };
}

// The trials the filters let through, in the chosen order.
function visibleTrials() {
  const lo = grid.min === "" ? -Infinity : Number(grid.min), hi = grid.max === "" ? Infinity : Number(grid.max);
  const ranged = grid.min !== "" || grid.max !== "";
  const column = grid.columns.find(c => c.key === grid.sort) || grid.columns[0];
  return grid.trials.filter(t => (!grid.state || t.state === grid.state)
    && (!ranged || typeof t.value === "number" && t.value >= lo && t.value <= hi))
    .sort(compare(column, grid.descending));
}

function trialsGrid(id, bestTrial) {
  const states = [...new Set(grid.trials.map(t => t.state))].sort();
  const body = h("tbody");
  const count = h("span", {class: "muted", role: "status"});
  const pager = h("span", {class: "pager"});
  const table = h("table", {class: "grid", "aria-labelledby": "trials-heading"},
    h("caption", {class: "muted"}, "Click a trial, or focus it and press Enter, to open it. Headers sort."),
    h("thead", {}, h("tr", {}, grid.columns.map(c => h("th", {
      scope: "col", class: [c.numeric ? "num" : "", c.kind].join(" ").trim(),
      "aria-sort": grid.sort === c.key ? (grid.descending ? "descending" : "ascending") : "none",
      title: c.title || null},
    h("button", {type: "button", class: "sort", "data-column": c.key,
      "aria-label": `${c.label}${c.title ? ` (${c.title})` : ""}: sort`,
      onclick: () => {
        grid.descending = grid.sort === c.key ? !grid.descending : false;
        grid.sort = c.key;
        grid.first = 0;
        redrawGrid(id);
      }}, c.label))))), body);
  const rows = () => {
    const trials = visibleTrials();
    grid.first = Math.min(grid.first, Math.max(0, Math.floor((trials.length - 1) / ROWS_SHOWN) * ROWS_SHOWN));
    const page = trials.slice(grid.first, grid.first + ROWS_SHOWN);
    body.replaceChildren(...page.map(t => h("tr", {
      class: [t.number === bestTrial?.trial ? "best" : "", log.trial === t.number ? "open" : ""].join(" ").trim()
        || null,
      tabindex: 0, "data-trial": t.number,
      "aria-label": `trial ${t.number}${t.number === bestTrial?.trial ? ", the best" : ""}: open`,
      onclick: () => openTrial(id, t.number),
      onkeydown: e => { if (e.key === "Enter") openTrial(id, t.number); }},
    grid.columns.map(c => c.key === "state"
      ? h("td", {}, badge(t.state), t.number === bestTrial?.trial ? h("span", {class: "best-mark",
        title: "the best trial"}, " ★ best") : null)
      : h("td", {class: c.numeric ? "num" : null, title: t.error && c.key === "state" ? t.error : null},
        c.format(c.get(t)))))));
    count.textContent = trials.length === grid.trials.length ? `${trials.length} trials`
      : `${trials.length} of ${grid.trials.length} trials`;
    const last = Math.min(trials.length, grid.first + ROWS_SHOWN);
    pager.replaceChildren(
      h("button", {type: "button", disabled: grid.first === 0, onclick: () => {
        grid.first = Math.max(0, grid.first - ROWS_SHOWN);
        rows();
      }}, "← previous"),
      ` rows ${trials.length ? grid.first + 1 : 0}–${last} `,
      h("button", {type: "button", disabled: last >= trials.length, onclick: () => {
        grid.first += ROWS_SHOWN;
        rows();
      }}, "next →"));
  };
  const field = (label, input) => h("label", {}, label, " ", input);
  const filterOn = key => e => {
    grid[key] = e.target.value;
    grid.first = 0;
    rows();
  };
  const filters = h("div", {class: "filters", role: "group", "aria-label": "filter the trials"},
    field("state", h("select", {name: "state", onchange: filterOn("state")},
      h("option", {value: ""}, "all"),
      states.map(s => h("option", {value: s, selected: grid.state === s}, s)))),
    field("value from", h("input", {type: "number", name: "min", step: "any", value: grid.min,
      oninput: filterOn("min")})),
    field("to", h("input", {type: "number", name: "max", step: "any", value: grid.max, oninput: filterOn("max")})),
    count, pager);
  rows();
  return h("div", {class: "trials"}, filters, h("div", {class: "scroll"}, table));
}

function redrawGrid(id) {
  const old = runView.querySelector("div.trials");
  if (!old) return;
  const focused = document.activeElement?.dataset?.column;
  const fresh = trialsGrid(id, shown.run.best);
  old.replaceWith(fresh);
  if (focused) fresh.querySelector(`button[data-column="${CSS.escape(focused)}"]`)?.focus();
}

// ---- one trial ----

function openTrial(id, number) {
  log.trial = number;
  runView.querySelectorAll("table.grid tbody tr").forEach(tr => tr.classList.toggle("open",
    tr.dataset.trial === String(number)));
  trialDetail(id, number, true);
  openLog(id, number);
}

async function trialDetail(id, number, scroll) {
  const t = shown.trials.find(x => x.number === number);
  if (!t) return;
  const metrics = Object.entries(t.metrics || {});
  const diff = h("div", {class: "diff-slot"});
  const files = h("div", {class: "files-slot"});
  // the page loading again (an event of its stream) keeps the files and edits of a finished trial already shown:
  // they do not change, and fetching them again would blank them for a moment
  const kept = trialPanel.dataset.trial === String(number) && t.state !== "running"
    && trialPanel.querySelector(".files-slot")?.hasChildNodes();
  if (kept) {
    files.append(...trialPanel.querySelector(".files-slot").childNodes);
    diff.append(...trialPanel.querySelector(".diff-slot").childNodes);
  }
  trialPanel.dataset.trial = String(number);
  fill(trialPanel,
    h("h2", {}, `Trial ${number} `, badge(t.state),
      t.number === shown.run.best?.trial ? h("span", {class: "best-mark"}, " ★ best") : null),
    t.error ? h("p", {class: t.state === "stopped" ? "muted" : "error"}, t.error) : null,
    h("dl", {class: "facts"},
      h("dt", {}, "value"), h("dd", {}, num(t.value)),
      h("dt", {}, "parameters"), h("dd", {class: "params"},
        params(Object.fromEntries(Object.entries(t.params || {}).sort(([a], [b]) => a.localeCompare(b)))) || "none"),
      h("dt", {}, "duration"), h("dd", {}, t.state === "running" ? "running" : duration(t.duration_ms)),
      h("dt", {}, "resources"), h("dd", {}, resources(t.resources) || "not measured"),
      h("dt", {}, "started"), h("dd", {}, time(t.started_at)),
      t.exit_code != null ? [h("dt", {}, "exit code"), h("dd", {}, String(t.exit_code))] : null),
    h("h3", {}, "Metrics"),
    metrics.length ? h("table", {class: "metrics"}, h("caption", {class: "sr"}, `metrics of trial ${number}`),
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "metric"), h("th", {scope: "col", class: "num"}, "value"),
        h("th", {scope: "col", class: "num"}, "steps"))),
      h("tbody", {}, metrics.map(([name, value]) => h("tr", {}, h("td", {}, name), h("td", {class: "num"}, num(value)),
        h("td", {class: "num"}, String((name === shown.run.metric?.name ? t.intermediate
          : t.metrics_intermediate?.[name])?.length || 0))))))
      : none("It reported none."),
    files, diff);
  if (scroll) trialPanel.scrollIntoView({block: "nearest"});
  if (!kept) trialExtras(id, number, files, diff);
}

// its output files and its workspace edits, when it kept any
async function trialExtras(id, number, files, diff) {
  const [list, edits] = await Promise.all([
    fetch(`/api/runs/${id}/trials/${number}/files`).then(r => r.ok ? r.json() : null).catch(() => null),
    fetch(`/api/runs/${id}/trials/${number}/diff`).then(r => r.ok ? r.text() : null).catch(() => null)]);
  if (log.trial !== number) return;
  fill(files, h("h3", {}, "Output files"), list?.length
    ? [h("ul", {class: "files"}, list.map(f => h("li", {},
      h("a", {href: `/api/runs/${id}/trials/${number}/files/${f.path.split("/").map(encodeURIComponent).join("/")}`,
        download: f.path.split("/").at(-1)}, f.path), h("span", {class: "muted"}, ` ${bytes(f.bytes)}`)))),
    h("p", {}, h("a", {href: `/api/runs/${id}/trials/${number}/output.tar.gz`}, "all as .tar.gz"))]
    : none("It kept none (nothing was written to $HONE_OUTPUT, or retention deleted it)."));
  fill(diff, edits ? [h("h3", {}, "Workspace edits (workspace.diff)"), diffView(edits)] : null);
}

// a unified diff, each line coloured by what it does
function diffView(text) {
  const kind = line => line.startsWith("+++") || line.startsWith("---") ? "file" : line.startsWith("@@") ? "hunk"
    : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("diff ") ? "file" : "ctx";
  return h("pre", {class: "diff", "aria-label": "workspace diff"},
    text.replace(/\n$/, "").split("\n").map(line => h("span", {class: kind(line)}, line || " ")));
}

// ---- logs: their last LOG_LINES lines; while the run is live, streamed over the page's one event stream ----

const LOG_LINES = 1000;

function openLog(id, trial) {
  log.trial = trial;
  log.pre = h("pre", {class: "log"});
  log.end = h("p", {class: "muted"});
  logPanel.replaceChildren(h("h2", {}, `Log of trial ${trial}`), log.pre, log.end);
  const url = `/api/runs/${id}/logs?trial=${trial}`;
  if (log.live) {
    // the page's stream, opened again for this trial: its last lines, then each new one (log_open, log, log_end)
    reopenStream(`/api/events?run=${id}&trial=${trial}&tail=${LOG_LINES}`);
    return;
  }
  const {pre, end} = log;
  fetch(`${url}&tail=${LOG_LINES}`).then(async r => {
    if (r.status === 401) signInAgain();
    const text = await r.text();
    pre.textContent = r.ok ? text : (JSON.parse(text).error || text);
    if (r.ok && text.split(/\r\n|\r|\n/).length > LOG_LINES) {
      end.replaceChildren(`Its last ${LOG_LINES} lines; `, h("a", {href: url}, "the whole log"), ".");
    }
  }).catch(e => { end.textContent = e.message; });
}

// a stream (opened again after a dropped connection, or for another trial) starts the log afresh
stream.on.log_open = () => {
  log.pre?.replaceChildren();
  if (log.end) log.end.textContent = "";
};
stream.on.log = e => {
  const pre = log.pre;
  if (!pre) return;
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.append(e.data + "\n");
  if (atBottom) pre.scrollTop = pre.scrollHeight;
};
stream.on.log_end = e => {
  if (log.end) log.end.textContent = e.data;
};
