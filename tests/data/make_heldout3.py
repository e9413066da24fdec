"""Builds tests/data/lint_heldout3.jsonl: a third hand-written held-out set, written at 16:12 UTC
after the last rule change (the final-line fallback for answers, made after held-out 2 showed
unlisted closing phrasings) and never used to change a rule. New problems, new phrasings.
"""
import json

P = [
 ("garage", "A garage charges $45 per hour of labour plus $120 for parts. The repair took 3.5 hours. What is the bill?",
  ["Labour: 3.5 × $45 = $157.50.", "Bill: $157.50 + $120 = $277.50."], "$277.50", "277.5",
  (0, "Labour: 3.5 × $45 = $155.50.")),
 ("hike", "A trail is 14 km long. Ali walks at 4 km/h and rests 30 minutes halfway. How many hours does the hike take?",
  ["Walking time: 14 / 4 = 3.5 hours.", "With the rest: 3.5 + 0.5 = 4 hours."], "4 hours", "4",
  (0, "Walking time: 14 / 4 = 3.25 hours.")),
 ("bakesale", "Kids sell 48 cookies at $0.75 and 20 brownies at $1.50. They spent $15 on ingredients. What is their profit?",
  ["Cookies: 48 × $0.75 = $36.", "Brownies: 20 × $1.50 = $30.", "Income: $36 + $30 = $66.", "Profit: $66 - $15 = $51."], "$51", "51",
  (2, "Income: $36 + $30 = $68.")),
 ("marbles", "Ben has 5 bags of 18 marbles. He loses 12 and splits the rest equally among 6 friends. How many does each friend get?",
  ["He has 5 × 18 = 90 marbles.", "After losing some: 90 - 12 = 78.", "Each friend: 78 / 6 = 13."], "13 marbles", "13",
  (1, "After losing some: 90 - 12 = 76.")),
 ("rent", "Rent is $1,350 a month and rises by 4% next year. How much rent is paid over next year's 12 months?",
  ["New monthly rent: $1,350 × 1.04 = $1,404.", "Year: $1,404 × 12 = $16,848."], "$16,848", "16848",
  (0, "New monthly rent: $1,350 × 1.04 = $1,414.")),
 ("paintcans", "A fence has 3 sides of 25 m. One can of stain covers 15 m of fence. How many cans are needed for two coats?",
  ["Fence length: 3 × 25 = 75 m.", "Two coats: 75 × 2 = 150 m.", "Cans: 150 / 15 = 10."], "10 cans", "10",
  (2, "Cans: 150 / 15 = 12.")),
]
CLEAN_END = ["Net result — {a}.", "Grand total {a}.", "Which leaves {a}.", "That's {a} in total.", "{a} is what we get.", "Bottom line: {a}"]
R001_START = ["Quick result: {a}. Details below:", "{a} — see the working:", "Bottom line: {a}.\n", "Our answer is {a}. Why:",
              "So, {a}. Here is the reasoning:", "Result = {a}\n"]
R002_BARE = ["Exactly {a}.", "{a}", "Answer - {a}", "You get {a}.", "That is {a}.", "Result = {a}"]

def bump(ref):
    x = float(ref)
    return "%g" % (x + (11 if x >= 20 else 4))

rows = []
def add(rid, q, a, ref, exp):
    row = {"id": rid, "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
    if ref is not None:
        row["reference"] = ref
    row["expected"] = exp
    rows.append(row)

for i, (pid, q, steps, ans, ref, (wi, wtext)) in enumerate(P):
    body = "\n".join(steps)
    add(f"h3-{pid}-clean", q, body + "\n" + CLEAN_END[i % 6].format(a=ans), ref, [])
    add(f"h3-{pid}-r001", q, R001_START[i % 6].format(a=ans) + "\n" + body, ref, ["R001"])
    add(f"h3-{pid}-r002", q, R002_BARE[i % 6].format(a=ans), ref, ["R002"])
    add(f"h3-{pid}-r005", q, body + "\n" + CLEAN_END[(i + 2) % 6].format(a=bump(ref)), ref, ["R005"])
    bad = list(steps)
    bad[wi] = wtext
    add(f"h3-{pid}-r006", q, "\n".join(bad) + "\n" + CLEAN_END[(i + 4) % 6].format(a=ans), ref, ["R006"])

CHAT = [
 ("How many strings does a violin have?", "A violin has 4 strings, tuned G, D, A and E."),
 ("What's the freezing point of water in Fahrenheit?", "32 °F at sea level."),
 ("Suggest a 20-minute workout.", "Do 4 rounds of: 10 squats, 10 push-ups, 20 lunges and a 1-minute plank, resting 1 minute between rounds."),
 ("How many days are in a leap year?", "366 days: February gets a 29th day."),
]
for k, (q, a) in enumerate(CHAT):
    add(f"h3-chat-{k}", q, a, None, [])

with open(__file__.replace("make_heldout3.py", "lint_heldout3.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "rows")
