// A project's page beyond its runs list: its history across commits (each run's best value against its commit, the
// target, a run whose best fell below the previous run's flagged in the chart and in words), the model it serves and
// its download, what a signed-in person may do (run a branch's head now, cancel a live run, re-run a commit), and
// the checkboxes that pick runs to compare. Built with the helpers of app.js; charts with uPlot (served by Hone).
"use strict";

const HISTORY_RUNS = 100;

// A signed-in write session may act; anyone else sees why not. Asked once per page.
let sessionOnce = null;
const writeSession = () => sessionOnce ??= fetch("/session").then(r => r.json()).catch(() => null);

// A write from the dashboard: the session cookie and the header no page of another site can send.
async function write(path, body) {
  const response = await fetch(path, {method: "POST", body: JSON.stringify(body || {}), headers: {
    "Content-Type": "application/json", Accept: "application/json", "X-Hone-Dashboard": "1"}});
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new Error(answer?.error || `${path} answered HTTP ${response.status}`);
  return answer;
}

// What the last action did, said where a screen reader hears it.
const actionStatus = h("p", {id: "action-status", class: "action-status", role: "status", "aria-live": "polite"});

async function act(button, what, path, body) {
  button.disabled = true;
  actionStatus.classList.remove("error");
  actionStatus.textContent = `${what}…`;
  try {
    const answer = await write(path, body);
    actionStatus.textContent = `${what}: run #${answer.id} ${answer.status}.`;
  } catch (e) {
    actionStatus.classList.add("error");
    actionStatus.textContent = `${what}: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

// Run a branch's head now: the form, or why it is not offered. Made once per page, so that what is typed in it and
// its focus stay while the page is drawn again.
let actions = null;
const actionsPanel = (project, session, branch) => actions ??= makeActionsPanel(project, session, branch);

function makeActionsPanel(project, session, branch) {
  const mayWrite = session?.signed_in && session.scope === "write";
  const login = h("a", {href: `/login?next=${encodeURIComponent(location.pathname)}`}, "sign in with a write token");
  if (!mayWrite) {
    return h("section", {class: "actions", "aria-label": "actions"},
      h("p", {class: "muted", id: "actions-why"}, session?.signed_in
        ? [`You signed in with the token ${session.name}, which may only read: `, login,
          " to run a branch, cancel or re-run."]
        : ["To run a branch now, cancel or re-run, ", login,
          " (the dashboard holds no token of its own)."]));
  }
  const input = h("input", {id: "run-branch", name: "branch", value: branch || "main", autocomplete: "off",
    spellcheck: "false", size: 16});
  const button = h("button", {type: "submit", class: "primary"}, "Run now");
  const submit = event => {
    event.preventDefault();
    act(button, `Run the head of ${input.value.trim()}`, "/api/runs", {project, branch: input.value.trim()});
  };
  return h("section", {class: "actions", "aria-label": "actions"},
    h("form", {class: "run-branch", onsubmit: submit},
      h("label", {for: "run-branch"}, "Run the head of branch"), input, button),
    actionStatus);
}

// The buttons of one run's row: cancel while live, else re-run its commit; disabled with the reason otherwise.
function runActions(run, session) {
  const mayWrite = session?.signed_in && session.scope === "write";
  const why = mayWrite ? null : "sign in with a write token to do this";
  if (run.live) {
    const cancel = h("button", {type: "button", class: "cancel", disabled: !mayWrite, title: why,
      "data-key": `cancel-${run.id}`,
      "aria-label": `cancel run ${run.id}`, onclick: () => act(cancel, `Cancel run #${run.id}`,
        `/api/runs/${run.id}/cancel`)}, "cancel");
    return cancel;
  }
  if (!run.commit) return null;
  const rerun = h("button", {type: "button", class: "rerun", disabled: !mayWrite, title: why,
    "data-key": `rerun-${run.id}`,
    "aria-label": `re-run commit ${short(run.commit)} of run ${run.id}`,
    onclick: () => act(rerun, `Re-run ${short(run.commit)}`, "/api/runs", {project: run.project, commit: run.commit})},
    "re-run");
  return rerun;
}

// ---- the history across commits ----

function historySection(history) {
  const points = history.runs;
  if (!points.length) return null;
  const metric = history.metric;
  const regressions = points.filter(p => p.regression);
  const summary = regressions.length
    ? `${regressions.length} of ${points.length} runs fell below the previous run's best`
    : `no run fell below the previous run's best (${points.length} runs)`;
  return h("section", {class: "history", "aria-labelledby": "history-title"},
    h("h2", {id: "history-title"}, "History across commits"),
    h("p", {class: regressions.length ? "history-summary regressed" : "history-summary"}, summary),
    historyChart(points, metric),
    historyTable(points, metric));
}

function historyChart(points, metric) {
  if (typeof uPlot === "undefined") return null;
  const figure = h("figure", {class: "chart history-chart", role: "img", tabindex: "-1",
    "aria-label": `best ${metric?.name || "value"} of each run by commit, oldest first; `
      + `${points.filter(p => p.regression).length} regressions; the table below lists the same`});
  const xs = points.map((_, i) => i);
  const bests = points.map(p => p.run.best?.value ?? null);
  const flagged = points.map(p => p.regression ? p.run.best.value : null);
  const target = metric?.target;
  const series = [{label: "commit"},
    {label: `best ${metric?.name || "value"}`, stroke: "#2457c5", width: 2, points: {size: 7}},
    {label: "fell below the previous best", stroke: "#b42318", width: 0, paths: () => null,
      points: {size: 13, width: 2.5, stroke: "#b42318", fill: "#fff"}}];
  const data = [xs, bests, flagged];
  if (target != null) {
    series.push({label: `target ${num(target)}`, stroke: "#b42318", dash: [6, 4], width: 1.5, points: {show: false}});
    data.push(xs.map(() => target));
  }
  const width = Math.min(900, Math.max(360, main.clientWidth - 40));
  const chart = new uPlot({
    width, height: 240,
    scales: {x: {time: false}},
    legend: {live: false},
    cursor: {points: {size: 9}},
    axes: [
      {label: "commit (oldest first)", values: (u, ticks) => ticks.map(i => points[i] ? short(points[i].run.commit)
          .slice(0, 7) : "")},
      {label: metric?.name || "best value", values: (u, ticks) => ticks.map(v => num(Number(v.toPrecision(4))))}],
    series,
  }, data, figure);
  chart.over.addEventListener("click", () => {
    const i = chart.cursor.idx;
    if (i != null && points[i]) location.assign(`/runs/${points[i].run.id}`);
  });
  figure.uplot = chart;
  figure.append(h("figcaption", {class: "muted"}, `best ${metric?.name || "value"} of each run by commit; `
    + "ringed in red: fell below the previous run's best; dashed: target; click a point to open its run"));
  return figure;
}

function historyTable(points, metric) {
  const rows = points.slice().reverse().map(p => h("tr", {class: p.regression ? "regression" : null},
    h("td", {}, runLink(p.run.id)),
    h("td", {}, commit(p.run)),
    h("td", {}, time(p.run.created_at)),
    h("td", {class: "num"}, num(p.run.best?.value)),
    h("td", {class: "change"}, p.regression
      ? h("span", {class: "flag"}, `▼ regression: below run #${p.previous_run}'s ${num(p.previous_best)}`)
      : p.run.best ? "" : "no value"),
    h("td", {}, badge(p.run.status))));
  return h("table", {class: "history-table"},
    h("caption", {class: "muted"}, `the last ${points.length} runs, newest first; best ${metric?.name || "value"}`
      + (metric?.target != null ? `, target ${num(metric.target)}` : "")),
    h("thead", {}, h("tr", {}, ["run", "commit", "when", "best", "against the previous run", "status"]
      .map(x => h("th", {scope: "col"}, x)))),
    h("tbody", {}, rows));
}

// ---- the model ----

function modelPanel(project, history) {
  if (!history.model) return null;
  return h("p", {class: "model"}, h("a", {href: `/api/projects/${encodeURIComponent(project)}/model.tar.gz`,
    download: "", class: "download"}, "Download the current model (.tar.gz)"),
  h("span", {class: "muted"}, " — the best trial's output files of the last run that succeeded"));
}

// ---- picking runs to compare ----

// the runs picked, kept while the list is drawn again (an event, another page of runs)
const picked = new Set();

function compareBox(run) {
  return h("input", {type: "checkbox", class: "pick", value: run.id, "aria-label": `compare run ${run.id}`,
    "data-key": `pick-${run.id}`,
    checked: picked.has(String(run.id)), onchange: event => {
      if (event.target.checked) picked.add(event.target.value);
      else picked.delete(event.target.value);
      compareButton.update();
    }});
}

const compareButton = (() => {
  const button = h("button", {type: "button", class: "compare", disabled: true,
    onclick: () => {
      location.assign(`/compare?runs=${[...picked].join(",")}`);
    }}, "Compare the picked runs");
  button.update = () => {
    button.disabled = picked.size < 2;
    button.textContent = picked.size < 2 ? "Compare: pick two runs or more" : `Compare ${picked.size} runs`;
  };
  return button;
})();
