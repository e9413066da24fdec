//! `sftkit run` on the bundled samples: shards and manifests under out/, readable by pyarrow,
//! identical bytes for any thread count, and the accounting invariant in every manifest.

mod common;

use common::{ok, project_copy, sftkit};

use serde_json::Value;
use std::path::Path;

fn manifest(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

fn sha_of_shards(dir: &Path) -> Vec<(String, String)> {
    let m = manifest(dir);
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["sha256"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn default_pipeline_writes_shards_and_balanced_manifests() {
    let proj = project_copy();
    let d = proj.path();
    let out = sftkit(&["run", "--quiet"], d);
    ok(&out);
    for job in ["web", "chat"] {
        let m = manifest(&d.join("out").join(job));
        let rows = &m["rows"];
        let (i, k, dr, e) = (
            rows["input"].as_u64().unwrap(),
            rows["kept"].as_u64().unwrap(),
            rows["dropped"].as_u64().unwrap(),
            rows["errors"].as_u64().unwrap(),
        );
        assert_eq!(i, k + dr + e, "{job}: {rows}");
        assert!(i > 0 && k > 0, "{job}: {rows}");
        let files = m["files"].as_array().unwrap();
        let total: u64 = files.iter().map(|f| f["rows"].as_u64().unwrap()).sum();
        assert_eq!(total, k, "{job}");
        for f in files {
            let name = f["path"].as_str().unwrap();
            assert!(name.starts_with("train-") && name.ends_with(".parquet"), "{name}");
            let bytes = std::fs::read(d.join("out").join(job).join(name)).unwrap();
            assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap());
            assert_eq!(&bytes[..4], b"PAR1");
        }
    }
    // The same bytes for any thread count.
    let first_web = sha_of_shards(&d.join("out/web"));
    let first_chat = sha_of_shards(&d.join("out/chat"));
    for threads in ["1", "2"] {
        let out = sftkit(&["run", "--quiet", "--threads", threads, "--batch-size", "3"], d);
        ok(&out);
        assert_eq!(sha_of_shards(&d.join("out/web")), first_web, "threads {threads}");
        assert_eq!(sha_of_shards(&d.join("out/chat")), first_chat, "threads {threads}");
    }
}

#[test]
fn shards_are_read_by_pyarrow() {
    if !common::has_module("pyarrow", "SFTKIT_REQUIRE_PYARROW") {
        return;
    }
    let proj = project_copy();
    let d = proj.path();
    let out = sftkit(&["run", "--quiet"], d);
    ok(&out);
    let script = r#"
import sys, json, pyarrow.parquet as pq, pyarrow as pa, glob
web = pq.read_table(glob.glob(sys.argv[1] + "/web/*.parquet"))
chat = pq.read_table(glob.glob(sys.argv[1] + "/chat/*.parquet"))
m = chat.schema.field("messages").type
print(json.dumps({
  "web_rows": web.num_rows, "web_text": str(web.schema.field("text").type),
  "chat_rows": chat.num_rows,
  "messages_is_list_of_struct": pa.types.is_list(m) and pa.types.is_struct(m.value_type),
  "message_fields": [f.name for f in m.value_type] if pa.types.is_list(m) else [],
}))
"#;
    let v = common::python_json(script, [d.join("out")]);
    let web = manifest(&d.join("out/web"));
    let chat = manifest(&d.join("out/chat"));
    assert_eq!(v["web_rows"], web["rows"]["kept"]);
    assert_eq!(v["chat_rows"], chat["rows"]["kept"]);
    assert_eq!(v["web_text"], "string");
    assert_eq!(v["messages_is_list_of_struct"], true, "{v}");
    let fields: Vec<&str> = v["message_fields"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert!(fields.contains(&"role") && fields.contains(&"content"), "{fields:?}");
}
