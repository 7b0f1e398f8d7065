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

/// One step of a path into a YAML document: a mapping key or a sequence
/// index (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSeg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where the node at `path` starts in `text`: 1-based `(line, column)`.
/// `None` when the text does not parse or has no such node. Used to point
/// warnings about a value (a level that is not a number) at the value.
pub fn locate(text: &str, path: &[PathSeg]) -> Option<(usize, usize)> {
    use serde::de::DeserializeSeed;
    let de = serde_yaml::Deserializer::from_str(text);
    match Locate(path).deserialize(de) {
        Err(e) if e.to_string().contains(HERE) => {
            e.location().map(|l| (l.line(), l.column().max(1)))
        }
        _ => None,
    }
}

/// The error [`Locate`] raises at the node it looks for; serde_yaml adds
/// that node's position to it.
const HERE: &str = "rungs-locate-here";

struct Locate<'p, 'a>(&'p [PathSeg<'a>]);

impl<'de> serde::de::DeserializeSeed<'de> for Locate<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Locate<'_, '_> {
    fn here<E: serde::de::Error>(&self) -> Result<(), E> {
        if self.0.is_empty() {
            Err(E::custom(HERE))
        } else {
            Ok(())
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Locate<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.here()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.here()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.here()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.here()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.here()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.here()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.here()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::IgnoredAny;
        let (want, rest) = match self.0.split_first() {
            None => return self.here(),
            Some((PathSeg::Index(i), rest)) => (*i, rest),
            Some(_) => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
        };
        let mut i = 0;
        loop {
            if i == want {
                seq.next_element_seed(Locate(rest))?;
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            if i >= want {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::IgnoredAny;
        let (want, rest) = match self.0.split_first() {
            None => return self.here(),
            Some((PathSeg::Key(k), rest)) => (*k, rest),
            Some(_) => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(());
            }
        };
        while let Some(key) = map.next_key::<Value>()? {
            if key.as_str() == Some(want) {
                map.next_value_seed(Locate(rest))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
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

    #[test]
    fn locate_points_at_nested_nodes() {
        let text = "title: x\ntopics:\n  - name: a\n    content:\n      - level: 1\n      - level: three\n        criteria: [a, b]\n  - title: b\n";
        use PathSeg::*;
        assert_eq!(locate(text, &[Key("title")]), Some((1, 8)));
        assert_eq!(
            locate(
                text,
                &[
                    Key("topics"),
                    Index(0),
                    Key("content"),
                    Index(1),
                    Key("level")
                ]
            ),
            Some((6, 16))
        );
        assert_eq!(
            locate(
                text,
                &[
                    Key("topics"),
                    Index(0),
                    Key("content"),
                    Index(1),
                    Key("criteria"),
                    Index(1)
                ]
            ),
            Some((7, 23))
        );
        assert_eq!(
            locate(text, &[Key("topics"), Index(1)]).map(|p| p.0),
            Some(8)
        );
        assert_eq!(locate(text, &[Key("topics"), Index(2)]), None);
        assert_eq!(locate(text, &[Key("nope")]), None);
        assert_eq!(locate("- [", &[Key("a")]), None);
    }
}
