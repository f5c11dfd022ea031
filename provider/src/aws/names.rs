//! Names of what a stack makes in AWS. They are derived from the project,
//! the stack and the resource's own name, so two stacks of one program share
//! an account without clashing, and the same inputs always name the same
//! thing (no random suffixes: a name is known during preview, and `import`
//! finds a resource by it).

use sha2::{Digest, Sha256};

/// The most characters any name may have: Lambda functions, layers and IAM
/// roles allow 64 (DynamoDB more, API Gateway 128).
pub(crate) const MAX_NAME: usize = 64;

/// The longest stack prefix kept as it is; longer ones are shortened with a hash.
const MAX_PREFIX: usize = 40;

/// `<project>-<stack>-<name>`, in the characters every service allows
/// (letters, digits, `-`, `_`). Where that changed or shortened a part, a hash
/// of the original is appended, so distinct names stay distinct. Every name
/// of a stack starts with its `stack_prefix`.
pub(crate) fn physical(project: &str, stack: &str, name: &str) -> String {
    let prefix = stack_prefix(project, stack);
    let rest = shortened(name, MAX_NAME - prefix.len());
    format!("{prefix}{rest}")
}

/// The prefix every name of a stack starts with (IAM policies grant access
/// to the stack's tables by it).
pub(crate) fn stack_prefix(project: &str, stack: &str) -> String {
    shortened(&format!("{project}-{stack}"), MAX_PREFIX) + "-"
}

/// `text` in the allowed characters and at most `max` long; a hash of
/// `text` ends it when either changed it.
fn shortened(text: &str, max: usize) -> String {
    let allowed: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if allowed == text && text.len() <= max {
        return allowed;
    }
    let hash = hex::encode(&Sha256::digest(text.as_bytes())[..4]);
    let start: String = allowed.chars().take(max - hash.len() - 1).collect();
    format!("{start}-{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_join_project_stack_and_name() {
        assert_eq!(physical("shop", "dev", "orders"), "shop-dev-orders");
    }

    #[test]
    fn names_outside_the_allowed_characters_or_length_get_a_hash() {
        let dotted = physical("shop", "dev", "v1.orders");
        assert!(dotted.starts_with("shop-dev-v1-orders-"), "{dotted}");
        assert_ne!(dotted, physical("shop", "dev", "v1-orders"));
        let long = physical("shop", "dev", &"x".repeat(100));
        assert_eq!(long.len(), MAX_NAME);
        assert_ne!(long, physical("shop", "dev", &"x".repeat(101)));
        let prefix = stack_prefix(&"p".repeat(50), "dev");
        assert!(prefix.len() <= 41 && prefix.ends_with('-'), "{prefix}");
        assert!(physical(&"p".repeat(50), "dev", "orders").starts_with(&prefix));
        assert_eq!(long, physical("shop", "dev", &"x".repeat(100)), "names are stable");
    }
}
