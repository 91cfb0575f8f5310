// One run (/runs/ID, the address notifications link to): its facts, chart, trials, events, notifications and
// the log of a trial, streamed while the run is live. Built with the helpers of app.js.
"use strict";

const runView = h("div");  // re-rendered on refresh; the log panel after it stays, scrolled where it was
const logPanel = h("section", {id: "log"}, h("h2", {}, "Log"), none("Choose “log” on a trial to read its output."));
const log = {trial: null, source: null, live: false};

async function runPage(id) {
  const [run, trials, events] = await Promise.all([
    api(`/api/runs/${id}`), api(`/api/runs/${id}/trials`), api(`/api/runs/${id}/events`)]);
  const live = run.live;
  log.live = live;
  document.title = `Run ${id} · ${run.project} — Hone`;
  crumbs([run.project, projectHref(run.project)], [`run ${id}`]);
  fill(runView,
    h("h1", {}, `Run ${id} `, badge(run.status)),
    facts(run),
    run.problems?.length ? h("ul", {class: "error"}, run.problems.map(p => h("li", {}, p))) : null,
    chart(trials, run.metric),
    h("h2", {}, "Trials"),
    trials.length ? trialTable(id, trials, run.best, run.metric) : none(live ? "No trial has started yet." : "No trials."),
    h("h2", {}, "Events"),
    events.length ? h("ul", {class: "events"}, events.map(e => h("li", {},
      time(e.at), " ", h("strong", {}, e.type), " ", e.message))) : none("None."),
    h("h2", {}, "Notifications"),
    run.notifications?.length ? h("ul", {class: "events"}, run.notifications.map(n => h("li", {},
      badge(n.status), " ", h("strong", {}, n.event), ` by ${n.channel} `, n.detail || ""))) : none("None."));
  if (!main.contains(logPanel)) render(runView, logPanel);
  const running = trials.filter(t => t.state === "running").at(-1);
  if (live && log.trial == null && running) openLog(id, running.number);
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

// every metric a trial reported but the run's own (shown as its value)
const metrics = (all, metric) => Object.entries(all || {}).filter(([name]) => name !== metric?.name)
  .map(([name, value]) => `${name}=${num(value)}`).join(" ");

// a size in binary units, as `hone trials` writes it: 640 KiB, 412 MiB, 3.2 GiB
function bytes(n) {
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
  return h("span", {title: `measured by ${r.source}`}, parts.join(" · "));
}

function trialTable(id, trials, bestTrial, metric) {
  return table(["#", "state", "value", "params", "duration", "started", "error", "metrics", "resources", "log"],
    trials.map(t => h("tr", {
    class: t.number === bestTrial?.trial ? "best" : null},
    h("td", {class: "num"}, t.number),
    h("td", {}, badge(t.state)),
    h("td", {class: "num"}, num(t.value)),
    h("td", {class: "params"}, params(t.params) || "—"),
    h("td", {class: "num"}, t.state === "running" ? "…" : duration(t.duration_ms)),
    h("td", {}, time(t.started_at)),
    // a stopped trial is not a failure: another one reached the target
    h("td", {class: t.state === "stopped" ? "muted" : "error"}, t.error || ""),
    h("td", {class: "params"}, metrics(t.metrics, metric)),
    h("td", {class: "resources"}, resources(t.resources)),
    h("td", {}, h("button", {type: "button", class: log.trial === t.number ? "open" : null, "data-trial": t.number,
      onclick: () => openLog(id, t.number)}, "log")))));
}

// ---- the chart: value by trial number, best so far, the target as a dashed line ----

function chart(trials, metric) {
  const points = trials.filter(t => typeof t.value === "number" && Number.isFinite(t.value));
  const target = metric?.target;
  if (!points.length) return null;
  const W = 640, H = 200, L = 56, R = 70, T = 12, B = 28;
  const values = points.map(t => t.value).concat(target == null ? [] : [target]);
  let lo = Math.min(...values), hi = Math.max(...values);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  lo -= pad;
  hi += pad;
  const last = Math.max(2, ...trials.map(t => t.number));
  const x = n => L + ((n - 1) / (last - 1)) * (W - L - R);
  const y = v => T + ((hi - v) / (hi - lo)) * (H - T - B);
  const better = metric?.direction === "minimize" ? Math.min : Math.max;
  let so = null;
  const line = points.map(t => {
    so = so == null ? t.value : better(so, t.value);
    return `${x(t.number).toFixed(1)},${y(so).toFixed(1)}`;
  });
  const step = Math.ceil(last / 10);
  const xs = Array.from({length: last}, (_, i) => i + 1).filter(n => n === 1 || n === last || n % step === 0);
  const tick = v => Number(v.toPrecision(3));
  return h("figure", {class: "chart"}, svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": `${metric?.name || "value"} by trial number`},
    svg("line", {class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B}),
    svg("line", {class: "axis", x1: L, y1: T, x2: L, y2: H - B}),
    [hi, (hi + lo) / 2, lo].map(v =>
      svg("text", {class: "tick", x: L - 6, y: y(v) + 4, "text-anchor": "end"}, tick(v))),
    xs.map(n => svg("text", {class: "tick", x: x(n), y: H - B + 16, "text-anchor": "middle"}, n)),
    target == null ? null : [
      svg("line", {class: "target", x1: L, y1: y(target), x2: W - R, y2: y(target)}),
      svg("text", {class: "target-label", x: W - R + 6, y: y(target) + 4}, `target ${num(target)}`)],
    line.length > 1 ? svg("polyline", {class: "so-far", points: line.join(" ")}) : null,
    trials.filter(t => t.state !== "running").map(t => points.includes(t)
      ? svg("circle", {class: `point ${t.state}`, cx: x(t.number), cy: y(t.value), r: 4},
        svg("title", {}, `trial ${t.number}: ${num(t.value)}`))
      : svg("text", {class: `miss ${t.state}`, x: x(t.number), y: H - B - 4, "text-anchor": "middle"}, "×",
        svg("title", {}, `trial ${t.number}: ${t.state}, no value`)))),
  h("figcaption", {class: "muted"}, `${metric?.name || "value"} by trial; line: best so far; dashed: target; `
    + "×: no value"));
}

// ---- logs: their last LOG_LINES lines, streamed (server-sent events) while the run is live ----

const LOG_LINES = 1000;

function openLog(id, trial) {
  log.source?.close();
  Object.assign(log, {trial, source: null});
  const pre = h("pre", {class: "log"});
  const end = h("p", {class: "muted"});
  logPanel.replaceChildren(h("h2", {}, `Log of trial ${trial}`), pre, end);
  document.querySelectorAll("#main button[data-trial]").forEach(b => b.classList.toggle("open",
    b.dataset.trial === String(trial)));
  const url = `/api/runs/${id}/logs?trial=${trial}`;
  if (!log.live) {
    fetch(`${url}&tail=${LOG_LINES}`).then(async r => {
      if (r.status === 401) signInAgain();
      const text = await r.text();
      pre.textContent = r.ok ? text : (JSON.parse(text).error || text);
      if (r.ok && text.split(/\r\n|\r|\n/).length > LOG_LINES) {
        end.replaceChildren(`Its last ${LOG_LINES} lines; `, h("a", {href: url}, "the whole log"), ".");
      }
    }).catch(e => { end.textContent = e.message; });
    return;
  }
  const source = new EventSource(`${url}&tail=${LOG_LINES}`);
  log.source = source;
  const append = line => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(line + "\n");
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  source.onmessage = e => append(e.data);
  source.addEventListener("end", e => {
    source.close();
    end.textContent = `The run ended: ${e.data}.`;
  });
  source.addEventListener("trial_end", e => {
    source.close();
    end.textContent = `The trial ended: ${e.data}.`;
  });
  source.onerror = () => {
    source.close();
    if (log.source === source) setTimeout(() => log.source === source && openLog(id, trial), POLL_MS);
  };
}
