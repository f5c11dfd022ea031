//! Names of what a stack makes in AWS. They are derived from the project,
//! the stack and the resource's own name, so two stacks of one program share
//! an account without clashing, and the same inputs always name the same
//! thing (no random suffixes: a name is known during preview, and `import`
//! finds a resource by it).

use unfold_function_runtime::lambda_layout::{lambda_name, shortened};

#[cfg(test)]
use unfold_function_runtime::lambda_layout::MAX_NAME;

/// The longest stack prefix kept as it is; longer ones are shortened with a hash.
const MAX_PREFIX: usize = 40;

/// `<project>-<stack>-<name>`, in the characters every service allows
/// (letters, digits, `-`, `_`). Where that changed or shortened a part, a hash
/// of the original is appended, so distinct names stay distinct. Every name
/// of a stack starts with its `stack_prefix`.
pub(crate) fn physical(project: &str, stack: &str, name: &str) -> String {
    lambda_name(&stack_prefix(project, stack), name)
}

/// The prefix every name of a stack starts with (IAM policies grant access
/// to the stack's tables and functions by it).
pub(crate) fn stack_prefix(project: &str, stack: &str) -> String {
    shortened(&format!("{project}-{stack}"), MAX_PREFIX) + "-"
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
