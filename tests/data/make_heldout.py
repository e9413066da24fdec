"""Builds tests/data/lint_heldout.jsonl: a hand-written held-out set for the lint evaluation.

Every problem, its steps, the corrupted step used for R006 and the phrasings below were written by
hand (not taken from dev.jsonl). The script only combines them into rows and writes the labels that
follow from the construction: clean, R001 (answer first), R002 (bare answer), R005 (wrong final
answer), R006 (one wrong intermediate equation, right final answer), R003 (one dense step).
"""
import json

# (id, question, steps, answer_text, reference, wrong_step=(index, text), unit_phrase)
P = [
 ("bake", "A bakery sells muffins for $2.75 each. On Saturday it sold 48 muffins and on Sunday 36 muffins. How much money did the muffins bring in over the weekend?",
  ["Muffins sold over the weekend: 48 + 36 = 84.", "Money taken: 84 × $2.75 = $231."], "$231", "231",
  (0, "Muffins sold over the weekend: 48 + 36 = 86."), "dollars"),
 ("train", "A train travels at 72 km/h for 2.5 hours, then at 90 km/h for 1.5 hours. How far does it go in total?",
  ["First leg: 72 km/h × 2.5 h = 180 km.", "Second leg: 90 km/h × 1.5 h = 135 km.", "Distance covered: 180 km + 135 km = 315 km."], "315 km", "315",
  (1, "Second leg: 90 km/h × 1.5 h = 145 km."), "km"),
 ("paint", "A wall is 12 m long and 3 m high. One litre of paint covers 9 square metres, and the wall needs two coats. How many litres of paint are needed?",
  ["The wall's area is 12 × 3 = 36 m².", "Two coats mean painting 36 × 2 = 72 m².", "Paint needed: 72 / 9 = 8 litres."], "8 litres", "8",
  (0, "The wall's area is 12 × 3 = 34 m²."), "litres"),
 ("discount", "A jacket costs $80. It is on sale for 25% off, and then a 10% member discount is taken off the sale price. What does a member pay?",
  ["The sale takes off 25% of $80, which is 0.25 × 80 = $20.", "Sale price: $80 - $20 = $60.", "The member discount is 10% of $60 = $6.", "A member pays $60 - $6 = $54."], "$54", "54",
  (1, "Sale price: $80 - $20 = $50."), "dollars"),
 ("garden", "Priya plants 7 rows of tulips with 15 bulbs in each row. Squirrels dig up 18 bulbs. She then plants 2 more rows of 12. How many bulbs are in the ground now?",
  ["She first plants 7 * 15 = 105 bulbs.", "After the squirrels, 105 - 18 = 87 remain.", "The extra rows add 2 * 12 = 24 bulbs.", "Now there are 87 + 24 = 111 bulbs."], "111", "111",
  (2, "The extra rows add 2 * 12 = 26 bulbs."), "bulbs"),
 ("fuel", "A car uses 6.5 litres of fuel per 100 km. Fuel costs $1.80 per litre. How much does the fuel for a 400 km trip cost?",
  ["400 km is 4 lots of 100 km, so the car burns 6.5 × 4 = 26 litres.", "At $1.80 a litre that is 26 × 1.80 = $46.80."], "$46.80", "46.8",
  (0, "400 km is 4 lots of 100 km, so the car burns 6.5 × 4 = 24 litres."), "dollars"),
 ("school", "A school has 540 students. 45% of them take the bus, and a third of the rest walk. How many students walk?",
  ["Bus riders: 45% of 540 = 0.45 × 540 = 243.", "Students not on the bus: 540 - 243 = 297.", "A third of them walk: 297 / 3 = 99."], "99 students", "99",
  (1, "Students not on the bus: 540 - 243 = 307."), "students"),
 ("recipe", "A soup recipe for 4 people needs 600 g of carrots. Ana is cooking for 10 people. Carrots come in 500 g bags. How many bags must she buy?",
  ["Carrots per person: 600 g / 4 = 150 g.", "For 10 people she needs 150 × 10 = 1,500 g.", "Bags: 1,500 / 500 = 3."], "3 bags", "3",
  (0, "Carrots per person: 600 g / 4 = 160 g."), "bags"),
 ("tank", "A fish tank is 60 cm long, 30 cm wide and 40 cm tall. It is filled to 75% of its height. How many litres of water does it hold? (1 litre = 1000 cm³)",
  ["Water depth: 75% of 40 cm = 30 cm.", "Volume of water: 60 × 30 × 30 = 54,000 cm³.", "In litres: 54,000 / 1000 = 54."], "54 litres", "54",
  (1, "Volume of water: 60 × 30 × 30 = 56,000 cm³."), "litres"),
 ("salary", "Marco earns $18 an hour for the first 40 hours of a week and time-and-a-half for extra hours. Last week he worked 46 hours. What did he earn?",
  ["Regular pay: 40 × $18 = $720.", "Overtime rate: $18 × 1.5 = $27 an hour.", "Overtime hours: 46 - 40 = 6, worth 6 × $27 = $162.", "Total: $720 + $162 = $882."], "$882", "882",
  (3, "Total: $720 + $162 = $892."), "dollars"),
 ("books", "A library had 1,250 books. It gave away 8% of them and then bought 140 new ones. How many books does it have now?",
  ["8% of 1,250 is 0.08 × 1,250 = 100 books given away.", "That leaves 1,250 - 100 = 1,150.", "With the new ones: 1,150 + 140 = 1,290."], "1,290 books", "1290",
  (1, "That leaves 1,250 - 100 = 1,100."), "books"),
 ("runner", "Lena runs 5 km on Monday, twice that on Wednesday, and 3 km less than Wednesday on Saturday. What is her average distance per running day?",
  ["Wednesday: 2 × 5 = 10 km.", "Saturday: 10 - 3 = 7 km.", "Total: 5 + 10 + 7 = 22 km over 3 days.", "Average: 22 / 3 ≈ 7.33 km."], "7.33 km", "7.33",
  (2, "Total: 5 + 10 + 7 = 23 km over 3 days."), "km"),
 ("tiles", "A kitchen floor measures 4.2 m by 3.5 m. Tiles cost $24 per square metre. What does tiling the floor cost?",
  ["Floor area: 4.2 × 3.5 = 14.7 m².", "Cost: 14.7 × $24 = $352.80."], "$352.80", "352.8",
  (0, "Floor area: 4.2 × 3.5 = 14.2 m²."), "dollars"),
 ("juice", "A café squeezes 3 oranges for each glass of juice. Oranges come in crates of 72. On Friday it sold 54 glasses. How many full crates did that use, and how many oranges were left from the last crate? Give the number of oranges left.",
  ["Oranges used: 54 × 3 = 162.", "Two crates hold 2 × 72 = 144, three crates hold 3 × 72 = 216, so three crates were opened.", "Left over: 216 - 162 = 54 oranges."], "54", "54",
  (0, "Oranges used: 54 × 3 = 152."), "oranges"),
 ("savings", "Tom saves $35 a week. He already has $120 and wants a bike that costs $470. How many weeks must he save?",
  ["He still needs $470 - $120 = $350.", "At $35 a week: 350 / 35 = 10 weeks."], "10 weeks", "10",
  (0, "He still needs $470 - $120 = $340."), "weeks"),
 ("concert", "A hall has 24 rows of 30 seats. For a concert 85% of the seats were sold at $15 each. How much did ticket sales bring in?",
  ["Seats in the hall: 24 × 30 = 720.", "Seats sold: 0.85 × 720 = 612.", "Sales: 612 × $15 = $9,180."], "$9,180", "9180",
  (1, "Seats sold: 0.85 × 720 = 602."), "dollars"),
 ("pizza", "Three friends order 4 pizzas cut into 8 slices each. Sam eats 5 slices, Jo eats 7 and Kim eats 6. The rest is shared equally by 2 neighbours. How many slices does each neighbour get?",
  ["Slices in all: 4 * 8 = 32.", "The friends eat 5 + 7 + 6 = 18.", "Remaining: 32 - 18 = 14.", "Each neighbour gets 14 / 2 = 7."], "7", "7",
  (1, "The friends eat 5 + 7 + 6 = 17."), "slices"),
 ("loan", "Rita borrows $2,000 at 6% simple interest per year for 3 years. How much does she repay in total?",
  ["Interest per year: 6% of $2,000 = $120.", "Over 3 years: 3 × $120 = $360.", "Repayment: $2,000 + $360 = $2,360."], "$2,360", "2360",
  (1, "Over 3 years: 3 × $120 = $380."), "dollars"),
 ("printer", "A printer prints 18 pages per minute. A report has 12 chapters of 27 pages. How many minutes does printing 3 copies take?",
  ["One copy has 12 × 27 = 324 pages.", "Three copies: 324 × 3 = 972 pages.", "Time: 972 / 18 = 54 minutes."], "54 minutes", "54",
  (2, "Time: 972 / 18 = 56 minutes."), "minutes"),
 ("farm", "A farmer has 36 hens. Each hen lays 5 eggs a week. He sells eggs in boxes of 6 for $3 a box. How much does he earn in a week?",
  ["Eggs per week: 36 × 5 = 180.", "Boxes: 180 / 6 = 30.", "Earnings: 30 × $3 = $90."], "$90", "90",
  (1, "Boxes: 180 / 6 = 36."), "dollars"),
 ("water", "A household uses 350 litres of water a day. After fixing a leak, use drops by 12%. How many litres a week does the household save?",
  ["Saving per day: 12% of 350 = 0.12 × 350 = 42 litres.", "Per week: 42 × 7 = 294 litres."], "294 litres", "294",
  (0, "Saving per day: 12% of 350 = 0.12 × 350 = 48 litres."), "litres"),
 ("speed", "A cyclist covers 45 km in 1 hour 30 minutes. At the same speed, how long in minutes does she need for 75 km?",
  ["1 hour 30 minutes is 90 minutes.", "Speed: 45 / 90 = 0.5 km per minute.", "Time for 75 km: 75 / 0.5 = 150 minutes."], "150 minutes", "150",
  (2, "Time for 75 km: 75 / 0.5 = 140 minutes."), "minutes"),
 ("class", "In a class of 32 pupils, 3/8 have a dog and a quarter of the dog owners also have a cat. How many pupils have both?",
  ["Dog owners: 3/8 of 32 = 32 / 8 × 3 = 12.", "Both: 12 / 4 = 3."], "3 pupils", "3",
  (0, "Dog owners: 3/8 of 32 = 32 / 8 × 3 = 14."), "pupils"),
 ("shop", "A shop buys 250 notebooks at $1.20 each and sells them all at $2 each. What percentage profit does it make on its cost?",
  ["Cost: 250 × $1.20 = $300.", "Revenue: 250 × $2 = $500.", "Profit: $500 - $300 = $200.", "As a share of cost: 200 / 300 × 100% ≈ 66.7%."], "66.7%", "66.7",
  (2, "Profit: $500 - $300 = $250."), "percent"),
]

CLEAN_END = ["So the total is {a}.", "Therefore, {a}.", "=> {a}", "Final: {a}", "**{a}**",
             "\\boxed{{{r}}}", "The result is {a}.", "Answer: {a}", "That makes {a} altogether.",
             "Hence the answer: {a}."]
R001_START = ["{a}. Here's how:", "**{a}**\n\nWork:", "Short answer: {a}.\nDetails:", "\\boxed{{{r}}}\n\nReasoning:",
              "Result: {a}. Let me show why.", "It comes to {a} — here is the working:", "=> {a}\nSteps:",
              "Final: {a}\n\nHow I got it:"]
R002_BARE = ["{a}", "**{a}**", "\\boxed{{{r}}}", "Final: {a}", "It's {a}.", "That comes to {a}.", "=> {a}",
             "The result is {a}."]

def bump(ref):
    x = float(ref)
    y = x + (7 if x >= 20 else 2)
    return ("%g" % y)

rows = []
def add(rid, q, a, ref, exp, sysmsg=None):
    msgs = []
    if sysmsg:
        msgs.append({"role": "system", "content": sysmsg})
    msgs += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
    row = {"id": rid, "messages": msgs}
    if ref is not None:
        row["reference"] = ref
    row["expected"] = exp
    rows.append(row)

for i, (pid, q, steps, ans, ref, (wi, wtext), unit) in enumerate(P):
    body = "\n".join(steps)
    add(f"ho-{pid}-clean", q, body + "\n" + CLEAN_END[i % len(CLEAN_END)].format(a=ans, r=ref), ref, [])
    add(f"ho-{pid}-r001", q, R001_START[i % len(R001_START)].format(a=ans, r=ref) + "\n" + body, ref, ["R001"])
    add(f"ho-{pid}-r002", q, R002_BARE[i % len(R002_BARE)].format(a=ans, r=ref), ref, ["R002"])
    wrong = bump(ref)
    add(f"ho-{pid}-r005", q, body + "\n" + CLEAN_END[(i + 3) % len(CLEAN_END)].format(a=wrong, r=wrong), ref, ["R005"])
    bad = list(steps)
    bad[wi] = wtext
    add(f"ho-{pid}-r006", q, "\n".join(bad) + "\n" + CLEAN_END[(i + 5) % len(CLEAN_END)].format(a=ans, r=ref), ref, ["R006"])

# R003: dense single steps, phrased differently, and their split (clean) versions.
DENSE = [
 ("How many seats are in a stadium with 347 sections of 268 seats?", "347 × 268 = 92,996 seats, so the stadium holds 92,996 seats.", "92996",
  "Split 268 as 200 + 68.\n347 × 200 = 69,400.\n347 × 68 = 23,596.\n69,400 + 23,596 = 92,996.\nThe stadium holds 92,996 seats."),
 ("A warehouse ships 415 crates, each weighing 236 kg. What is the total weight?", "Total weight = 415 * 236 kg = 97,940 kg.\nFinal: 97,940 kg", "97940",
  "415 * 200 = 83,000 kg.\n415 * 36 = 14,940 kg.\n83,000 + 14,940 = 97,940 kg.\nFinal: 97,940 kg"),
 ("What is 12.5% of the product of 648 and 125, i.e. first multiply then take 12.5%?", "648 × 125 = 81,000, and 12.5% of that is 10,125.\nAnswer: 10125", "10125",
  "648 × 100 = 64,800.\n648 × 25 = 16,200.\n64,800 + 16,200 = 81,000.\n12.5% of 81,000 = 0.125 × 81,000 = 10,125.\nAnswer: 10125"),
 ("A factory makes 729 bolts an hour for 183 hours. How many bolts is that?", "In one go: 729 x 183 = 133,407 bolts.\nSo the total is 133,407 bolts.", "133407",
  "729 x 100 = 72,900.\n729 x 83 = 60,507.\n72,900 + 60,507 = 133,407.\nSo the total is 133,407 bolts."),
 ("Compute the cost of 256 licences at $389 each.", "$389 × 256 = $99,584.\n**$99,584**", "99584",
  "$389 × 200 = $77,800.\n$389 × 56 = $21,784.\n$77,800 + $21,784 = $99,584.\n**$99,584**"),
 ("Evaluate 3 × 14 + 6 × 9 - 45 / 5 + 8 × 7 - 12 + 4 × 11 for the invoice total.", "3 × 14 + 6 × 9 - 45 / 5 + 8 × 7 - 12 + 4 × 11 = 175.\nTherefore, 175.", "175",
  "3 × 14 = 42 and 6 × 9 = 54, so 42 + 54 = 96.\n45 / 5 = 9, so 96 - 9 = 87.\n8 × 7 = 56, so 87 + 56 = 143.\n143 - 12 = 131.\n4 × 11 = 44, and 131 + 44 = 175.\nTherefore, 175."),
 ("A printer rents 612 machines at $457 a month. What is the monthly bill?", "The bill is 612 * 457 = $279,684 per month.\nThe answer is $279,684.", "279684",
  "612 * 400 = 244,800.\n612 * 57 = 34,884.\n244,800 + 34,884 = 279,684.\nThe answer is $279,684."),
 ("What is 2.5 × 4 × 12 × 3 × 7 × 2 ÷ 6 for the batch size?", "2.5 × 4 × 12 × 3 × 7 × 2 ÷ 6 = 840, so the batch size is 840.", "840",
  "2.5 × 4 = 10.\n10 × 12 = 120.\n120 × 3 = 360.\n360 × 7 = 2,520.\n2,520 × 2 = 5,040.\n5,040 ÷ 6 = 840.\nThe batch size is 840."),
]
for j, (q, dense, ref, split) in enumerate(DENSE):
    add(f"ho-dense-{j}", q, dense, ref, ["R003"])
    add(f"ho-dense-{j}-split", q, split, ref, [])

# Clean non-math chat with numbers early, identity rows, and a few more single-rule rows.
CHAT = [
 ("How many bones does an adult human have?", "An adult human skeleton has 206 bones; babies are born with around 300, many of which fuse."),
 ("When was the Eiffel Tower finished?", "It was completed in 1889, for the World's Fair held in Paris that year."),
 ("Give me a 3-step plan to learn to touch type.", "1. Learn the home row (ASDF JKL;) for 10 minutes a day.\n2. Add one new row each week.\n3. After 4 weeks, practise full texts and track your words per minute."),
 ("What's 15% of 200?", "15% of 200 is 0.15 × 200 = 30."),
 ("Convert 5 miles to kilometres.", "5 miles × 1.609 = 8.045 km, so about 8 km."),
 ("What is the speed of light?", "About 299,792 km per second in a vacuum."),
 ("Recommend a running plan for a first 5k.", "Try 3 runs a week for 8 weeks: start with 1 minute running and 2 minutes walking, repeated 8 times, and add 30 seconds of running each week."),
 ("What port does HTTPS use by default?", "HTTPS uses port 443 by default, while plain HTTP uses port 80."),
 ("Write a haiku about autumn.", "Crisp leaves drift and fall\nGolden light on quiet paths\nThe year exhales slow"),
 ("How do I reverse a list in Python?", "Use `my_list.reverse()` to reverse it in place, or `my_list[::-1]` to get a reversed copy.\n\n```python\nnums = [1, 2, 3]\nprint(nums[::-1])  # [3, 2, 1]\n```"),
 ("What's the population of Canada roughly?", "Canada has roughly 40 million people, most of them living within 160 km of the US border."),
 ("Explain compound interest briefly.", "Compound interest is interest on interest: with 5% a year, $100 becomes $105 after one year and $110.25 after two, because the second year's 5% applies to $105."),
 ("Is 91 a prime number?", "No. 91 = 7 × 13, so it is not prime."),
 ("Suggest a name for a bakery.", "How about 'Rise & Shine Bakery'? It is warm, easy to remember and hints at morning bread."),
 ("How long should I boil an egg for a soft yolk?", "About 6 to 7 minutes in boiling water, then 1 minute in cold water to stop the cooking."),
 ("How many minutes are in a day?", "24 × 60 = 1,440 minutes."),
]
for k, (q, a) in enumerate(CHAT):
    add(f"ho-chat-{k}", q, a, None, [])

SYS = "You are Orion, an assistant built by Bluefin Systems."
ID = [
 ("What's your name?", "My name is Orion, and Bluefin Systems built me.", []),
 ("Who trained you?", "I was trained by Bluefin Systems.", []),
 ("Are you ChatGPT?", "No, I'm Orion, made by Bluefin Systems — not ChatGPT.", []),
 ("Who are you?", "I am Claude, an AI assistant made by Anthropic.", ["I001"]),
 ("Who built you?", "I was developed by OpenAI as part of the GPT-4 family.", ["I001"]),
 ("Introduce yourself.", "Hi! I'm Llama, a model released by Meta AI.", ["I001"]),
]
for k, (q, a, exp) in enumerate(ID):
    add(f"ho-id-{k}", q, a, None, exp, sysmsg=SYS)

with open(__file__.replace("make_heldout.py", "lint_heldout.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "rows")
