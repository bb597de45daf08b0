// The bridge to the tools' own wasm module (import, diff, vectors, diagnose, and the renderers
// of the formats the first download leaves out), which the page loads when first needed:
// tools/ beside index.html, same origin, cached by the service worker for offline use like
// every other file of the build. This file is served from snippets/<crate>/js/ of the same
// build, so the module is found from here both in the app and in a widget on another page.
let loading = null;
let loaded = null;

function tools() {
  if (!loading) {
    const base = new URL("../../../tools/", import.meta.url);
    loading = import(new URL("ecs_iam_tools.js", base).href).then(async (m) => {
      await m.default({ module_or_path: new URL("ecs_iam_tools_bg.wasm", base) });
      loaded = m;
      return m;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

// Text results stay text; the others are sent as JSON text.
function run(m, op, a, b) {
  switch (op) {
    case "renderFormat": return m.renderFormat(a, b);
    case "renderFiles": return JSON.stringify(m.renderFiles(a, b));
    case "diagnose": return JSON.stringify(m.diagnose(a, b || undefined));
    case "importConfig": return JSON.stringify(m.importConfig(a));
    case "vectors": return JSON.stringify(m.vectors(a));
    case "diff": return JSON.stringify(m.diff(a, b));
    default: throw new Error("no tool " + op);
  }
}

function message(e) {
  return String((e && e.message) || e);
}

// Calls a tool with text arguments; `done(out, error)` gets the result, or the tool's message
// (an input error) or why the module could not load. Once the module is there, `done` runs
// before this returns, within the user's gesture (a copy to the clipboard stays allowed).
export function callTool(op, a, b, done) {
  if (loaded) {
    let out;
    try {
      out = run(loaded, op, a, b);
    } catch (e) {
      done("", message(e));
      return;
    }
    done(out, "");
    return;
  }
  tools().then(
    (m) => callTool(op, a, b, done),
    (e) => done("", "The tools could not be loaded (" + message(e) + "). Reload the page to try again."),
  );
}

// Starts loading the module without calling anything.
export function preloadTools() {
  tools().catch(() => {});
}
