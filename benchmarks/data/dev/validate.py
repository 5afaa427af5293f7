import json, os, re, collections
D = "/work/devset"
n = {}
for fn in os.listdir(f"{D}/sources"):
    sid = fn[:-3]; assert re.fullmatch(r"[a-z0-9-]{1,40}", sid), sid
    t = open(f"{D}/sources/{fn}").read().split("\n")
    assert t[0] == "---" and t[1].startswith("title: ") and t[2].startswith("outlet: ") and t[3] == "---", fn
    body = t[4:]
    while body and body[-1] == "": body.pop()
    assert all(l.strip() for l in body), f"blank line in {fn}"
    n[sid] = len(body); assert 12 <= n[sid] <= 18, fn
    assert sum(l.startswith("- ") for l in body) >= 2, fn
c = collections.Counter(); u = collections.Counter(); st = collections.Counter()
for i, line in enumerate(open(f"{D}/questions.jsonl"), 1):
    q = json.loads(line)
    assert set(q) == {"source", "question", "paragraphs", "style"}, i
    assert q["source"] in n, i
    assert all(isinstance(p, int) and 1 <= p <= n[q["source"]] for p in q["paragraphs"]), i
    assert (q["style"] == "unanswerable") == (q["paragraphs"] == []), i
    c[q["source"]] += 1; st[q["style"]] += 1
    if not q["paragraphs"]: u[q["source"]] += 1
for s in n:
    assert c[s] >= 22 and u[s] >= 7, s
    print(f"{s}: {n[s]} paragraphs, {c[s]} questions, {u[s]} unanswerable")
print("total", sum(c.values()), dict(st))
