//! The shape of the catalogue data: every struct of `catalog/catalog.json` and
//! `catalog/managed-policies.json`, each field named once, here. build.rs generates from this
//! table the Rust types (with these docs), the static data, and the `catalog --json` listing.

/// How a field is read from the data and held in Rust.
#[derive(Clone, Copy)]
pub(crate) enum Ty {
    /// A required string: `&'static str`.
    Str,
    /// A required ASCII string (messages lower-case it without Unicode tables).
    Ascii,
    /// An optional string (absent or `null`): `Option<&'static str>`.
    OptStr,
    /// A required bool.
    Bool,
    /// A required non-negative integer: `usize`.
    Usize,
    /// An optional bool with its default.
    BoolOr(bool),
    /// A required list of strings: `&'static [&'static str]`.
    Strs,
    /// An optional list of strings, empty when absent.
    StrsOr,
    /// A required list of objects of the named struct.
    List(&'static str),
    /// An optional list of objects of the named struct, empty when absent.
    ListOr(&'static str),
    /// An optional object of the named struct: `Option<T>`.
    Opt(&'static str),
    /// A required object of the named struct.
    One(&'static str),
    /// A string-to-string object, kept as pairs in the data's order.
    Pairs,
    /// The enum generated for an id list (`ValueKindId`), from the string of this key.
    IdEnum(&'static str),
    /// An optional reference to a value kind by its id: `Option<ValueKindId>`.
    OptValueKind,
    /// An optional list of ids of `checks`: `&'static [ValueCheck]`.
    Checks,
    /// An optional list of names of AWS managed policies (`managed-policies.json`):
    /// `&'static [&'static ManagedPolicy]`.
    ManagedRefs,
    /// `"list" | "value" | "bool" | "statements"`: `ParamType`.
    ParamType,
}

pub(crate) struct Field {
    /// The key in the data (camelCase).
    pub key: &'static str,
    /// The Rust field (snake_case).
    pub rust: &'static str,
    pub ty: Ty,
    pub doc: &'static str,
    /// Whether `catalog --json` lists it.
    pub listed: bool,
}

pub(crate) struct Struct {
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: &'static [Field],
}

const fn f(key: &'static str, rust: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        rust,
        ty,
        doc,
        listed: true,
    }
}

const fn unlisted(key: &'static str, rust: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        rust,
        ty,
        doc,
        listed: false,
    }
}

use Ty::*;

pub(crate) const STRUCTS: &[Struct] = &[
    Struct {
        name: "Iam",
        doc: "Facts of IAM itself: the statements every role and deployer policy is made of, ARN forms, quotas.",
        fields: &[
            f("policyVersion", "policy_version", Str, "The `Version` of every policy document."),
            f("trust", "trust", One("TrustTemplate"), "The statement of a trust policy."),
            f("passRole", "pass_role", One("PassRoleTemplate"), "The statements of a deployer policy."),
            f("arns", "arns", One("IamArns"), "ARN templates of what the builder names."),
            f("limits", "limits", One("IamLimits"), "IAM quotas the configuration and the diagnostics hold to."),
            f("sizeCounting", "size_counting", One("SizeCounting"), "The longest value each placeholder can take: a policy's size is counted with these, so that an unknown account never hides an overflow."),
            f("decryptAction", "decrypt_action", Str, "The action that reads what a customer managed key encrypts."),
            f("secretReadActions", "secret_read_actions", Strs, "The actions that read secrets and parameters, which may need the decrypt action."),
        ],
    },
    Struct {
        name: "TrustTemplate",
        doc: "The one statement of a trust policy: the role's service principal may assume it.",
        fields: &[
            f("action", "action", Str, "The action."),
            f("sourceArnKey", "source_arn_key", Str, "The confused-deputy condition key naming the resource that acts."),
            f("sourceAccountKey", "source_account_key", Str, "The confused-deputy condition key naming its account."),
            f("sourceAccountOperator", "source_account_operator", Str, "The operator of the account condition."),
        ],
    },
    Struct {
        name: "PassRoleTemplate",
        doc: "A deployer's statement: pass these roles, to this service only.",
        fields: &[
            f("action", "action", Str, "The action."),
            f("serviceKey", "service_key", Str, "The condition key naming the receiving service."),
            f("operator", "operator", Str, "Its operator."),
            f("docsTitle", "docs_title", Str, "The title of the page the deployer kind's `docs` links to."),
            f("policyName", "policy_name", Str, "The name of the policy of a role's own PassRole statements (a role that passes others, as an EventBridge role passes the task's roles)."),
        ],
    },
    Struct {
        name: "IamArns",
        doc: "ARN templates with `${Partition}`, `${Account}`, `${Path}` and `${Name}`.",
        fields: &[
            f("role", "role", Str, "A role."),
            f("policy", "policy", Str, "A customer managed policy."),
            f("awsManagedPolicy", "aws_managed_policy", Str, "An AWS managed policy."),
        ],
    },
    Struct {
        name: "IamLimits",
        doc: "IAM quotas (characters of a document without white space, counts, name lengths).",
        fields: &[
            f("managedPolicySize", "managed_policy_size", Usize, "A managed policy document."),
            f("inlinePoliciesSize", "inline_policies_size", Usize, "All inline policies of a role together."),
            f("trustPolicySize", "trust_policy_size", Usize, "A trust policy (the default quota)."),
            f("managedPoliciesPerRole", "managed_policies_per_role", Usize, "Managed policies attached to a role (the default quota)."),
            f("managedPoliciesPerRoleMax", "managed_policies_per_role_max", Usize, "The same quota at its highest."),
            f("roleName", "role_name", Usize, "A role name."),
            f("policyName", "policy_name", Usize, "A policy name (customer managed policies too)."),
            f("instanceProfileName", "instance_profile_name", Usize, "An instance profile name."),
            f("description", "description", Usize, "A role description."),
        ],
    },
    Struct {
        name: "SizeCounting",
        doc: "The longest value of each placeholder.",
        fields: &[
            f("partition", "partition", Str, "Partition."),
            f("region", "region", Str, "Region."),
            f("account", "account", Str, "Account."),
        ],
    },
    Struct {
        name: "Partition",
        doc: "An AWS partition.",
        fields: &[
            f("id", "id", Str, "`aws`, `aws-cn`, `aws-us-gov`."),
            f("extraPassedToService", "extra_passed_to_service", Pairs, "Extra `iam:PassedToService` values this partition needs: (global value, extra value), in the order of the data file."),
            f("regionPrefixes", "region_prefixes", Strs, "First labels of the Region names of this partition (`us` in `us-east-1`)."),
            f("exampleRegion", "example_region", Str, "A Region of this partition, for messages."),
            f("regions", "regions", Strs, "The Regions of this partition that AWS lists (botocore's `partitions.json`; `tests/oracles/test_catalog_regions.py` keeps them equal). A Region of the right shape that is not here gets a warning, not an error: AWS opens new ones."),
            f("ecrRegistry", "ecr_registry", Str, "The host of a private ECR registry, with `${Account}` and `${Region}` (the start of an image URI)."),
        ],
    },
    Struct {
        name: "CapacityNote",
        doc: "A note about a role kind that holds on some capacities only.",
        fields: &[
            f("capacities", "capacities", Strs, "The pattern site's capacity ids it holds on (`ec2`, `anywhere`, ...)."),
            f("text", "text", Str, "The note."),
        ],
    },
    Struct {
        name: "RoleKind",
        doc: "A kind of role (or the deployer's policy) the builder makes.",
        fields: &[
            f("id", "id", Str, "The id of the configuration's `kind`."),
            f("title", "title", Ascii, "Its name in messages, which lower-case it."),
            f("colour", "colour", Str, "The app's colour for its cards, a name of the stylesheet's palette (`.role[data-colour=...]` in `web/style.css`)."),
            f("summary", "summary", Str, "What it is for, in a sentence or two."),
            f("principal", "principal", OptStr, "The service principal of the trust policy; absent for the deployer policy."),
            f("trustSid", "trust_sid", OptStr, "The Sid of the trust policy's statement."),
            f("defaultName", "default_name", Str, "The AWS console's name for it."),
            f("defaultManagedPolicies", "default_managed_policies", ManagedRefs, "AWS managed policies attached when the configuration does not say."),
            f("confusedDeputy", "confused_deputy", Opt("ConfusedDeputy"), "Present where AWS documents `aws:SourceArn`/`aws:SourceAccount` on this trust policy."),
            f("passedToService", "passed_to_service", OptStr, "The `iam:PassedToService` value of a deployer passing this role."),
            f("taskDefinitionField", "task_definition_field", OptStr, "The task definition field that names a role of this kind."),
            f("instanceProfile", "instance_profile", BoolOr(false), "Whether it comes with an instance profile."),
            f("policyOnly", "policy_only", BoolOr(false), "A customer managed policy rather than a role (the deployer)."),
            f("passes", "passes", StrsOr, "The role kinds whose roles of the configuration a role of this kind passes, each to its `passedToService` (`iam:PassRole`, in a policy of its own; the deployer's in its policy). Its `passRoles` field narrows them to named roles."),
            f("namePrefix", "name_prefix", OptStr, "The start of the names that the AWS managed policies of the features passing this kind accept (their iam:PassRole resource is role/PREFIX*): another name needs the feature's role in the configuration, which passes it by name."),
            f("passWhy", "pass_why", OptStr, "Why it passes them, with `{roles}` and `{service}` filled in."),
            f("otherActionsBelongOn", "other_actions_belong_on", OptStr, "The role kind where statements of services this kind's features and managed policies do not use belong (the application's calls: on the task role, not the execution role)."),
            f("essentialPolicies", "essential_policies", ManagedRefs, "AWS managed policies a role of this kind cannot work without, unless its own statements grant their actions (`check` says so)."),
            f("essentialWhy", "essential_why", OptStr, "What fails without them."),
            f("capacities", "capacities", Strs, "The pattern site's capacities it serves."),
            f("docs", "docs", Str, "The AWS documentation page."),
            f("notes", "notes", StrsOr, "Facts a user should know about this kind of role (shown by `explain` and the app)."),
            f("capacityNotes", "capacity_notes", ListOr("CapacityNote"), "Facts that hold only where the tasks run on some capacities (`explain` lists them after `notes`; the app hides them when another capacity is chosen)."),
        ],
    },
    Struct {
        name: "ConfusedDeputy",
        doc: "The confused-deputy conditions of a trust policy.",
        fields: &[
            f("default", "default", Bool, "Whether a role of this kind gets the conditions when the config does not say."),
            f("operator", "operator", Str, "The condition operator of `aws:SourceArn`."),
            f("sourceArn", "source_arn", Str, "The `aws:SourceArn` template (with `${Name}` when `sourceParam` names the sources)."),
            f("sourceParam", "source_param", OptStr, "The role field that names the sources (`scheduleGroups`), each a value of `sourceItem`; absent: `sourceDefault`."),
            f("sourceItem", "source_item", OptValueKind, "The value kind of the sources."),
            f("sourceDefault", "source_default", OptStr, "The source when the role names none (the `default` schedule group)."),
            f("sourceLabel", "source_label", OptStr, "What the sources are called (the app's field, the TypeScript doc)."),
        ],
    },
    Struct {
        name: "ValueKind",
        doc: "A kind of value a parameter takes, with its ARN form.",
        fields: &[
            f("id", "id", Str, "Its id, as parameters name it."),
            unlisted("id", "key", IdEnum("ValueKindId"), "The id as an enum, for the code that handles each kind (`validate::value`)."),
            f("label", "label", Str, "What it is called in messages."),
            f("example", "example", Str, "An example value."),
            f("arn", "arn", OptStr, "ARN template with `${Partition}`, `${Region}`, `${Account}` and `${Name}`."),
            f("arnService", "arn_service", OptStr, "The service part of its ARNs."),
            f("arnResource", "arn_resource", OptStr, "The start of the resource part of its ARNs."),
            f("ownedBy", "owned_by", OptValueKind, "The kind of resource a value given by id belongs to (an access point to its file system): its ARN takes the account and Region of that resource when the feature gives it by ARN."),
            f("checks", "checks", Checks, "The checks of `check` that every value of this kind meets (`checks`; one function each in `diagnostics.rs`)."),
            f("sameAccount", "same_account", OptStr, "Why a role can use a resource of this kind only in its own account (the service takes no resource-based policy for it), and what to do instead: the `same-account` check says it of an ARN of another account."),
            f("parameterStoreReference", "parameter_store_reference", OptStr, "The Parameter Store path that stands for a value of this kind (`/aws/reference/secretsmanager/` before a secret's name), which task definitions may name instead."),
            f("arnTrims", "arn_trims", OptStr, "A prefix of names that the ARN does not repeat (the `/` of an SSM parameter path: `parameter/a/b` for `/a/b`)."),
            f("qualifier", "qualifier", OptStr, "The separator after which an ARN of this kind names a version or alias (`:` for a Lambda function). A statement's form that adds one (`${Arn}:*`) is not made of a qualified ARN, which names that version alone."),
            f("name", "name", Opt("NameRule"), "The syntax of its names, for kinds whose names `validate::value` checks by this rule alone; absent for kinds checked by code of their own, or given only by ARN."),
        ],
    },
    Struct {
        name: "NameRule",
        doc: "What a name of a value kind may hold: ASCII letters and digits, and these characters.",
        fields: &[
            f("chars", "chars", Str, "The characters besides letters and digits."),
            f("max", "max", Usize, "Its longest length."),
            f("lower", "lower", BoolOr(false), "Whether letters must be lower-case."),
            f("parts", "parts", Usize, "How many `/`-separated parts it has (a listener's app/LB/ID/ID: 4)."),
        ],
    },
    Struct {
        name: "Feature",
        doc: "A feature: parameters and the statements they scope.",
        fields: &[
            f("id", "id", Str, "Its id in the configuration."),
            f("title", "title", Str, "Its name."),
            f("summary", "summary", Str, "What it does."),
            f("patternFeature", "pattern_feature", OptStr, "The pattern site's feature filter id."),
            f("roles", "roles", Strs, "Role kinds that accept this feature."),
            f("homeRoles", "home_roles", Strs, "Role kinds where this feature belongs; on the others it is accepted with a warning."),
            f("wrongRoleNote", "wrong_role_note", OptStr, "The warning on another role."),
            f("repeatable", "repeatable", BoolOr(false), "Whether a role may use it more than once."),
            f("application", "application", BoolOr(false), "Whether it grants what the application itself calls on its own resources (S3, DynamoDB, ...), as opposed to what ECS or an agent needs."),
            f("params", "params", List("Param"), "Its parameters, in order."),
            f("needsOneOf", "needs_one_of", StrsOr, "Switches of which at least one must be on: the access it grants (read, write, ...)."),
            f("statements", "statements", List("StatementTemplate"), "Its statement templates."),
            f("managedPolicies", "managed_policies", ManagedRefs, "AWS managed policies it attaches."),
            f("passes", "passes", StrsOr, "Role kinds whose roles of the configuration a role with this feature passes, as a role kind's `passes` does."),
            f("scopedBy", "scoped_by", StrsOr, "Parameters that, when any is given, replace the managed policies with the feature's statements scoped to what they name."),
            f("container", "container", Opt("ContainerUse"), "What the feature, on one of its home roles, puts into the task definition's container (the `task-definition` format)."),
            f("docs", "docs", List("DocLink"), "AWS documentation."),
        ],
    },
    Struct {
        name: "ContainerUse",
        doc: "What the values of a feature's parameter become in a task definition.",
        fields: &[
            f("part", "part", Str, "The part of the container it fills: `image`, `logConfiguration`, `secrets`, `repositoryCredentials` or `mountPoints` (with the EFS `volumes`)."),
            f("param", "param", Str, "The parameter whose values fill it."),
        ],
    },
    Struct {
        name: "DocLink",
        doc: "A link to the AWS documentation.",
        fields: &[
            f("title", "title", Str, "The page's title."),
            f("url", "url", Str, "Its address."),
        ],
    },
    Struct {
        name: "Param",
        doc: "A parameter of a feature.",
        fields: &[
            f("name", "name", Str, "Its key in the configuration."),
            f("type", "ty", ParamType, "What it holds."),
            f("item", "item", OptValueKind, "The value kind of its values."),
            f("required", "required", BoolOr(false), "Whether the feature needs it."),
            f("description", "description", Str, "What to give."),
        ],
    },
    Struct {
        name: "StatementTemplate",
        doc: "A statement a feature produces.",
        fields: &[
            f("sid", "sid", Str, "Its Sid."),
            f("when", "when", StrsOr, "Include the statement only when each of these parameters is true or non-empty."),
            f("unless", "unless", OptStr, "Include the statement only when this parameter is not given (the broad form of a scoped statement)."),
            f("actions", "actions", Strs, "Its actions."),
            f("optionalActions", "optional_actions", ListOr("OptionalActions"), "Actions added when a parameter is set."),
            f("resources", "resources", List("Resource"), "Its resources."),
            f("scopeParam", "scope_param", OptStr, "The parameter that scopes the resources; absent values give `\"*\"` and a diagnostic."),
            f("conditions", "conditions", ListOr("ConditionTemplate"), "Its conditions."),
            f("why", "why", Str, "Why it is there."),
            f("ownerGrant", "owner_grant", Opt("OwnerGrant"), "The other half, for a resource of another account: the statement its owner adds to the resource's own policy (a key policy, a secret's or repository's resource policy)."),
        ],
    },
    Struct {
        name: "OwnerGrant",
        doc: "A statement of a resource's own policy that lets the role use a resource of another account.",
        fields: &[
            f("policy", "policy", Str, "The policy it goes in (\"key policy\", \"secret's resource policy\", \"repository policy\")."),
            f("actions", "actions", Strs, "Its actions."),
            f("resource", "resource", OptStr, "Its resource (`*` in a key policy: the key itself; `${Arn}` or `${ArnHead}`: the role's resource, or the bucket of an object); absent where the policy has none (ECR's)."),
            f("accountParam", "account_param", OptStr, "For resources whose ARN names no account (S3): the feature's parameter that says which account owns them."),
            f("conditions", "conditions", ListOr("ConditionTemplate"), "Its conditions (literal: `kms:ViaService`)."),
            f("why", "why", Str, "Why the owner must add it."),
            f("sameAccountWhy", "same_account_why", OptStr, "For a resource whose own policy rules even in the role's account (a KMS key's key policy): why its owner may have to add the statement there too. Absent: only a resource of another account needs it."),
        ],
    },
    Struct {
        name: "OptionalActions",
        doc: "Actions of a statement that a parameter turns on.",
        fields: &[
            f("when", "when", Str, "The parameter."),
            f("actions", "actions", Strs, "The actions."),
        ],
    },
    Struct {
        name: "ConditionTemplate",
        doc: "A condition of a statement, from a parameter's values or literal.",
        fields: &[
            f("op", "op", Str, "The operator."),
            f("key", "key", Str, "The condition key."),
            f("param", "param", OptStr, "The parameter whose values it takes; absent for a literal condition, which is always there."),
            f("template", "template", Str, "Each value's form (`${Arn}`, `${Value}`), or the literal value (`${Partition}`, `${Region}`, `${Account}` filled in)."),
        ],
    },
    Struct {
        name: "ActionHome",
        doc: "Which role kinds an action prefix belongs on.",
        fields: &[
            f("prefix", "prefix", Str, "The action prefix."),
            f("roles", "roles", Strs, "Its role kinds."),
            f("message", "message", Str, "The warning elsewhere."),
        ],
    },
    Struct {
        name: "FormatInfo",
        doc: "The facts of an output format; `Format` is its id as an enum.",
        fields: &[
            f("id", "id", Str, "Its id (`--format`)."),
            f("title", "title", Str, "Its name (the app's tab)."),
            f("tool", "tool", Str, "The pattern site's `tool` filter value it serves."),
            f("fileName", "file_name", Str, "The file of `render --out` for a single-file format, and the download's name."),
            f("mediaType", "media_type", Str, "The media type of a download."),
            f("syntax", "syntax", Str, "The language of its text, for highlighting: `yaml`, `json`, `bash` or `ruby`."),
            f("multiFile", "multi_file", BoolOr(false), "Whether `render --out` writes several files (the module's `files`)."),
            f("downloadName", "download_name", OptStr, "The name of a download of the one-text rendering, when not `file_name`."),
            f("partial", "partial", BoolOr(false), "Whether it cannot express every configuration: its module's `expresses` says which (the gallery's `tool` filter)."),
            f("optional", "optional", BoolOr(false), "Whether its renderer is compiled only with the core's `optional-formats` feature (on by default): the web app leaves it out of its first download and renders it in the tools module, loaded when first used (`Format::renders_here`)."),
            f("ownerPoliciesFile", "owner_policies_file", OptStr, "For a format whose text cannot hold the statements that resources' owners add (`OwnerPolicies` of `json`): the file `render --out` writes them to beside it."),
            f("roleFiles", "role_files", ListOr("RoleFile"), "The role kinds a format writes one file each for, and the files' names (UFO's DSL); empty: every role."),
        ],
    },
    Struct {
        name: "RoleFile",
        doc: "The file a format writes a role of a kind to.",
        fields: &[
            f("kind", "kind", Str, "The role kind."),
            f("file", "file", Str, "The file's name."),
        ],
    },
    Struct {
        name: "PermissionStyleInfo",
        doc: "Where permissions go.",
        fields: &[
            f("id", "id", Str, "Its id (`permissions`)."),
            f("title", "title", Str, "Its name."),
        ],
    },
    Struct {
        name: "CheckInfo",
        doc: "A check that values of some kinds get (`ValueCheck`).",
        fields: &[
            f("id", "id", Str, "Its id, as value kinds name it."),
            f("summary", "summary", Str, "What it finds."),
        ],
    },
    Struct {
        name: "ErrorPattern",
        doc: "An error message that `diagnose` recognises: its cause, the role it concerns and the fix.",
        fields: &[
            f("id", "id", Str, "Its id (`diagnose --json`'s `id`)."),
            f("match", "all_of", Strs, "Texts that all appear in the message (compared without regard to case)."),
            f("cause", "cause", Str, "What went wrong."),
            f("roleKind", "role_kind", OptStr, "The role kind it concerns; absent where the message names the action (the kind is then the action's home) or where no role is at fault."),
            f("notIam", "not_iam", BoolOr(false), "A message that looks like IAM and is not (a network timeout)."),
            f("fix", "fix", Str, "What to change, in the configuration's terms where it applies."),
            f("docs", "docs", Str, "The AWS page about it."),
        ],
    },
    Struct {
        name: "SidecarImage",
        doc: "A container image whose presence in a task definition means a feature (`import`).",
        fields: &[
            f("match", "contains", Str, "Text the image's repository name contains."),
            f("feature", "feature", Str, "The feature it needs (on the task role)."),
            f("why", "why", Str, "Why, for the derivation."),
        ],
    },
    Struct {
        name: "Compatibility",
        doc: "A value of a task definition's `requiresCompatibilities` and the roles it needs beyond the task's own (`import`).",
        fields: &[
            f("id", "id", Str, "The value (`EC2`)."),
            f("capacity", "capacity", Str, "The pattern site's capacity id."),
            f("roleKinds", "role_kinds", Strs, "The role kinds that capacity needs."),
            f("infrastructureFeatures", "infrastructure_features", Strs, "Features of the infrastructure role it needs."),
            f("why", "why", Str, "Why, for the derivation."),
        ],
    },
    Struct {
        name: "DiagnosticInfo",
        doc: "A diagnostic code's title and documentation.",
        fields: &[
            f("code", "code", Str, "The code."),
            f("title", "title", Str, "What it reports."),
            f("docs", "docs", Str, "The AWS documentation."),
        ],
    },
    Struct {
        name: "ManagedPolicy",
        doc: "An AWS managed policy.",
        fields: &[
            f("name", "name", Str, "Its name."),
            f("path", "path", Str, "IAM path, `/` or `/service-role/` or `/aws-service-role/`."),
            f("version", "version", Str, "The version the data records."),
            f("usedFor", "used_for", Str, "What it is for."),
            f("attachTo", "attach_to", Strs, "The role kinds it is meant for."),
            f("attachable", "attachable", Bool, "False for service-linked role policies."),
            f("docs", "docs", Str, "The AWS documentation."),
            unlisted("starActions", "star_actions", Strs, "The actions its document allows on every resource without a condition. build.rs derives them from the full document in `catalog/managed-policies.json`."),
        ],
    },
];

/// The lists of the catalogue: (key in catalog.json, Rust field, struct, doc).
pub(crate) const LISTS: &[(&str, &str, &str, &str)] = &[
    (
        "partitions",
        "partitions",
        "Partition",
        "The AWS partitions.",
    ),
    ("roleKinds", "role_kinds", "RoleKind", "The role kinds."),
    (
        "valueKinds",
        "value_kinds",
        "ValueKind",
        "The value kinds of parameters.",
    ),
    ("features", "features", "Feature", "The features."),
    (
        "actionHomes",
        "action_homes",
        "ActionHome",
        "Which roles actions belong on.",
    ),
    ("formats", "formats", "FormatInfo", "The output formats."),
    (
        "permissionStyles",
        "permission_styles",
        "PermissionStyleInfo",
        "Where permissions go.",
    ),
    (
        "diagnostics",
        "diagnostics",
        "DiagnosticInfo",
        "The diagnostic codes.",
    ),
    ("checks", "checks", "CheckInfo", "The checks of values."),
    (
        "errorPatterns",
        "error_patterns",
        "ErrorPattern",
        "The error messages `diagnose` explains, the most specific first.",
    ),
    (
        "sidecarImages",
        "sidecar_images",
        "SidecarImage",
        "Container images that mean a feature of the task role.",
    ),
    (
        "compatibilities",
        "compatibilities",
        "Compatibility",
        "The values of `requiresCompatibilities`.",
    ),
];
