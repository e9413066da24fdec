//! Streaming Parquet reader: record batch -> JSON rows.
//!
//! Value mapping (Arrow type of the column as the Parquet reader restores it -> JSON):
//! - null -> `null`; booleans -> `true`/`false`; signed/unsigned integers -> JSON integers;
//! - floats -> JSON numbers (`Float32`/`Float16` via their shortest decimal form, so `0.1f32`
//!   reads as `0.1`); NaN and ±infinity -> `null` (JSON cannot hold them);
//! - strings (`Utf8`, `LargeUtf8`, `Utf8View`) -> strings;
//! - binary (`Binary`, `LargeBinary`, `BinaryView`, `FixedSizeBinary`) -> **lowercase hex string**
//!   (what `arrow_json`'s writer does too; lossless and JSON-safe);
//! - lists (`List`, `LargeList`, `FixedSizeList`) -> arrays; structs -> objects (field order kept);
//! - maps -> objects when the keys are strings, else arrays of `{"key": .., "value": ..}`;
//! - dictionaries -> their values;
//! - dates, times, timestamps, durations, intervals and decimals -> strings in Arrow's display
//!   format: ISO 8601 for dates/timestamps (`2024-01-02`, `2024-01-02T03:04:05.123`; a column
//!   with a time zone gets its offset, `Z` for UTC: `1970-01-01T00:00:00Z`); decimals keep
//!   every digit.
//!
//! Columns our writer stored as JSON-string fallbacks come back as those strings.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::{
    DataType, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, SchemaRef, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatchReader;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use serde_json::{Map, Number, Value};

use crate::io::IoError;

/// Rows of a Parquet file, decoded one record batch (of `batch_rows` rows) at a time.
pub struct ParquetRows {
    path: PathBuf,
    schema: SchemaRef,
    total_rows: u64,
    batches: ParquetRecordBatchReader,
    current: std::vec::IntoIter<Map<String, Value>>,
    done: bool,
}

/// Open `path` and stream its rows, `batch_rows` rows per decoded batch (0 means 1024).
///
/// Memory is bounded by one record batch plus the Parquet pages being decoded, not the file.
/// A file that is not Parquet, or whose footer is damaged, fails here with an error naming the
/// file; damage inside the data pages fails on the row where it is met, also naming the file.
pub fn read_parquet(path: &Path, batch_rows: usize) -> Result<ParquetRows, IoError> {
    let file = File::open(path).map_err(|e| IoError::io(path, e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|source| IoError::Parquet { path: path.to_owned(), source })?;
    let total_rows = builder.metadata().file_metadata().num_rows().max(0) as u64;
    let batch_rows = if batch_rows == 0 { 1024 } else { batch_rows };
    let batches = builder
        .with_batch_size(batch_rows)
        .build()
        .map_err(|source| IoError::Parquet { path: path.to_owned(), source })?;
    Ok(ParquetRows {
        path: path.to_owned(),
        schema: batches.schema(),
        total_rows,
        batches,
        current: Vec::new().into_iter(),
        done: false,
    })
}

impl ParquetRows {
    /// Arrow schema of the file.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Number of rows in the file, from its footer (for progress bars).
    pub fn total_rows(&self) -> u64 {
        self.total_rows
    }
}

impl Iterator for ParquetRows {
    type Item = Result<Map<String, Value>, IoError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.current.next() {
                return Some(Ok(row));
            }
            if self.done {
                return None;
            }
            let converted = match self.batches.next()? {
                Ok(batch) => batch_to_rows(&batch),
                Err(e) => Err(e),
            };
            match converted {
                Ok(rows) => self.current = rows.into_iter(),
                Err(source) => {
                    self.done = true;
                    return Some(Err(IoError::ParquetData { path: self.path.clone(), source }));
                }
            }
        }
    }
}

/// Convert a record batch to rows (column by column, then transposed).
pub(crate) fn batch_to_rows(batch: &RecordBatch) -> Result<Vec<Map<String, Value>>, ArrowError> {
    let schema = batch.schema();
    let mut columns: Vec<std::vec::IntoIter<Value>> =
        batch.columns().iter().map(|c| column_values(c).map(Vec::into_iter)).collect::<Result<_, _>>()?;
    let mut rows = Vec::with_capacity(batch.num_rows());
    for _ in 0..batch.num_rows() {
        let mut row = Map::with_capacity(columns.len());
        for (field, col) in schema.fields().iter().zip(columns.iter_mut()) {
            row.insert(field.name().clone(), col.next().unwrap_or(Value::Null));
        }
        rows.push(row);
    }
    Ok(rows)
}

fn float_value(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Shortest decimal form of a narrow float, widened without spurious digits.
fn narrow_float_value(text: String) -> Value {
    text.parse::<f64>().map_or(Value::Null, float_value)
}

macro_rules! primitive {
    ($array:expr, $ty:ty, $conv:expr) => {{
        let a = $array.as_primitive::<$ty>();
        (0..a.len()).map(|i| if a.is_null(i) { Value::Null } else { $conv(a.value(i)) }).collect()
    }};
}

fn with_nulls(array: &dyn Array, f: impl Fn(usize) -> Value) -> Vec<Value> {
    (0..array.len()).map(|i| if array.is_null(i) { Value::Null } else { f(i) }).collect()
}

/// Split child values into one JSON array per list slot.
fn split_lists(
    array: &dyn Array,
    child: &ArrayRef,
    offsets: impl Iterator<Item = (usize, usize)>,
) -> Result<Vec<Value>, ArrowError> {
    let offsets: Vec<(usize, usize)> = offsets.collect();
    let start = offsets.first().map_or(0, |o| o.0);
    let end = offsets.last().map_or(0, |o| o.1);
    let mut items = column_values(&child.slice(start, end - start))?.into_iter();
    let mut out = Vec::with_capacity(offsets.len());
    for (i, (s, e)) in offsets.into_iter().enumerate() {
        let list: Vec<Value> = items.by_ref().take(e - s).collect();
        out.push(if array.is_null(i) { Value::Null } else { Value::Array(list) });
    }
    Ok(out)
}

/// Convert one column to JSON values, one per slot.
pub(crate) fn column_values(array: &ArrayRef) -> Result<Vec<Value>, ArrowError> {
    let values = match array.data_type() {
        DataType::Null => vec![Value::Null; array.len()],
        DataType::Boolean => {
            let a = array.as_boolean();
            with_nulls(a, |i| Value::Bool(a.value(i)))
        }
        DataType::Int8 => primitive!(array, Int8Type, Value::from),
        DataType::Int16 => primitive!(array, Int16Type, Value::from),
        DataType::Int32 => primitive!(array, Int32Type, Value::from),
        DataType::Int64 => primitive!(array, Int64Type, Value::from),
        DataType::UInt8 => primitive!(array, UInt8Type, Value::from),
        DataType::UInt16 => primitive!(array, UInt16Type, Value::from),
        DataType::UInt32 => primitive!(array, UInt32Type, Value::from),
        DataType::UInt64 => primitive!(array, UInt64Type, Value::from),
        DataType::Float16 => primitive!(array, Float16Type, |x: F16| { narrow_float_value(x.to_string()) }),
        DataType::Float32 => primitive!(array, Float32Type, |x: f32| { narrow_float_value(x.to_string()) }),
        DataType::Float64 => primitive!(array, Float64Type, float_value),
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            with_nulls(a, |i| Value::String(a.value(i).to_owned()))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            with_nulls(a, |i| Value::String(a.value(i).to_owned()))
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            with_nulls(a, |i| Value::String(a.value(i).to_owned()))
        }
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            with_nulls(a, |i| Value::String(hex::encode(a.value(i))))
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            with_nulls(a, |i| Value::String(hex::encode(a.value(i))))
        }
        DataType::BinaryView => {
            let a = array.as_binary_view();
            with_nulls(a, |i| Value::String(hex::encode(a.value(i))))
        }
        DataType::FixedSizeBinary(_) => {
            let a = array.as_fixed_size_binary();
            with_nulls(a, |i| Value::String(hex::encode(a.value(i))))
        }
        DataType::List(_) => {
            let a = array.as_list::<i32>();
            let o = a.value_offsets();
            split_lists(a, a.values(), o.windows(2).map(|w| (w[0] as usize, w[1] as usize)))?
        }
        DataType::LargeList(_) => {
            let a = array.as_list::<i64>();
            let o = a.value_offsets();
            split_lists(a, a.values(), o.windows(2).map(|w| (w[0] as usize, w[1] as usize)))?
        }
        DataType::FixedSizeList(_, n) => {
            let a = array.as_fixed_size_list();
            let n = *n as usize;
            split_lists(
                a,
                a.values(),
                (0..a.len()).map(|i| {
                    let start = a.value_offset_at(i);
                    (start, start + n)
                }),
            )?
        }
        DataType::Struct(fields) => {
            let a = array.as_struct();
            let mut children: Vec<std::vec::IntoIter<Value>> =
                a.columns().iter().map(|c| column_values(c).map(Vec::into_iter)).collect::<Result<_, _>>()?;
            (0..a.len())
                .map(|i| {
                    let mut obj = Map::with_capacity(fields.len());
                    for (f, c) in fields.iter().zip(children.iter_mut()) {
                        obj.insert(f.name().clone(), c.next().unwrap_or(Value::Null));
                    }
                    if a.is_null(i) { Value::Null } else { Value::Object(obj) }
                })
                .collect()
        }
        DataType::Map(_, _) => {
            let a = array.as_map();
            let string_keys = matches!(a.key_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
            let keys = column_values(a.keys())?;
            let vals = column_values(a.values())?;
            let o = a.value_offsets();
            (0..a.len())
                .map(|i| {
                    if a.is_null(i) {
                        return Value::Null;
                    }
                    let range = o[i] as usize..o[i + 1] as usize;
                    let pairs = keys[range.clone()].iter().zip(&vals[range]);
                    if string_keys {
                        Value::Object(pairs.map(|(k, v)| (k.as_str().unwrap_or("").to_owned(), v.clone())).collect())
                    } else {
                        Value::Array(
                            pairs
                                .map(|(k, v)| {
                                    let mut m = Map::new();
                                    m.insert("key".into(), k.clone());
                                    m.insert("value".into(), v.clone());
                                    Value::Object(m)
                                })
                                .collect(),
                        )
                    }
                })
                .collect()
        }
        DataType::Dictionary(_, value_type) => {
            let plain = arrow::compute::cast(array, value_type)?;
            column_values(&plain)?
        }
        DataType::ListView(f) | DataType::LargeListView(f) => {
            let plain = arrow::compute::cast(array, &DataType::LargeList(Arc::clone(f)))?;
            column_values(&plain)?
        }
        DataType::RunEndEncoded(_, v) => {
            let plain = arrow::compute::cast(array, v.data_type())?;
            column_values(&plain)?
        }
        // Dates, times, timestamps, durations, intervals, decimals, unions: display strings.
        _ => {
            let options = FormatOptions::default();
            let fmt = ArrayFormatter::try_new(array.as_ref(), &options)?;
            with_nulls(array.as_ref(), |i| Value::String(fmt.value(i).to_string()))
        }
    };
    Ok(values)
}

type F16 = <Float16Type as arrow::datatypes::ArrowPrimitiveType>::Native;

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int64Array, ListArray, StringArray, StructArray};
    use arrow::datatypes::{Field, Int64Type};
    use serde_json::json;

    #[test]
    fn sliced_lists_use_their_own_offsets() {
        let list = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(1), Some(2)]),
            None,
            Some(vec![]),
            Some(vec![Some(3), None, Some(4)]),
        ]);
        let sliced: ArrayRef = Arc::new(list.slice(1, 3));
        assert_eq!(column_values(&sliced).unwrap(), vec![json!(null), json!([]), json!([3, null, 4])]);
    }

    #[test]
    fn struct_nulls_and_field_order() {
        let s = StructArray::try_new(
            vec![Field::new("role", DataType::Utf8, true), Field::new("n", DataType::Int64, true)].into(),
            vec![
                Arc::new(StringArray::from(vec![Some("user"), Some("x"), None])),
                Arc::new(Int64Array::from(vec![Some(1), Some(2), None])),
            ],
            Some(vec![true, false, true].into()),
        )
        .unwrap();
        let arr: ArrayRef = Arc::new(s);
        let got = column_values(&arr).unwrap();
        assert_eq!(got, vec![json!({"role": "user", "n": 1}), json!(null), json!({"role": null, "n": null})]);
        let keys: Vec<_> = got[0].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, vec!["role", "n"]);
    }

    #[test]
    fn non_finite_floats_become_null() {
        assert_eq!(float_value(f64::NAN), Value::Null);
        assert_eq!(float_value(f64::INFINITY), Value::Null);
        assert_eq!(narrow_float_value(0.1f32.to_string()), json!(0.1));
    }
}
