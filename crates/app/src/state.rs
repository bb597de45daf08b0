//! The app's state and its reducer: plain Rust, tested natively. The browser side
//! (`web.rs`) only loads the first state and persists what the reducer produces.

use crate::draft::{Draft, DraftFeature, DraftRole, Field};
use crate::share;
use ecs_iam_core::{catalog, gallery, Format};
use serde_json::Value;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn id(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn from_id(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
    /// The next theme of the toggle, given what the system prefers now: from the system's
    /// theme to the other look, then to the system's look chosen for good, then back to
    /// following the system (light, dark, system when the system is light).
    pub fn toggled(self, system_dark: bool) -> Theme {
        match (self, system_dark) {
            (Theme::System, false) | (Theme::Light, true) => Theme::Dark,
            (Theme::System, true) | (Theme::Dark, false) => Theme::Light,
            (Theme::Light, false) | (Theme::Dark, true) => Theme::System,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoticeKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// A configuration the notice offers to bring back (the one in local storage, when a
    /// broken link replaced it on screen).
    pub restore: Option<String>,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            restore: None,
        }
    }
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            restore: None,
        }
    }
}

/// The gallery's own filter selection (one value or none per dimension).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GalleryFilter {
    pub tool: Option<String>,
    pub capacity: Option<String>,
    pub feature: Option<String>,
}

/// How many steps Undo goes back (each a change of the configuration; typing into one field is
/// one step until another field or action comes).
pub const UNDO_STEPS: usize = 60;

/// The configurations before (`past`) and after (`future`) the current one, newest last. Shared
/// (`Rc`), so that the state stays cheap to clone; compared by `version`, which changes with
/// every new step, undo and redo.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub past: Rc<Vec<Rc<Draft>>>,
    pub future: Rc<Vec<Rc<Draft>>>,
    pub version: u64,
    /// The field the last step typed into: more typing there joins that step.
    last_field: Option<String>,
}

impl History {
    /// `{"past": [config, ...], "future": [...]}`, each a configuration's JSON.
    pub fn to_json(&self) -> String {
        let list = |l: &[Rc<Draft>]| Value::Array(l.iter().map(|d| d.to_value()).collect());
        let mut m = serde_json::Map::new();
        m.insert("past".into(), list(&self.past));
        m.insert("future".into(), list(&self.future));
        ecs_iam_core::json::to_string(&Value::Object(m))
    }

    /// The history `to_json` wrote; anything else (an older or damaged entry) is no history.
    pub fn parse(text: &str) -> History {
        let Ok(v) = ecs_iam_core::json::parse(text) else {
            return History::default();
        };
        let list = |k: &str| -> Vec<Rc<Draft>> {
            v.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|d| Draft::from_value(d).ok().map(Rc::new))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut past = list("past");
        if past.len() > UNDO_STEPS {
            past.drain(..past.len() - UNDO_STEPS);
        }
        History {
            past: Rc::new(past),
            future: Rc::new(list("future")),
            version: 0,
            last_field: None,
        }
    }
}

impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Shared, not copied, by the states an edit goes through, the undo history and the views:
    /// an edit copies it once (`Rc::make_mut`).
    pub draft: Rc<Draft>,
    pub history: History,
    /// Whether the user changed the configuration since it was loaded, imported or cleared:
    /// replacing it then asks first (`confirm`).
    pub dirty: bool,
    /// An action that would replace a changed configuration, waiting for the user's yes.
    pub confirm: Option<Box<Action>>,
    /// The id of the button whose action just succeeded ("Copied ✓" on the Copy button itself).
    pub done: Option<&'static str>,
    /// The output tab.
    pub format: Format,
    /// Where the tasks run: `fargate`, `ec2` or `anywhere`; decides which roles are offered.
    pub capacity: Option<String>,
    pub gallery: GalleryFilter,
    pub notice: Option<Notice>,
    pub theme: Theme,
    /// False while the screen shows a configuration that must not overwrite local storage yet
    /// (the default shown for a broken link): the first edit sets it.
    pub persist: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopField {
    Partition,
    Region,
    Account,
    Permissions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleText {
    Name,
    Path,
    Description,
    InstanceProfileName,
    Sources,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetTop(TopField, String),
    AddRole(String),
    RemoveRole(usize),
    SetRoleText(usize, RoleText, String),
    SetConfusedDeputy(usize, Option<bool>),
    ToggleManagedPolicy(usize, String),
    SetPassRoles(usize, Option<Vec<String>>),
    AddFeature(usize, String),
    RemoveFeature(usize, usize),
    SetText(usize, usize, String, String),
    SetBool(usize, usize, String, bool),
    /// A feature chip: adds the feature to the role where it belongs (creating that role when
    /// the configuration has none), or removes it from every role.
    ToggleFeature(String),
    SetCapacity(Option<String>),
    SetFormat(Format),
    LoadPattern(String, Option<Format>),
    /// Imported or pasted configuration JSON.
    Import(String),
    /// The configuration a notice offers back (the one a derived configuration or a broken
    /// link replaced): put back without asking.
    Restore(String),
    /// A configuration derived by the tools (an imported task definition or template, or an
    /// error's fix), with the sentence that says what was done: it replaces the draft, and the
    /// notice offers the previous one back.
    UseDerived(String, String),
    /// A share link opened while the app runs (`hashchange`).
    OpenLink(String),
    Reset,
    /// An empty configuration, to build from scratch.
    Clear,
    SetGalleryFilter(&'static str, Option<String>),
    /// Moves statement `k` of the custom feature `j` of role `i` to a custom feature of the first
    /// role of the kind named (created when the configuration has none): the wrong-role check's
    /// "move it to the task role".
    MoveStatement(usize, usize, usize, String),
    SetTheme(Theme),
    /// A button's action succeeded: the button says so for a moment (`Done(id)`), then not
    /// (`Undone(id)`).
    Done(&'static str),
    Undone(&'static str),
    /// Back to the configuration before the last step, or forward again.
    Undo,
    Redo,
    /// Carries out the action waiting in `confirm`, or drops it.
    Confirm,
    CancelConfirm,
    Notify(Notice),
    DismissNotice,
}

/// The configuration a new visitor starts from: a least-privilege execution role and a task
/// role for one application.
pub fn default_draft() -> Draft {
    Draft::parse(
        r#"{"roles": [
  {"kind": "task-execution", "name": "my-app-execution", "managedPolicies": [],
   "features": [{"id": "ecr-pull", "repositories": ["my-app"]},
                {"id": "logs", "logGroups": ["/ecs/my-app"]}]},
  {"kind": "task", "name": "my-app-task"}]}"#,
    )
    .expect("the default configuration is an object")
}

impl State {
    /// A state with an empty draft (no default configuration to parse).
    pub fn blank() -> State {
        State {
            draft: Rc::default(),
            history: History::default(),
            dirty: false,
            confirm: None,
            done: None,
            format: Format::CloudformationYaml,
            capacity: None,
            gallery: GalleryFilter::default(),
            notice: None,
            theme: Theme::System,
            persist: true,
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State {
            draft: Rc::new(default_draft()),
            ..State::blank()
        }
    }
}

/// The first state: the share link in the fragment wins, then what local storage kept, then
/// the default. A broken link shows the default with a message, and leaves storage alone.
pub fn initial_state(fragment: &str, stored: Option<&str>, theme: Theme) -> State {
    let mut state = State {
        theme,
        ..State::default()
    };
    let stored_draft = stored.and_then(|s| Draft::parse(s).ok());
    match share::parse_fragment(fragment) {
        Ok(Some(link)) => {
            if let Some(f) = link.format {
                state.format = f;
            }
            state.apply_settings(&link.settings);
            match link.config.as_deref().map(Draft::parse) {
                Some(Ok(d)) => state.draft = Rc::new(d),
                Some(Err(e)) => return broken_link(state, &e, stored),
                None => {
                    if let Some(d) = stored_draft {
                        state.draft = Rc::new(d);
                    }
                }
            }
        }
        Ok(None) => {
            if let Some(d) = stored_draft {
                state.draft = Rc::new(d);
            }
        }
        Err(e) => return broken_link(state, &e, stored),
    }
    state
}

fn broken_link(mut state: State, why: &str, stored: Option<&str>) -> State {
    state.draft = Rc::new(default_draft());
    state.persist = false;
    let mut notice = Notice::error(format!(
        "This share link is broken: {why}. Showing the default configuration instead."
    ));
    notice.restore = stored
        .filter(|s| Draft::parse(s).is_ok_and(|d| d != *state.draft))
        .map(str::to_string);
    state.notice = Some(notice);
    state
}

impl State {
    fn edit(&mut self) -> &mut Draft {
        self.persist = true;
        Rc::make_mut(&mut self.draft)
    }

    fn role(&mut self, i: usize) -> Option<&mut DraftRole> {
        self.edit().roles.get_mut(i)
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SetTop(field, value) => {
                let d = self.edit();
                match field {
                    TopField::Partition => d.partition = value,
                    TopField::Region => d.region = value,
                    TopField::Account => d.account = value,
                    TopField::Permissions => d.permissions = value,
                }
            }
            Action::AddRole(kind) => {
                let mut role = DraftRole::new(&kind);
                let default = role.effective_name();
                let free = unique_name(&self.draft, &default);
                if free != default {
                    role.name = free;
                }
                self.edit().roles.push(role);
            }
            Action::RemoveRole(i) => {
                if i < self.draft.roles.len() {
                    self.edit().roles.remove(i);
                }
            }
            Action::SetRoleText(i, field, value) => {
                if let Some(r) = self.role(i) {
                    match field {
                        RoleText::Name => r.name = value,
                        RoleText::Path => r.path = value,
                        RoleText::Description => r.description = value,
                        RoleText::Sources => r.sources = value,
                        RoleText::InstanceProfileName => r.instance_profile_name = value,
                    }
                }
            }
            Action::SetConfusedDeputy(i, v) => {
                if let Some(r) = self.role(i) {
                    r.confused_deputy = v;
                }
            }
            Action::ToggleManagedPolicy(i, name) => {
                if let Some(r) = self.role(i) {
                    let mut list = r.effective_managed_policies();
                    match list
                        .iter()
                        .position(|p| p.rsplit('/').next() == Some(name.as_str()))
                    {
                        Some(k) => {
                            list.remove(k);
                        }
                        None => list.push(name),
                    }
                    r.managed_policies = Some(list);
                }
            }
            Action::SetPassRoles(i, v) => {
                if let Some(r) = self.role(i) {
                    r.pass_roles = v;
                }
            }
            Action::AddFeature(i, id) => {
                if let Some(r) = self.role(i) {
                    let repeatable = catalog().feature(&id).is_some_and(|f| f.repeatable);
                    if repeatable || !r.has_feature(&id) {
                        r.features.push(DraftFeature::new(&id));
                    }
                }
            }
            Action::RemoveFeature(i, j) => {
                if let Some(r) = self.role(i) {
                    if j < r.features.len() {
                        r.features.remove(j);
                    }
                }
            }
            Action::SetText(i, j, name, value) => {
                if let Some(f) = self.role(i).and_then(|r| r.features.get_mut(j)) {
                    if let Some(field) = f.field_mut(&name) {
                        *field = Field::Text(value);
                    }
                }
            }
            Action::SetBool(i, j, name, value) => {
                if let Some(f) = self.role(i).and_then(|r| r.features.get_mut(j)) {
                    if let Some(field) = f.field_mut(&name) {
                        // Unchecked is absent: the configuration stays as short as the CLI's.
                        *field = Field::Bool(value.then_some(true));
                    }
                }
            }
            Action::ToggleFeature(id) => self.toggle_feature(&id),
            Action::MoveStatement(i, j, k, kind) => self.move_statement(i, j, k, &kind),
            Action::SetCapacity(c) => self.capacity = c,
            Action::SetFormat(f) => self.format = f,
            Action::LoadPattern(id, format) => {
                if let Some(p) = gallery().pattern(&id) {
                    self.draft =
                        Rc::new(Draft::from_value(&p.config).expect("patterns are objects"));
                    self.persist = true;
                    if let Some(f) = format {
                        self.format = f;
                    }
                    self.notice = Some(Notice::info(format!("Loaded the pattern “{}”.", p.title)));
                }
            }
            Action::Import(text) => match Draft::parse(&text) {
                Ok(_) if looks_like_ecs_input(&text) => {
                    self.notice = Some(Notice::error(
                        "This file is not a builder configuration: it looks like a task definition or a CloudFormation template. Use “From a task definition” to derive a configuration from it. Nothing was changed.",
                    ));
                }
                Ok(d) => {
                    self.draft = Rc::new(d);
                    self.persist = true;
                    self.notice = Some(match ecs_iam_core::Config::parse(&text) {
                        Ok(_) => Notice::info("Imported the configuration."),
                        Err(e) => Notice::error(format!(
                            "Imported the file, but it is not a valid configuration yet: {e}. Fix it below, or Undo."
                        )),
                    });
                }
                Err(e) => {
                    self.notice = Some(Notice::error(format!(
                        "Could not import the configuration: {e}. Nothing was changed."
                    )));
                }
            },
            Action::Restore(json) => {
                if let Ok(d) = Draft::parse(&json) {
                    self.draft = Rc::new(d);
                    self.persist = true;
                    self.notice = Some(Notice::info("Restored your last configuration."));
                }
            }
            Action::UseDerived(json, done) => {
                match Draft::parse(&json) {
                    Ok(d) => {
                        let previous = self.draft.to_json();
                        self.draft = Rc::new(d);
                        self.persist = true;
                        self.notice = Some(Notice {
                        restore: Some(previous),
                        ..Notice::info(format!("{done} Your previous configuration is kept until you leave the page."))
                    });
                    }
                    Err(e) => {
                        self.notice = Some(Notice::error(format!(
                            "Could not use the derived configuration: {e}. Nothing was changed."
                        )));
                    }
                }
            }
            Action::OpenLink(fragment) => {
                let next = initial_state(&fragment, Some(&self.draft.to_json()), self.theme);
                if next.draft != self.draft || next.format != self.format || next.notice.is_some() {
                    // A link without settings keeps the filters the page has.
                    let keep = next.settings() == share::Settings::default();
                    *self = State {
                        capacity: if keep {
                            self.capacity.clone()
                        } else {
                            next.capacity.clone()
                        },
                        gallery: if keep {
                            self.gallery.clone()
                        } else {
                            next.gallery.clone()
                        },
                        history: self.history.clone(),
                        ..next
                    };
                }
            }
            Action::Reset => {
                self.draft = Rc::new(default_draft());
                self.persist = true;
                self.notice = Some(Notice::info("Back to the default configuration."));
            }
            Action::Clear => {
                self.draft = Rc::new(Draft::parse(r#"{"roles": []}"#).expect("an object"));
                self.persist = true;
                self.notice = Some(Notice::info(
                    "Started from an empty configuration: add a role, or pick a feature above.",
                ));
            }
            Action::SetGalleryFilter(key, value) => match key {
                "tool" => self.gallery.tool = value,
                "capacity" => self.gallery.capacity = value,
                _ => self.gallery.feature = value,
            },
            Action::SetTheme(t) => self.theme = t,
            Action::Done(id) => self.done = Some(id),
            Action::Undone(id) => {
                if self.done == Some(id) {
                    self.done = None;
                }
            }
            // `act` handles these; applied directly they do nothing.
            Action::Undo | Action::Redo | Action::Confirm | Action::CancelConfirm => {}
            Action::Notify(n) => self.notice = Some(n),
            Action::DismissNotice => self.notice = None,
        }
    }

    fn toggle_feature(&mut self, id: &str) {
        let Some(feature) = catalog().feature(id) else {
            return;
        };
        if self.draft.roles.iter().any(|r| r.has_feature(id)) {
            for r in &mut self.edit().roles {
                r.features.retain(|f| f.id != id);
            }
            self.notice = Some(Notice::info(format!("Removed {}.", feature.title)));
            return;
        }
        // The first home role, in the catalogue's order, that the configuration has (custom
        // statements go on the task role before the others).
        let present = feature
            .home_roles
            .iter()
            .find_map(|k| self.draft.roles.iter().position(|r| r.kind == *k));
        let i = match present {
            Some(i) => i,
            None => {
                let kind = &feature.home_roles[0];
                self.apply(Action::AddRole(kind.to_string()));
                self.draft.roles.len() - 1
            }
        };
        let role = &mut self.edit().roles[i];
        role.features.push(DraftFeature::new(id));
        let kind = catalog()
            .role_kind(&role.kind)
            .map(|k| k.title.to_ascii_lowercase())
            .unwrap_or_default();
        self.notice = Some(Notice::info(format!(
            "{} goes on the {kind} {}: {}",
            feature.title,
            role.effective_name(),
            feature.summary
        )));
    }
}

impl State {
    fn move_statement(&mut self, i: usize, j: usize, k: usize, kind: &str) {
        let statements = |f: &DraftFeature| match f.field("statements") {
            Some(Field::Text(t)) => match ecs_iam_core::json::parse(t) {
                Ok(Value::Array(list)) => Some(list),
                _ => None,
            },
            _ => None,
        };
        let Some(mut list) = self
            .draft
            .roles
            .get(i)
            .and_then(|r| r.features.get(j))
            .filter(|f| f.id == "custom")
            .and_then(statements)
        else {
            return;
        };
        if k >= list.len() || self.draft.roles[i].kind == kind {
            return;
        }
        let statement = list.remove(k);
        let target = match self.draft.roles.iter().position(|r| r.kind == kind) {
            Some(t) => t,
            None => {
                self.apply(Action::AddRole(kind.to_string()));
                self.draft.roles.len() - 1
            }
        };
        let draft = self.edit();
        let source = &mut draft.roles[i].features;
        if list.is_empty() {
            source.remove(j);
        } else if let Some(field) = source[j].field_mut("statements") {
            *field = Field::Text(ecs_iam_core::json::to_string_pretty(&Value::Array(list)));
        }
        let role = &mut draft.roles[target];
        // A custom feature whose statements are a list, or still empty; text that is not (yet)
        // JSON is left as typed, and the statement goes in a new custom feature.
        let takes = |f: &DraftFeature| {
            f.id == "custom"
                && (statements(f).is_some()
                    || matches!(f.field("statements"), Some(Field::Text(t)) if t.trim().is_empty()))
        };
        let at = match role.features.iter().position(takes) {
            Some(c) => c,
            None => {
                role.features.push(DraftFeature::new("custom"));
                role.features.len() - 1
            }
        };
        let mut into = statements(&role.features[at]).unwrap_or_default();
        into.push(statement);
        if let Some(field) = role.features[at].field_mut("statements") {
            *field = Field::Text(ecs_iam_core::json::to_string_pretty(&Value::Array(into)));
        }
        let name = role.effective_name();
        self.notice = Some(Notice::info(format!(
            "Moved the statement to the custom statements of {name}."
        )));
    }
}

/// Whether a JSON object is what `import` reads (a task definition, its container definitions,
/// a CloudFormation template) rather than a configuration, which has `roles`.
fn looks_like_ecs_input(text: &str) -> bool {
    let Ok(v) = ecs_iam_core::json::parse(text) else {
        return false;
    };
    let Some(o) = v.as_object() else {
        return false;
    };
    !o.contains_key("roles")
        && [
            "containerDefinitions",
            "taskDefinition",
            "Resources",
            "AWSTemplateFormatVersion",
        ]
        .iter()
        .any(|k| o.contains_key(*k))
}

fn unique_name(draft: &Draft, base: &str) -> String {
    let taken = |n: &str| {
        draft
            .roles
            .iter()
            .any(|r| r.effective_name().eq_ignore_ascii_case(n))
    };
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|k| format!("{base}{k}"))
        .find(|n| !taken(n))
        .expect("some suffix is free")
}

impl Action {
    /// The field a typing action writes to: consecutive keystrokes there are one undo step.
    fn field(&self) -> Option<String> {
        match self {
            Action::SetTop(f, _) => Some(format!("{f:?}")),
            Action::SetRoleText(i, f, _) => Some(format!("{i}.{f:?}")),
            Action::SetText(i, j, name, _) => Some(format!("{i}.{j}.{name}")),
            _ => None,
        }
    }

    /// Whether it replaces the whole configuration with one the user did not type (so that
    /// what it leaves is not a change of the user's).
    fn replaces(&self) -> bool {
        self.asks()
            || matches!(
                self,
                Action::UseDerived(..) | Action::Restore(_) | Action::OpenLink(_)
            )
    }

    /// Whether it asks first when the configuration was changed: the tools' derived
    /// configurations and a restore offer the previous one back themselves.
    fn asks(&self) -> bool {
        matches!(
            self,
            Action::LoadPattern(..) | Action::Import(_) | Action::Reset | Action::Clear
        )
    }
}

impl State {
    /// Applies an action as the user gave it: a change of the configuration is an undo step,
    /// and an action that would replace a changed configuration waits for `Confirm`.
    pub fn act(&mut self, action: Action) {
        match action {
            Action::Undo => return self.step(true),
            Action::Redo => return self.step(false),
            Action::CancelConfirm => {
                self.confirm = None;
                return;
            }
            Action::Confirm => {
                if let Some(a) = self.confirm.take() {
                    self.record(*a);
                }
                return;
            }
            _ => {}
        }
        if action.asks() && self.dirty {
            self.confirm = Some(Box::new(action));
            return;
        }
        self.confirm = None;
        self.record(action);
    }

    fn record(&mut self, action: Action) {
        let field = action.field();
        let replaces = action.replaces();
        // More typing into the field of the last step joins it: no copy needed.
        if field.is_some() && field == self.history.last_field {
            self.apply(action);
            self.dirty = true;
            return;
        }
        let before = self.draft.clone();
        self.apply(action);
        if self.draft == before {
            return;
        }
        let h = &mut self.history;
        let past = Rc::make_mut(&mut h.past);
        past.push(before);
        if past.len() > UNDO_STEPS {
            past.remove(0);
        }
        h.future = Rc::default();
        h.version += 1;
        h.last_field = field;
        self.dirty = !replaces;
    }

    /// The view's settings that the share link and local storage keep.
    pub fn settings(&self) -> share::Settings {
        share::Settings {
            capacity: self.capacity.clone(),
            gallery_tool: self.gallery.tool.clone(),
            gallery_capacity: self.gallery.capacity.clone(),
            gallery_feature: self.gallery.feature.clone(),
        }
    }

    pub fn apply_settings(&mut self, s: &share::Settings) {
        self.capacity = s.capacity.clone();
        self.gallery = GalleryFilter {
            tool: s.gallery_tool.clone(),
            capacity: s.gallery_capacity.clone(),
            feature: s.gallery_feature.clone(),
        };
    }

    /// The undo history kept in local storage, after `initial_state`: when a share link opened
    /// another configuration than the one stored, the stored one is the step Undo goes back to.
    /// The user's own work brought back from storage counts as changed (replacing it asks
    /// first); a configuration a link opened does not.
    pub fn restore_history(&mut self, history: Option<&str>, stored: Option<&str>) {
        if !self.persist {
            // A broken link shows the default and leaves storage alone.
            return;
        }
        let mut h = history.map(History::parse).unwrap_or_default();
        let mut own = false;
        if let Some(d) = stored.and_then(|s| Draft::parse(s).ok()) {
            own = d == *self.draft;
            if !own {
                let past = Rc::make_mut(&mut h.past);
                past.push(Rc::new(d));
                if past.len() > UNDO_STEPS {
                    past.remove(0);
                }
                h.future = Rc::default();
                h.version += 1;
            }
        }
        self.history = h;
        self.dirty = own && *self.draft != default_draft();
    }

    fn step(&mut self, back: bool) {
        let h = &mut self.history;
        let (from, to) = if back {
            (&mut h.past, &mut h.future)
        } else {
            (&mut h.future, &mut h.past)
        };
        let Some(draft) = Rc::make_mut(from).pop() else {
            return;
        };
        Rc::make_mut(to).push(std::mem::replace(&mut self.draft, draft));
        h.version += 1;
        h.last_field = None;
        self.persist = true;
        self.dirty = true;
        self.confirm = None;
    }
}

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.act(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;

    fn state_with(json: &str) -> State {
        State {
            draft: Rc::new(Draft::parse(json).unwrap()),
            ..State::default()
        }
    }

    #[test]
    fn the_default_configuration_is_valid_and_clean() {
        let a = Analysis::of(&default_draft());
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        let v = a.valid.unwrap();
        assert!(v
            .diagnostics
            .iter()
            .all(|d| d.severity != ecs_iam_core::Severity::Error));
    }

    #[test]
    fn building_the_seed_efs_role_by_actions_equals_the_fixture() {
        let mut s = state_with(r#"{"roles": []}"#);
        s.apply(Action::SetTop(TopField::Permissions, "per-feature".into()));
        s.apply(Action::AddRole("task-execution".into()));
        s.apply(Action::SetRoleText(
            0,
            RoleText::Name,
            "TaskExecutionRole".into(),
        ));
        s.apply(Action::ToggleManagedPolicy(
            0,
            "AmazonECSTaskExecutionRolePolicy".into(),
        ));
        s.apply(Action::AddFeature(0, "efs".into()));
        s.apply(Action::SetText(
            0,
            0,
            "fileSystems".into(),
            "fs-0123456789abcdef0".into(),
        ));
        s.apply(Action::SetBool(0, 0, "write".into(), true));
        s.apply(Action::SetBool(0, 0, "describe".into(), true));
        let fixture = gallery().pattern("task-execution-iam-role-efs").unwrap();
        assert_eq!(s.draft.to_value(), fixture.config);
    }

    #[test]
    fn a_feature_chip_goes_to_its_home_role_and_back() {
        let mut s = state_with(r#"{"roles": [{"kind": "task-execution"}]}"#);
        s.apply(Action::ToggleFeature("exec".into()));
        assert_eq!(s.draft.roles.len(), 2);
        assert_eq!(s.draft.roles[1].kind, "task");
        assert!(s.draft.roles[1].has_feature("exec"));
        assert!(s.notice.as_ref().unwrap().text.contains("task role"));
        s.apply(Action::ToggleFeature("exec".into()));
        assert!(!s.draft.roles[1].has_feature("exec"));
        s.apply(Action::ToggleFeature("ecr-pull".into()));
        assert!(s.draft.roles[0].has_feature("ecr-pull"));
    }

    #[test]
    fn custom_statements_go_on_the_task_role_first() {
        let mut s = state_with(r#"{"roles": [{"kind": "task-execution"}, {"kind": "task"}]}"#);
        s.apply(Action::ToggleFeature("custom".into()));
        assert!(!s.draft.roles[0].has_feature("custom"));
        assert!(s.draft.roles[1].has_feature("custom"));
        s.apply(Action::ToggleFeature("s3".into()));
        assert!(s.draft.roles[1].has_feature("s3"));
    }

    #[test]
    fn a_statement_on_the_wrong_role_moves_to_the_task_role_and_nothing_typed_is_lost() {
        let mut s = state_with(
            r#"{"roles": [{"kind": "task-execution", "features": [{"id": "custom", "statements": [
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}]},
              {"kind": "task", "features": [{"id": "custom", "statements": "[{not json yet"}]}]}"#,
        );
        s.apply(Action::MoveStatement(0, 0, 0, "task".into()));
        let v = s.draft.to_value();
        let left = &v["roles"][0]["features"][0]["statements"];
        assert_eq!(left.as_array().unwrap().len(), 1);
        assert_eq!(left[0]["Action"], "sqs:SendMessage");
        // The task role's half-typed statements stay; the moved one is in a custom feature of its own.
        assert_eq!(v["roles"][1]["features"][0]["statements"], "[{not json yet");
        assert_eq!(
            v["roles"][1]["features"][1]["statements"][0]["Action"],
            "s3:PutObject"
        );
        // The last statement takes its feature with it; a role of the kind is made when missing.
        let mut s = state_with(
            r#"{"roles": [{"kind": "task-execution", "features": [{"id": "custom", "statements": [
                {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}]}]}"#,
        );
        s.apply(Action::MoveStatement(0, 0, 0, "task".into()));
        let v = s.draft.to_value();
        assert!(v["roles"][0]
            .get("features")
            .is_none_or(|f| f.as_array().unwrap().is_empty()));
        assert_eq!(v["roles"][1]["kind"], "task");
        assert_eq!(
            v["roles"][1]["features"][0]["statements"][0]["Action"],
            "dynamodb:GetItem"
        );
        // Out of range, or not a custom feature: nothing changes.
        let before = s.draft.clone();
        s.apply(Action::MoveStatement(1, 0, 5, "task".into()));
        s.apply(Action::MoveStatement(0, 3, 0, "task".into()));
        assert_eq!(s.draft, before);
    }

    #[test]
    fn undo_and_redo_step_through_changes_typing_in_one_field_is_one_step() {
        let mut s = State::default();
        let start = s.draft.clone();
        for text in ["a", "ab", "abc"] {
            s.act(Action::SetRoleText(0, RoleText::Name, text.into()));
        }
        s.act(Action::AddFeature(1, "xray".into()));
        s.act(Action::SetRoleText(0, RoleText::Name, "abcd".into()));
        assert_eq!(s.history.past.len(), 3, "typing, the feature, typing again");
        s.act(Action::Undo);
        assert_eq!(s.draft.roles[0].name, "abc");
        s.act(Action::Undo);
        assert!(!s.draft.roles[1].has_feature("xray"));
        s.act(Action::Undo);
        assert_eq!(s.draft, start);
        s.act(Action::Undo);
        assert_eq!(s.draft, start, "nothing before the start");
        s.act(Action::Redo);
        s.act(Action::Redo);
        assert_eq!(s.draft.roles[0].name, "abc");
        assert!(s.draft.roles[1].has_feature("xray"));
        // A new change drops what could be redone.
        s.act(Action::SetRoleText(0, RoleText::Path, "/app/".into()));
        assert!(s.history.future.is_empty());
        s.act(Action::Redo);
        assert_eq!(s.draft.roles[0].path, "/app/");
        // At most UNDO_STEPS are kept.
        for k in 0..UNDO_STEPS + 10 {
            s.act(Action::SetRoleText(
                k % 2,
                RoleText::Description,
                format!("d{k}"),
            ));
        }
        assert_eq!(s.history.past.len(), UNDO_STEPS);
    }

    #[test]
    fn replacing_a_changed_configuration_asks_first_and_undo_brings_it_back() {
        let mut s = State::default();
        // Unchanged: no question.
        s.act(Action::Clear);
        assert!(s.confirm.is_none());
        assert!(s.draft.roles.is_empty());
        s.act(Action::AddRole("task".into()));
        let changed = s.draft.clone();
        for replace in [
            Action::Clear,
            Action::Reset,
            Action::Import(r#"{"roles": []}"#.into()),
        ] {
            s.act(replace);
            assert!(s.confirm.is_some(), "asks first");
            assert_eq!(s.draft, changed, "nothing replaced yet");
            s.act(Action::CancelConfirm);
            assert!(s.confirm.is_none());
            assert_eq!(s.draft, changed);
        }
        let pattern = gallery().patterns[0].id.clone();
        s.act(Action::LoadPattern(pattern, None));
        s.act(Action::Confirm);
        assert_ne!(s.draft, changed, "replaced after the yes");
        assert!(!s.dirty, "a loaded pattern is not a change");
        s.act(Action::Clear);
        assert!(s.confirm.is_none(), "the pattern unchanged: no question");
        s.act(Action::Undo);
        s.act(Action::Undo);
        assert_eq!(
            s.draft, changed,
            "New and Open never overwrite what Undo restores"
        );
    }

    #[test]
    fn the_history_survives_a_reload_and_a_link_opened_over_stored_work() {
        let mut s = State::default();
        s.act(Action::SetRoleText(0, RoleText::Name, "mine".into()));
        s.act(Action::AddFeature(1, "xray".into()));
        let stored = s.draft.to_json();
        let history = s.history.to_json();
        // A reload: the same configuration, the same steps back.
        let mut r = initial_state("", Some(&stored), Theme::System);
        r.restore_history(Some(&history), Some(&stored));
        assert_eq!(r.history.past.len(), 2);
        assert!(r.dirty);
        r.act(Action::Undo);
        r.act(Action::Undo);
        assert_eq!(*r.draft, default_draft());
        // A link of another configuration: Undo goes back to the stored work.
        let link = share::fragment(r#"{"roles": [{"kind": "task"}]}"#, Format::Json);
        let mut l = initial_state(&link, Some(&stored), Theme::System);
        l.restore_history(Some(&history), Some(&stored));
        assert_eq!(l.history.past.len(), 3);
        assert!(!l.dirty, "what a link opened is not the user's change");
        l.act(Action::Undo);
        assert_eq!(l.draft.to_json(), stored);
        // Damaged history is no history.
        let mut d = initial_state("", Some(&stored), Theme::System);
        d.restore_history(Some("{not json"), Some(&stored));
        assert!(d.history.past.is_empty());
    }

    #[test]
    fn import_says_what_it_did_and_refuses_what_is_not_a_configuration() {
        let mut s = State::default();
        s.act(Action::Import(
            r#"{"family": "web", "containerDefinitions": []}"#.into(),
        ));
        assert_eq!(*s.draft, default_draft());
        assert!(s.notice.as_ref().unwrap().text.contains("task definition"));
        s.act(Action::Import(r#"{"roles": [{"kind": "nope"}]}"#.into()));
        let n = s.notice.as_ref().unwrap();
        assert_eq!(n.kind, NoticeKind::Error);
        assert!(
            n.text.starts_with(
                "Imported the file, but it is not a valid configuration yet: roles[0].kind"
            ),
            "{}",
            n.text
        );
        s.act(Action::Undo);
        assert_eq!(*s.draft, default_draft());
    }

    #[test]
    fn the_link_keeps_the_capacity_and_the_gallery_filters() {
        let mut s = State::default();
        s.act(Action::SetCapacity(Some("ec2".into())));
        s.act(Action::SetGalleryFilter("tool", Some("terraform".into())));
        let link = share::fragment_with(&s.draft.to_json(), Format::Terraform, &s.settings());
        let opened = initial_state(&link, None, Theme::System);
        assert_eq!(opened.capacity.as_deref(), Some("ec2"));
        assert_eq!(opened.gallery.tool.as_deref(), Some("terraform"));
        assert_eq!(opened.format, Format::Terraform);
        assert_eq!(opened.settings(), s.settings());
    }

    #[test]
    fn the_theme_toggle_cycles_through_system() {
        for dark in [false, true] {
            let mut t = Theme::System;
            let mut seen = Vec::new();
            for _ in 0..3 {
                t = t.toggled(dark);
                seen.push(t);
            }
            assert_eq!(seen.last(), Some(&Theme::System), "{seen:?}");
            assert!(seen.contains(&Theme::Light) && seen.contains(&Theme::Dark));
            // The first press always changes the look.
            assert_eq!(seen[0], if dark { Theme::Light } else { Theme::Dark });
        }
    }

    #[test]
    fn a_derived_configuration_can_be_restored_without_a_question() {
        let mut s = State::default();
        s.act(Action::AddRole("task".into()));
        let mine = s.draft.to_json();
        s.act(Action::UseDerived(
            r#"{"roles": []}"#.into(),
            "Used it.".into(),
        ));
        assert!(s.draft.roles.is_empty());
        let restore = s.notice.as_ref().unwrap().restore.clone().unwrap();
        s.act(Action::Restore(restore));
        assert!(
            s.confirm.is_none(),
            "no question: it is the user's own configuration"
        );
        assert_eq!(s.draft.to_json(), mine);
    }

    #[test]
    fn added_roles_get_free_names() {
        let mut s = state_with(r#"{"roles": [{"kind": "task"}]}"#);
        s.apply(Action::AddRole("task".into()));
        assert_eq!(s.draft.roles[1].name, "ecsTaskRole2");
        assert!(Analysis::of(&s.draft).valid.is_some());
    }

    #[test]
    fn every_bad_item_is_reported_on_its_field() {
        let s = state_with(
            r#"{"roles": [{"kind": "task-execution", "features": [
                {"id": "ecr-pull", "repositories": ["ok-repo", "My Repo", "x y"]}]}]}"#,
        );
        let a = Analysis::of(&s.draft);
        assert!(a.valid.is_none());
        let at = a.errors_at("roles[0].features[0].repositories");
        assert_eq!(at.len(), 2, "{at:?}");
        assert_eq!(
            at[0].to_string(),
            "roles[0].features[0].repositories[1]: \"My Repo\" is not a valid ECR repository name: use lowercase letters, digits and . _ - / only"
        );
        assert!(a.errors_at("roles[0].features[0].sourceVpc").is_empty());
    }

    #[test]
    fn links_win_over_storage_and_broken_links_keep_storage() {
        let stored = r#"{"roles":[{"kind":"task","name":"mine"}]}"#;
        let s = initial_state("", Some(stored), Theme::Dark);
        assert_eq!(s.draft.roles[0].name, "mine");
        assert_eq!(s.theme, Theme::Dark);

        let link = share::fragment(
            r#"{"roles":[{"kind":"task","name":"linked"}]}"#,
            Format::Ufo,
        );
        let s = initial_state(&link, Some(stored), Theme::System);
        assert_eq!(s.draft.roles[0].name, "linked");
        assert_eq!(s.format, Format::Ufo);
        assert!(s.persist && s.notice.is_none());

        let s = initial_state("#config=%%%", Some(stored), Theme::System);
        assert_eq!(*s.draft, default_draft());
        assert!(!s.persist);
        let n = s.notice.unwrap();
        assert_eq!(n.kind, NoticeKind::Error);
        assert!(n.text.contains("broken"), "{}", n.text);
        assert_eq!(n.restore.as_deref(), Some(stored));

        let s = initial_state(&share::fragment("[1,2]", Format::Json), None, Theme::System);
        assert!(s.notice.unwrap().text.contains("JSON object"));
    }

    #[test]
    fn a_link_with_an_invalid_but_well_formed_config_is_kept_as_typed() {
        let typed = r#"{"roles":[{"kind":"task-execution","features":[{"id":"ecr-pull","repositories":["My Repo"]}]}]}"#;
        let s = initial_state(&share::fragment(typed, Format::Json), None, Theme::System);
        assert!(s.notice.is_none());
        assert_eq!(s.draft.to_json(), typed);
        assert!(Analysis::of(&s.draft).valid.is_none());
    }

    #[test]
    fn unchanged_state_keeps_its_rc() {
        let s = Rc::new(State::default());
        let same = s
            .clone()
            .reduce(Action::SetFormat(Format::CloudformationYaml));
        assert!(Rc::ptr_eq(&s, &same));
        let other = s.clone().reduce(Action::SetFormat(Format::Json));
        assert!(!Rc::ptr_eq(&s, &other));
    }
}
