//! The language of what carenet writes for people: English, or Dutch for the
//! municipalities, teachers and students the model is made for. Reports, the
//! teaching page and a comparison's sentences speak both; column names, file
//! names and scenario names stay as written, so a Dutch text still names
//! `summary.csv`'s columns.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    /// The text of this language.
    pub fn pick<'a>(self, english: &'a str, dutch: &'a str) -> &'a str {
        match self {
            Lang::En => english,
            Lang::Nl => dutch,
        }
    }

    /// What a table's cell says where it has no figure (a cost per € 1,000
    /// of no extra cost, a share of nothing, a column an older folder lacks):
    /// in a Dutch report "n.v.t." (QA 37: the Dutch tables said "n/a").
    pub fn no_figure(self) -> &'static str {
        self.pick("n/a", "n.v.t.")
    }

    /// A metric's label for people (in the model core, not only the
    /// reports: a comparison's sentences name metrics in words too).
    pub fn label(self, metric: &crate::metrics::Metric) -> &'static str {
        match self {
            Lang::En => metric.label,
            Lang::Nl => metric.label_nl,
        }
    }

    /// The page's `lang` attribute.
    pub fn code(self) -> &'static str {
        self.pick("en", "nl")
    }

    /// A number written the English way (`1,234.5`) as this language writes
    /// it: Dutch swaps the separators (`1.234,5`), so that a Dutch reader does
    /// not take 61,832 hours for 61.8.
    pub fn number(self, english: &str) -> String {
        match self {
            Lang::En => english.to_string(),
            Lang::Nl => english
                .chars()
                .map(|c| match c {
                    ',' => '.',
                    '.' => ',',
                    other => other,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers_swap_the_separators() {
        assert_eq!(Lang::En.number("61,832.5"), "61,832.5");
        assert_eq!(Lang::Nl.number("61,832.5"), "61.832,5");
        assert_eq!(Lang::Nl.number("€ -1,206"), "€ -1.206");
    }
}
