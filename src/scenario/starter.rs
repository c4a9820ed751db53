//! The commented starter scenario that `carenet new` writes.

/// A commented scenario with two neighbourhoods, named `name`.
pub fn starter_scenario(name: &str) -> String {
    include_str!("starter.toml").replace("{{name}}", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_is_valid() {
        let text = starter_scenario("my-area");
        let scenario = super::super::parse_str(&text, "starter").expect("starter must be valid");
        assert_eq!(scenario.name, "my-area");
        assert_eq!(scenario.neighbourhoods.len(), 2);
    }

    /// QA 26: the comment listing the levers lacked `respite`; every kind the
    /// scenario reader knows is named.
    #[test]
    fn starter_names_every_kind_of_lever() {
        let text = starter_scenario("my-area") + "\n[[intervention]]\nkind = \"no_such_lever\"\n";
        let error = super::super::parse_str(&text, "starter")
            .expect_err("an unknown kind is refused")
            .to_string();
        let listed = &error[error.find("allowed here: ").expect(&error) + 14..];
        let kinds: Vec<&str> = listed
            .lines()
            .next()
            .unwrap_or("")
            .split(", ")
            .map(str::trim)
            .collect();
        assert!(kinds.len() >= 9, "{error}");
        let comment: String = starter_scenario("my-area")
            .lines()
            .filter(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        for kind in kinds {
            assert!(
                comment.contains(kind),
                "the starter's comment lacks `{kind}`"
            );
        }
        assert!(comment.contains("[long_term_care]"));
    }
}
