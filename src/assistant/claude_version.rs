//! Whether the Claude Code on PATH understands a hook entry's
//! `"onFailure": "block"` (2.1.295 and later): asked of `claude --version`,
//! whose first word is the version. An older Claude Code may reject the
//! unknown key and skip every hook in the file, so guard writes it only
//! when the answer is known.

use std::process::{Command, Stdio};

/// The first Claude Code release that reads `onFailure`.
pub const ON_FAILURE_SINCE: (u64, u64, u64) = (2, 1, 295);

/// What guard knows about the local Claude Code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnFailure {
    /// It reads `onFailure`; the version it reported.
    Supported(String),
    /// It is older; the version it reported.
    TooOld(String),
    /// `claude` is not on PATH, or its answer is not a version.
    Unknown(String),
}

impl OnFailure {
    /// Asks the `claude` on PATH.
    pub fn of_installed() -> OnFailure {
        let output =
            Command::new("claude").arg("--version").stdin(Stdio::null()).stderr(Stdio::null()).output();
        match output {
            Ok(output) if output.status.success() => {
                OnFailure::from_answer(&String::from_utf8_lossy(&output.stdout))
            }
            Ok(output) => OnFailure::Unknown(format!("`claude --version` failed ({})", output.status)),
            Err(_) => OnFailure::Unknown("Claude Code (`claude`) is not on PATH".to_string()),
        }
    }

    /// Reads `claude --version`'s answer (`2.1.295 (Claude Code)`).
    pub fn from_answer(answer: &str) -> OnFailure {
        let word = answer.split_whitespace().next().unwrap_or("");
        let parts: Vec<u64> = word.trim_start_matches('v').split('.').map_while(|p| p.parse().ok()).collect();
        let Some(&[major, minor, patch]) = parts.get(..3).and_then(|p| <&[u64; 3]>::try_from(p).ok()) else {
            return OnFailure::Unknown(format!(
                "`claude --version` said {:?}, not a version",
                crate::safe_text::value(answer.trim())
            ));
        };
        if (major, minor, patch) >= ON_FAILURE_SINCE {
            OnFailure::Supported(word.to_string())
        } else {
            OnFailure::TooOld(word.to_string())
        }
    }

    /// Why guard did not write `onFailure`, for the user; `None` when it did.
    pub fn why_not(&self) -> Option<String> {
        let (major, minor, patch) = ON_FAILURE_SINCE;
        let since = format!("{major}.{minor}.{patch}");
        match self {
            OnFailure::Supported(_) => None,
            OnFailure::TooOld(version) => Some(format!(
                "Claude Code {version} is older than {since}, which is the first to read \"onFailure\": \"block\"; until it is updated, a hook that cannot start or times out lets the step through (then run guard install --claude again)"
            )),
            OnFailure::Unknown(why) => Some(format!(
                "{why}, so guard cannot tell whether it reads \"onFailure\": \"block\" ({since} and later; an older one may skip every hook in a file with a key it does not know); until then a hook that cannot start or times out lets the step through (run guard install --claude again where `claude --version` works)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_compared_as_numbers() {
        assert_eq!(OnFailure::from_answer("2.1.295 (Claude Code)\n"), OnFailure::Supported("2.1.295".into()));
        assert_eq!(OnFailure::from_answer("2.10.0 (Claude Code)"), OnFailure::Supported("2.10.0".into()));
        assert_eq!(OnFailure::from_answer("2.1.99 (Claude Code)"), OnFailure::TooOld("2.1.99".into()));
        assert!(matches!(OnFailure::from_answer("command not found"), OnFailure::Unknown(_)));
        assert!(OnFailure::Supported("2.2.0".into()).why_not().is_none());
    }
}
