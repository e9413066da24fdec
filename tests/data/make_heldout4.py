"""Builds tests/data/lint_heldout4.jsonl: the final hand-written held-out set, written at 16:04 UTC
after the LAST rule change and never used to change a rule. New problems, new phrasings.
"""
import json

P = [
 ("aquarium", "An aquarium sells 340 tickets on Monday and 25% more on Tuesday. Tickets cost $9. What is the two-day revenue?",
  ["Tuesday tickets: 340 × 1.25 = 425.", "Both days: 340 + 425 = 765 tickets.", "Revenue: 765 × $9 = $6,885."], "$6,885", "6885",
  (1, "Both days: 340 + 425 = 775 tickets.")),
 ("printer2", "A printer prints 12 pages a minute. How many minutes do 7 copies of a 54-page booklet take?",
  ["Pages: 7 × 54 = 378.", "Minutes: 378 / 12 = 31.5."], "31.5 minutes", "31.5",
  (0, "Pages: 7 × 54 = 388.")),
 ("fundraiser", "A class raises $640 from a bake sale and twice as much from a car wash. They spend 15% of the total on supplies. How much is left?",
  ["Car wash: 2 × $640 = $1,280.", "Total raised: $640 + $1,280 = $1,920.", "Supplies: 15% of $1,920 = $288.", "Left: $1,920 - $288 = $1,632."], "$1,632", "1632",
  (2, "Supplies: 15% of $1,920 = $298.")),
 ("swim", "Mia swims 25 m lengths. She swims 36 lengths on Monday and 3/4 as many on Wednesday. How many metres does she swim in total?",
  ["Wednesday: 3/4 × 36 = 27 lengths.", "Lengths: 36 + 27 = 63.", "Distance: 63 × 25 = 1,575 m."], "1,575 m", "1575",
  (0, "Wednesday: 3/4 × 36 = 24 lengths.")),
 ("eggs", "A farm packs eggs in cartons of 12. Its 58 hens lay 5 eggs each per week. How many full cartons per week?",
  ["Eggs: 58 × 5 = 290.", "Cartons: 290 / 12 = 24 full cartons (2 eggs over)."], "24 cartons", "24",
  (0, "Eggs: 58 × 5 = 300.")),
]
CLEAN_END = ["To sum up, {a}.", "Answer → {a}", "We conclude: {a}.", "Total needed: {a}", "So it's {a}."]
R001_START = ["{a}, and here's the breakdown:", "The result: {a}.\n", "Answer → {a}\n", "My answer is {a}; workings below.", "Straight away: {a}.\n"]
R002_BARE = ["{a} in total.", "So {a}.", "= {a}", "{a}!", "Total: {a}"]

def bump(ref):
    x = float(ref)
    return "%g" % (x + (13 if x >= 20 else 5))

rows = []
def add(rid, q, a, ref, exp):
    row = {"id": rid, "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
    if ref is not None:
        row["reference"] = ref
    row["expected"] = exp
    rows.append(row)

for i, (pid, q, steps, ans, ref, (wi, wtext)) in enumerate(P):
    body = "\n".join(steps)
    add(f"h4-{pid}-clean", q, body + "\n" + CLEAN_END[i % 5].format(a=ans), ref, [])
    add(f"h4-{pid}-r001", q, R001_START[i % 5].format(a=ans) + "\n" + body, ref, ["R001"])
    add(f"h4-{pid}-r002", q, R002_BARE[i % 5].format(a=ans), ref, ["R002"])
    add(f"h4-{pid}-r005", q, body + "\n" + CLEAN_END[(i + 1) % 5].format(a=bump(ref)), ref, ["R005"])
    bad = list(steps)
    bad[wi] = wtext
    add(f"h4-{pid}-r006", q, "\n".join(bad) + "\n" + CLEAN_END[(i + 3) % 5].format(a=ans), ref, ["R006"])

DENSE = [
 ("A hotel has 412 rooms at $189 a night. What is one night's revenue when full?", "412 rooms × $189 = $77,868 per night.", "77868",
  "412 × $200 = $82,400.\n412 × $11 = $4,532.\n$82,400 - $4,532 = $77,868 per night."),
 ("Evaluate 8 × 6 - 20 / 4 + 3 × 9 - 7 × 2 + 11.", "8 × 6 - 20 / 4 + 3 × 9 - 7 × 2 + 11 = 67.", "67",
  "8 × 6 = 48 and 20 / 4 = 5, so 48 - 5 = 43.\n3 × 9 = 27, so 43 + 27 = 70.\n7 × 2 = 14, so 70 - 14 = 56.\n56 + 11 = 67."),
 ("How many minutes are in 365 days times 144 sessions? Compute 365 × 144.", "365 × 144 = 52,560.", "52560",
  "365 × 100 = 36,500.\n365 × 44 = 16,060.\n36,500 + 16,060 = 52,560."),
]
for j, (q, dense, ref, split) in enumerate(DENSE):
    add(f"h4-dense-{j}", q, dense, ref, ["R003"])
    add(f"h4-dense-{j}-split", q, split, ref, [])

CHAT = [
 ("How many keys does a piano have?", "A standard piano has 88 keys: 52 white and 36 black."),
 ("What's 3 squared?", "3 squared is 9."),
 ("Plan a 2-day trip to Rome.", "Day 1: the Colosseum at 9 am, then the Forum. Day 2: the Vatican Museums (book ahead) and Trastevere for dinner."),
]
for k, (q, a) in enumerate(CHAT):
    add(f"h4-chat-{k}", q, a, None, [])

with open(__file__.replace("make_heldout4.py", "lint_heldout4.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "rows")
