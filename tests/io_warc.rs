//! WARC / WET input: the real Common Crawl sample, WET text through a filter, and a truncated
//! archive. Runs the real binary.
mod common;

use common::{gzip, ok, read_jsonl, sftkit};

use std::io::Read;

/// What a plain line scan of the archive sees for each response record: target URI and the HTTP
/// `Content-Length` (the body's size as the server declared it). Independent of the record parser,
/// which goes by WARC `Content-Length`.
fn scan_responses(warc: &str) -> Vec<(String, Option<usize>)> {
    let mut out = Vec::new();
    for record in warc.split("WARC/1.0\r\n").skip(1) {
        if !record.contains("WARC-Type: response\r\n") {
            continue;
        }
        let uri = record.lines().find_map(|l| l.strip_prefix("WARC-Target-URI: ")).unwrap();
        let uri = uri.trim_start_matches('<').trim_end_matches('>').to_string();
        // The HTTP headers are the second header block of the record.
        let http = record.split("\r\n\r\n").nth(1).unwrap();
        let len = http.lines().find_map(|l| l.strip_prefix("Content-Length: ")).map(|v| v.trim().parse().unwrap());
        out.push((uri, len));
    }
    out
}

#[test]
fn common_crawl_warc_responses_become_rows() {
    let path = fixture_or_skip!("web/sample-0000.warc.gz");
    let mut raw = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_end(&mut raw).unwrap();
    let expected = scan_responses(&String::from_utf8_lossy(&raw));
    assert_eq!(expected.len(), 22, "the shared README says 22 responses");

    let dir = tempfile::tempdir().unwrap();
    let out = sftkit(&["export", path.to_str().unwrap(), "-o", "rows.jsonl"], dir.path());
    ok(&out);
    let rows = read_jsonl(&dir.path().join("rows.jsonl"));
    assert_eq!(rows.len(), expected.len());
    for (row, (uri, len)) in rows.iter().zip(&expected) {
        assert_eq!(row["url"], uri.as_str());
        assert_eq!(row["http_status"], 200);
        assert!(row["id"].as_str().unwrap().starts_with("urn:uuid:"), "{}", row["id"]);
        if let Some(len) = len {
            assert_eq!(row["html"].as_str().unwrap().len(), *len, "{uri}: body size");
        }
        assert!(row.get("text").is_none(), "no text extraction from HTML");
    }
}

fn wet_record(n: usize, uri: &str, text: &str) -> String {
    format!(
        "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-04-25T16:24:44Z\r\n\
         WARC-Record-ID: <urn:uuid:rec-{n}>\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n\r\n",
        text.len()
    )
}

#[test]
fn wet_text_goes_through_filters_with_record_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let long = "The committee met on Tuesday to discuss the new library budget and the plans for the \
                reading room. "
        .repeat(8);
    let info = "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nx: y\r\n\r\n";
    // One gzip member per record, as Common Crawl writes them.
    let mut bytes = gzip(info.as_bytes());
    bytes.extend(gzip(wet_record(1, "https://a.example/long", &long).as_bytes()));
    bytes.extend(gzip(wet_record(2, "https://b.example/short", "Too short.").as_bytes()));
    std::fs::write(dir.path().join("crawl.warc.wet.gz"), bytes).unwrap();
    let out = sftkit(
        &["filter", "crawl.warc.wet.gz", "--filters", "gopher_quality", "-o", "kept.jsonl", "--rejected", "rej.jsonl"],
        dir.path(),
    );
    ok(&out);
    let kept = read_jsonl(&dir.path().join("kept.jsonl"));
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["url"], "https://a.example/long");
    assert_eq!(kept[0]["text"], long.as_str());
    let rej = read_jsonl(&dir.path().join("rej.jsonl"));
    assert_eq!(rej.len(), 1);
    assert_eq!(rej[0]["_rejected"]["reason"], "gopher_short_doc");
    // Record 3 of the file (the warcinfo record counts).
    assert!(rej[0]["_rejected"]["source"].as_str().unwrap().ends_with("crawl.warc.wet.gz:3"), "{}", rej[0]);
}

#[test]
fn truncated_warc_fails_naming_the_file_and_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Some text. ".repeat(50);
    let rec = wet_record(1, "https://a.example/", &text);
    std::fs::write(dir.path().join("cut.wet"), &rec.as_bytes()[..rec.len() / 2]).unwrap();
    let out = sftkit(&["export", "cut.wet", "-o", "out"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cut.wet") && stderr.contains("record 1: truncated"), "{stderr}");
    assert!(!dir.path().join("out").exists());
    // Writing WARC is refused up front.
    std::fs::write(dir.path().join("ok.jsonl"), "{\"text\": \"x\"}\n").unwrap();
    let out = sftkit(&["export", "ok.jsonl", "-o", "x.warc"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("writes only"));
}
