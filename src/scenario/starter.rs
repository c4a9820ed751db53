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
}
