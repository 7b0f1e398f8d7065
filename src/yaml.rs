//! The one place rungs touches its YAML library.
//!
//! serde_yaml is archived upstream but sound; everything else in rungs goes
//! through these functions, so swapping the library is a change to this file.

use serde::de::DeserializeOwned;

/// A YAML value, for frontmatter keys rungs does not type.
pub type Value = serde_yaml::Value;

/// A YAML problem with its position inside the YAML text (1-based).
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
    /// Set when the problem is a key the target type does not accept.
    pub unknown_field: Option<UnknownField>,
}

#[derive(Debug, Clone)]
pub struct UnknownField {
    pub name: String,
    pub expected: Vec<String>,
}

/// Parse `text` into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(convert)
}

/// Parse `text` into an untyped value.
pub fn value_from_str(text: &str) -> Result<Value, YamlError> {
    from_str(text)
}

/// Turn an untyped value into `T` (positions are not available here).
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, YamlError> {
    serde_yaml::from_value(v).map_err(convert)
}

/// Write `v` as YAML.
pub fn to_string<T: serde::Serialize>(v: &T) -> String {
    serde_yaml::to_string(v).unwrap_or_default()
}

fn convert(e: serde_yaml::Error) -> YamlError {
    let (line, col) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let mut message = e.to_string();
    // serde_yaml appends " at line L column C"; we report the place ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let unknown_field = parse_unknown_field(&message);
    YamlError {
        message,
        line,
        col,
        unknown_field,
    }
}

/// serde's message: "unknown field `x`, expected one of `a`, `b`" (or
/// "expected `a` or `b`", or "there are no fields").
fn parse_unknown_field(msg: &str) -> Option<UnknownField> {
    let rest = msg.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let name = rest[..end].to_string();
    let expected = rest[end + 1..]
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    Some(UnknownField { name, expected })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: Option<String>,
        theme: Option<String>,
    }

    #[test]
    fn unknown_field_has_name_position_and_candidates() {
        let e = from_str::<T>("title: a\ntitel: b\n").unwrap_err();
        let u = e.unknown_field.unwrap();
        assert_eq!(u.name, "titel");
        assert_eq!(u.expected, vec!["title", "theme"]);
        assert_eq!(e.line, 2);
        assert!(!e.message.contains(" at line "));
    }
}
