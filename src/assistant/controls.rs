//! The AI assistants' own controls: which ignore file each assistant
//! reads, and which files it does not enforce at all (Claude Code ignores
//! `.claudeignore`; it enforces `permissions.deny` in
//! `.claude/settings.json`). Facts, not logic: sources in docs/DECISIONS.md.

/// An ignore file an assistant may read, with gitignore syntax.
#[derive(Debug, Clone, Copy)]
pub struct IgnoreFile {
    /// The file name, at the project's root.
    pub file: &'static str,
    /// The assistant that reads it.
    pub assistant: &'static str,
    /// `None` if the assistant enforces it; otherwise the control it
    /// enforces instead.
    pub instead: Option<&'static str>,
}

/// Every ignore file guard audits.
pub const IGNORE_FILES: &[IgnoreFile] = &[
    IgnoreFile { file: ".cursorignore", assistant: "Cursor", instead: None },
    IgnoreFile { file: ".aiexclude", assistant: "Gemini Code Assist", instead: None },
    IgnoreFile { file: ".geminiignore", assistant: "Gemini CLI", instead: None },
    IgnoreFile { file: ".codeiumignore", assistant: "Windsurf (Codeium)", instead: None },
    IgnoreFile { file: ".clineignore", assistant: "Cline", instead: None },
    IgnoreFile { file: ".aiignore", assistant: "JetBrains AI Assistant", instead: None },
    IgnoreFile {
        file: ".claudeignore",
        assistant: "Claude Code",
        instead: Some("permissions.deny rules such as Read(./.env) in .claude/settings.json"),
    },
];

/// Files whose presence says the project uses Claude Code, so its settings
/// file (and deny rules) should exist.
pub const CLAUDE_SIGNS: &[&str] = &[".claude", ".claudeignore", "CLAUDE.md"];

/// Assistant settings files that must parse and must not hold a secret
/// (they are read by tools and often committed).
pub const JSON_SETTINGS: &[&str] = &[
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".mcp.json",
    ".cursor/mcp.json",
    ".vscode/mcp.json",
    ".gemini/settings.json",
];
