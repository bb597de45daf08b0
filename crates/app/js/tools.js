// The bridge to the tools' own wasm module (import, diff, vectors, diagnose), which the page
// loads when a panel first uses it: dist/tools/ beside index.html, same origin, cached by the
// service worker for offline use like every other file of the build.
let loading = null;

function tools() {
  if (!loading) {
    const base = new URL("tools/", document.baseURI);
    loading = import(new URL("ecs_iam_tools.js", base).href).then(async (m) => {
      await m.default({ module_or_path: new URL("ecs_iam_tools_bg.wasm", base) });
      return m;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

// Calls a tool with text arguments; `done(json, error)` gets the result as JSON text, or the
// tool's message (an input error) or why the module could not load.
export function callTool(op, a, b, done) {
  tools().then(
    (m) => {
      let out;
      try {
        out = JSON.stringify(op === "diagnose" ? m.diagnose(a, b || undefined) : op === "importConfig" ? m.importConfig(a) : op === "vectors" ? m.vectors(a) : m.diff(a, b));
      } catch (e) {
        done("", String((e && e.message) || e));
        return;
      }
      done(out, "");
    },
    (e) => done("", "The tools could not be loaded (" + String((e && e.message) || e) + "). Reload the page to try again."),
  );
}
