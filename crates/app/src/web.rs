//! The browser: local storage, the URL fragment, the clipboard, downloads, file import, the
//! colour scheme and the service worker. Everything here is a side effect at the edge; the
//! state it reads and writes is plain Rust (`state.rs`).
//!
//! Natively (the SSR tests) there is no browser: rendering never calls these functions (they
//! run only in effects and event handlers), and they compile to no-ops.

pub const STORAGE_CONFIG: &str = "ecs-iam.config";
pub const STORAGE_FORMAT: &str = "ecs-iam.format";
pub const STORAGE_THEME: &str = "ecs-iam.theme";
pub const STORAGE_HISTORY: &str = "ecs-iam.history";
pub const STORAGE_SETTINGS: &str = "ecs-iam.settings";

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use crate::state::{State, Theme};
    use gloo::storage::{LocalStorage, Storage};
    use wasm_bindgen::{JsCast, JsValue};

    fn window() -> web_sys::Window {
        web_sys::window().expect("a window")
    }

    pub fn stored(key: &str) -> Option<String> {
        LocalStorage::raw().get_item(key).ok().flatten()
    }

    pub fn fragment() -> String {
        window().location().hash().unwrap_or_default()
    }

    thread_local! {
        /// The configuration JSON and format the address bar has yet to show, when an update
        /// is waiting for the page to be idle.
        static PENDING_URL: std::cell::RefCell<Option<(String, ecs_iam_core::Format, crate::share::Settings)>> =
            const { std::cell::RefCell::new(None) };
    }

    /// Keeps the configuration in local storage at once (nothing typed is lost when the tab
    /// closes) and in the URL right after the next frame is painted: replacing the history
    /// entry with a long link costs milliseconds that the frame showing a keystroke should not
    /// wait for. The entry is replaced, so that Back leaves the app instead of undoing
    /// keystrokes.
    pub fn persist(state: &State) {
        let json = state.draft.to_json();
        let settings = state.settings();
        if state.persist {
            let storage = LocalStorage::raw();
            let _ = storage.set_item(STORAGE_CONFIG, &json);
            let _ = storage.set_item(STORAGE_FORMAT, state.format.id());
            let _ = storage.set_item(STORAGE_SETTINGS, &settings.query());
        }
        let waiting = PENDING_URL.with(|p| {
            p.borrow_mut()
                .replace((json, state.format, settings))
                .is_some()
        });
        if waiting {
            return;
        }
        after_paint(flush_url);
    }

    /// Runs `f` in a task of its own right after the next frame is painted (a frame callback
    /// runs before the paint; a task queued from it runs after), or at once if it cannot wait.
    pub fn after_paint(f: impl FnOnce() + 'static) {
        after_paint_boxed(Box::new(f));
    }

    /// One copy of the frame and task closures, whatever `after_paint` is given.
    fn after_paint_boxed(f: Box<dyn FnOnce()>) {
        let f = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
        let now = f.clone();
        let queue = wasm_bindgen::closure::Closure::once_into_js(move || {
            let later = f.clone();
            let run = wasm_bindgen::closure::Closure::once_into_js(move || {
                if let Some(f) = later.take() {
                    f();
                }
            });
            if window()
                .set_timeout_with_callback(run.unchecked_ref())
                .is_err()
            {
                if let Some(f) = f.take() {
                    f();
                }
            }
        });
        if window()
            .request_animation_frame(queue.unchecked_ref())
            .is_err()
        {
            if let Some(f) = now.take() {
                f();
            }
        }
    }

    /// Keeps the undo history in local storage (written only when a step is added, undone
    /// or redone, not for every keystroke of a step).
    pub fn persist_history(state: &State) {
        if state.persist {
            let _ = LocalStorage::raw().set_item(STORAGE_HISTORY, &state.history.to_json());
        }
    }

    /// Brings the URL up to date when the page is left with an update still waiting.
    pub fn flush_url_on_leave() {
        gloo::events::EventListener::new(&window(), "pagehide", |_| flush_url()).forget();
    }

    /// Writes the share link that waits for the next paint into the address bar now.
    pub fn flush_url() {
        let Some((json, format, settings)) = PENDING_URL.with(|p| p.borrow_mut().take()) else {
            return;
        };
        let url = format!("#{}", crate::share::fragment_with(&json, format, &settings));
        if window().location().hash().ok().as_deref() != Some(url.as_str()) {
            let _ = window()
                .history()
                .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
        }
    }

    pub fn system_dark() -> bool {
        window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
    }

    pub fn apply_theme(theme: Theme) {
        let _ = LocalStorage::raw().set_item(STORAGE_THEME, theme.id());
        if let Some(root) = window().document().and_then(|d| d.document_element()) {
            match theme {
                Theme::System => {
                    let _ = root.remove_attribute("data-theme");
                }
                t => {
                    let _ = root.set_attribute("data-theme", t.id());
                }
            }
        }
    }

    pub fn copy_text(text: &str) {
        let _ = window().navigator().clipboard().write_text(text);
    }

    /// Calls `f` once, after `ms` milliseconds.
    pub fn after(ms: u32, f: impl FnOnce() + 'static) {
        gloo::timers::callback::Timeout::new(ms, f).forget();
    }

    /// Focuses the element `id` once it exists: the page renders an action's result a moment
    /// after the action (tried for about half a second).
    pub fn focus_soon(id: &str) {
        fn attempt(id: String, left: u32) {
            let found = window().document().and_then(|d| d.get_element_by_id(&id));
            match found {
                Some(_) => focus(&id),
                None if left > 0 => after(25, move || attempt(id, left - 1)),
                None => {}
            }
        }
        attempt(id.to_string(), 20);
    }

    pub fn share_url(fragment: &str) -> String {
        let loc = window().location();
        let base = loc.href().unwrap_or_default();
        let base = base.split('#').next().unwrap_or_default();
        format!("{base}#{fragment}")
    }

    /// Saves bytes as a file through a temporary object URL.
    pub fn download(name: &str, media_type: &str, bytes: &[u8]) {
        let array = js_sys::Uint8Array::from(bytes);
        let parts = js_sys::Array::of1(&array);
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(media_type);
        let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let document = window().document().expect("a document");
        if let Ok(a) = document.create_element("a") {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }

    pub fn focus(id: &str) {
        if let Some(el) = window().document().and_then(|d| d.get_element_by_id(id)) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                el.scroll_into_view();
                let _ = el.focus();
            }
        }
    }

    #[wasm_bindgen::prelude::wasm_bindgen(module = "/js/tools.js")]
    extern "C" {
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = callTool)]
        fn call_tool_js(op: &str, a: &str, b: &str, done: &JsValue);
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = preloadTools)]
        fn preload_tools_js();
    }

    /// Starts loading the tools module (a pointer on a control that needs it), so that the
    /// click finds it there.
    pub fn preload_tools() {
        preload_tools_js();
    }

    /// Runs one of the tools (`importConfig`, `diff`, `vectors`, `diagnose`) in their own wasm
    /// module, loaded on first use; `done` gets the result's JSON text or the message.
    pub fn call_tool(
        op: &str,
        a: &str,
        b: &str,
        done: impl FnOnce(Result<String, String>) + 'static,
    ) {
        let callback =
            wasm_bindgen::closure::Closure::once_into_js(move |out: String, err: String| {
                done(if err.is_empty() { Ok(out) } else { Err(err) });
            });
        call_tool_js(op, a, b, &callback);
    }

    /// Registers the service worker that keeps the app working offline.
    pub fn register_service_worker() {
        let sw = window().navigator().service_worker();
        let _ = sw.register("./sw.js");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use crate::state::{State, Theme};

    pub fn stored(_key: &str) -> Option<String> {
        None
    }
    pub fn fragment() -> String {
        String::new()
    }
    pub fn persist(_state: &State) {}
    pub fn persist_history(_state: &State) {}
    pub fn flush_url_on_leave() {}
    pub fn flush_url() {}
    pub fn system_dark() -> bool {
        false
    }
    pub fn apply_theme(_theme: Theme) {}
    pub fn copy_text(_text: &str) {}
    pub fn after(_ms: u32, _f: impl FnOnce() + 'static) {}
    pub fn after_paint(_f: impl FnOnce() + 'static) {}
    pub fn focus_soon(_id: &str) {}
    pub fn share_url(fragment: &str) -> String {
        format!("#{fragment}")
    }
    pub fn download(_name: &str, _media_type: &str, _bytes: &[u8]) {}
    pub fn focus(_id: &str) {}
    pub fn register_service_worker() {}
    pub fn preload_tools() {}
    pub fn call_tool(
        _op: &str,
        _a: &str,
        _b: &str,
        _done: impl FnOnce(Result<String, String>) + 'static,
    ) {
    }
}

pub use imp::*;

/// Reads the file chosen in an `<input type="file">` as text.
#[cfg(target_arch = "wasm32")]
pub fn read_file(event: &yew::Event, done: impl FnOnce(Result<String, String>) + 'static) {
    use wasm_bindgen::JsCast;
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    read_text(file, done);
}

/// Reads the first file dropped on an element as text (the element's `ondragover` must
/// prevent the default, so that the browser lets it be a drop target).
#[cfg(target_arch = "wasm32")]
pub fn read_dropped_file(
    event: &yew::DragEvent,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    let Some(file) = event
        .data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
    else {
        return;
    };
    event.prevent_default();
    read_text(file, done);
}

#[cfg(not(target_arch = "wasm32"))]
pub fn read_dropped_file(
    _event: &yew::DragEvent,
    _done: impl FnOnce(Result<String, String>) + 'static,
) {
}

#[cfg(target_arch = "wasm32")]
fn read_text(file: web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    use std::cell::RefCell;
    thread_local! {
        // A reader is cancelled when dropped: keep the one in flight.
        static READER: RefCell<Option<gloo::file::callbacks::FileReader>> = const { RefCell::new(None) };
    }
    let file = gloo::file::File::from(file);
    if file.size() > ecs_iam_core::MAX_CONFIG_BYTES as u64 {
        done(Err(format!(
            "{} is larger than {} bytes",
            file.name(),
            ecs_iam_core::MAX_CONFIG_BYTES
        )));
        return;
    }
    let reader = gloo::file::callbacks::read_as_text(&file, move |r| {
        done(r.map_err(|e| e.to_string()));
    });
    READER.with(|r| *r.borrow_mut() = Some(reader));
}

#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(_event: &yew::Event, _done: impl FnOnce(Result<String, String>) + 'static) {}
