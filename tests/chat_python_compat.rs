//! Jinja2 behaviours chat templates rely on: each snippet rendered by Jinja2 3.1.6 in the
//! conformance reference's environment (`fixtures/chat/render_reference.py`, date 2026-01-15,
//! the context below), output pasted here as a literal ("ERROR" = Jinja2 raised).
use serde_json::json;
use sftkit::chat::strftime::Date;
use sftkit::chat::{ChatTemplate, SpecialTokens};

const CASES: &[(&str, &str)] = &[
    ("{{ \"a\" ~ none }}", "aNone"),
    ("{{ 1 ~ 2 }}", "12"),
    (
        "{{ messages[0]['content'][:5] }}|{{ messages[-1].role }}|{{ messages[::-1][0].role }}",
        "Sys|assistant|assistant",
    ),
    (
        "{{ d | tojson(indent=4) }}",
        "{\n    \"b\": 1,\n    \"a\": [\n        1,\n        2.5,\n        null,\n        true\n    ],\n    \"nested\": {\n        \"k\": \"é\"\n    }\n}",
    ),
    ("{{ d|tojson(separators=(',', ':')) }}", "{\"b\":1,\"a\":[1,2.5,null,true],\"nested\":{\"k\":\"é\"}}"),
    ("{{ d|tojson(sort_keys=true) }}", "{\"a\": [1, 2.5, null, true], \"b\": 1, \"nested\": {\"k\": \"é\"}}"),
    ("{{ 'a,b,c'.split(',', 1) }}", "['a', 'b,c']"),
    ("{{ '  x '.strip() }}|{{ 'hello world'.title() }}|{{ 'aB'.upper() }}", "x|Hello World|AB"),
    ("{{ d.items() | list }}", "[('b', 1), ('a', [1, 2.5, None, True]), ('nested', {'k': 'é'})]"),
    (
        "{{ 3 / 2 }}|{{ 4 / 2 }}|{{ 7 // 2 }}|{{ 2 ** 3 }}|{{ -1 % 3 }}|{{ 10 / 3 }}|{{ 0.1 + 0.2 }}",
        "1.5|2.0|3|8|2|3.3333333333333335|0.30000000000000004",
    ),
    ("{{ 1.0 }}|{{ 1e20 }}|{{ 1.5e-7 }}", "1.0|1e+20|1.5e-07"),
    ("{{ true }}|{{ none | string }}|{{ [1, 'a', none, true] }}", "True|None|[1, 'a', None, True]"),
    ("{{ [1,2] | join(', ') }}", "1, 2"),
    ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "b=1;a=[1, 2.5, None, True];nested={'k': 'é'};"),
    ("{{ d | dictsort }}", "[('a', [1, 2.5, None, True]), ('b', 1), ('nested', {'k': 'é'})]"),
    ("{{ 'x' in ['x'] }}|{{ range(3) | list }}|{{ 'abc' | length }}", "True|[0, 1, 2]|3"),
    ("{{ d.get('missing', 'dflt') }}|{{ d['missing'] is defined }}|{{ d.get('missing') }}", "dflt|False|None"),
    ("{{ x | default('y') }}|{{ none | default('y') }}|{{ '' | default('y', true) }}", "y|None|y"),
    ("{{ \"{} and {}\".format(1, 'b') }}", "1 and b"),
    ("{{ messages | selectattr('role', 'equalto', 'user') | list | length }}", "1"),
    ("{{ messages | map(attribute='role') | join(',') }}", "system,user,assistant"),
    ("{{ (messages | last).role }}|{{ (messages | first).role }}", "assistant|system"),
    ("{{ 'a' * 3 }}|{{ 'abc'.startswith(('x','a')) }}", "aaa|True"),
    ("{{ 1 if none else 2 }}|{{ 'abc'.replace('b', 'x', 1) }}|{{ '\\n'.join(['a','b']) }}", "2|axc|a\nb"),
    ("{{ [1,2,3][1:] }}|{{ {'a': none} | tojson }}|{{ 'hELLO' | capitalize }}", "[2, 3]|{\"a\": null}|Hello"),
    (
        "{{ [3,1,2] | sort }}|{{ [1,1,2] | unique | list }}|{{ [1,2] | reverse | list }}|{{ 'ab' | reverse }}",
        "[1, 2, 3]|[1, 2]|[2, 1]|ba",
    ),
    ("{{ '5' | int + 1 }}|{{ '2.5' | float }}|{{ 5 | string + 'x' }}", "6|2.5|5x"),
    ("{{ (1, 2) }}", "(1, 2)"),
    ("{% set ns = namespace(a=1) %}{% set ns.a = ns.a + 1 %}{{ ns.a }}", "2"),
    (
        "{{ 'x' is string }}|{{ 1 is number }}|{{ true is boolean }}|{{ {} is mapping }}|{{ none is none }}|{{ [] is sequence }}|{{ 'x' is sequence }}|{{ {} is sequence }}|{{ 1 is sequence }}|{{ 'x' is iterable }}|{{ {} is iterable }}",
        "True|True|True|True|True|True|True|True|False|True|True",
    ),
    ("{{ 'abc'[0] }}|{{ 'abc'[-1] }}", "a|c"),
    ("{{ ''[0] }}", ""),
    ("{{ undefined_var.x }}", "ERROR"),
    ("{{ 'a' + undefined_var }}", "ERROR"),
    (
        "{% if undefined_var %}yes{% else %}no{% endif %}|{{ messages[50] }}|{{ undefined_var }}|{{ undefined_var is none }}",
        "no|||False",
    ),
    (
        "{{ 'xxyab'.lstrip('xy') }}|{{ 'abc'.count('a') }}|{{ 'a b  c'.split() }}|{{ 'a\\nb'.splitlines() }}",
        "ab|1|['a', 'b', 'c']|['a', 'b']",
    ),
    ("{{ 'é🙂' | tojson(ensure_ascii=true) }}|{{ 'é' | tojson }}", "\"\\u00e9\\ud83d\\ude42\"|\"é\""),
    ("{{ 1 == 1.0 }}|{{ messages|length > 1 }}|{{ [] | first }}|{{ 7 / 0 }}", "ERROR"),
    ("{% set x2 = [1] + [2] %}{{ x2 }}|{{ 'abc'.endswith('c') }}|{{ '  '.isspace() }}", "[1, 2]|True|True"),
    ("{{ d | items | list }}", "[('b', 1), ('a', [1, 2.5, None, True]), ('nested', {'k': 'é'})]"),
    ("{{ raise_exception('boom') }}", "ERROR"),
    (
        "{%- for m in messages -%}{% if loop.first %}F{% endif %}{{ loop.index }}/{{ loop.length }}{% if not loop.last %},{% endif %}{%- endfor %}",
        "F1/3,2/3,3/3",
    ),
    ("{% for m in messages %}{% if loop.index > 1 %}{% break %}{% endif %}{{ m.role }}{% endfor %}", "system"),
    (
        "{% for m in messages %}{% if m.role == 'user' %}{% continue %}{% endif %}{{ m.role }}{% endfor %}",
        "systemassistant",
    ),
    ("{{ messages[0].content | trim | length }}|{{ d.nested.k }}|{{ d['nested']['k'] }}", "3|é|é"),
    ("{{ d.keys() | list }}|{{ d.values() | list }}", "['b', 'a', 'nested']|[1, [1, 2.5, None, True], {'k': 'é'}]"),
    ("{{ 'abc'.find('c') }}|{{ 'a.b.c'.rsplit('.', 1) }}", "2|['a.b', 'c']"),
    ("{{ 'abc' | upper | lower }}|{{ 'a-b'.split('-')[1] }}|{{ messages | length is even }}", "abc|b|False"),
    ("{%- macro f(a, b='z') -%}{{ a }}{{ b }}{%- endmacro -%}{{ f(1) }}{{ f(2, b=3) }}", "1z23"),
    (
        "{{ d.nested }}|{{ d }}|{{ 'it\\'s' }}|{{ [\"it's\", 'say \"hi\"'] }}",
        "{'k': 'é'}|{'b': 1, 'a': [1, 2.5, None, True], 'nested': {'k': 'é'}}|it's|[\"it's\", 'say \"hi\"']",
    ),
    ("{{ \"  lead\" | trim }}|{{ 'x' | center(5) }}|{{ 'abcdef' | truncate(3) }}", "lead|  x  |abcdef"),
    (
        "{{ d | length }}|{{ 12345678901234567890 }}|{{ -0.0 }}|{{ 3.0 * 2 }}|{{ 2 * 3.5 }}",
        "3|12345678901234567890|-0.0|6.0|7.0",
    ),
    ("{{ 1 + true }}|{{ 'a' < 'b' }}|{{ [1,2] == [1,2] }}|{{ none == none }}", "2|True|True|True"),
    ("{{ x is not defined }}|{{ x is undefined }}|{{ 'a' is in 'abc' }}", "True|True|True"),
    ("{{ [{'a': 2}, {'a': 1}] | sort(attribute='a') | map(attribute='a') | list }}", "[1, 2]"),
    (
        "{{ messages | rejectattr('role', 'equalto', 'user') | map(attribute='role') | list }}",
        "['system', 'assistant']",
    ),
    ("{{ strftime_now('%Y-%m-%d') }}|{{ strftime_now('%d %B %Y') }}", "2026-01-15|15 January 2026"),
    ("{{ add_generation_prompt }}|{{ bos_token }}", "False|<s>"),
    (
        "{{ 'a.b.c'.rsplit('.', 1) }}|{{ '  a b  c '.rsplit(None, 1) }}|{{ 'x:y:z'.partition(':')[2] }}|{{ 'abc'.removeprefix('a') }}|{{ '-42'.zfill(5) }}|{{ 'ab'.center(5, '*') }}|{{ 'ab'.ljust(4, '.') }}|{{ 'abc'.index('c') }}",
        "['a.b', 'c']|['  a b', 'c']|y:z|bc|-0042|**ab*|ab..|2",
    ),
    (
        "{{ ('a', none) }}|{{ 'foo bar baz qux'|truncate(9, leeway=0) }}|{{ 'x'|center(6) }}",
        "('a', None)|foo...|  x   ",
    ),
    (
        "{{ {'b':1,'a':2} | dictsort(reverse=true) }}|{{ messages|map(attribute='content')|map('trim')|list }}",
        "[('b', 1), ('a', 2)]|['Sys', 'Hello there', 'Hi']",
    ),
    (
        "{{ '{\"a\": 1}' | tojson }}|{{ 'a' | tojson(ensure_ascii=false, indent=2) }}|{{ [] | tojson(indent=2) }}|{{ {'k': []} | tojson(indent=2) }}",
        "\"{\\\"a\\\": 1}\"|\"a\"|[]|{\n  \"k\": []\n}",
    ),
    // `none` (Python's None) is not iterable.
    ("{{ none | length }}", "ERROR"),
    ("{{ 'a' in none }}", "ERROR"),
    ("{{ none + 'a' }}", "ERROR"),
    ("{{ none[0] }}|{{ none.x }}", "|"),
    ("{{ none | join(',') }}", "ERROR"),
    ("{{ none | list }}", "ERROR"),
    ("{{ none is iterable }}|{{ none is sequence }}|{{ undefined_var is iterable }}", "False|False|True"),
    ("{{ none | tojson }}|{{ none ~ '' }}{{ none if none else 'n' }}", "null|Nonen"),
    ("{% for x in d.missing %}a{% endfor %}{{ d.missing | length }}|{{ (d.missing or '') + 'x' }}", "0|x"),
    (
        "{{ [none, true, 1.5, 'a'] | join('/') }}|{{ messages | join(',', attribute='role') }}",
        "None/True/1.5/a|system,user,assistant",
    ),
];

#[test]
fn snippets_render_as_jinja2() {
    let messages = json!([
        {"role": "system", "content": "Sys"},
        {"role": "user", "content": "  Hello there  "},
        {"role": "assistant", "content": "Hi"}
    ]);
    let kwargs = json!({"d": {"b": 1, "a": [1, 2.5, null, true], "nested": {"k": "é"}}});
    let date = Date::parse("2026-01-15").unwrap();
    let mut failures = Vec::new();
    for (src, want) in CASES {
        let got = ChatTemplate::with_date(src, SpecialTokens::reference_defaults(), date)
            .and_then(|t| t.render(&messages, None, None, false, kwargs.as_object()))
            .map(|r| r.text)
            .unwrap_or_else(|_| "ERROR".to_string());
        if got != *want {
            failures.push(format!("{src}\n  jinja2: {want:?}\n  ours:   {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chat_template_kwargs_override_earlier_context() {
    let t = ChatTemplate::with_date(
        "{{ bos_token }}{{ add_generation_prompt }}",
        SpecialTokens::reference_defaults(),
        Date::parse("2026-01-15").unwrap(),
    )
    .unwrap();
    let kw = json!({"bos_token": "X", "add_generation_prompt": "yes"});
    assert_eq!(t.render(&json!([]), None, None, false, kw.as_object()).unwrap().text, "Xyes");
}
