// <ecs-iam-builder>: the ECS IAM Builder as a custom element, for documentation sites.
//
//   <script type="module" src="https://your.site/ecs-iam/ecs-iam-builder.js"></script>
//   <ecs-iam-builder format="cloudformation-yaml"
//                    config='{"roles":[{"kind":"task-execution"}]}'></ecs-iam-builder>
//
// Attributes: config (the configuration JSON), format (the shown format id), and optionally
// roles, features, tool (ids separated by spaces or commas: what the widget offers), capacity (fargate, ec2,
// anywhere) and app (the full app's URL; default: the folder of this script). Changing an
// attribute starts that widget again from it. Each widget lives in its own shadow root: the
// page's CSS does not reach it, and its CSS does not leave it. It loads the app's own
// WebAssembly from the folder of this script, and nothing from anywhere else.
//
// scripts/post-build.py writes the hashed file names of the build in place of the markers.
const APP_JS = "__ECS_IAM_APP_JS__";
const APP_WASM = "__ECS_IAM_APP_WASM__";
const APP_CSS = "__ECS_IAM_APP_CSS__";

const base = new URL(".", import.meta.url);
let engine;

function load() {
  engine ??= import(new URL(APP_JS, base).href).then(async (module) => {
    await module.default({ module_or_path: new URL(APP_WASM, base) });
    return module;
  });
  return engine;
}

const ATTRIBUTES = ["config", "format", "roles", "features", "tool", "capacity", "app"];

class EcsIamBuilder extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #handle = null;
  #container = null;
  #pending = false;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL(APP_CSS, base).href;
    this.#container = document.createElement("div");
    this.#container.className = "ecs-iam-widget";
    this.#container.textContent = "Loading the ECS IAM Builder…";
    shadow.append(style, this.#container);
  }

  #attributes() {
    const out = { app: base.href };
    for (const name of ATTRIBUTES) {
      const value = this.getAttribute(name);
      if (value !== null) out[name] = value;
    }
    return out;
  }

  async connectedCallback() {
    const module = await load();
    if (!this.isConnected || this.#handle) return;
    this.#container.textContent = "";
    this.#handle = module.mount_widget(this.#container, this.#attributes());
  }

  // Several attributes set in one go (format, then config) start the widget once, from all
  // of them: the update waits for the end of the task that set them.
  attributeChangedCallback() {
    if (this.#pending || !this.#handle) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      this.#handle?.update(this.#attributes());
    });
  }

  disconnectedCallback() {
    this.#handle?.destroy();
    this.#handle?.free();
    this.#handle = null;
  }
}

if (!customElements.get("ecs-iam-builder")) {
  customElements.define("ecs-iam-builder", EcsIamBuilder);
}
