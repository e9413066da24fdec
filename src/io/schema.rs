//! Arrow schema inference over JSON rows, for the Parquet writer.
//!
//! Every row is observed (`SchemaInference::observe_row`), then `finish` returns one schema that
//! fits all of them. The rules, applied recursively at every node of the value tree:
//!
//! | seen at a node                         | column type                                  |
//! |----------------------------------------|----------------------------------------------|
//! | strings                                | `Utf8`                                       |
//! | booleans                               | `Boolean`                                    |
//! | integers (fitting `i64`)               | `Int64`                                      |
//! | integers and floats                    | `Float64`                                    |
//! | objects                                | `Struct`, fields in first-seen order, union of keys, a missing key is null |
//! | arrays                                 | `List`, item type merged over every element  |
//! | null                                   | merges with anything; every field is nullable |
//! | only nulls                             | `Utf8` (stable; every reader handles it)     |
//! | only empty arrays                      | `List<Utf8>`                                 |
//! | only empty objects                     | JSON-string fallback (Parquet cannot store a struct with no fields) |
//! | an integer beyond the `i64` range      | JSON-string fallback (a float would lose digits silently) |
//! | anything else (string vs number, string vs list, object vs string, ...) | JSON-string fallback |
//!
//! A *JSON-string fallback* makes that node (and only that node) a `Utf8` column holding
//! `serde_json::to_string` of each value, so `messages[].content` that is sometimes a string and
//! sometimes a list of parts becomes a JSON string while `messages` stays `list<struct<...>>`.
//! Every fallback is reported in [`InferredSchema::fallbacks`] so the manifest can say so.
//! The top-level `text` column is always `Utf8`: when it holds anything but strings it falls back.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::{Map, Value};

/// Top-level columns that must always be `Utf8`.
pub const STRING_COLUMNS: &[&str] = &["text"];

/// Bit set of JSON kinds seen at a node that fell back to a JSON string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    const BOOL: u8 = 1;
    const INT: u8 = 2;
    const FLOAT: u8 = 4;
    const STRING: u8 = 8;
    const ARRAY: u8 = 16;
    const OBJECT: u8 = 32;
    const BIG_INT: u8 = 64;

    fn of(v: &Value) -> Kinds {
        Kinds(match v {
            Value::Null => 0,
            Value::Bool(_) => Self::BOOL,
            Value::Number(n) if n.is_i64() => Self::INT,
            Value::Number(n) if n.is_u64() => Self::BIG_INT,
            Value::Number(_) => Self::FLOAT,
            Value::String(_) => Self::STRING,
            Value::Array(_) => Self::ARRAY,
            Value::Object(_) => Self::OBJECT,
        })
    }

    /// Names of the kinds, in a fixed order: `bool`, `int`, `float`, `string`, `array`, `object`,
    /// `big_int` (an integer beyond `i64`).
    pub fn names(self) -> Vec<&'static str> {
        [
            (Self::BOOL, "bool"),
            (Self::INT, "int"),
            (Self::FLOAT, "float"),
            (Self::STRING, "string"),
            (Self::ARRAY, "array"),
            (Self::OBJECT, "object"),
            (Self::BIG_INT, "big_int"),
        ]
        .iter()
        .filter(|(bit, _)| self.0 & bit != 0)
        .map(|(_, name)| *name)
        .collect()
    }
}

/// The merged shape of every value seen at one node.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Only nulls (or nothing) so far.
    Null,
    Bool,
    Int,
    Float,
    Str,
    List(Box<Shape>),
    Struct(StructShape),
    /// Conflicting kinds: stored as JSON text.
    Json(Kinds),
}

/// Fields of a struct node, in first-seen order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructShape {
    fields: Vec<(String, Shape)>,
    index: HashMap<String, usize>,
}

impl StructShape {
    fn field_mut(&mut self, key: &str) -> &mut Shape {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_owned(), self.fields.len());
                self.fields.push((key.to_owned(), Shape::Null));
                self.fields.len() - 1
            }
        };
        &mut self.fields[i].1
    }

    fn observe_object(&mut self, obj: &Map<String, Value>) {
        for (k, v) in obj {
            self.field_mut(k).observe(v);
        }
    }

    /// The fields, in first-seen order.
    pub fn fields(&self) -> &[(String, Shape)] {
        &self.fields
    }
}

impl Shape {
    fn kinds(&self) -> Kinds {
        Kinds(match self {
            Shape::Null => 0,
            Shape::Bool => Kinds::BOOL,
            Shape::Int => Kinds::INT,
            Shape::Float => Kinds::FLOAT,
            Shape::Str => Kinds::STRING,
            Shape::List(_) => Kinds::ARRAY,
            Shape::Struct(_) => Kinds::OBJECT,
            Shape::Json(k) => k.0,
        })
    }

    /// Merge one more value into this node.
    pub fn observe(&mut self, v: &Value) {
        match (&mut *self, v) {
            (_, Value::Null) => {}
            (Shape::Json(k), v) => k.0 |= Kinds::of(v).0,
            (Shape::Null, Value::Bool(_)) => *self = Shape::Bool,
            (Shape::Null, Value::Number(n)) => {
                *self = if n.is_i64() {
                    Shape::Int
                } else if n.is_u64() {
                    Shape::Json(Kinds(Kinds::BIG_INT))
                } else {
                    Shape::Float
                }
            }
            (Shape::Null, Value::String(_)) => *self = Shape::Str,
            (Shape::Null, Value::Array(items)) => {
                let mut item = Shape::Null;
                for x in items {
                    item.observe(x);
                }
                *self = Shape::List(Box::new(item));
            }
            (Shape::Null, Value::Object(obj)) => {
                let mut s = StructShape::default();
                s.observe_object(obj);
                *self = Shape::Struct(s);
            }
            (Shape::Bool, Value::Bool(_)) | (Shape::Str, Value::String(_)) => {}
            (Shape::Int, Value::Number(n)) if n.is_i64() => {}
            (Shape::Int, Value::Number(n)) if n.is_f64() => *self = Shape::Float,
            (Shape::Float, Value::Number(n)) if !n.is_u64() || n.is_i64() => {}
            (Shape::List(item), Value::Array(items)) => {
                for x in items {
                    item.observe(x);
                }
            }
            (Shape::Struct(s), Value::Object(obj)) => s.observe_object(obj),
            (this, v) => *this = Shape::Json(Kinds(this.kinds().0 | Kinds::of(v).0)),
        }
    }

    /// Final form: empty structs become JSON strings (Parquet cannot store them).
    fn finalize(self) -> Shape {
        match self {
            Shape::List(item) => Shape::List(Box::new(item.finalize())),
            Shape::Struct(s) if s.fields.is_empty() => Shape::Json(Kinds(Kinds::OBJECT)),
            Shape::Struct(s) => {
                let fields: Vec<(String, Shape)> = s.fields.into_iter().map(|(k, v)| (k, v.finalize())).collect();
                let index = fields.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
                Shape::Struct(StructShape { fields, index })
            }
            other => other,
        }
    }

    /// Arrow type of this node (all fields nullable).
    pub fn data_type(&self) -> DataType {
        match self {
            Shape::Null | Shape::Str | Shape::Json(_) => DataType::Utf8,
            Shape::Bool => DataType::Boolean,
            Shape::Int => DataType::Int64,
            Shape::Float => DataType::Float64,
            Shape::List(item) => DataType::List(Arc::new(Field::new_list_field(item.data_type(), true))),
            Shape::Struct(s) => DataType::Struct(struct_fields(&s.fields)),
        }
    }

    /// True when this node or one below it is a JSON-string fallback.
    fn has_json(&self) -> bool {
        match self {
            Shape::Json(_) => true,
            Shape::List(item) => item.has_json(),
            Shape::Struct(s) => s.fields.iter().any(|(_, f)| f.has_json()),
            _ => false,
        }
    }

    fn collect_fallbacks(&self, path: &str, out: &mut Vec<JsonFallback>) {
        match self {
            Shape::Json(k) => out.push(JsonFallback { path: path.to_owned(), kinds: k.names() }),
            Shape::List(item) => item.collect_fallbacks(&format!("{path}[]"), out),
            Shape::Struct(s) => {
                for (name, f) in &s.fields {
                    f.collect_fallbacks(&format!("{path}.{name}"), out);
                }
            }
            _ => {}
        }
    }
}

fn struct_fields(fields: &[(String, Shape)]) -> Fields {
    fields.iter().map(|(name, shape)| Field::new(name, shape.data_type(), true)).collect()
}

/// A node that was stored as JSON text instead of a typed column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonFallback {
    /// Path of the node: `meta`, `meta.source`, `messages[].content` (`[]` = list items).
    pub path: String,
    /// The JSON kinds seen there (see [`Kinds::names`]).
    pub kinds: Vec<&'static str>,
}

/// Observes rows and merges their shapes.
#[derive(Debug, Clone, Default)]
pub struct SchemaInference {
    root: StructShape,
    rows: u64,
}

impl SchemaInference {
    pub fn new() -> Self {
        Self::default()
    }

    /// Merge one row into the schema.
    pub fn observe_row(&mut self, row: &Map<String, Value>) {
        self.root.observe_object(row);
        self.rows += 1;
    }

    /// Number of rows observed.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The schema that fits every row observed.
    pub fn finish(&self) -> InferredSchema {
        let mut columns: Vec<(String, Shape)> = self
            .root
            .fields
            .iter()
            .map(|(name, shape)| {
                let mut shape = shape.clone().finalize();
                if STRING_COLUMNS.contains(&name.as_str())
                    && !matches!(shape, Shape::Str | Shape::Null | Shape::Json(_))
                {
                    shape = Shape::Json(shape.kinds());
                }
                (name.clone(), shape)
            })
            .collect();
        columns.shrink_to_fit();
        let mut fallbacks = Vec::new();
        for (name, shape) in &columns {
            shape.collect_fallbacks(name, &mut fallbacks);
        }
        let schema = Arc::new(Schema::new(struct_fields(&columns)));
        let plan = Plan::of_struct(&columns);
        InferredSchema { schema, columns, fallbacks, plan }
    }
}

/// The result of inference: the Arrow schema plus what fell back to JSON text.
#[derive(Debug, Clone)]
pub struct InferredSchema {
    /// Arrow schema of the output (top-level columns in first-seen order).
    pub schema: SchemaRef,
    /// Merged shape of each top-level column.
    pub columns: Vec<(String, Shape)>,
    /// Nodes stored as JSON strings, in schema order.
    pub fallbacks: Vec<JsonFallback>,
    plan: Plan,
}

impl InferredSchema {
    /// Wrap a row so that serializing it writes the JSON-string fallback nodes as strings and
    /// everything else unchanged: the form `arrow_json`'s `Decoder::serialize` expects.
    pub fn shaped<'a>(&'a self, row: &'a Map<String, Value>) -> Shaped<'a> {
        Shaped { value: ShapedValue::Object(row), plan: &self.plan }
    }
}

/// How to serialize a value so that it matches the schema.
#[derive(Debug, Clone)]
enum Plan {
    /// No fallback at or below this node: serialize the value as it is.
    Pass,
    /// Serialize `serde_json::to_string(value)` as a string.
    Json,
    List(Box<Plan>),
    Struct(HashMap<String, Plan>),
}

impl Plan {
    fn of(shape: &Shape) -> Plan {
        if !shape.has_json() {
            return Plan::Pass;
        }
        match shape {
            Shape::Json(_) => Plan::Json,
            Shape::List(item) => Plan::List(Box::new(Plan::of(item))),
            Shape::Struct(s) => Plan::of_struct(&s.fields),
            _ => Plan::Pass,
        }
    }

    fn of_struct(fields: &[(String, Shape)]) -> Plan {
        Plan::Struct(fields.iter().map(|(k, s)| (k.clone(), Plan::of(s))).collect())
    }
}

enum ShapedValue<'a> {
    Object(&'a Map<String, Value>),
    Value(&'a Value),
}

/// A row (or value) serialized according to an [`InferredSchema`].
pub struct Shaped<'a> {
    value: ShapedValue<'a>,
    plan: &'a Plan,
}

impl Serialize for Shaped<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let value = match self.value {
            ShapedValue::Object(obj) => return serialize_object(obj, self.plan, ser),
            ShapedValue::Value(v) => v,
        };
        match (self.plan, value) {
            (_, Value::Null) | (Plan::Pass, _) => value.serialize(ser),
            (Plan::Json, v) => {
                let text = serde_json::to_string(v).map_err(serde::ser::Error::custom)?;
                ser.serialize_str(&text)
            }
            (Plan::List(item), Value::Array(items)) => {
                let mut seq = ser.serialize_seq(Some(items.len()))?;
                for x in items {
                    seq.serialize_element(&Shaped { value: ShapedValue::Value(x), plan: item })?;
                }
                seq.end()
            }
            (Plan::Struct(_), Value::Object(obj)) => serialize_object(obj, self.plan, ser),
            // Cannot happen when the plan was inferred from this value; keep it lossless anyway.
            (_, v) => v.serialize(ser),
        }
    }
}

fn serialize_object<S: serde::Serializer>(obj: &Map<String, Value>, plan: &Plan, ser: S) -> Result<S::Ok, S::Error> {
    let fields = match plan {
        Plan::Struct(fields) => Some(fields),
        _ => None,
    };
    let mut map = ser.serialize_map(Some(obj.len()))?;
    for (k, v) in obj {
        let plan = fields.and_then(|f| f.get(k)).unwrap_or(&Plan::Pass);
        map.serialize_entry(k, &Shaped { value: ShapedValue::Value(v), plan })?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn infer(rows: &[Value]) -> InferredSchema {
        let mut inf = SchemaInference::new();
        for r in rows {
            inf.observe_row(r.as_object().unwrap());
        }
        inf.finish()
    }

    fn list(dt: DataType) -> DataType {
        DataType::List(Arc::new(Field::new("item", dt, true)))
    }

    fn strukt(fields: Vec<(&str, DataType)>) -> DataType {
        DataType::Struct(fields.into_iter().map(|(n, t)| Field::new(n, t, true)).collect())
    }

    fn types(s: &InferredSchema) -> Vec<(String, DataType)> {
        s.schema.fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect()
    }

    #[test]
    fn scalars_and_int_float_merge() {
        let s = infer(&[
            json!({"text": "a", "n": 1, "x": 1, "b": true, "z": null}),
            json!({"text": "b", "n": 2, "x": 2.5, "b": false, "z": null}),
        ]);
        assert_eq!(
            types(&s),
            vec![
                ("text".into(), DataType::Utf8),
                ("n".into(), DataType::Int64),
                ("x".into(), DataType::Float64),
                ("b".into(), DataType::Boolean),
                ("z".into(), DataType::Utf8),
            ]
        );
        assert!(s.fallbacks.is_empty());
    }

    #[test]
    fn float_then_int_stays_float() {
        let s = infer(&[json!({"x": 0.5}), json!({"x": 3})]);
        assert_eq!(types(&s), vec![("x".into(), DataType::Float64)]);
    }

    #[test]
    fn top_level_conflict_falls_back() {
        let s = infer(&[json!({"id": 1}), json!({"id": "a"}), json!({"id": null})]);
        assert_eq!(types(&s), vec![("id".into(), DataType::Utf8)]);
        assert_eq!(s.fallbacks, vec![JsonFallback { path: "id".into(), kinds: vec!["int", "string"] }]);
    }

    #[test]
    fn nested_conflict_falls_back_only_at_that_node() {
        let s = infer(&[
            json!({"messages": [{"role": "user", "content": "hi"}]}),
            json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]},
                                {"role": "assistant", "content": "yo", "name": "bot"}]}),
        ]);
        assert_eq!(
            types(&s),
            vec![(
                "messages".into(),
                list(strukt(vec![("role", DataType::Utf8), ("content", DataType::Utf8), ("name", DataType::Utf8),]))
            )]
        );
        assert_eq!(
            s.fallbacks,
            vec![JsonFallback { path: "messages[].content".into(), kinds: vec!["string", "array"] }]
        );
    }

    #[test]
    fn struct_keys_union_in_first_seen_order() {
        let s = infer(&[
            json!({"meta": {"b": 1, "a": "x"}}),
            json!({"meta": {"c": [1, 2.5], "b": 3}}),
            json!({"meta": null}),
        ]);
        assert_eq!(
            types(&s),
            vec![(
                "meta".into(),
                strukt(vec![("b", DataType::Int64), ("a", DataType::Utf8), ("c", list(DataType::Float64)),])
            )]
        );
    }

    #[test]
    fn struct_vs_string_and_list_vs_string() {
        let s = infer(&[json!({"a": {"k": 1}, "l": [1], "t": 5}), json!({"a": "s", "l": "s", "t": "x"})]);
        assert_eq!(
            types(&s),
            vec![("a".into(), DataType::Utf8), ("l".into(), DataType::Utf8), ("t".into(), DataType::Utf8),]
        );
        let paths: Vec<_> = s.fallbacks.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["a", "l", "t"]);
        assert_eq!(s.fallbacks[0].kinds, vec!["string", "object"]);
    }

    #[test]
    fn empty_containers_and_nulls() {
        let s = infer(&[
            json!({"l": [], "o": {}, "n": null, "ln": [null]}),
            json!({"l": [], "o": {}, "n": null, "ln": []}),
        ]);
        assert_eq!(
            types(&s),
            vec![
                ("l".into(), list(DataType::Utf8)),
                ("o".into(), DataType::Utf8),
                ("n".into(), DataType::Utf8),
                ("ln".into(), list(DataType::Utf8)),
            ]
        );
        assert_eq!(s.fallbacks.len(), 1);
        assert_eq!(s.fallbacks[0].path, "o");
    }

    #[test]
    fn text_is_always_utf8() {
        let s = infer(&[json!({"text": 1}), json!({"text": 2})]);
        assert_eq!(types(&s), vec![("text".into(), DataType::Utf8)]);
        assert_eq!(s.fallbacks[0].kinds, vec!["int"]);
    }

    #[test]
    fn big_integer_falls_back() {
        let s = infer(&[json!({"h": 18446744073709551615u64}), json!({"h": 1})]);
        assert_eq!(types(&s), vec![("h".into(), DataType::Utf8)]);
        assert_eq!(s.fallbacks[0].kinds, vec!["int", "big_int"]);
    }

    #[test]
    fn shaped_serializes_fallbacks_as_strings() {
        let rows =
            [json!({"id": 1, "m": [{"c": "hi", "r": "u"}]}), json!({"id": "x", "m": [{"c": [{"t": 1}], "r": "a"}]})];
        let s = infer(&rows);
        let out = serde_json::to_value(s.shaped(rows[1].as_object().unwrap())).unwrap();
        assert_eq!(out, json!({"id": "\"x\"", "m": [{"c": "[{\"t\":1}]", "r": "a"}]}));
        let out = serde_json::to_value(s.shaped(rows[0].as_object().unwrap())).unwrap();
        assert_eq!(out, json!({"id": "1", "m": [{"c": "\"hi\"", "r": "u"}]}));
    }
}
