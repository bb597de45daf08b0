//! The documentation-site widget: `<ecs-iam-builder>` (defined by `web/ecs-iam-builder.js`)
//! mounts this compact builder in its shadow root. It shares the app's views and wasm; unlike
//! the app it keeps nothing in the URL or local storage, and its attributes can limit what it
//! offers.

use crate::draft::Draft;
use crate::state::{default_draft, Notice, State};
use crate::view::{use_analysis, widget_view, Ctx, Limits};
use ecs_iam_core::Format;
use std::rc::Rc;
use yew::prelude::*;

/// The widget's attributes, as the custom element reads them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WidgetOptions {
    /// `config`: the configuration JSON.
    pub config: Option<String>,
    /// `format`: the shown format id.
    pub format: Option<String>,
    /// `roles`: role kinds the widget offers to add (comma or space separated).
    pub roles: Option<String>,
    /// `features`: feature chips it offers.
    pub features: Option<String>,
    /// `tool`: the tools (output tabs) it offers.
    pub tool: Option<String>,
    /// `capacity`: fargate, ec2 or anywhere.
    pub capacity: Option<String>,
    /// `app`: the full app's URL, for the "open in the app" link.
    pub app: Option<String>,
}

fn list(s: &Option<String>) -> Option<Vec<String>> {
    s.as_ref()
        .map(|s| {
            s.split([',', ' '])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
}

impl WidgetOptions {
    /// The widget's first state and limits. A bad attribute is shown in the widget, never
    /// thrown at the host page.
    pub fn state(&self) -> (State, Limits) {
        let mut state = State {
            persist: false,
            ..State::default()
        };
        let mut problems = Vec::new();
        if let Some(text) = &self.config {
            match Draft::parse(text) {
                Ok(d) => state.draft = std::rc::Rc::new(d),
                Err(e) => {
                    state.draft = std::rc::Rc::new(default_draft());
                    problems.push(format!("its config attribute is not usable: {e}"));
                }
            }
        }
        let limits = Limits {
            roles: list(&self.roles),
            features: list(&self.features),
            tools: list(&self.tool),
            app_url: self.app.clone().unwrap_or_else(|| "./".into()),
        };
        match self.format.as_deref().map(|f| (f, Format::from_id(f))) {
            Some((_, Some(f))) => state.format = f,
            Some((f, None)) => problems.push(format!(
                "its format attribute {} is not one of {}",
                ecs_iam_core::quote(f),
                Format::ALL.map(Format::id).join(", ")
            )),
            None => {}
        }
        if !limits.allows_format(state.format) {
            if let Some(f) = Format::ALL.into_iter().find(|f| limits.allows_format(*f)) {
                state.format = f;
            }
        }
        if let Some(c) = &self.capacity {
            let known = ecs_iam_core::gallery()
                .group("capacity")
                .is_some_and(|g| g.value(c).is_some());
            if known {
                state.capacity = Some(c.clone());
            } else {
                problems.push(format!(
                    "its capacity attribute {} is not fargate, ec2 or anywhere",
                    ecs_iam_core::quote(c)
                ));
            }
        }
        if !problems.is_empty() {
            state.notice = Some(Notice::error(format!(
                "This widget was set up wrongly: {}.",
                problems.join("; ")
            )));
        }
        (state, limits)
    }
}

#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    pub options: Rc<WidgetOptions>,
}

#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let (initial, limits) = props.options.state();
    let state = use_reducer(move || initial);
    let dispatch = state.dispatcher();
    let (analysis, output) = use_analysis(&state);
    widget_view(&Ctx {
        state: &state,
        analysis: &analysis,
        output: output.as_ref().as_ref(),
        dispatch: &dispatch,
        limits: &limits,
        shown_roles: crate::view::ALL_ROLES,
    })
}

#[cfg(target_arch = "wasm32")]
mod mount {
    use super::*;
    use wasm_bindgen::prelude::*;

    /// A widget mounted in an element (the custom element's shadow root holds it). Each start
    /// renders into an element of its own inside `root`: Yew destroys an app later than it is
    /// asked to, and an app started on the same element before that would be cleared by it.
    #[wasm_bindgen]
    pub struct WidgetHandle {
        root: web_sys::Element,
        app: Option<(yew::AppHandle<Widget>, web_sys::Element)>,
    }

    fn options(value: &JsValue) -> WidgetOptions {
        let get = |key: &str| {
            js_sys::Reflect::get(value, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        WidgetOptions {
            config: get("config"),
            format: get("format"),
            roles: get("roles"),
            features: get("features"),
            tool: get("tool"),
            capacity: get("capacity"),
            app: get("app"),
        }
    }

    fn start(
        root: &web_sys::Element,
        options: WidgetOptions,
    ) -> (yew::AppHandle<Widget>, web_sys::Element) {
        let host = root
            .owner_document()
            .and_then(|d| d.create_element("div").ok())
            .unwrap_or_else(|| root.clone());
        if host != *root {
            let _ = root.append_child(&host);
        }
        let app = yew::Renderer::<Widget>::with_root_and_props(
            host.clone(),
            WidgetProps {
                options: Rc::new(options),
            },
        )
        .render();
        (app, host)
    }

    fn stop(root: &web_sys::Element, app: (yew::AppHandle<Widget>, web_sys::Element)) {
        let (app, host) = app;
        app.destroy();
        if host != *root {
            host.remove();
        }
    }

    /// Mounts a widget in `root` with the element's attributes (`{config, format, roles,
    /// features, tool, capacity, app}`, each a string or absent).
    #[wasm_bindgen]
    pub fn mount_widget(root: web_sys::Element, attributes: JsValue) -> WidgetHandle {
        let app = start(&root, options(&attributes));
        WidgetHandle {
            root,
            app: Some(app),
        }
    }

    #[wasm_bindgen]
    impl WidgetHandle {
        /// Starts the widget again from new attributes.
        pub fn update(&mut self, attributes: JsValue) {
            if let Some(app) = self.app.take() {
                stop(&self.root, app);
            }
            self.app = Some(start(&self.root, options(&attributes)));
        }

        pub fn destroy(&mut self) {
            if let Some(app) = self.app.take() {
                stop(&self.root, app);
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use mount::{mount_widget, WidgetHandle};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_preset_and_limit() {
        let o = WidgetOptions {
            config: Some(
                r#"{"roles":[{"kind":"infrastructure","features":[{"id":"ebs"}]}]}"#.into(),
            ),
            format: Some("aws-cli".into()),
            roles: Some("infrastructure, deployer".into()),
            tool: Some("aws-cli cloudformation".into()),
            capacity: Some("ec2".into()),
            ..Default::default()
        };
        let (s, l) = o.state();
        assert_eq!(s.format, Format::AwsCli);
        assert_eq!(s.draft.roles[0].kind, "infrastructure");
        assert_eq!(s.capacity.as_deref(), Some("ec2"));
        assert!(!s.persist && s.notice.is_none());
        assert_eq!(
            l.roles.as_deref(),
            Some(&["infrastructure".to_string(), "deployer".to_string()][..])
        );
        assert!(l.allows_format(Format::CloudformationJson));
        assert!(!l.allows_format(Format::Ufo));
    }

    #[test]
    fn bad_attributes_are_shown_not_thrown() {
        let o = WidgetOptions {
            config: Some("{oops".into()),
            format: Some("pdf".into()),
            tool: Some("ufo".into()),
            ..Default::default()
        };
        let (s, _) = o.state();
        assert_eq!(*s.draft, default_draft());
        assert_eq!(s.format, Format::Ufo, "the only tool offered");
        let n = s.notice.unwrap().text;
        assert!(n.contains("config") && n.contains("pdf"), "{n}");
    }
}
