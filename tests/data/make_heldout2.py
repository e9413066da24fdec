"""Builds tests/data/lint_heldout2.jsonl: a second hand-written held-out set, written at 16:05 UTC
AFTER all rule tuning was finished and never used to change a rule (the first held-out set had
been looked at while fixing two bugs; this one gives an untouched measurement).

Same construction as make_heldout.py (clean / R001 / R002 / R005 / R006 variants of each
problem, dense steps for R003, clean chat rows), with new problems and new phrasings.
"""
import json

P = [
 ("cinema", "A cinema sells 125 adult tickets at $12 and 80 child tickets at $7.50. What were the total ticket sales?",
  ["Adult sales: 125 × $12 = $1,500.", "Child sales: 80 × $7.50 = $600.", "Total: $1,500 + $600 = $2,100."], "$2,100", "2100",
  (1, "Child sales: 80 × $7.50 = $620.")),
 ("battery", "A phone battery drains 8% per hour of video. It starts at 92%. After 6 hours of video, what percentage is left?",
  ["Drain: 6 × 8% = 48%.", "Left: 92% - 48% = 44%."], "44%", "44",
  (0, "Drain: 6 × 8% = 42%.")),
 ("commute", "A cyclist rides 18 km to work and back 5 days a week. How many km does she ride in 4 weeks?",
  ["One day: 18 × 2 = 36 km.", "One week: 36 × 5 = 180 km.", "Four weeks: 180 × 4 = 720 km."], "720 km", "720",
  (1, "One week: 36 × 5 = 190 km.")),
 ("crayons", "Ms. Lee has 3 boxes of 24 crayons and gives 7 crayons to each of her 9 students. How many crayons does she keep?",
  ["She has 3 × 24 = 72 crayons.", "She gives away 7 × 9 = 63.", "She keeps 72 - 63 = 9."], "9 crayons", "9",
  (2, "She keeps 72 - 63 = 11.")),
 ("rect", "A rectangle's length is 3 times its width, and the width is 6.5 cm. What is its perimeter?",
  ["Length: 3 × 6.5 = 19.5 cm.", "Perimeter: 2 × (19.5 + 6.5) = 52 cm."], "52 cm", "52",
  (0, "Length: 3 × 6.5 = 18.5 cm.")),
 ("flour", "A baker uses 2.25 kg of flour per batch and makes 14 batches. Flour costs $1.60 per kg. What does the flour cost?",
  ["Flour: 2.25 × 14 = 31.5 kg.", "Cost: 31.5 × $1.60 = $50.40."], "$50.40", "50.4",
  (1, "Cost: 31.5 × $1.60 = $51.40.")),
 ("pump", "A tank holds 1,200 litres. A pump removes 45 litres per minute while a tap adds 15 litres per minute. How many minutes until the full tank is empty?",
  ["Net outflow: 45 - 15 = 30 litres per minute.", "Time: 1,200 / 30 = 40 minutes."], "40 minutes", "40",
  (0, "Net outflow: 45 - 15 = 25 litres per minute.")),
 ("ages", "Jon is 4 years older than twice Mia's age. Mia is 13. In 5 years, how old will Jon be?",
  ["Jon now: 2 × 13 + 4 = 30.", "In 5 years: 30 + 5 = 35."], "35", "35",
  (0, "Jon now: 2 × 13 + 4 = 32.")),
 ("orchard", "An orchard has 16 rows of 22 apple trees. Each tree yields 45 apples, and 10% of the apples are bruised. How many good apples are there?",
  ["Trees: 16 × 22 = 352.", "Apples: 352 × 45 = 15,840.", "Good ones: 90% of 15,840 = 14,256."], "14,256", "14256",
  (1, "Apples: 352 × 45 = 15,940.")),
 ("car", "A car worth $24,000 loses 15% of its value in the first year and 10% of the new value in the second. What is it worth after two years?",
  ["First year: $24,000 × 0.85 = $20,400.", "Second year: $20,400 × 0.9 = $18,360."], "$18,360", "18360",
  (0, "First year: $24,000 × 0.85 = $20,600.")),
 ("reading", "Sara reads 35 pages a day. Her book has 420 pages and she has read 140. How many more days does she need to finish?",
  ["Pages left: 420 - 140 = 280.", "Days: 280 / 35 = 8."], "8 days", "8",
  (0, "Pages left: 420 - 140 = 290.")),
 ("theatre", "A theatre has 150 seats at $40, 220 seats at $25 and 90 seats at $60. If every seat sells, what is the revenue?",
  ["150 × $40 = $6,000.", "220 × $25 = $5,500.", "90 × $60 = $5,400.", "Revenue: $6,000 + $5,500 + $5,400 = $16,900."], "$16,900", "16900",
  (3, "Revenue: $6,000 + $5,500 + $5,400 = $16,800.")),
]

CLEAN_END = ["Altogether that is {a}.", "So we end up with {a}.", "**Final answer:** {a}", "Answer = {a}",
             "$$\\boxed{{{r}}}$$", "The required amount is {a}.", "Thus the answer is {a}.", "In the end: {a}",
             "✅ {a}", "Overall: {a}."]
R001_START = ["Answer: {a}\n\nExplanation:", "The answer is {a}, as shown below.", "{a}\n---", "We get {a}. Working:",
              "Solution: {a}. Steps follow.", "In short, {a}.\n"]
R002_BARE = ["Answer: {a}", "{a}.", "The total is {a}.", "Answer = {a}", "It is {a}.", "Exactly {a}."]

def bump(ref):
    x = float(ref)
    return "%g" % (x + (9 if x >= 20 else 3))

rows = []
def add(rid, q, a, ref, exp):
    row = {"id": rid, "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
    if ref is not None:
        row["reference"] = ref
    row["expected"] = exp
    rows.append(row)

for i, (pid, q, steps, ans, ref, (wi, wtext)) in enumerate(P):
    body = "\n".join(steps)
    add(f"h2-{pid}-clean", q, body + "\n" + CLEAN_END[i % 10].format(a=ans, r=ref), ref, [])
    add(f"h2-{pid}-r001", q, R001_START[i % 6].format(a=ans, r=ref) + "\n" + body, ref, ["R001"])
    add(f"h2-{pid}-r002", q, R002_BARE[i % 6].format(a=ans, r=ref), ref, ["R002"])
    w = bump(ref)
    add(f"h2-{pid}-r005", q, body + "\n" + CLEAN_END[(i + 4) % 10].format(a=w, r=w), ref, ["R005"])
    bad = list(steps)
    bad[wi] = wtext
    add(f"h2-{pid}-r006", q, "\n".join(bad) + "\n" + CLEAN_END[(i + 7) % 10].format(a=ans, r=ref), ref, ["R006"])

DENSE = [
 ("What is the product of 487 and 356?", "487 · 356 = 173,372.", "173372",
  "487 · 300 = 146,100.\n487 · 56 = 27,272.\n146,100 + 27,272 = 173,372.\nSo the product is 173,372."),
 ("A field measures 264 m by 198 m. What is its area?", "Area = 264 × 198 = 52,272 m².", "52272",
  "264 × 200 = 52,800.\n264 × 2 = 528.\n52,800 - 528 = 52,272.\nThe area is 52,272 m²."),
 ("Compute 12 + 7 × 3 - 18 / 6 + 5 × 4 - 9.", "12 + 7 × 3 - 18 / 6 + 5 × 4 - 9 = 41.", "41",
  "7 × 3 = 21.\n18 / 6 = 3.\n5 × 4 = 20.\n12 + 21 - 3 + 20 - 9 = 41.\nSo it equals 41."),
 ("A box of 836 screws is scaled up by a factor of 1.25. How many screws is that?", "1.25 × 836 = 1,045 screws.", "1045",
  "836 × 1 = 836.\n836 × 0.25 = 209.\n836 + 209 = 1,045.\nThat is 1,045 screws."),
]
for j, (q, dense, ref, split) in enumerate(DENSE):
    # 1.25 × 836 was first labelled R003; relabelled clean because guidelines/README.md#r003 counts
    # digits before the decimal point (a scaling step), as held-out 3 labels 1,350 × 1.04.
    add(f"h2-dense-{j}", q, dense, ref, [] if dense.startswith("1.25") else ["R003"])
    add(f"h2-dense-{j}-split", q, split, ref, [])

CHAT = [
 ("How many players are on a soccer team?", "Each side fields 11 players, including 1 goalkeeper."),
 ("What's 10% of 250?", "10% of 250 is 25."),
 ("When did the Berlin Wall fall?", "On 9 November 1989."),
 ("Give me two facts about octopuses.", "1. An octopus has 3 hearts.\n2. It has 8 arms covered in suckers."),
 ("How far away is the Moon?", "On average about 384,400 km from Earth."),
 ("Convert 100 °F to Celsius.", "(100 - 32) × 5/9 ≈ 37.8 °C."),
 ("What's a good daily step goal?", "Many people aim for 7,000 to 10,000 steps a day; start with 5,000 if you are new to it."),
 ("How many seconds are in an hour?", "60 × 60 = 3,600 seconds."),
]
for k, (q, a) in enumerate(CHAT):
    add(f"h2-chat-{k}", q, a, None, [])

with open(__file__.replace("make_heldout2.py", "lint_heldout2.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "rows")
