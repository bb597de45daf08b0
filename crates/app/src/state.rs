//! The app's state and its reducer: plain Rust, tested natively. The browser side
//! (`web.rs`) only loads the first state and persists what the reducer produces.

use crate::draft::{Draft, DraftFeature, DraftRole, Field};
use crate::share;
use ecs_iam_core::{catalog, gallery, Format};
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
    /// The next theme of the toggle, given what the system prefers now.
    pub fn toggled(self, system_dark: bool) -> Theme {
        let dark = match self {
            Theme::System => system_dark,
            Theme::Light => false,
            Theme::Dark => true,
        };
        if dark {
            Theme::Light
        } else {
            Theme::Dark
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

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub draft: Draft,
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
    SetTheme(Theme),
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
            draft: Draft::default(),
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
            draft: default_draft(),
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
            match link.config.as_deref().map(Draft::parse) {
                Some(Ok(d)) => state.draft = d,
                Some(Err(e)) => return broken_link(state, &e, stored),
                None => {
                    if let Some(d) = stored_draft {
                        state.draft = d;
                    }
                }
            }
        }
        Ok(None) => {
            if let Some(d) = stored_draft {
                state.draft = d;
            }
        }
        Err(e) => return broken_link(state, &e, stored),
    }
    state
}

fn broken_link(mut state: State, why: &str, stored: Option<&str>) -> State {
    state.draft = default_draft();
    state.persist = false;
    let mut notice = Notice::error(format!(
        "This share link is broken: {why}. Showing the default configuration instead."
    ));
    notice.restore = stored
        .filter(|s| Draft::parse(s).is_ok_and(|d| d != state.draft))
        .map(str::to_string);
    state.notice = Some(notice);
    state
}

impl State {
    fn edit(&mut self) -> &mut Draft {
        self.persist = true;
        &mut self.draft
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
            Action::SetCapacity(c) => self.capacity = c,
            Action::SetFormat(f) => self.format = f,
            Action::LoadPattern(id, format) => {
                if let Some(p) = gallery().pattern(&id) {
                    self.draft = Draft::from_value(&p.config).expect("patterns are objects");
                    self.persist = true;
                    if let Some(f) = format {
                        self.format = f;
                    }
                    self.notice = Some(Notice::info(format!("Loaded the pattern “{}”.", p.title)));
                }
            }
            Action::Import(text) => match Draft::parse(&text) {
                Ok(d) => {
                    self.draft = d;
                    self.persist = true;
                    self.notice = Some(Notice::info("Imported the configuration."));
                }
                Err(e) => {
                    self.notice = Some(Notice::error(format!(
                        "Could not import the configuration: {e}. Nothing was changed."
                    )));
                }
            },
            Action::UseDerived(json, done) => {
                match Draft::parse(&json) {
                    Ok(d) => {
                        let previous = self.draft.to_json();
                        self.draft = d;
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
                    *self = State {
                        capacity: self.capacity.clone(),
                        gallery: self.gallery.clone(),
                        ..next
                    };
                }
            }
            Action::Reset => {
                self.draft = default_draft();
                self.persist = true;
                self.notice = Some(Notice::info("Back to the default configuration."));
            }
            Action::Clear => {
                self.draft = Draft::parse(r#"{"roles": []}"#).expect("an object");
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
        let home = |r: &DraftRole| feature.home_roles.contains(&r.kind.as_str());
        let i = match self.draft.roles.iter().position(home) {
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

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
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
            draft: Draft::parse(json).unwrap(),
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
        assert_eq!(s.draft, default_draft());
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
