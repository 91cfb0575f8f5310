// Runs side by side (/compare?runs=3,7): their trials on one value-by-trial chart (a series per run), their best
// parameters in one table, and how each run's hone.yaml differs from the first's. Built with the helpers of app.js.
"use strict";

const RUN_COLOURS = ["#2457c5", "#c2410c", "#1a7f37", "#8250df", "#b42318", "#0e7490", "#9a6700", "#57606a"];

async function comparePage() {
  const ids = new URLSearchParams(location.search).get("runs") || "";
  const runs = await api(`/api/compare?runs=${encodeURIComponent(ids)}`);
  const project = runs[0].run.project;
  document.title = `Compare runs ${runs.map(r => `#${r.run.id}`).join(", ")} · ${project} — Hone`;
  crumbs([project, projectHref(project)], ["compare"]);
  render(h("h1", {}, `Compare ${runs.length} runs`),
    compareChart(runs),
    h("h2", {id: "best-title"}, "Best parameters"),
    bestTable(runs),
    h("h2", {}, "hone.yaml"),
    runs.slice(1).map(r => specDiff(runs[0], r)));
  return runs.some(r => r.run.live);
}

const runName = r => `#${r.run.id} ${short(r.run.commit)}`;

function compareChart(runs) {
  if (typeof uPlot === "undefined") return null;
  const last = Math.max(1, ...runs.flatMap(r => r.trials.map(t => t.number)));
  const xs = Array.from({length: last}, (_, i) => i + 1);
  const data = [xs, ...runs.map(r => {
    const values = new Map(r.trials.map(t => [t.number, t.value]));
    return xs.map(n => values.get(n) ?? null);
  })];
  const metric = runs.find(r => r.metric)?.metric;
  const figure = h("figure", {class: "chart compare-chart", role: "img",
    "aria-label": `${metric?.name || "value"} by trial number of runs ${runs.map(runName).join(", ")}; `
      + "the table below gives each run's best"});
  const chart = new uPlot({
    width: Math.min(900, Math.max(360, main.clientWidth - 40)), height: 260,
    scales: {x: {time: false}},
    axes: [{label: "trial"}, {label: metric?.name || "value",
      values: (u, ticks) => ticks.map(v => num(Number(v.toPrecision(4))))}],
    series: [{label: "trial"}, ...runs.map((r, i) => ({label: `run ${runName(r)}`,
      stroke: RUN_COLOURS[i % RUN_COLOURS.length], width: 1.5, spanGaps: true, points: {size: 6}}))],
  }, data, figure);
  figure.uplot = chart;
  figure.append(h("figcaption", {class: "muted"}, `${metric?.name || "value"} by trial, one line per run`));
  return figure;
}

// One row per parameter (then the value, trials, commit), one column per run; a parameter whose values differ
// between runs is marked, in words too.
function bestTable(runs) {
  const names = [...new Set(runs.flatMap(r => Object.keys(r.best_params || {})))].sort();
  const cell = v => h("td", {class: typeof v === "number" ? "num" : null}, v == null ? "—" : num(v));
  const rows = names.map(name => {
    const values = runs.map(r => r.best_params?.[name]);
    const differs = new Set(values.map(v => JSON.stringify(v ?? null))).size > 1;
    return h("tr", {class: differs ? "differs" : null},
      h("th", {scope: "row"}, name, differs ? h("span", {class: "flag"}, " (differs)") : null), values.map(cell));
  });
  return h("table", {class: "best-params", "aria-labelledby": "best-title"},
    h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "parameter"),
      runs.map(r => h("th", {scope: "col"}, h("a", {href: `/runs/${r.run.id}`}, runName(r)))))),
    h("tbody", {}, rows,
      h("tr", {class: "value"}, h("th", {scope: "row"}, `best ${runs[0].metric?.name || "value"}`),
        runs.map(r => cell(r.run.best?.value))),
      h("tr", {}, h("th", {scope: "row"}, "trials"), runs.map(r => cell(r.run.trials))),
      h("tr", {}, h("th", {scope: "row"}, "commit"), runs.map(r => h("td", {}, commit(r.run))))));
}

// The unified diff of hone.yaml from the first run's to this one's, a line each, added and removed said in words.
function specDiff(first, other) {
  const title = `${runName(first)} → ${runName(other)}`;
  if (other.spec == null && first.spec == null) return h("p", {class: "muted"}, `${title}: neither has a hone.yaml.`);
  if (!other.spec_diff) return h("p", {class: "muted"}, `${title}: the same hone.yaml.`);
  const lines = other.spec_diff.replace(/\n$/, "").split("\n").map(line => {
    const kind = line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "same";
    const said = {add: "added: ", del: "removed: ", hunk: "", same: ""}[kind];
    return h("span", {class: `line ${kind}`}, said ? h("span", {class: "sr-only"}, said) : null, line, "\n");
  });
  return h("figure", {class: "spec-diff"}, h("figcaption", {}, `hone.yaml, ${title}`),
    h("pre", {class: "diff", tabindex: "0", "aria-label": `hone.yaml changes from ${runName(first)} to `
      + runName(other)}, lines));
}
