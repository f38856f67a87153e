//! The AI assistants guard audits, as data: the files that show each is in
//! use (in the project and in the user's home), the controls it reads that
//! can keep its agent from reading a file, and how far each control goes
//! (its own tool only, some shell commands too, indexing only, not at all).
//! Facts, not logic: sources and dates in docs/DECISIONS.md.

/// What a control stops, per the assistant's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforced {
    /// The agent's own file tools refuse a matching file; a shell command
    /// or an MCP server still reads it.
    Tool,
    /// Its tools refuse, and so do the shell commands it recognises.
    ToolAndSomeShell,
    /// The agent asks the user before reading a matching file.
    Asks,
    /// Indexing and search leave the file out; the agent still reads it.
    IndexOnly,
    /// The assistant does not read this file, or says it is no boundary.
    Not,
}

impl Enforced {
    /// Whether the control keeps the agent's own reads away.
    pub fn stops_reads(self) -> bool {
        matches!(self, Enforced::Tool | Enforced::ToolAndSomeShell | Enforced::Asks)
    }

    /// How the audit says it.
    pub fn describe(self) -> &'static str {
        match self {
            Enforced::Tool => "its file tools refuse what it names (a shell command still reads it)",
            Enforced::ToolAndSomeShell => {
                "its file tools and the shell commands it recognises refuse what it names"
            }
            Enforced::Asks => "it asks before reading what it names",
            Enforced::IndexOnly => "it only leaves what it names out of indexing; the agent still reads it",
            Enforced::Not => "it does not enforce this file",
        }
    }
}

/// The language a control's patterns are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// An ignore file: one gitignore pattern per line.
    IgnoreFile,
    /// Claude Code's settings: `permissions.deny` `Read(…)` rules.
    ClaudeDeny,
    /// Zed's settings: `private_files` and `file_scan_exclusions` globs.
    ZedGlobs,
    /// opencode's `permission.read` map of wildcards to allow, ask or deny.
    OpencodeRead,
}

/// A control file an assistant reads.
#[derive(Debug, Clone, Copy)]
pub struct Control {
    /// The file, relative to the project's root.
    pub file: &'static str,
    /// How its patterns are written.
    pub language: Language,
    /// What it stops.
    pub enforced: Enforced,
    /// What the assistant enforces instead, for a control it does not.
    pub instead: Option<&'static str>,
}

/// One assistant.
#[derive(Debug, Clone, Copy)]
pub struct Assistant {
    /// Its name in the audit.
    pub name: &'static str,
    /// Files or directories in a project that show it is used there.
    pub project_signs: &'static [&'static str],
    /// Files or directories under the user's home that show it is installed.
    pub user_signs: &'static [&'static str],
    /// The controls it reads in the project.
    pub controls: &'static [Control],
    /// What else limits its reads, or why nothing in the project does.
    pub note: &'static str,
}

const fn ignore(file: &'static str, enforced: Enforced) -> Control {
    Control { file, language: Language::IgnoreFile, enforced, instead: None }
}

/// Every assistant guard knows.
pub const ASSISTANTS: &[Assistant] = &[
    Assistant {
        name: "Claude Code",
        project_signs: &[".claude", "CLAUDE.md", "CLAUDE.local.md", ".claudeignore", ".mcp.json"],
        user_signs: &[".claude/settings.json", ".claude.json"],
        controls: &[
            Control {
                file: ".claude/settings.json",
                language: Language::ClaudeDeny,
                enforced: Enforced::ToolAndSomeShell,
                instead: None,
            },
            Control {
                file: ".claude/settings.local.json",
                language: Language::ClaudeDeny,
                enforced: Enforced::ToolAndSomeShell,
                instead: None,
            },
            Control {
                file: ".claudeignore",
                language: Language::IgnoreFile,
                enforced: Enforced::Not,
                instead: Some("permissions.deny rules such as Read(/**/.env) in .claude/settings.json"),
            },
        ],
        note: "guard's hooks (guard install --claude) also judge Bash, writes, web fetches and MCP calls",
    },
    Assistant {
        name: "Cursor",
        project_signs: &[".cursor", ".cursorrules", ".cursorignore", ".cursorindexingignore"],
        user_signs: &[".cursor"],
        controls: &[
            ignore(".cursorignore", Enforced::Tool),
            Control {
                file: ".cursorindexingignore",
                language: Language::IgnoreFile,
                enforced: Enforced::IndexOnly,
                instead: Some(".cursorignore"),
            },
        ],
        note: "its terminal and MCP tools are not covered by .cursorignore (guard's hooks cover them)",
    },
    Assistant {
        name: "Codex",
        project_signs: &[".codex"],
        user_signs: &[".codex/config.toml", ".codex"],
        controls: &[],
        note: "no ignore file; its sandbox (permission profiles in config.toml, trusted projects only) is the read boundary",
    },
    Assistant {
        name: "Gemini CLI",
        project_signs: &[".gemini", "GEMINI.md", ".geminiignore"],
        user_signs: &[".gemini/settings.json", ".gemini"],
        controls: &[ignore(".geminiignore", Enforced::Tool), ignore(".gitignore", Enforced::Tool)],
        note: "read_file honours .geminiignore and .gitignore; its shell tool does not",
    },
    Assistant {
        name: "Gemini Code Assist",
        project_signs: &[".aiexclude"],
        user_signs: &[],
        controls: &[ignore(".aiexclude", Enforced::Tool)],
        note: "",
    },
    Assistant {
        name: "GitHub Copilot",
        project_signs: &[
            ".github/copilot-instructions.md",
            ".github/instructions",
            ".github/hooks",
            ".vscode/mcp.json",
        ],
        user_signs: &[".copilot"],
        controls: &[],
        note: "content exclusion does not apply in agent mode or the CLI; nothing in the project stops its agent reading a file (hooks in .github/hooks can)",
    },
    Assistant {
        name: "Windsurf",
        project_signs: &[".windsurf", ".windsurfrules", ".codeiumignore"],
        user_signs: &[".codeium/windsurf"],
        controls: &[Control {
            file: ".codeiumignore",
            language: Language::IgnoreFile,
            enforced: Enforced::IndexOnly,
            instead: Some("pre_read_code hooks in .windsurf/hooks.json"),
        }],
        note: "",
    },
    Assistant {
        name: "Cline",
        project_signs: &[".clinerules", ".clineignore", ".cline"],
        user_signs: &["Documents/Cline", ".cline"],
        controls: &[Control {
            file: ".clineignore",
            language: Language::IgnoreFile,
            enforced: Enforced::Not,
            instead: Some(
                "hooks in .clinerules/hooks (Cline documents .clineignore as no security boundary)",
            ),
        }],
        note: "",
    },
    Assistant {
        name: "Roo Code",
        project_signs: &[".roo", ".roomodes", ".rooignore"],
        user_signs: &[".roo"],
        controls: &[ignore(".rooignore", Enforced::ToolAndSomeShell)],
        note: "",
    },
    Assistant {
        name: "Aider",
        project_signs: &[".aider.conf.yml", ".aiderignore"],
        user_signs: &[".aider.conf.yml"],
        controls: &[ignore(".aiderignore", Enforced::Tool)],
        note: "/add refuses what .aiderignore and .gitignore name; /read-only and /run do not check",
    },
    Assistant {
        name: "Continue",
        project_signs: &[".continue", ".continueignore", ".continuerc.json"],
        user_signs: &[".continue"],
        controls: &[Control {
            file: ".continueignore",
            language: Language::IgnoreFile,
            enforced: Enforced::IndexOnly,
            instead: Some("its built-in list of secret files, which cannot be configured"),
        }],
        note: "",
    },
    Assistant {
        name: "JetBrains AI Assistant and Junie",
        project_signs: &[".aiignore", ".junie", ".noai"],
        user_signs: &[".junie"],
        controls: &[ignore(".aiignore", Enforced::Asks)],
        note: "",
    },
    Assistant {
        name: "Kiro",
        project_signs: &[".kiro", ".kiroignore"],
        user_signs: &[".kiro"],
        controls: &[ignore(".kiroignore", Enforced::Tool)],
        note: "its permissions live outside the project (~/.kiro)",
    },
    Assistant {
        name: "opencode",
        project_signs: &["opencode.json", "opencode.jsonc", ".opencode"],
        user_signs: &[".config/opencode"],
        controls: &[Control {
            file: "opencode.json",
            language: Language::OpencodeRead,
            enforced: Enforced::Tool,
            instead: None,
        }],
        note: "its bash permission is matched on the command, not the files it reads",
    },
    Assistant {
        name: "Zed",
        project_signs: &[".zed", ".rules"],
        user_signs: &[".config/zed/settings.json"],
        controls: &[Control {
            file: ".zed/settings.json",
            language: Language::ZedGlobs,
            enforced: Enforced::Tool,
            instead: None,
        }],
        note: "its terminal tool is not covered",
    },
];

/// Assistant settings files that must parse and must not hold a secret
/// (they are read by tools and often committed).
pub const JSON_SETTINGS: &[&str] = &[
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".mcp.json",
    ".cursor/mcp.json",
    ".cursor/hooks.json",
    ".vscode/mcp.json",
    ".gemini/settings.json",
    ".zed/settings.json",
    "opencode.json",
];
