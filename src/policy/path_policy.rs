//! Files that must never be committed, judged by name: `.env`, private keys,
//! keystores, SSH keys, credential files, `.netrc`, Terraform state,
//! kubeconfigs. Only names of files that hold secrets by nature:
//! `credentials.json` is one, `credentials.rs` is source code.

use std::path::Path;

use anyhow::Result;

use crate::policy::globs::PathGlobs;
use crate::rules::Text;
use crate::scan::finding::{self, Finding, SourceKind};

/// A built-in kind of secret file.
struct Kind {
    id: &'static str,
    description: &'static str,
    rotate: &'static str,
    globs: &'static [&'static str],
}

const KINDS: &[Kind] = &[
    Kind {
        id: "file-dotenv",
        description: "Environment file (.env), which holds secrets by convention",
        rotate: "Rotate every secret it holds, remove it from git (git rm --cached) and add it to .gitignore; commit a .env.example with placeholders instead.",
        globs: &[".env", ".env.*"],
    },
    Kind {
        id: "file-private-key",
        description: "Private key or certificate file (*.pem, *.key)",
        rotate: "Revoke and reissue the key or certificate, and keep key files out of the repository (add them to .gitignore).",
        globs: &["*.pem", "*.key"],
    },
    Kind {
        id: "file-keystore",
        description: "Keystore holding private keys (PKCS#12, Java keystore, PuTTY key)",
        rotate: "Reissue the keys it holds and keep keystores out of the repository.",
        globs: &["*.p12", "*.pfx", "*.jks", "*.keystore", "*.ppk"],
    },
    Kind {
        id: "file-ssh-key",
        description: "SSH private key file",
        rotate: "Remove the public key from every authorized_keys and account that trusts it, then generate a new key pair.",
        globs: &["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"],
    },
    Kind {
        id: "file-credentials",
        description: "Credentials file",
        rotate: "Revoke the credentials it holds at their provider, and keep the file out of the repository.",
        globs: &[
            "*credentials",
            "*credentials.json",
            "*credentials.yml",
            "*credentials.yaml",
            "*credentials.xml",
            "*credentials.ini",
            "*credentials.toml",
            "*credentials.csv",
            "*credentials.txt",
            "*credentials.conf",
            "*credentials.cfg",
            "*credentials.properties",
            "*credentials.env",
            ".git-credentials",
            "**/.aws/credentials",
        ],
    },
    Kind {
        id: "file-netrc",
        description: "Password file (.netrc, .pgpass, .htpasswd)",
        rotate: "Change every password it lists and keep the file out of the repository.",
        globs: &[".netrc", "_netrc", ".pgpass", ".htpasswd"],
    },
    Kind {
        id: "file-terraform-state",
        description: "Terraform state, which stores resource secrets in plain text",
        rotate: "Rotate the secrets of the resources it describes, and keep state in a remote backend.",
        globs: &["*.tfstate", "*.tfstate.backup"],
    },
    Kind {
        id: "file-kubeconfig",
        description: "Kubernetes kubeconfig with cluster credentials",
        rotate: "Revoke the credentials it embeds (tokens, client certificates) on the cluster.",
        globs: &["kubeconfig", "*.kubeconfig", "kubeconfig.yml", "kubeconfig.yaml", "**/.kube/config"],
    },
];

/// Names that look like secret files but are meant to be committed.
const EXCEPTIONS: &[&str] = &[
    ".env.example",
    ".env.*.example",
    ".env.sample",
    ".env.*.sample",
    ".env.template",
    ".env.*.template",
    ".env.dist",
    ".env.defaults",
    ".env.schema",
    ".env.vault",
];

/// Id of path-policy findings for names added in `guard.toml`.
const CUSTOM_ID: &str = "file-custom";

/// A built-in pattern: a file name with at most one `*`, or `**/dir/name`
/// for a path ending. Plain string tests, so the policy costs nothing to
/// build at start-up (globset would compile regexes).
#[derive(Debug, Clone, Copy)]
enum NamePattern {
    /// The name is exactly this.
    Exact(&'static str),
    /// The name starts with the first part and ends with the second.
    Around(&'static str, &'static str),
    /// The path is this, or ends with `/` and this.
    PathEnd(&'static str),
}

impl NamePattern {
    fn parse(glob: &'static str) -> NamePattern {
        if let Some(end) = glob.strip_prefix("**/") {
            NamePattern::PathEnd(end)
        } else if let Some((before, after)) = glob.split_once('*') {
            NamePattern::Around(before, after)
        } else {
            NamePattern::Exact(glob)
        }
    }

    /// Whether the lowercase, `/`-separated `path` matches.
    fn matches(self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        match self {
            NamePattern::Exact(exact) => name == exact,
            NamePattern::Around(before, after) => {
                name.len() >= before.len() + after.len() && name.starts_with(before) && name.ends_with(after)
            }
            NamePattern::PathEnd(end) => {
                path == end || (path.ends_with(end) && path[..path.len() - end.len()].ends_with('/'))
            }
        }
    }
}

/// The built-in kinds and the configured patterns.
#[derive(Debug, Clone)]
pub struct PathPolicy {
    kinds: Vec<(usize, NamePattern)>,
    exceptions: Vec<NamePattern>,
    custom: PathGlobs,
}

impl PathPolicy {
    /// The defaults plus the `deny` names of the config. Built-in patterns
    /// cost nothing to build; configured ones are compiled with globset.
    /// Exemptions (`[path_policy] allow`, disabled kinds) are acceptance,
    /// judged later like any other.
    ///
    /// # Errors
    /// A configured pattern that is not a valid glob.
    pub fn new(deny: &[String]) -> Result<PathPolicy> {
        let kinds = KINDS
            .iter()
            .enumerate()
            .flat_map(|(index, kind)| kind.globs.iter().map(move |g| (index, NamePattern::parse(g))))
            .collect();
        Ok(PathPolicy {
            kinds,
            exceptions: EXCEPTIONS.iter().map(|g| NamePattern::parse(g)).collect(),
            custom: PathGlobs::new(deny, false)?,
        })
    }

    /// The finding for `path` if it names a file that must not be committed;
    /// `content` is the id of what the file holds (its blob), to which the
    /// finding's fingerprint is bound, when known.
    pub fn check(&self, path: &Path, source: SourceKind, content: Option<&[u8]>) -> Option<Finding> {
        let shown = crate::policy::globs::normalize(path);
        // Built-in patterns are lowercase and match names of any case.
        let lower = shown.to_string_lossy().to_lowercase();
        let (id, description, rotate) =
            if let Some((kind, _)) = self.kinds.iter().find(|(_, pattern)| pattern.matches(&lower)) {
                if self.exceptions.iter().any(|pattern| pattern.matches(&lower)) {
                    return None;
                }
                let kind = &KINDS[*kind];
                (kind.id, kind.description, kind.rotate)
            } else if self.custom.is_match(shown) {
                (
                    CUSTOM_ID,
                    "File that guard.toml says must not be committed",
                    "Remove it from git (git rm --cached) and rotate what it holds.",
                )
            } else {
                return None;
            };
        Some(Finding {
            rule_id: Text::Borrowed(id),
            description: Text::Borrowed(description),
            rotate: Text::Borrowed(rotate),
            path: Some(shown.to_path_buf()),
            line: 1,
            column: 1,
            end_line: 1,
            span: 0..0,
            secret: Vec::new(),
            encoded: None,
            public_prefix: 0,
            fingerprint: finding::path_fingerprint(id, shown.as_os_str().as_encoded_bytes(), content),
            entropy: 0.0,
            source,
            commit: None,
            history: None,
        })
    }

    /// Every built-in path-policy id, for `guard rules list` and `disable`.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        KINDS.iter().map(|k| k.id).chain(std::iter::once(CUSTOM_ID))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_patterns_are_simple() {
        for glob in KINDS.iter().flat_map(|k| k.globs.iter()).chain(EXCEPTIONS) {
            let body = glob.strip_prefix("**/").unwrap_or(glob);
            assert!(body.matches('*').count() <= 1 && !body.contains(['?', '[', '{']), "{glob}");
            assert_eq!(*glob, glob.to_lowercase(), "{glob}");
        }
    }

    fn id(policy: &PathPolicy, path: &str) -> Option<String> {
        policy.check(Path::new(path), SourceKind::File, None).map(|f| f.rule_id.into_owned())
    }

    #[test]
    fn secret_files_by_name_but_not_source_code() {
        let policy = PathPolicy::new(&[]).unwrap();
        for (path, expected) in [
            (".env", "file-dotenv"),
            ("app/.env.production", "file-dotenv"),
            ("certs/server.pem", "file-private-key"),
            ("tls.key", "file-private-key"),
            ("store.p12", "file-keystore"),
            ("home/.ssh/id_ed25519", "file-ssh-key"),
            ("ID_RSA", "file-ssh-key"),
            ("credentials.json", "file-credentials"),
            ("config/gcp-credentials.json", "file-credentials"),
            (".aws/credentials", "file-credentials"),
            (".netrc", "file-netrc"),
            ("infra/terraform.tfstate", "file-terraform-state"),
            ("deploy/prod.kubeconfig", "file-kubeconfig"),
            ("home/.kube/config", "file-kubeconfig"),
        ] {
            assert_eq!(id(&policy, path).as_deref(), Some(expected), "{path}");
        }
        for path in [
            ".env.example",
            ".env.local.example",
            ".env.sample",
            ".env.template",
            "credentials.rs",
            "src/CredentialsProvider.java",
            "id_rsa.pub",
            "environment.ts",
            "key.go",
            "docs/keys.md",
        ] {
            assert_eq!(id(&policy, path), None, "{path}");
        }
    }

    #[test]
    fn configured_names_and_content_bound_fingerprints() {
        let policy = PathPolicy::new(&["*.secret.yaml".into()]).unwrap();
        assert_eq!(id(&policy, "k8s/db.secret.yaml").as_deref(), Some("file-custom"));
        assert_eq!(id(&policy, "prod/test.pem").as_deref(), Some("file-private-key"));
        let print = |path: &str, content: Option<&[u8]>| {
            policy.check(Path::new(path), SourceKind::File, content).unwrap().fingerprint
        };
        assert_eq!(print(".env", Some(b"one")), print(".env", Some(b"one")));
        assert_ne!(print(".env", Some(b"one")), print(".env", Some(b"two")));
        assert_ne!(print(".env", Some(b"one")), print("app/.env", Some(b"one")));
        assert_ne!(print(".env", None), print(".env", Some(b"")));
    }
}
