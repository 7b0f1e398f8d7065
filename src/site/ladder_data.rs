//! The lists of ladder pages, typed: the expectations a level, comparison,
//! matrix, dimension or cross-track page shows, with the rows and columns
//! that hold them.
//!
//! These lists are most of a ladder page's data. Planned as JSON, each
//! expectation became an object of six or seven fields on every page that
//! shows it, its texts copied each time; typed, it shares its texts with
//! the model. The native renderer ([`crate::render::native`]) reads them
//! as they are; for Tera they become the same JSON as before
//! ([`Lists::insert_json`]), field for field.

use super::changes::{Change, Classified};
use crate::ladder::model::{DimensionId, Examples, Expectation, Rich};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// An expectation as a ladder page shows it.
#[derive(Debug, Clone, Hash)]
pub struct Item {
    pub id: Box<str>,
    pub text: Rich,
    pub examples: Examples,
    /// Its line in its source file.
    pub line: usize,
    /// Its level's page; it is at `{level_url}#{id}`.
    pub level_url: Arc<str>,
    /// How it changed from the level below, when the page says.
    pub change: Option<Change>,
    /// For a rewording: the words that changed, as HTML.
    pub diff_html: Option<Arc<str>>,
}

impl Item {
    pub fn new(e: &Expectation, level_url: &Arc<str>, c: Option<&Classified>) -> Item {
        Item {
            id: e.id.clone(),
            text: e.text.clone(),
            examples: e.examples.clone(),
            line: e.source.line,
            level_url: Arc::clone(level_url),
            change: c.map(|c| c.change),
            diff_html: c.and_then(|c| c.diff_html.clone()),
        }
    }

    /// `{level_url}#{id}`.
    pub fn url(&self) -> String {
        format!("{}#{}", self.level_url, self.id)
    }

    fn examples_json(&self) -> Value {
        Value::Array(self.examples.iter().map(|x| json!(x.html())).collect())
    }

    /// The JSON of the item on the page of `shape`.
    fn json(&self, shape: Shape) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("html".into(), json!(self.text.html()));
        match shape {
            Shape::Level => {
                m.insert("text".into(), json!(self.text.text()));
                m.insert("examples".into(), self.examples_json());
                m.insert("line".into(), json!(self.line));
            }
            Shape::Column => {
                m.insert("examples".into(), self.examples_json());
                m.insert("url".into(), json!(self.url()));
            }
            Shape::Matrix | Shape::Dimension => {
                m.insert("url".into(), json!(self.url()));
            }
        }
        if shape != Shape::Matrix {
            m.insert("change".into(), json!(self.change));
            m.insert("diff_html".into(), json!(self.diff_html));
        }
        Value::Object(m)
    }
}

/// Which fields a page's expectations have in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A level page: with its text, examples and source line.
    Level,
    /// A comparison or cross-track column: with examples and a link.
    Column,
    /// A matrix cell: with a link.
    Matrix,
    /// A dimension page: with a link.
    Dimension,
}

/// A level page's expectations of one dimension that are new or reworded.
#[derive(Debug, Clone, Hash)]
pub struct Group {
    pub id: Option<DimensionId>,
    pub title: Option<String>,
    /// The dimension's page.
    pub url: Option<String>,
    pub items: Vec<Item>,
}

/// A level page's unchanged expectation, with its dimension's title.
#[derive(Debug, Clone, Hash)]
pub struct Unchanged {
    pub item: Item,
    pub dimension: Option<String>,
}

/// One level in a comparison or cross-track page.
#[derive(Debug, Clone)]
pub struct Column {
    pub number: u32,
    pub heading: String,
    pub url: Arc<str>,
    pub summary: Option<Rich>,
    /// One row per dimension of the track, in its order.
    pub rows: Vec<Row>,
    /// The anti-patterns of this level, as JSON.
    pub anti_patterns: Vec<Value>,
    /// On a cross-track page: the track's title and page.
    pub track: Option<(String, String)>,
}

impl std::hash::Hash for Column {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.number, &self.heading, &self.url, &self.summary).hash(h);
        (&self.rows, &self.track).hash(h);
        // Anti-patterns are JSON (few, and small).
        serde_json::to_string(&self.anti_patterns)
            .unwrap_or_default()
            .hash(h);
    }
}

/// A dimension's expectations in a column.
#[derive(Debug, Clone, Hash)]
pub struct Row {
    pub title: String,
    pub items: Vec<Item>,
}

/// A row of a track's matrix: one dimension, a cell per level shown.
#[derive(Debug, Clone, Hash)]
pub struct MatrixRow {
    pub id: Option<DimensionId>,
    pub title: String,
    pub url: Option<String>,
    pub cells: Vec<Vec<Item>>,
}

/// One level on a dimension's page.
#[derive(Debug, Clone, Hash)]
pub struct DimensionLevel {
    pub number: u32,
    pub heading: String,
    pub url: Arc<str>,
    pub items: Vec<Item>,
}

/// The lists of one ladder page.
#[derive(Debug, Clone, Hash)]
pub enum Lists {
    /// `groups` and `unchanged` of a level page.
    Level {
        groups: Vec<Group>,
        unchanged: Vec<Unchanged>,
    },
    /// `columns` of a comparison or cross-track page.
    Columns(Vec<Column>),
    /// `rows` of a matrix page.
    Matrix(Vec<MatrixRow>),
    /// `levels` of a dimension page.
    Dimension(Vec<DimensionLevel>),
}

impl Lists {
    /// Add the lists to a page's JSON data, as the fields templates read.
    pub fn insert_json(&self, data: &mut Map<String, Value>) {
        let items =
            |list: &[Item], shape| Value::Array(list.iter().map(|e| e.json(shape)).collect());
        match self {
            Lists::Level { groups, unchanged } => {
                let groups = groups
                    .iter()
                    .map(|g| {
                        json!({
                            "id": g.id,
                            "title": g.title,
                            "url": g.url,
                            "items": items(&g.items, Shape::Level),
                        })
                    })
                    .collect();
                let unchanged = unchanged
                    .iter()
                    .map(|u| {
                        let mut v = u.item.json(Shape::Level);
                        v["dimension"] = json!(u.dimension);
                        v
                    })
                    .collect();
                data.insert("groups".into(), Value::Array(groups));
                data.insert("unchanged".into(), Value::Array(unchanged));
            }
            Lists::Columns(columns) => {
                let columns = columns
                    .iter()
                    .map(|c| {
                        let rows: Vec<Value> = c
                            .rows
                            .iter()
                            .map(|r| json!({"title": r.title, "items": items(&r.items, Shape::Column)}))
                            .collect();
                        let mut v = json!({
                            "number": c.number,
                            "heading": c.heading,
                            "url": c.url,
                            "summary": c.summary.as_ref().map(Rich::html),
                            "rows": rows,
                            "anti_patterns": c.anti_patterns,
                        });
                        if let Some((title, url)) = &c.track {
                            v["track"] = json!({"title": title, "url": url});
                        }
                        v
                    })
                    .collect();
                data.insert("columns".into(), Value::Array(columns));
            }
            Lists::Matrix(rows) => {
                let rows = rows
                    .iter()
                    .map(|r| {
                        let cells: Vec<Value> =
                            r.cells.iter().map(|c| items(c, Shape::Matrix)).collect();
                        json!({"id": r.id, "title": r.title, "url": r.url, "cells": cells})
                    })
                    .collect();
                data.insert("rows".into(), Value::Array(rows));
            }
            Lists::Dimension(levels) => {
                let levels = levels
                    .iter()
                    .map(|l| {
                        json!({
                            "number": l.number,
                            "heading": l.heading,
                            "url": l.url,
                            "items": items(&l.items, Shape::Dimension),
                        })
                    })
                    .collect();
                data.insert("levels".into(), Value::Array(levels));
            }
        }
    }
}
