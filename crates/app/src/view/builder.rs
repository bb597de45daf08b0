//! The builder: account settings, one card per role, a form per feature.

use super::Limits;
use super::{field_id, humanize, Ctx};
use crate::analysis::Analysis;
use crate::draft::{Draft, DraftFeature, DraftRole, Field};
use crate::state::{Action, RoleText, State, TopField};
use crate::web;
use ecs_iam_core::ConfigError;
use ecs_iam_core::{catalog, Feature, ParamType, RoleKind};
use ecs_iam_core::{Diagnostic, Severity};
use yew::prelude::*;

fn input_value(e: &InputEvent) -> String {
    if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
        return t.value();
    }
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

/// Messages under a field, and the attributes that tie them to it.
fn field_errors(ctx: &Ctx, path: &str) -> (Html, bool, String) {
    let errors = ctx.analysis.errors_at(path);
    let id = format!("{}-error", field_id(path));
    if errors.is_empty() {
        return (Html::default(), false, String::new());
    }
    let html = html! {
        <ul class="field-errors" id={id.clone()}>
            { for errors.iter().map(|e| html! { <li>{ under_field(path, e) }</li> }) }
        </ul>
    };
    (html, true, id)
}

/// An error as it reads under its field: what is wrong first, the field's place left out (the
/// output panel keeps the full path); an item of a list is named by its line.
fn under_field(field: &str, e: &ConfigError) -> String {
    let rest = e.path.strip_prefix(field).unwrap_or_default();
    let line = rest
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|k| k.parse::<usize>().ok());
    match (rest, line) {
        ("", _) => e.message.clone(),
        (_, Some(k)) => format!("Line {}: {}", k + 1, e.message),
        _ => format!("{}: {}", rest.trim_start_matches('.'), e.message),
    }
}

pub(crate) fn settings(ctx: &Ctx) -> Html {
    let d = &ctx.state.draft;
    let text = |field: TopField| {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::SetTop(field, input_value(&e)));
        })
    };
    let select = |field: TopField| {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| dispatch.dispatch(Action::SetTop(field, select_value(&e))))
    };
    let (region_err, region_bad, region_desc) = field_errors(ctx, "region");
    let (account_err, account_bad, account_desc) = field_errors(ctx, "account");
    let (partition_err, _, _) = field_errors(ctx, "partition");
    let (permissions_err, _, _) = field_errors(ctx, "permissions");
    let summary = if d.account.is_empty() && d.region.is_empty() {
        "Any account and Region (CloudFormation pseudo parameters)".to_string()
    } else {
        format!(
            "{} {} {}",
            if d.partition.is_empty() {
                "aws"
            } else {
                &d.partition
            },
            if d.region.is_empty() {
                "any Region"
            } else {
                &d.region
            },
            if d.account.is_empty() {
                "any account"
            } else {
                &d.account
            }
        )
    };
    html! {
        <details class="card settings">
            <summary>
                <span class="card-title">{ "Account, Region and policy layout" }</span>
                <span class="muted">{ summary }</span>
            </summary>
            <div class="grid-fields">
                <div class="field">
                    <label for="partition">{ "Partition" }</label>
                    <select id="partition" onchange={select(TopField::Partition)}>
                        <option value="" selected={d.partition.is_empty()}>{ "Any (AWS::Partition)" }</option>
                        { for catalog().partitions.iter().map(|p| html! {
                            <option value={p.id} selected={d.partition == p.id}>{ &p.id }</option>
                        }) }
                    </select>
                    { partition_err }
                </div>
                <div class="field">
                    <label for="region">{ "Region" }</label>
                    <input id="region" type="text" value={d.region.clone()} oninput={text(TopField::Region)}
                        placeholder="any (AWS::Region)" spellcheck="false" autocomplete="off"
                        aria-invalid={region_bad.to_string()} aria-describedby={region_desc} />
                    { region_err }
                </div>
                <div class="field">
                    <label for="account">{ "Account ID" }</label>
                    <input id="account" type="text" inputmode="numeric" value={d.account.clone()}
                        oninput={text(TopField::Account)} placeholder="any (AWS::AccountId)"
                        spellcheck="false" autocomplete="off"
                        aria-invalid={account_bad.to_string()} aria-describedby={account_desc} />
                    { account_err }
                </div>
                <div class="field">
                    <label for="permissions">{ "Where permissions go" }</label>
                    <select id="permissions" onchange={select(TopField::Permissions)}>
                        <option value="" selected={d.permissions.is_empty()}>{ "Inline on the role (default)" }</option>
                        { for catalog().permission_styles.iter().filter(|p| p.id != "inline" || !d.permissions.is_empty()).map(|p| html! {
                            <option value={p.id} selected={d.permissions == p.id}>{ &p.title }</option>
                        }) }
                    </select>
                    { permissions_err }
                </div>
            </div>
        </details>
    }
}

pub(crate) fn roles(ctx: &Ctx) -> Html {
    let d = &ctx.state.draft;
    let top_errors: Vec<_> = ctx
        .analysis
        .errors
        .iter()
        .filter(|e| e.path.is_empty() || e.path == "roles")
        .collect();
    html! {
        <>
            { for top_errors.iter().map(|e| html! { <p class="field-errors block">{ e.to_string() }</p> }) }
            { for d.roles.iter().enumerate().take(ctx.shown_roles).map(|(i, r)| role_card_component(ctx, i, r)) }
            if ctx.shown_roles < d.roles.len() {
                <p class="muted loading-roles">{ match d.roles.len() - ctx.shown_roles { 1 => "Loading 1 more role…".to_string(), n => format!("Loading {n} more roles…") } }</p>
            } else {
            <div class="card add-role">
                <h3 class="card-title" id="add-role-title" tabindex="-1">{ "Add a role" }</h3>
                <div class="chip-row">
                    { for catalog().role_kinds.iter().filter(|k| ctx.limits.allows_role(k.id)).map(|k| {
                        let offered = ctx.state.capacity.as_ref().is_none_or(|c| k.capacities.contains(&c.as_str()));
                        // A role the chosen capacity does not use is still offered, and says so.
                        let title = match (&ctx.state.capacity, offered) {
                            (Some(c), false) => format!("{} {} does not use this role; it is still added if you choose it.", k.summary, capacity_label(c)),
                            _ => k.summary.to_string(),
                        };
                        html! {
                            <button type="button" class={classes!("add", (!offered).then_some("dim"))}
                                data-kind={k.id} {title}
                                onclick={ctx.on::<MouseEvent>(Action::AddRole(k.id.to_string()))}>
                                { "+ " }{ &k.title }
                            </button>
                        }
                    }) }
                </div>
            </div>
            }
        </>
    }
}

/// What one role card shows. A component of its own, so that typing in one role does not
/// re-render the others: its props are only what the card reads.
#[derive(Properties, PartialEq)]
struct RoleCardProps {
    index: usize,
    role: DraftRole,
    /// The other roles (kind and name), for a deployer's PassRole targets; empty otherwise.
    peers: Vec<DraftRole>,
    /// The input errors under `roles[index]`.
    errors: Vec<ConfigError>,
    diagnostics: Vec<Diagnostic>,
    capacity: Option<String>,
    limits: Limits,
    dispatch: UseReducerDispatcher<State>,
}

fn role_card_component(ctx: &Ctx, i: usize, role: &DraftRole) -> Html {
    let prefix = format!("roles[{i}]");
    let under = |path: &str| {
        path == prefix
            || path
                .strip_prefix(&prefix)
                .is_some_and(|r| r.starts_with(['.', '[']))
    };
    let is_deployer = catalog()
        .role_kind(&role.kind)
        .is_some_and(|k| k.policy_only);
    let peers = if is_deployer {
        ctx.state
            .draft
            .roles
            .iter()
            .map(|r| DraftRole {
                kind: r.kind.clone(),
                name: r.effective_name(),
                ..DraftRole::default()
            })
            .collect()
    } else {
        Vec::new()
    };
    html! {
        <RoleCard index={i} role={role.clone()} peers={peers}
            errors={ctx.analysis.errors.iter().filter(|e| under(&e.path)).cloned().collect::<Vec<_>>()}
            diagnostics={ctx.analysis.diagnostics_of_role(i).into_iter().cloned().collect::<Vec<_>>()}
            capacity={ctx.state.capacity.clone()} limits={ctx.limits.clone()}
            dispatch={ctx.dispatch.clone()} />
    }
}

#[component]
fn RoleCard(props: &RoleCardProps) -> Html {
    // The card's own view of the page: its role's errors, and the roles a deployer may pass.
    let state = State {
        draft: std::rc::Rc::new(Draft {
            roles: props.peers.clone(),
            ..Draft::default()
        }),
        capacity: props.capacity.clone(),
        ..State::blank()
    };
    let analysis = Analysis {
        json: String::new(),
        valid: None,
        errors: props.errors.clone(),
    };
    let ctx = Ctx {
        state: &state,
        analysis: &analysis,
        output: None,
        dispatch: &props.dispatch,
        limits: &props.limits,
        shown_roles: super::ALL_ROLES,
    };
    role_card(&ctx, props.index, &props.role, &props.diagnostics)
}

fn role_card(ctx: &Ctx, i: usize, role: &DraftRole, role_diags: &[Diagnostic]) -> Html {
    let path = format!("roles[{i}]");
    let remove = {
        let d = ctx.dispatch.clone();
        // The focus goes to "Add a role", not to the page.
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::RemoveRole(i));
            web::focus_soon("add-role-title");
        })
    };
    let Some(kind) = catalog().role_kind(&role.kind) else {
        let (errs, _, _) = field_errors(ctx, &path);
        return html! {
            <article class="card role unknown" data-role-index={i.to_string()}>
                <header class="role-head">
                    <h3 class="card-title">{ "A role this builder does not know" }</h3>
                    <button type="button" class="ghost danger" onclick={remove}>{ "Remove" }</button>
                </header>
                <p class="muted">{ "It came from an imported file or link; fix it in the JSON, or remove it." }</p>
                { errs }
            </article>
        };
    };
    let name_path = format!("{path}.name");
    let text = |field: RoleText| {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            d.dispatch(Action::SetRoleText(i, field, input_value(&e)));
        })
    };
    let (name_err, name_bad, name_desc) = field_errors(ctx, &name_path);
    let off_capacity = ctx
        .state
        .capacity
        .as_ref()
        .filter(|c| !kind.capacities.contains(&c.as_str()))
        .map(|c| {
            html! { <p class="warn">{ format!("Not used on {}: this role applies to {}.", capacity_label(c), kind.capacities.iter().map(|c| capacity_label(c)).collect::<Vec<_>>().join(", ")) }</p> }
        });
    let title_id = format!("{}-title", field_id(&path));
    html! {
        <article class="card role" data-role-index={i.to_string()} data-kind={kind.id} data-colour={kind.colour} aria-labelledby={title_id.clone()}>
            <header class="role-head">
                <span class={classes!("kind", format!("kind-{}", kind.id))}>{ &kind.title }</span>
                <h3 class="card-title" id={title_id}>{ role.effective_name() }</h3>
                <button type="button" class="ghost danger" onclick={remove}
                    aria-label={format!("Remove {}", role.effective_name())}>{ "Remove" }</button>
            </header>
            <p class="muted">{ &kind.summary }{ " " }<a href={kind.docs} target="_blank" rel="noopener noreferrer">{ "AWS docs" }</a></p>
            { for off_capacity }
            <div class="grid-fields">
                <div class="field">
                    <label for={field_id(&name_path)}>{ if kind.policy_only { "Policy name" } else { "Role name" } }</label>
                    <input id={field_id(&name_path)} type="text" value={role.name.clone()}
                        placeholder={kind.default_name} oninput={text(RoleText::Name)}
                        spellcheck="false" autocomplete="off"
                        aria-invalid={name_bad.to_string()} aria-describedby={name_desc} />
                    { name_err }
                </div>
                if kind.instance_profile {
                    { text_field(ctx, &format!("{path}.instanceProfileName"), "Instance profile name", &role.instance_profile_name, &role.effective_name(), text(RoleText::InstanceProfileName)) }
                }
            </div>
            <details class="more">
                <summary>{ "Path and description" }</summary>
                <div class="grid-fields">
                    { text_field(ctx, &format!("{path}.path"), "IAM path", &role.path, "/", text(RoleText::Path)) }
                    { text_field(ctx, &format!("{path}.description"), "Description", &role.description, "", text(RoleText::Description)) }
                </div>
            </details>
            { trust(ctx, i, role, kind) }
            if let Some((param, label, default)) = kind.confused_deputy.as_ref().and_then(|cd| Some((cd.source_param?, cd.source_label?, cd.source_default.unwrap_or_default()))) {
                <div class="grid-fields">
                    { text_field(ctx, &format!("{path}.{param}"), &format!("{label} ({}; commas separate)", catalog().iam.trust.source_arn_key), &role.sources, default, text(RoleText::Sources)) }
                </div>
            }
            { managed_policies(ctx, i, role, kind) }
            { pass_roles(ctx, i, role, kind) }
            <div class="features">
                { for role.features.iter().enumerate().map(|(j, f)| feature_form(ctx, i, j, role, f)) }
            </div>
            { add_feature(ctx, i, role, kind) }
            if !role_diags.is_empty() {
                <ul class="role-diags">
                    { for role_diags.iter().map(|d| html! {
                        <li class={severity_class(d.severity)}>{ &d.message }</li>
                    }) }
                </ul>
            }
        </article>
    }
}

pub(crate) fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

pub(crate) fn capacity_label(c: &str) -> String {
    ecs_iam_core::gallery()
        .group("capacity")
        .and_then(|g| g.value(c))
        .map_or_else(|| c.to_string(), |v| v.label.clone())
}

fn text_field(
    ctx: &Ctx,
    path: &str,
    label: &str,
    value: &str,
    placeholder: &str,
    oninput: Callback<InputEvent>,
) -> Html {
    let (errs, bad, desc) = field_errors(ctx, path);
    let id = field_id(path);
    html! {
        <div class="field">
            <label for={id.clone()}>{ label }</label>
            <input id={id} type="text" value={value.to_string()} placeholder={placeholder.to_string()}
                oninput={oninput} spellcheck="false" autocomplete="off"
                aria-invalid={bad.to_string()} aria-describedby={desc} />
            { errs }
        </div>
    }
}

fn trust(ctx: &Ctx, i: usize, role: &DraftRole, kind: &RoleKind) -> Html {
    let Some(principal) = &kind.principal else {
        return Html::default();
    };
    let cd = kind.confused_deputy.as_ref().map(|cd| {
        let checked = role.confused_deputy.unwrap_or(cd.default);
        let d = ctx.dispatch.clone();
        let default = cd.default;
        let onchange = Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            d.dispatch(Action::SetConfusedDeputy(i, (on != default).then_some(on)));
        });
        let id = field_id(&format!("roles[{i}].confusedDeputy"));
        html! {
            <label class="check" for={id.clone()}>
                <input type="checkbox" id={id} checked={checked} onchange={onchange} />
                <span>{ "Confused-deputy conditions " }<code>{ catalog().iam.trust.source_arn_key }</code>{ ", " }<code>{ catalog().iam.trust.source_account_key }</code>
                    { if cd.default { " (recommended)" } else { "" } }</span>
            </label>
        }
    });
    html! {
        <div class="trust">
            <span class="label">{ "Trusted by" }</span>{ " " }<code>{ principal }</code>
            { for cd }
        </div>
    }
}

fn managed_policies(ctx: &Ctx, i: usize, role: &DraftRole, kind: &RoleKind) -> Html {
    if kind.policy_only {
        return Html::default();
    }
    let current = role.effective_managed_policies();
    let offered: Vec<_> = catalog()
        .managed_policies
        .iter()
        .filter(|m| m.attachable && m.attach_to.contains(&kind.id))
        .collect();
    let is_on = |name: &str| current.iter().any(|p| p.rsplit('/').next() == Some(name));
    let others: Vec<&String> = current
        .iter()
        .filter(|p| !offered.iter().any(|m| p.rsplit('/').next() == Some(m.name)))
        .collect();
    let (errs, _, _) = field_errors(ctx, &format!("roles[{i}].managedPolicies"));
    html! {
        <details class="more" open={!current.is_empty()}>
            <summary>{ format!("AWS managed policies ({})", current.len()) }</summary>
            <div class="checks">
                { for offered.iter().map(|m| {
                    let id = field_id(&format!("roles[{i}].managedPolicies.{}", m.name));
                    html! {
                        <label class="check" for={id.clone()} title={m.used_for}>
                            <input type="checkbox" id={id} checked={is_on(m.name)}
                                onchange={ctx.on::<Event>(Action::ToggleManagedPolicy(i, m.name.to_string()))} />
                            <span><code>{ &m.name }</code></span>
                        </label>
                    }
                }) }
                { for others.iter().map(|p| {
                    let name = p.rsplit('/').next().unwrap_or(p).to_string();
                    html! {
                        <label class="check">
                            <input type="checkbox" checked=true
                                onchange={ctx.on::<Event>(Action::ToggleManagedPolicy(i, name))} />
                            <span><code>{ p.as_str() }</code></span>
                        </label>
                    }
                }) }
            </div>
            { errs }
        </details>
    }
}

fn pass_roles(ctx: &Ctx, i: usize, role: &DraftRole, kind: &RoleKind) -> Html {
    // The kind's passes and those of the features the draft has.
    let passes = ecs_iam_core::passes_of(
        kind,
        role.features
            .iter()
            .filter_map(|f| catalog().feature(&f.id)),
    );
    if passes.is_empty() {
        return Html::default();
    }
    let this = role.effective_name();
    let targets: Vec<String> = ctx
        .state
        .draft
        .roles
        .iter()
        .filter(|r| {
            catalog()
                .role_kind(&r.kind)
                .is_some_and(|k| !k.policy_only && passes.contains(&k.id))
        })
        .map(DraftRole::effective_name)
        .filter(|n| *n != this)
        .collect();
    let chosen = role.pass_roles.clone();
    let (errs, _, _) = field_errors(ctx, &format!("roles[{i}].passRoles"));
    html! {
        <fieldset class="pass-roles">
            <legend>{ format!("Roles this principal may pass ({})", catalog().iam.pass_role.action) }</legend>
            if targets.is_empty() {
                <p class="muted">{ "Add a role it may pass: the policy grants PassRole on the roles of this configuration." }</p>
            }
            { for targets.iter().map(|name| {
                let on = chosen.as_ref().is_none_or(|l| l.contains(name));
                let d = ctx.dispatch.clone();
                let (all, chosen, name2) = (targets.clone(), chosen.clone(), name.clone());
                let onchange = Callback::from(move |_: Event| {
                    let mut list = chosen.clone().unwrap_or_else(|| all.clone());
                    if list.contains(&name2) { list.retain(|n| *n != name2) } else { list.push(name2.clone()) }
                    let next = (list.len() != all.len() || !all.iter().all(|n| list.contains(n))).then_some(list);
                    d.dispatch(Action::SetPassRoles(i, next));
                });
                let id = field_id(&format!("roles[{i}].passRoles.{name}"));
                html! {
                    <label class="check" for={id.clone()}>
                        <input type="checkbox" id={id} checked={on} onchange={onchange} />
                        <span><code>{ name }</code></span>
                    </label>
                }
            }) }
            { errs }
        </fieldset>
    }
}

fn add_feature(ctx: &Ctx, i: usize, role: &DraftRole, kind: &RoleKind) -> Html {
    let available: Vec<&Feature> = catalog()
        .features
        .iter()
        .filter(|f| f.roles.contains(&kind.id) && ctx.limits.allows_feature(f.id))
        .collect();
    if available.is_empty() {
        return Html::default();
    }
    let (mut app, mut others): (Vec<&Feature>, Vec<&Feature>) =
        available.into_iter().partition(|f| f.application);
    if !app.is_empty() {
        // Custom statements close the application's group: for what no feature covers.
        app.extend(others.iter().filter(|f| f.id == "custom"));
        others.retain(|f| f.id != "custom");
    }
    add_feature_select(ctx, i, role, kind, &app, &others)
}

fn add_feature_select(
    ctx: &Ctx,
    i: usize,
    role: &DraftRole,
    kind: &RoleKind,
    app: &[&Feature],
    others: &[&Feature],
) -> Html {
    let option = |f: &&Feature| {
        let taken = !f.repeatable && role.has_feature(f.id);
        let elsewhere = !f.home_roles.contains(&kind.id);
        html! {
            <option value={f.id} disabled={taken}>
                { &f.title }{ if elsewhere { " (usually on another role)" } else { "" } }
            </option>
        }
    };
    // A choice made with the keyboard (arrows, type-ahead) only moves through the list; Enter
    // adds it. A click, or a value set by the page, adds at once.
    let by_keys = std::rc::Rc::new(std::cell::Cell::new(false));
    let count = role.features.len();
    let add = {
        let d = ctx.dispatch.clone();
        move |select: &web_sys::HtmlSelectElement| {
            let id = select.value();
            select.set_value("");
            let Some(feature) = catalog().feature(&id) else {
                return;
            };
            d.dispatch(Action::AddFeature(i, id));
            // The new feature's first field takes the focus.
            if let Some(p) = feature.params.first() {
                let target = field_id(&format!("roles[{i}].features[{count}].{}", p.name));
                web::focus_soon(&target);
            }
        }
    };
    let onchange = {
        let (by_keys, add) = (by_keys.clone(), add.clone());
        Callback::from(move |e: Event| {
            if by_keys.replace(false) {
                return;
            }
            add(&e.target_unchecked_into::<web_sys::HtmlSelectElement>());
        })
    };
    let onkeydown = {
        let by_keys = by_keys.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                by_keys.set(false);
                let select = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
                if !select.value().is_empty() {
                    e.prevent_default();
                    add(&select);
                }
            }
            "Tab" | "Shift" | "Escape" => {}
            _ => by_keys.set(true),
        })
    };
    let onmousedown = Callback::from(move |_: MouseEvent| by_keys.set(false));
    let id = field_id(&format!("roles[{i}].add-feature"));
    html! {
        <div class="field add-feature">
            <label for={id.clone()}>{ "Add a feature" }</label>
            <select id={id} {onchange} {onkeydown} {onmousedown}
                title="Arrow keys move through the list; Enter or a click adds the feature">
                <option value="" selected=true>{ "Choose what the role needs…" }</option>
                if app.is_empty() {
                    { for others.iter().map(option) }
                } else {
                    // What the application calls first (custom statements last of it), then
                    // what ECS and its agents need.
                    <optgroup label="What the application calls">
                        { for app.iter().map(option) }
                    </optgroup>
                    <optgroup label="What ECS and its agents need">
                        { for others.iter().map(option) }
                    </optgroup>
                }
            </select>
        </div>
    }
}

fn feature_form(ctx: &Ctx, i: usize, j: usize, role: &DraftRole, f: &DraftFeature) -> Html {
    let path = format!("roles[{i}].features[{j}]");
    let remove = {
        let d = ctx.dispatch.clone();
        // The focus goes to the role's feature list, not to the page.
        let target = field_id(&format!("roles[{i}].add-feature"));
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::RemoveFeature(i, j));
            web::focus_soon(&target);
        })
    };
    let Some(feature) = catalog().feature(&f.id) else {
        let (errs, _, _) = field_errors(ctx, &path);
        return html! {
            <fieldset class="feature unknown">
                <legend>{ "A feature this builder does not know" }</legend>
                <button type="button" class="ghost danger" onclick={remove}>{ "Remove" }</button>
                { errs }
            </fieldset>
        };
    };
    let (id_errs, _, _) = field_errors(ctx, &format!("{path}.id"));
    let misplaced = !feature.home_roles.contains(&role.kind.as_str());
    html! {
        <fieldset class="feature" data-feature={feature.id}>
            <legend>{ &feature.title }</legend>
            <button type="button" class="ghost danger remove-feature" onclick={remove}
                aria-label={format!("Remove {}", feature.title)}>{ "Remove" }</button>
            <p class="muted">{ &feature.summary }{ " " }
                { for feature.docs.first().map(|d| html! { <a href={d.url} target="_blank" rel="noopener noreferrer">{ "AWS docs" }</a> }) }
            </p>
            if misplaced {
                <p class="warn">{ feature.wrong_role_note.map_or_else(|| format!("This feature usually belongs on the {} role.", feature.home_roles.join(" or ")), str::to_string) }</p>
            }
            { id_errs }
            <div class="grid-fields">
                { for f.params.iter().map(|(name, field)| param_field(ctx, i, j, feature, name, field)) }
            </div>
        </fieldset>
    }
}

fn param_field(
    ctx: &Ctx,
    i: usize,
    j: usize,
    feature: &'static Feature,
    name: &str,
    field: &Field,
) -> Html {
    let Some(param) = feature.param(name) else {
        return Html::default();
    };
    let path = format!("roles[{i}].features[{j}].{name}");
    let id = field_id(&path);
    let (errs, bad, err_id) = field_errors(ctx, &path);
    let hint_id = format!("{id}-hint");
    let described = if err_id.is_empty() {
        hint_id.clone()
    } else {
        format!("{hint_id} {err_id}")
    };
    let example = param.item.map(|k| k.info().example).unwrap_or_default();
    let label = format!(
        "{}{}",
        humanize(name),
        if param.required { " (required)" } else { "" }
    );
    match (param.ty, field) {
        (ParamType::Bool, Field::Bool(v)) => {
            let d = ctx.dispatch.clone();
            let n = name.to_string();
            let onchange = Callback::from(move |e: Event| {
                let on = e
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked();
                d.dispatch(Action::SetBool(i, j, n.clone(), on));
            });
            html! {
                <div class="field wide">
                    <label class="check" for={id.clone()}>
                        <input type="checkbox" id={id} checked={v.unwrap_or(false)} onchange={onchange}
                            aria-describedby={described} />
                        <span>{ label }</span>
                    </label>
                    <p class="hint" id={hint_id}>{ &param.description }</p>
                    { errs }
                </div>
            }
        }
        (_, Field::Text(text)) => {
            let d = ctx.dispatch.clone();
            let n = name.to_string();
            let oninput = Callback::from(move |e: InputEvent| {
                d.dispatch(Action::SetText(i, j, n.clone(), input_value(&e)));
            });
            let control = match param.ty {
                ParamType::List => {
                    let rows = (text.lines().count() + 1).clamp(2, 12).to_string();
                    html! {
                        <textarea id={id.clone()} rows={rows} value={text.clone()} oninput={oninput}
                            placeholder={format!("{example}\n(one a line)")} spellcheck="false" autocomplete="off"
                            aria-invalid={bad.to_string()} aria-describedby={described} />
                    }
                }
                ParamType::Statements => {
                    let rows = (text.lines().count() + 1).clamp(4, 24).to_string();
                    html! {
                        <textarea id={id.clone()} class="mono" rows={rows} value={text.clone()} oninput={oninput}
                            placeholder={"[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::my-bucket/*\"}]"}
                            spellcheck="false" autocomplete="off"
                            aria-invalid={bad.to_string()} aria-describedby={described} />
                    }
                }
                _ => html! {
                    <input id={id.clone()} type="text" value={text.clone()} oninput={oninput}
                        placeholder={example} spellcheck="false" autocomplete="off"
                        aria-invalid={bad.to_string()} aria-describedby={described} />
                },
            };
            html! {
                <div class={classes!("field", matches!(param.ty, ParamType::Statements | ParamType::List).then_some("wide"))}>
                    <label for={id}>{ label }</label>
                    { control }
                    <p class="hint" id={hint_id}>{ &param.description }</p>
                    { errs }
                </div>
            }
        }
        _ => Html::default(),
    }
}
