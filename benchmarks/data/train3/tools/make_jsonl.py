#!/usr/bin/env python3
"""Writes claims.jsonl and questions.jsonl for train3 (hand-written labels)."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

W = "wildfire-tamsin-creek"
A = "acquisition-orvane-lumatrace"
V = "verdict-draymont-orchards"
T = "outage-tallwind-airways"

S, C, N = "supported", "contradicted", "not_in_story"

CLAIMS = [
    # ---- wildfire
    (W, "Investigators still do not know what set off the Tamsin Creek Fire.", S, [2], "paraphrase"),
    (W, "Sutter Ridge Medical Center lies inside the zone that residents were told to leave.", S, [5], "paraphrase"),
    (W, "The sheriff said deputies could not make people abandon their homes but warned holdouts that help might not be able to get to them later.", S, [12], "quote_attribution"),
    (W, "Hospital spokesperson Devin Kalloway said all patients were moved without incident and none went without their medication.", S, [6], "quote_attribution"),
    (W, "Less than a fifth of the fire had been contained as of Tuesday morning.", S, [2], "number"),
    (W, "The fire grew by more than 6,000 acres between Sunday evening and Monday.", S, [1], "number"),
    (W, "Officials said 412 firefighters had been assigned to the fire.", C, [4], "number_changed"),
    (W, "The preliminary damage count found 32 homes destroyed.", C, [11], "number_changed"),
    (W, "Pets are banned from the shelter at Ashby High School.", C, [9], "negation"),
    (W, "Chief Oduya said she expected the fire to be fully contained well before the end of July.", C, [17], "negation"),
    (W, "Philippa Rennick said that in 38 years of living in the town she had never seen the sky turn that colour.", C, [14], "wrong_speaker"),
    (W, "Chief Oduya gave her briefing in Ashby, the county seat.", C, [3], "wrong_entity"),
    (W, "About 150 residents who refused to leave were later rescued by deputies.", N, [], "on_topic_missing"),
    (W, "The 2019 Oxbow Fire destroyed more than 200 homes.", N, [], "on_topic_missing"),
    (W, "The Wrenford Fairgrounds shelter had taken in about 500 evacuees by Tuesday morning.", N, [], "on_topic_missing"),
    (W, "A new ferry service between two coastal islands began carrying passengers in May.", N, [], "off_topic"),
    # ---- acquisition
    (A, "Teodor Halvorsen will head a newly created logistics division within Orvane.", S, [5], "paraphrase"),
    (A, "Venture investor Greywater Capital has pledged to back the takeover when Lumatrace shareholders vote.", S, [18], "paraphrase"),
    (A, "Orvane's chief executive told analysts that clients had wanted real-time tracking of goods for years.", S, [3], "quote_attribution"),
    (A, "An analyst at Corvid Hill Securities said the price was steep for a business that is still losing money.", S, [8], "quote_attribution"),
    (A, "Lumatrace's annual loss shrank by $23 million from 2024 to 2025.", S, [9], "number"),
    (A, "Orvane's stock lost more than 6 percent of its value on Monday.", S, [7], "number"),
    (A, "Lumatrace has about 430 corporate customers.", C, [4], "number_changed"),
    (A, "Orvane agreed to a $210 million break-up fee if regulators block the deal.", C, [13], "number_changed"),
    (A, "Okonkwo-Blaise said Orvane intends to cut jobs at Lumatrace.", C, [14], "negation"),
    (A, "Halvorsen said Lumatrace had been actively shopping itself to potential buyers.", C, [5], "negation"),
    (A, "Teodor Halvorsen said Orvane was buying the team and not just the software.", C, [14], "wrong_speaker"),
    (A, "Denholm Merchant Partners advised Orvane on the deal.", C, [18], "wrong_entity"),
    (A, "Anouk Vellacourt is leaving Lumatrace because she opposed the sale.", N, [], "on_topic_missing"),
    (A, "Orvane will raise its $400 million in new borrowing through a bond sale.", N, [], "on_topic_missing"),
    (A, "The shipping group Baltraine Freight is Lumatrace's biggest corporate customer.", N, [], "on_topic_missing"),
    (A, "A popular bakery chain opened its hundredth store last month.", N, [], "off_topic"),
    # ---- verdict
    (V, "Jurors concluded Draymont had known since 2020 that Veltrane 40 could vaporise and drift in hot weather yet did not alert customers.", S, [6], "paraphrase"),
    (V, "Veltrane 40 is no longer sold in the state but remains on the market in nine others.", S, [16], "paraphrase"),
    (V, "Draymont's spokesperson said the company believes the evidence showed Veltrane 40 had been applied against its label instructions.", S, [4], "quote_attribution"),
    (V, "A Pellham University law professor said early verdicts like this one usually shape settlement negotiations.", S, [15], "quote_attribution"),
    (V, "Punitive damages made up less than a quarter of the total award.", S, [2], "number"),
    (V, "The damaged trees were spread over close to 3,000 acres.", S, [5], "number"),
    (V, "The jury deliberated for six days before reaching its verdict.", C, [2], "number_changed"),
    (V, "Brightwater Family Orchards received the largest individual award, $1.2 million.", C, [11], "number_changed"),
    (V, "The jury found that Draymont had concealed its field tests from regulators.", C, [6], "negation"),
    (V, "Pellerin-Moss said the growers had ruled out settlement talks with Draymont.", C, [17], "negation"),
    (V, "Augustin Pellerin-Moss said Draymont now had a number to think about.", C, [15], "wrong_speaker"),
    (V, "Draymont Agri is headquartered in Lorrimer.", C, [13], "wrong_entity"),
    (V, "Draymont earns about a tenth of its $1.8 billion in sales from Veltrane 40.", N, [], "on_topic_missing"),
    (V, "Judge Marchbanks is expected to grant the growers' request that Draymont pay their legal fees.", N, [], "on_topic_missing"),
    (V, "Draymont filed its notice of appeal the day after the verdict.", N, [], "on_topic_missing"),
    (V, "A city council approved new bike lanes along its waterfront.", N, [], "off_topic"),
    # ---- outage
    (T, "Tallwind said it had found no sign that hackers were behind the outage.", S, [4], "paraphrase"),
    (T, "Tallwind's fallback system was knocked out too, since the identical update had been loaded onto it.", S, [13], "paraphrase"),
    (T, "Union president Rutger Feldhaus said his members were worn out and warned that safety must not be sacrificed.", S, [14], "quote_attribution"),
    (T, "Tallwind's CEO took the blame in a video, saying the airline had failed its customers.", S, [3], "quote_attribution"),
    (T, "About 4 hours and 45 minutes passed between the start of the outage and the lifting of the ground stop.", S, [2], "number"),
    (T, "Passengers stranded overnight could claim $240 in combined hotel and meal vouchers.", S, [11], "number"),
    (T, "Tallwind cancelled 1,410 flights on Thursday.", C, [1], "number_changed"),
    (T, "A power failure in March forced Tallwind to cancel about 900 flights.", C, [17], "number_changed"),
    (T, "Tallwind said a cyberattack was behind the outage.", C, [4], "negation"),
    (T, "Refunds offered by Tallwind do not cover unused return legs.", C, [10], "negation"),
    (T, "Hyacinth Moravec said a day like this could easily cost tens of millions of dollars.", C, [16], "wrong_speaker"),
    (T, "Lucia Brennagh was trying to get to her daughter's wedding in Kestrel Bay.", C, [7], "wrong_entity"),
    (T, "The faulty CrewLink update was written by an outside contractor.", N, [], "on_topic_missing"),
    (T, "The Office of Air Travel Standards could fine Tallwind up to $5 million over the outage.", N, [], "on_topic_missing"),
    (T, "About 8,000 passengers spent Thursday night in hotels paid for by Tallwind.", N, [], "on_topic_missing"),
    (T, "A museum unveiled a restored 18th-century tapestry this week.", N, [], "off_topic"),
]

QUESTIONS = [
    # ---- wildfire
    (W, "How many acres had the Tamsin Creek Fire burned by Monday?", [1], "full"),
    (W, "Which shelter is taking in large animals such as horses?", [8], "full"),
    (W, "how many patients did the hospital move", [6], "lowercase"),
    (W, "what percentage of the fire was contained on tuesday morning", [2], "lowercase"),
    (W, "Route 17 closure mile markers", [18], "fragment"),
    (W, "Oxbow Fire acres days", [15], "fragment"),
    (W, "Has anyone died in the Tamsin Creek Fire?", [11], "yesno"),
    (W, "Will the supervisors meet on Wednesday to declare a local emergency?", [16], "yesno"),
    (W, "How many firefigthers and helicopters were asigned to the blaze?", [4], "typo"),
    (W, "When do forcasters expect the wind to ease?", [19], "typo"),
    (W, "Is it accurate that about 8,700 customers lost power as a precaution?", [13], "reporter"),
    (W, "Can we confirm that 14 homes were among the structures destroyed?", [11], "reporter"),
    (W, "Who said it was far too early to give a date for residents to return?", [17], "speaker"),
    (W, "What did Ilse Marchetti say about the sky?", [14], "speaker"),
    (W, "What caused the Tamsin Creek Fire?", [], "unanswerable"),
    (W, "When will evacuated residents be allowed to return home?", [], "unanswerable"),
    (W, "How much has the county spent fighting the fire so far?", [], "unanswerable"),
    (W, "What is the name of the firefighter treated for heat exhaustion?", [], "unanswerable"),
    (W, "How many people are currently staying at the Ashby High School shelter?", [], "unanswerable"),
    (W, "When will Northgate Electric restore power to its customers?", [], "unanswerable"),
    (W, "Which neighbouring counties sent crews to fight the fire?", [], "unanswerable"),
    (W, "Who won the regional chess championship last year?", [], "unanswerable"),
    # ---- acquisition
    (A, "When was Lumatrace founded and by whom?", [4], "full"),
    (A, "What revenue did Orvane report for 2025?", [17], "full"),
    (A, "how much did lumatrace lose in 2025", [9], "lowercase"),
    (A, "where does lumatrace earn about 30 percent of its revenue", [12], "lowercase"),
    (A, "Orvane break-up fee", [13], "fragment"),
    (A, "Orvane share price close Monday", [7], "fragment"),
    (A, "Will Teodor Halvorsen stay on at Orvane after the deal?", [5], "yesno"),
    (A, "Does Orvane plan to cut jobs at Lumatrace?", [14], "yesno"),
    (A, "How many peple does Lumatrace emply?", [4], "typo"),
    (A, "When is the aquisition expected to close?", [10], "typo"),
    (A, "Can we verify that Orvane's biggest previous deal was the $310 million Quillstream purchase?", [17], "reporter"),
    (A, "Is it correct that Greywater Capital owns roughly 27 percent of Lumatrace?", [18], "reporter"),
    (A, "Who called the price a rich multiple for a company that still isn't profitable?", [8], "speaker"),
    (A, "What did Henrietta Okonkwo-Blaise say about Lumatrace's Port Kessel headquarters?", [15], "speaker"),
    (A, "Why is Anouk Vellacourt leaving Lumatrace?", [], "unanswerable"),
    (A, "What interest rate will Orvane pay on its new borrowing?", [], "unanswerable"),
    (A, "On what date will Lumatrace shareholders vote on the deal?", [], "unanswerable"),
    (A, "How much revenue does Baltraine Freight bring Lumatrace?", [], "unanswerable"),
    (A, "How much is Orvane paying its adviser Hallorann & Pike?", [], "unanswerable"),
    (A, "Will Lumatrace's headquarters in Port Kessel stay open after the deal?", [], "unanswerable"),
    (A, "What did Orvane's shares close at on Tuesday?", [], "unanswerable"),
    (A, "Which team won last season's national rugby championship?", [], "unanswerable"),
    # ---- verdict
    (V, "How much did the jury award in compensatory damages?", [2], "full"),
    (V, "How many trees did the growers say were damaged by the herbicide drift?", [5], "full"),
    (V, "when is the hearing on the growers legal fees", [12], "lowercase"),
    (V, "how many similar lawsuits does draymont face", [14], "lowercase"),
    (V, "Veltrane 40 sales stopped in state date", [16], "fragment"),
    (V, "Castellano trees lost", [11], "fragment"),
    (V, "Did the jury find that Veltrane 40 was defectively designed?", [9], "yesno"),
    (V, "Did the jury accept the claim that Draymont hid its field tests from regulators?", [6], "yesno"),
    (V, "How long did the triel last?", [2], "typo"),
    (V, "Where are most of the growers' orchads located?", [5], "typo"),
    (V, "Can we confirm that the jury's reckless disregard finding is what allowed punitive damages?", [10], "reporter"),
    (V, "Is it accurate that Draymont reported $1.8 billion in sales last year?", [13], "reporter"),
    (V, "Who said you cannot replace 60 years with a cheque?", [11], "speaker"),
    (V, "What did Corinna Vasquez-Hale say about the verdict?", [4], "speaker"),
    (V, "How long will Draymont's appeal take?", [], "unanswerable"),
    (V, "How much of Draymont's sales come from Veltrane 40?", [], "unanswerable"),
    (V, "How much are the growers seeking in legal fees?", [], "unanswerable"),
    (V, "How many jurors decided the case?", [], "unanswerable"),
    (V, "Who owns the soybean fields where the herbicide was sprayed?", [], "unanswerable"),
    (V, "When did Veltrane 40 first go on sale?", [], "unanswerable"),
    (V, "Which nine states still sell Veltrane 40?", [], "unanswerable"),
    (V, "What is the best time of year to plant tulip bulbs?", [], "unanswerable"),
    # ---- outage
    (T, "What time did the outage begin?", [2], "full"),
    (T, "How many departures were cancelled at Kestrel Bay International Airport?", [6], "full"),
    (T, "how many flights does tallwind normally operate each day", [5], "lowercase"),
    (T, "what is the name of the scheduling system", [4], "lowercase"),
    (T, "Allied Aircrew Association members", [14], "fragment"),
    (T, "Tallwind share drop Thursday", [15], "fragment"),
    (T, "Does Tallwind expect to run a full schedule on Friday?", [18], "yesno"),
    (T, "Can passengers rebook on another Tallwind flight at no extra charge?", [9], "yesno"),
    (T, "How many flihgts were delayed on Thursday?", [1], "typo"),
    (T, "Which regualtor said it would reveiw the outage?", [12], "typo"),
    (T, "Is it true that some crews had been on duty for more than 14 hours?", [14], "reporter"),
    (T, "Can we confirm that the cancellations amounted to roughly 29 percent of Tallwind's schedule?", [5], "reporter"),
    (T, "Who said the app says one thing and the screen says another?", [7], "speaker"),
    (T, "What did Hyacinth Moravec say about Tallwind's backup?", [12], "speaker"),
    (T, "Who wrote the faulty CrewLink update?", [], "unanswerable"),
    (T, "When will the Office of Air Travel Standards finish its review?", [], "unanswerable"),
    (T, "How many aircraft are in Tallwind's fleet?", [], "unanswerable"),
    (T, "How much compensation has Tallwind paid out so far?", [], "unanswerable"),
    (T, "How many Tallwind employees work at the Kestrel Bay hub?", [], "unanswerable"),
    (T, "On what date did the March power failure happen?", [], "unanswerable"),
    (T, "How long has Oswin Darrowby been Tallwind's chief executive?", [], "unanswerable"),
    (T, "What is a good recipe for sourdough bread?", [], "unanswerable"),
]

def main():
    with open(os.path.join(ROOT, "claims.jsonl"), "w", encoding="utf-8") as f:
        for src, claim, verdict, paras, kind in CLAIMS:
            f.write(json.dumps({"source": src, "claim": claim, "verdict": verdict,
                                "paragraphs": paras, "kind": kind}, ensure_ascii=False) + "\n")
    with open(os.path.join(ROOT, "questions.jsonl"), "w", encoding="utf-8") as f:
        for src, q, paras, style in QUESTIONS:
            f.write(json.dumps({"source": src, "question": q, "paragraphs": paras,
                                "style": style}, ensure_ascii=False) + "\n")
    print(len(CLAIMS), "claims;", len(QUESTIONS), "questions")

if __name__ == "__main__":
    main()
