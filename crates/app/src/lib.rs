//! The ecs-iam web app: a Yew single-page builder over `ecs-iam-core`. It holds no policy
//! logic: the core validates, plans, checks, explains and renders; this crate keeps the draft
//! the user is typing, shows it, and keeps it in the URL and local storage.

pub mod analysis;
pub mod bundle;
pub mod draft;
pub mod highlight;
pub mod share;
pub mod state;
pub mod view;
pub mod web;
pub mod widget;

pub use view::{App, AppProps};

// The page is single-threaded; talc is smaller than the standard library's dlmalloc.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Mounts the app on `<body>` when the page is the app's own (`<body data-ecs-iam-app>`): the
/// first state comes from the share link, then local storage. On other pages (the widget's
/// hosts) the wasm only serves `mount_widget`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let is_app = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|b| b.has_attribute("data-ecs-iam-app"));
    if !is_app {
        return;
    }
    use crate::share;
    let theme = state::Theme::from_id(&web::stored(web::STORAGE_THEME).unwrap_or_default());
    let stored = web::stored(web::STORAGE_CONFIG);
    let mut initial = state::initial_state(&web::fragment(), stored.as_deref(), theme);
    initial.restore_history(
        web::stored(web::STORAGE_HISTORY).as_deref(),
        stored.as_deref(),
    );
    if web::fragment().is_empty() {
        if let Some(f) =
            web::stored(web::STORAGE_FORMAT).and_then(|f| ecs_iam_core::Format::from_id(&f))
        {
            initial.format = f;
        }
        if let Some(q) = web::stored(web::STORAGE_SETTINGS) {
            initial.apply_settings(&share::Settings::parse(&q));
        }
    }
    web::register_service_worker();
    web::flush_url_on_leave();
    // The page's "Loading the builder…" line, there until now.
    if let Some(loading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading"))
    {
        loading.remove();
    }
    yew::Renderer::<App>::with_props(AppProps {
        initial: std::rc::Rc::new(initial),
    })
    .render();
}
