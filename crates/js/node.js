// The package's entry point in Node.js (the "node" condition of package.json's exports): the
// engine is ready as soon as it is imported, with no init() to call. Browsers and bundlers
// get ecs_iam_builder.js, which fetches the wasm when init() is called.
import { readFileSync } from "node:fs";
import init, { initSync } from "./ecs_iam_builder.js";

initSync({ module: readFileSync(new URL("./ecs_iam_builder_bg.wasm", import.meta.url)) });

export * from "./ecs_iam_builder.js";
export default init;
