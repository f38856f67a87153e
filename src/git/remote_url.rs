//! Which repository a remote URL names, so that two spellings of one
//! repository compare equal: `https://host/o/r.git`, `ssh://git@host/o/r`
//! and `git@host:o/r` are one repository (host and path; scheme, user and
//! port ignored), a local path is compared by the directory it resolves to
//! (`file://` stripped). URLs arrive here rewritten by git
//! (`url.<base>.insteadOf`, `pushInsteadOf`); nothing here rewrites.

use std::path::{Path, PathBuf};

/// A repository's place, as far as its URL says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepositoryPlace {
    /// On a host: its lowercased name and the path on it, without leading
    /// or trailing `/` nor a trailing `.git`.
    Remote {
        /// The host.
        host: String,
        /// The path on the host.
        path: String,
    },
    /// A directory of this machine, resolved when it exists.
    Local(PathBuf),
}

/// The repository `url` names.
pub fn place(url: &str) -> RepositoryPlace {
    if let Some(path) = url.strip_prefix("file://") {
        return local(path);
    }
    if let Some((_scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        return remote(authority, path);
    }
    // scp-like `[user@]host:path`: a colon before any slash.
    match url.split_once(':') {
        Some((authority, path)) if !authority.is_empty() && !authority.contains('/') => {
            remote(authority, path)
        }
        _ => local(url),
    }
}

fn remote(authority: &str, path: &str) -> RepositoryPlace {
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').map_or(bracketed, |(ip, _)| ip),
        None => host.split_once(':').map_or(host, |(name, _port)| name),
    };
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path).trim_end_matches('/');
    RepositoryPlace::Remote { host: host.to_ascii_lowercase(), path: path.to_string() }
}

fn local(path: &str) -> RepositoryPlace {
    let path = Path::new(path);
    RepositoryPlace::Local(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(host: &str, path: &str) -> RepositoryPlace {
        RepositoryPlace::Remote { host: host.to_string(), path: path.to_string() }
    }

    #[test]
    fn spellings_of_one_hosted_repository_are_one_place() {
        for url in [
            "https://github.com/o/r",
            "https://user@GitHub.com:443/o/r.git",
            "ssh://git@github.com/o/r.git/",
            "git@github.com:o/r.git",
            "github.com:/o/r",
        ] {
            assert_eq!(place(url), remote("github.com", "o/r"), "{url}");
        }
        assert_ne!(place("https://github.com/o/private"), place("https://github.com/o/public"));
        assert_eq!(place("ssh://git@[::1]:22/o/r"), remote("::1", "o/r"));
    }

    #[test]
    fn local_paths_resolve_to_their_directory() {
        let dir = std::env::temp_dir().canonicalize().unwrap();
        let text = dir.to_str().unwrap();
        assert_eq!(place(&format!("file://{text}")), RepositoryPlace::Local(dir.clone()));
        assert_eq!(place(&format!("{text}/")), RepositoryPlace::Local(dir));
        assert_eq!(place("../missing"), RepositoryPlace::Local(PathBuf::from("../missing")));
    }
}
