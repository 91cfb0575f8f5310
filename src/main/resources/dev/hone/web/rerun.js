// A run's page: "re-run with a change" — the run's commit made again with one parameter of its search space fixed
// (POST /api/runs/ID/rerun; the server checks the value against the run's hone.yaml and says what is wrong), for a
// session signed in with a write token; disabled, saying why, for anyone else. And what a re-run changed, in its
// facts. Built with the helpers of app.js and the writes of history.js.
"use strict";

// made once per page, so that what is typed in it stays while the page is drawn again on each event of its stream;
// its controls carry data-key, so the focus comes back to them too
let rerunMade = null;

function rerunSection(run) {
  if (!run.search_space?.length || !run.commit) return null;
  if (rerunMade?.run !== run.id) rerunMade = {run: run.id, section: makeRerunSection(run)};
  return rerunMade.section;
}

// "re-run of run 12 with lr = 0.01", the run a link
function rerunFact(rerun) {
  return [h("a", {href: `/runs/${rerun.of}`}, `run ${rerun.of}`), rerun.text.slice(`re-run of run ${rerun.of}`.length)];
}

// what a parameter takes, said beside the value field
function rerunHint(param) {
  if (param.type === "categorical") return `one of ${param.choices.map(String).join(", ")}`;
  const kind = param.type === "int" ? "a whole number" : "a number";
  return `${kind} from ${param.min} to ${param.max}${param.log ? " (log scale)" : ""}`;
}

// the value typed, as JSON: a number where it reads as one, the categorical's own choice where it names one
function rerunValue(param, text) {
  const choice = param.type === "categorical" ? param.choices.findIndex(c => String(c) === text) : -1;
  if (choice >= 0) return param.choices[choice];
  return text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
}

function makeRerunSection(run) {
  const why = h("p", {class: "muted", id: "rerun-why"}, "Checking whether you may re-run…");
  const select = h("select", {id: "rerun-param", name: "param", "data-key": "rerun-param", disabled: true},
    run.search_space.map(p => h("option", {value: p.name}, p.name)));
  const hint = h("span", {class: "muted", id: "rerun-hint"});
  const input = h("input", {id: "rerun-value", name: "value", "data-key": "rerun-value", autocomplete: "off",
    spellcheck: "false", size: 12, required: true, disabled: true, "aria-describedby": "rerun-hint"});
  const button = h("button", {type: "submit", class: "primary", "data-key": "rerun-submit", disabled: true},
    "Re-run with this change");
  const status = h("p", {id: "rerun-status", class: "action-status", role: "status", "aria-live": "polite"});
  const param = () => run.search_space.find(p => p.name === select.value);
  const describe = () => {
    hint.textContent = rerunHint(param());
    input.removeAttribute("aria-invalid");
  };
  select.onchange = describe;
  describe();
  const submit = async event => {
    event.preventDefault();
    const p = param();
    const value = rerunValue(p, input.value.trim());
    const change = `re-run of run ${run.id} with ${p.name} = ${String(value)}`;
    button.disabled = true;
    status.classList.remove("error");
    input.removeAttribute("aria-invalid");
    status.textContent = `Queueing the ${change}…`;
    try {
      const answer = await write(`/api/runs/${run.id}/rerun`, {set: {[p.name]: value}});
      status.replaceChildren(h("a", {href: `/runs/${answer.id}`}, `Run #${answer.id}`), ` ${answer.status}: `
        + `${change}.`);
    } catch (e) {
      status.classList.add("error");
      status.textContent = e.message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } finally {
      button.disabled = false;
    }
  };
  const form = h("form", {class: "rerun-change", onsubmit: submit, "aria-describedby": "rerun-why"},
    h("label", {for: "rerun-param"}, "Parameter"), " ", select, " ",
    h("label", {for: "rerun-value"}, "value"), " ", input, " ", button, " ", hint);
  writeSession().then(session => {
    const mayWrite = session?.signed_in && session.scope === "write";
    const login = h("a", {href: `/login?next=${encodeURIComponent(location.pathname)}`},
      "sign in with a write token");
    fill(why, mayWrite
      ? `Run ${run.id}'s commit again with one parameter fixed; the others are tuned as before.`
      : session?.signed_in
        ? [`You signed in with the token ${session.name}, which may only read: `, login, " to re-run with a change."]
        : ["To re-run with a change, ", login, " (the dashboard holds no token of its own)."]);
    for (const control of [select, input, button]) {
      control.disabled = !mayWrite;
      control.title = mayWrite ? "" : "sign in with a write token to do this";
    }
  });
  return h("section", {class: "rerun", "aria-labelledby": "rerun-title"},
    h("h2", {id: "rerun-title"}, "Re-run with a change"), why, form, status);
}
