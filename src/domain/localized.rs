//! Text in several languages.

use std::collections::BTreeMap;

/// Text in several languages, as stored in a JSON column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    pub fn parse(raw: &str) -> Self {
        Localized(serde_json::from_str(raw).unwrap_or_default())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    /// The text in `lang`, else in the default language, else any.
    pub fn resolve(&self, lang: &str, default: &str) -> String {
        self.0
            .get(lang)
            .or_else(|| self.0.get(default))
            .or_else(|| self.0.values().next())
            .cloned()
            .unwrap_or_default()
    }
}
