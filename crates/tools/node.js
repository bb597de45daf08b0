// `ecs-iam-builder/tools` in Node.js (the "node" condition of the package's "./tools" export):
// ready as soon as it is imported. Browsers and bundlers get ecs_iam_tools.js, which fetches
// its wasm when init() is called, so a page pays for these tools only when it first uses one.
import { readFileSync } from "node:fs";
import init, { initSync } from "./ecs_iam_tools.js";

initSync({ module: readFileSync(new URL("./ecs_iam_tools_bg.wasm", import.meta.url)) });

export * from "./ecs_iam_tools.js";
export default init;
