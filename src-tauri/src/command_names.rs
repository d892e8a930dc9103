// The app's commands, by name: read by build.rs (each gets an allow-permission that the main
// window's capability grants) and checked against the handler list by a test in commands.rs.
// A command not listed here cannot be called from the window.
pub const COMMANDS: &[&str] = &[
    "app_status",
    "setup_store",
    "unlock",
    "lock",
    "still_here",
    "fields",
    "dashboard",
    "readiness",
    "child",
    "create_child",
    "save_form",
    "review",
    "history",
    "diff",
    "add_photo",
    "photo",
    "staff",
    "add_staff",
    "disable_staff",
    "settings",
    "set_settings",
    "audit_list",
    "audit_verify",
    "missing_preview",
];
