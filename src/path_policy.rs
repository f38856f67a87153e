//! Files that must never be committed, judged by name: `.env`, private keys,
//! keystores, SSH keys, credential files, `.netrc`, Terraform state,
//! kubeconfigs. Only names of files that hold secrets by nature:
//! `credentials.json` is one, `credentials.rs` is source code.

use std::path::Path;

use anyhow::Result;

use crate::finding::{self, Finding, SourceKind};
use crate::globs::PathGlobs;
use crate::rules::Text;

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
        globs: &["*credentials", "*credentials.{json,yml,yaml,xml,ini,toml,csv,txt,conf,cfg,properties,env}", ".git-credentials", "**/.aws/credentials"],
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
    ".env.example", ".env.*.example", ".env.sample", ".env.*.sample", ".env.template",
    ".env.*.template", ".env.dist", ".env.defaults", ".env.schema", ".env.vault",
    "credentials.*.example", "*credentials.example.*", "*credentials.sample.*",
];

/// Id of path-policy findings for names added in `guard.toml`.
const CUSTOM_ID: &str = "file-custom";

/// The built-in kinds and the patterns, compiled.
#[derive(Debug, Clone)]
pub struct PathPolicy {
    kinds: PathGlobs,
    kind_of_glob: Vec<usize>,
    custom: PathGlobs,
    allowed: PathGlobs,
}

impl PathPolicy {
    /// The defaults less the `disabled` kinds, plus `deny` names and minus
    /// `allow` names from the config.
    ///
    /// # Errors
    /// A configured pattern that is not a valid glob.
    pub fn new(deny: &[String], allow: &[String], disabled: &[String]) -> Result<PathPolicy> {
        let mut globs = Vec::new();
        let mut kind_of_glob = Vec::new();
        for (index, kind) in KINDS.iter().enumerate() {
            if disabled.iter().any(|d| d == kind.id) {
                continue;
            }
            globs.extend(kind.globs.iter().copied());
            kind_of_glob.extend(std::iter::repeat_n(index, kind.globs.len()));
        }
        let mut allowed: Vec<&str> = EXCEPTIONS.to_vec();
        allowed.extend(allow.iter().map(String::as_str));
        Ok(PathPolicy {
            kinds: PathGlobs::new(&globs, true)?,
            kind_of_glob,
            custom: if disabled.iter().any(|d| d == CUSTOM_ID) {
                PathGlobs::new::<&str>(&[], false)?
            } else {
                PathGlobs::new(deny, false)?
            },
            allowed: PathGlobs::new(&allowed, false)?,
        })
    }

    /// The finding for `path` if it names a file that must not be committed.
    pub fn check(&self, path: &Path, source: SourceKind) -> Option<Finding> {
        let (id, description, rotate) = if let Some(glob) = self.kinds.first_match(path) {
            let kind = &KINDS[self.kind_of_glob[glob]];
            (kind.id, kind.description, kind.rotate)
        } else if self.custom.is_match(path) {
            (CUSTOM_ID, "File that guard.toml says must not be committed", "Remove it from git (git rm --cached) and rotate what it holds.")
        } else {
            return None;
        };
        if self.allowed.is_match(path) {
            return None;
        }
        let shown = crate::globs::normalize(path);
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
            public_prefix: 0,
            fingerprint: finding::fingerprint(id, shown.as_os_str().as_encoded_bytes()),
            entropy: 0.0,
            source,
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

    fn id(policy: &PathPolicy, path: &str) -> Option<String> {
        policy.check(Path::new(path), SourceKind::File).map(|f| f.rule_id.into_owned())
    }

    #[test]
    fn secret_files_by_name_but_not_source_code() {
        let policy = PathPolicy::new(&[], &[], &[]).unwrap();
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
            ".env.example", ".env.local.example", ".env.sample", ".env.template", "credentials.rs",
            "src/CredentialsProvider.java", "id_rsa.pub", "environment.ts", "key.go", "docs/keys.md",
        ] {
            assert_eq!(id(&policy, path), None, "{path}");
        }
    }

    #[test]
    fn configurable_both_ways() {
        let policy = PathPolicy::new(&["*.secret.yaml".into()], &["tests/fixtures/*.pem".into()], &[]).unwrap();
        assert_eq!(id(&policy, "k8s/db.secret.yaml").as_deref(), Some("file-custom"));
        assert_eq!(id(&policy, "tests/fixtures/test.pem"), None);
        assert_eq!(id(&policy, "prod/test.pem").as_deref(), Some("file-private-key"));
    }
}
