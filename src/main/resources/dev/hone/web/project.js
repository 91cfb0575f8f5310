// The projects (/) and the runs of one project with the model it serves (/projects/NAME; all runs at /runs).
// Built with the helpers of app.js.
"use strict";

const PAGE = 50;
const SETTLING = new Set(["starting", "restarting"]);  // states of a served model that change by themselves soon

// The model a project serves (`serving` of /api/projects), in one line: what, where, how it is doing.
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const servingLine = s => (s.state === "serving" ? "serving " : "model of ")
  + `run ${s.run ?? "—"} trial ${s.trial ?? "—"} on :${s.port} · ${s.state.replace("_", " ")} · `
  + plural(s.restarts, "restart");
const servingTitle = s => [servingLine(s), s.container ? `container ${s.container}` : null,
  s.since ? `since ${local(new Date(s.since))}` : null, s.detail].filter(Boolean).join("\n");
const servingBadge = s => s ? h("span", {class: `badge serve ${s.state}`, title: servingTitle(s)},
  `${s.state} :${s.port}`) : null;

function servingPanel(s) {
  if (!s) return null;
  return h("section", {class: "serving-panel"},
    h("p", {class: `serving-line ${s.state}`}, h("span", {class: "serving-what"}, servingLine(s)),
      s.since ? h("span", {class: "muted"}, " · since ", time(s.since)) : null,
      s.container ? h("span", {class: "muted"}, " · container ", h("code", {}, s.container)) : null),
    s.detail ? h("p", {class: "serving-detail error"}, s.detail) : null);
}

async function projectsPage() {
  document.title = "Projects — Hone";
  crumbs();
  const [page, repositories] = await Promise.all([api("/api/projects?limit=500"), api("/api/repositories")]);
  const rows = page.items.map(({name, latest_run: r, serving}) => h("tr", {},
    h("td", {}, h("a", {href: projectHref(name)}, name), serving ? " " : null, servingBadge(serving)),
    h("td", {}, r ? badge(r.status) : "no runs"),
    h("td", {}, r ? runLink(r.id) : "—"),
    h("td", {class: "num"}, best(r?.best)),
    h("td", {class: "num"}, r ? r.trials : "—"),
    h("td", {}, r ? commit(r) : "—"),
    h("td", {}, time(r?.finished_at || r?.created_at))));
  render(h("h1", {}, "Projects"),
    rows.length ? table(["project", "status", "latest run", "best", "trials", "commit", "when"], rows)
      : none("No projects yet: add a repository (hone repo add URL) or push to a watched one."),
    h("p", {}, h("a", {href: "/runs"}, "All runs")),
    repositoriesPanel(repositories));
  return page.items.some(p => p.latest_run?.live || p.serving && SETTLING.has(p.serving.state));
}

// The watched repositories and how each is doing; a failing one says what failed and what to do.
function repositoriesPanel(repositories) {
  if (!repositories.length) return null;
  const rows = repositories.map(r => h("tr", {class: `repository ${r.status}`},
    h("td", {}, h("code", {}, r.url)),
    h("td", {}, r.branches.join(", ")),
    h("td", {}, r.poll === "0" ? "webhooks" : `every ${r.poll}`),
    h("td", {}, badge(r.status)),
    h("td", {class: r.problem ? "error problem" : "muted"}, r.problem || (r.configured ? "hone-server.yaml" : "added"))));
  return h("section", {class: "repositories"}, h("h2", {}, "Repositories"),
    table(["repository", "branches", "poll", "status", ""], rows));
}

function commit(r) {
  const title = [r.commit, r.author, r.message].filter(Boolean).join("\n");
  return h("span", {class: "commit", title: title || null}, h("code", {}, short(r.commit)),
    r.message ? h("span", {class: "message"}, ` ${firstLine(r.message)}`) : null);
}

async function runsPage(project) {
  const before = parseInt(new URLSearchParams(location.search).get("before"), 10) || null;
  const query = new URLSearchParams({limit: String(PAGE)});
  if (before) query.set("before", String(before));
  if (project) query.set("project", project);
  document.title = `${project || "All runs"} — Hone`;
  crumbs([project || "all runs"]);
  const named = encodeURIComponent(project || "");
  const [page, about, history, session] = await Promise.all([api(`/api/runs?${query}`),
    project ? api(`/api/projects/${named}`) : null,
    project ? api(`/api/projects/${named}/history?limit=${HISTORY_RUNS}`) : null,
    project ? writeSession() : null]);
  const serving = about?.serving;
  const rows = page.items.map(r => h("tr", {},
    project ? h("td", {}, compareBox(r)) : null,
    h("td", {}, runLink(r.id)),
    project ? null : h("td", {}, h("a", {href: projectHref(r.project)}, r.project)),
    h("td", {}, badge(r.status)),
    h("td", {}, commit(r)),
    h("td", {}, r.branch || "—"),
    h("td", {}, person(r.author)),
    h("td", {class: "num"}, best(r.best)),
    h("td", {class: "num"}, r.trials),
    h("td", {}, time(r.created_at)),
    h("td", {}, time(r.finished_at)),
    project ? h("td", {}, runActions(r, session)) : null));
  const headings = [project ? "compare" : null, "run", project ? null : "project", "status", "commit", "branch",
    "author", "best", "trials", "created", "finished", project ? "actions" : null].filter(Boolean);
  const here = location.pathname;
  const latestBranch = page.items.find(r => r.branch)?.branch;
  compareButton.update();
  render(h("h1", {}, project || "All runs"),
    servingPanel(serving),
    project ? modelPanel(project, history) : null,
    project ? actionsPanel(project, session, latestBranch) : null,
    project ? historySection(history) : null,
    project ? h("h2", {}, "Runs") : null,
    project && page.items.length > 1 ? h("p", {class: "compare-bar"}, compareButton) : null,
    rows.length ? h("table", {class: "runs"}, h("thead", {}, h("tr", {}, headings.map(x => h("th", {scope: "col"}, x)))),
      h("tbody", {}, rows)) : none("No runs yet."),
    h("p", {class: "pager"},
      before ? h("a", {href: here}, "← newest") : null, " ",
      page.next_before != null ? h("a", {href: `${here}?before=${page.next_before}`}, "older →") : null));
  return page.items.some(r => r.live) || SETTLING.has(serving?.state);
}
