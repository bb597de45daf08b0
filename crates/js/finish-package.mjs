// Completes the package wasm-pack writes into crates/js/pkg: adds the Node.js entry point
// (node.js) and package.json's "exports", so that Node resolves `import { render } from
// "ecs-iam-builder"` to an engine that is ready, and everything else to wasm-pack's module.
//   node crates/js/finish-package.mjs [PKG_DIR]
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(process.argv[2] ?? path.join(here, "pkg"));
const manifestPath = path.join(pkg, "package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
// node.js imports the module and reads the wasm by these names.
if (manifest.main !== "ecs_iam_builder.js") {
  throw new Error(`wasm-pack named the module ${manifest.main}; crates/js/node.js expects ecs_iam_builder.js`);
}
const main = `./${manifest.main}`;
const wasm = `./${manifest.main.replace(/\.js$/, "_bg.wasm")}`;

copyFileSync(path.join(here, "node.js"), path.join(pkg, "node.js"));
manifest.files = [...new Set([...(manifest.files ?? []), "node.js", "README.md"])];
// node.js initializes the engine when it is imported: a bundler must not drop that.
manifest.sideEffects = [...new Set([...(manifest.sideEffects ?? []), "./node.js"])];
manifest.exports = {
  ".": { types: `./${manifest.types}`, node: "./node.js", default: main },
  [wasm]: wasm,
  [main]: main,
  "./package.json": "./package.json",
};
// The tools (import, diff, vectors, diagnose, evaluate): a wasm module of their own in tools/,
// which scripts/setup.sh's build_tools builds with wasm-pack from crates/tools.
const tools = path.join(pkg, "tools");
if (existsSync(path.join(tools, "ecs_iam_tools.js"))) {
  copyFileSync(path.join(here, "../tools/node.js"), path.join(tools, "node.js"));
  for (const extra of [".gitignore", "package.json", "README.md"]) {
    rmSync(path.join(tools, extra), { force: true });
  }
  manifest.files = [...new Set([...manifest.files, "tools/"])];
  manifest.sideEffects = [...new Set([...manifest.sideEffects, "./tools/node.js"])];
  manifest.exports["./tools"] = {
    types: "./tools/ecs_iam_tools.d.ts",
    node: "./tools/node.js",
    default: "./tools/ecs_iam_tools.js",
  };
  manifest.exports["./tools/ecs_iam_tools_bg.wasm"] = "./tools/ecs_iam_tools_bg.wasm";
}
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
