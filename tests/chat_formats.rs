//! Conversation formats -> OpenAI-style messages, against hand-written expected messages.
use serde_json::{Map, Value, json};
use sftkit::chat::InputFormat;
use sftkit::chat::conversation::{FieldNames, detect, to_messages};

fn row(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn convert(v: Value) -> (InputFormat, Value) {
    to_messages(&row(v), None, &FieldNames::default()).unwrap()
}

#[test]
fn openai_kept_as_written() {
    let msgs = json!([
        {"role": "system", "content": "S"},
        {"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image", "url": "x.png"}]},
        {"role": "assistant", "content": "", "tool_calls": [
            {"type": "function", "function": {"name": "f", "arguments": {"a": 1}}},
            {"type": "function", "function": {"name": "g", "arguments": "{\"b\": 2}"}}
        ]},
        {"role": "tool", "tool_call_id": "1", "content": "ok"},
        {"role": "assistant", "content": "done", "reasoning_content": "r"}
    ]);
    let (f, m) = convert(json!({"id": 1, "messages": msgs.clone()}));
    assert_eq!(f, InputFormat::OpenAi);
    assert_eq!(m, msgs);
    // OpenAI-style turns under `conversations` are OpenAI too.
    let (f, _) = convert(json!({"conversations": [{"role": "user", "content": "x"}]}));
    assert_eq!(f, InputFormat::OpenAi);
}

#[test]
fn sharegpt_roles() {
    let (f, m) = convert(json!({
        "system": "Be nice.",
        "conversations": [
            {"from": "human", "value": "Weather?"},
            {"from": "function_call", "value": "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}"},
            {"from": "observation", "value": "sunny"},
            {"from": "gpt", "value": "Sunny."},
            {"from": "system", "value": "late system"}
        ]
    }));
    assert_eq!(f, InputFormat::ShareGpt);
    assert_eq!(
        m,
        json!([
            {"role": "system", "content": "Be nice."},
            {"role": "user", "content": "Weather?"},
            {"role": "assistant", "content": "", "tool_calls": [
                {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}
            ]},
            {"role": "tool", "content": "sunny"},
            {"role": "assistant", "content": "Sunny."},
            {"role": "system", "content": "late system"}
        ])
    );
    // function_call with string arguments inside, and a list of calls.
    let (_, m) = convert(json!({"conversations": [
        {"from": "function_call", "value": "[{\"name\": \"a\", \"arguments\": \"{\\\"x\\\": 1}\"}, {\"name\": \"b\", \"arguments\": {}}]"}
    ]}));
    assert_eq!(
        m,
        json!([{"role": "assistant", "content": "", "tool_calls": [
            {"type": "function", "function": {"name": "a", "arguments": {"x": 1}}},
            {"type": "function", "function": {"name": "b", "arguments": {}}}
        ]}])
    );
    let err =
        to_messages(&row(json!({"conversations": [{"from": "alien", "value": "x"}]})), None, &FieldNames::default());
    assert!(err.is_err());
}

#[test]
fn alpaca_input_system_history() {
    let (f, m) = convert(json!({
        "instruction": "Translate.", "input": "chat", "output": "cat",
        "system": "You translate.", "history": [["hi", "hello"], ["q2", "a2"]]
    }));
    assert_eq!(f, InputFormat::Alpaca);
    assert_eq!(
        m,
        json!([
            {"role": "system", "content": "You translate."},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello"},
            {"role": "user", "content": "q2"},
            {"role": "assistant", "content": "a2"},
            {"role": "user", "content": "Translate.\nchat"},
            {"role": "assistant", "content": "cat"}
        ])
    );
    let (_, m) = convert(json!({"instruction": "Say hi.", "input": "", "output": "hi"}));
    assert_eq!(m, json!([{"role": "user", "content": "Say hi."}, {"role": "assistant", "content": "hi"}]));
}

#[test]
fn detection_and_forcing() {
    let names = FieldNames::default();
    assert_eq!(detect(&row(json!({"text": "x"})), &names), None);
    assert!(to_messages(&row(json!({"text": "x"})), None, &names).is_err());
    // Forcing a format that the row is not in fails instead of guessing.
    let r = row(json!({"messages": [{"role": "user", "content": "x"}]}));
    assert!(to_messages(&r, Some(InputFormat::Alpaca), &names).is_err());
    assert_eq!("sharegpt".parse::<InputFormat>().unwrap(), InputFormat::ShareGpt);
    // Custom field name.
    let names = FieldNames { messages: "chat".into(), ..Default::default() };
    let (f, _) = to_messages(&row(json!({"chat": [{"role": "user", "content": "x"}]})), None, &names).unwrap();
    assert_eq!(f, InputFormat::OpenAi);
}
